/**
 * The operator's users and API keys (/operator/users), every step a request to /api/admin/users:
 * - the users with their role, member, second factor and keys; per user a button that disables or enables it (not
 *   the operator's own: the API refuses that) and per key one that revokes it, each with the reason typed above the
 *   table (the API asks one of every change);
 * - a form that creates a user: id, name, role, its member (for the roles that belong to one: trader, viewer,
 *   administrator; none for operator and regulator), first password and an optional reason;
 * - a form that issues an API key to a user with its scopes; the secret is in the answer only and shown here once,
 *   until the operator closes it.
 * What the page can check before sending it says in the reader's language beside the field (an id the API takes, a
 * member for a member's role, the password's length, src/domain/limits.ts); the server's refusal (a taken id, a
 * common password) is its sentence in that language.
 */

import { type ChangeEvent, type FormEvent, type ReactElement, useEffect, useState } from "react";
import {
  ID_LENGTH_MAX,
  NAME_LENGTH_MAX,
  PASSWORD_LENGTH_MAX,
  PASSWORD_LENGTH_MIN,
  REASON_LENGTH_MAX,
} from "../../../src/domain/limits.ts";
import { invalidate, useApi } from "../api/live.ts";
import { useSession } from "../api/session.tsx";
import { call } from "../api/typed.ts";
import type { Role } from "../api/types.ts";
import { FieldError } from "../components/FieldError.tsx";
import { Field } from "../components/FormSubmit.tsx";
import { Loading } from "../components/Loading.tsx";
import { Table } from "../components/Table.tsx";
import { KeySecret, keysColumn, RoleSelect, USER_ID, userColumn, useUserSteps } from "../components/UserKeys.tsx";
import { useI18n } from "../i18n/index.tsx";
import type { I18n } from "../i18n/lookup.ts";

const ROLES = ["operator", "regulator", "trader", "viewer", "administrator"] as const satisfies readonly Role[];
const MEMBER_ROLES: ReadonlySet<string> = new Set(["trader", "viewer", "administrator"]);
const SCOPES = ["read", "trade"] as const;
type Scope = (typeof SCOPES)[number];
const USERS = "/api/admin/users";

type Form = "table" | "user" | "key";
/** The new-user form's fields typed as text or chosen from a list (the role has its own select). */
type NewUserField = "id" | "name" | "member" | "password";
/** What binds an input or a select to a field of the new user. */
interface BoundControl {
  readonly name: NewUserField;
  readonly value: string;
  readonly onChange: (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => void;
  readonly "aria-invalid": boolean;
}
/** A sentence said in the reader's language at the time it is shown (the language may change after a refusal). */
type Say = (i18n: I18n) => string;

export function OperatorUsers() {
  const i18n = useI18n();
  const { t } = i18n;
  const listing = useApi(USERS);
  const me = useSession().user?.id ?? null;
  const members = useApi("/api/admin/members");
  const users = listing.data?.users ?? [];
  const memberIds = (members.data?.members ?? []).map((m) => m.member).sort();
  const keyable = users.filter((user) => !user.disabled);
  // This page reads the listing again after every step, refused or not.
  const { busy, act, setProblem, messageOf } = useUserSteps<Form>(() => invalidate(USERS), true);
  const [reason, setReason] = useState("");
  const blankUser = { id: "", name: "", role: "trader" as Role, member: "", password: "", reason: "" };
  const [newUser, setNewUser] = useState(blankUser);
  const [created, setCreated] = useState<Say | null>(null);
  /** What the table's last step did (a user disabled or enabled, a key revoked), said above the table. */
  const [tableDone, setTableDone] = useState<Say | null>(null);
  const [keyUser, setKeyUser] = useState("");
  const [keyScopes, setKeyScopes] = useState<ReadonlySet<Scope>>(new Set(["read"]));
  const [secret, setSecret] = useState<{ id: string; user: string; secret: string; scopes: readonly string[] } | null>(
    null,
  );

  const scopeNames = (scopes: readonly string[]) => scopes.map((scope) => t(`operatorUsers.scope.${scope}`)).join(", ");

  const needsReason = (): boolean => {
    setTableDone(null);
    if (reason.trim() !== "") return false;
    setProblem({ form: "table", field: "reason", say: (x) => x.t("operatorUsers.reasonRequired") });
    return true;
  };

  const setDisabled = (user: string, disabled: boolean) => {
    if (needsReason()) return;
    void act("table", async () => {
      await call(
        "post",
        disabled ? "/api/admin/users/{id}/disable" : "/api/admin/users/{id}/enable",
        { path: { id: user } },
        { reason: reason.trim() },
      );
      setReason("");
      setTableDone(
        () => (x: I18n) => x.t(disabled ? "operatorUsers.disabledDone" : "operatorUsers.enabledDone", { user }),
      );
    });
  };
  const revoke = (user: string, key: string) => {
    if (needsReason()) return;
    void act("table", async () => {
      await call(
        "delete",
        "/api/admin/users/{id}/keys/{keyId}",
        { path: { id: user, keyId: key } },
        {
          reason: reason.trim(),
        },
      );
      setReason("");
      setTableDone(() => (x: I18n) => x.t("operatorUsers.revokedDone", { key, user }));
    });
  };

  const ofMember = MEMBER_ROLES.has(newUser.role);
  const createUser = (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    const id = newUser.id.trim();
    const name = newUser.name.trim();
    const refuse = (field: string, say: Say) => setProblem({ form: "user", field, say });
    if (id === "") return refuse("id", (x) => x.t("operatorUsers.required", { field: x.t("operatorUsers.userId") }));
    if (id.length > ID_LENGTH_MAX || !USER_ID.test(id)) {
      return refuse("id", (x) => x.t("operatorUsers.idInvalid", { max: ID_LENGTH_MAX }));
    }
    if (name === "") return refuse("name", (x) => x.t("operatorUsers.required", { field: x.t("operatorUsers.name") }));
    const role = newUser.role;
    if (ofMember && newUser.member === "") {
      return refuse("member", (x) => x.t("operatorUsers.memberRequired", { role: x.t(`roles.${role}`) }));
    }
    if (newUser.password === "") {
      return refuse("password", (x) => x.t("operatorUsers.required", { field: x.t("operatorUsers.password") }));
    }
    // The API's schema counts characters (code points), not UTF-16 units.
    const passwordLength = [...newUser.password].length;
    if (passwordLength < PASSWORD_LENGTH_MIN || passwordLength > PASSWORD_LENGTH_MAX) {
      return refuse("password", (x) =>
        x.t("operatorUsers.passwordLength", {
          min: PASSWORD_LENGTH_MIN,
          max: PASSWORD_LENGTH_MAX,
          length: passwordLength,
        }),
      );
    }
    const why = newUser.reason.trim();
    void act("user", async () => {
      const answer = await call(
        "post",
        USERS,
        {},
        {
          id,
          name,
          role: newUser.role,
          ...(ofMember ? { member: newUser.member } : {}),
          password: newUser.password,
          ...(why === "" ? {} : { reason: why }),
        },
      );
      setNewUser(blankUser);
      const { user } = answer;
      setCreated(
        () => (x: I18n) =>
          user.member === null
            ? x.t("operatorUsers.createdNoMember", { id: user.id, role: x.t(`roles.${user.role}`) })
            : x.t("operatorUsers.created", { id: user.id, role: x.t(`roles.${user.role}`), member: user.member }),
      );
    });
  };

  /**
   * A field of the new-user form: labelled, its error beside it (`operator-user-<field>-error`), and its control
   * (an input or a select) given what binds it to `newUser[field]`: the name, the value, the change and, while the
   * field is refused, the mark.
   */
  const userField = (field: NewUserField, label: string, control: (bound: BoundControl) => ReactElement) => (
    <Field label={label} errorId={`operator-user-${field}-error`} error={messageOf("user", field)}>
      {control({
        name: field,
        value: newUser[field],
        onChange: (event) => setNewUser({ ...newUser, [field]: event.target.value }),
        "aria-invalid": messageOf("user", field) !== "",
      })}
    </Field>
  );

  // The user shown is the one the key is for, and stays so: until one is picked, the first of the live list (by id) is
  // shown and kept, so a user added meanwhile whose id sorts first does not get the key; one disabled meanwhile gives
  // its place to the first, which is kept in turn.
  const chosenKeyUser = keyable.some((user) => user.id === keyUser) ? keyUser : (keyable[0]?.id ?? "");
  useEffect(() => {
    if (chosenKeyUser !== "" && chosenKeyUser !== keyUser) setKeyUser(chosenKeyUser);
  }, [chosenKeyUser, keyUser]);
  // A viewer may only look: its key reads (the exchange refuses it trade), so the trade box is not offered.
  const viewerChosen = users.find((user) => user.id === chosenKeyUser)?.role === "viewer";
  const scopeOffered = (scope: Scope) => !(viewerChosen && scope === "trade");
  const createKey = (event: FormEvent) => {
    event.preventDefault();
    setSecret(null);
    if (chosenKeyUser === "") return;
    if (!SCOPES.some((scope) => keyScopes.has(scope) && scopeOffered(scope))) {
      setProblem({ form: "key", field: "scopes", say: (x) => x.t("operatorUsers.scopesRequired") });
      return;
    }
    void act("key", async () => {
      const answer = await call(
        "post",
        "/api/admin/users/{id}/keys",
        { path: { id: chosenKeyUser } },
        { scopes: SCOPES.filter((scope) => keyScopes.has(scope) && scopeOffered(scope)) },
      );
      setSecret({
        id: answer.key.id,
        user: answer.key.user,
        secret: answer.secret,
        scopes: answer.key.scopes,
      });
    });
  };
  // A key that trades also reads (the exchange refuses one that does not): trade brings read, and read goes with trade.
  const toggleScope = (scope: Scope, on: boolean) => {
    const next = new Set(keyScopes);
    if (on) {
      next.add(scope);
      if (scope === "trade") next.add("read");
    } else {
      next.delete(scope);
      if (scope === "read") next.delete("trade");
    }
    setKeyScopes(next);
  };

  return (
    <div className="console" data-testid="operator-users">
      <h1>{t("operatorUsers.title")}</h1>
      <section className="panel" aria-labelledby="operator-users-list">
        <h2 id="operator-users-list">{t("operatorUsers.list")}</h2>
        <p className="muted small">{t("operatorUsers.explain")}</p>
        <label>
          {t("operatorUsers.reason")}
          <input
            name="reason"
            value={reason}
            maxLength={REASON_LENGTH_MAX}
            onChange={(event) => setReason(event.target.value)}
            aria-invalid={messageOf("table", "reason") !== ""}
            aria-describedby="operator-users-reason-error"
          />
        </label>
        <FieldError id="operator-users-reason-error" message={messageOf("table", "reason")} />
        <FieldError id="operator-users-error" message={messageOf("table")} />
        {tableDone ? (
          <p className="ok" role="status" data-testid="operator-users-done">
            {tableDone(i18n)}
          </p>
        ) : null}
        {!listing.data ? (
          <Loading error={listing.error} />
        ) : (
          <Table
            testId="operator-users-table"
            rows={users}
            rowKey={(user) => user.id}
            rowData={(user) => ({ user: user.id })}
            columns={[
              userColumn(t("operatorUsers.user")),
              { head: t("operatorUsers.role"), cell: (user) => t(`roles.${user.role}`) },
              { head: t("operatorUsers.member"), cell: (user) => user.member ?? "—" },
              {
                head: t("operatorUsers.secondFactor"),
                cell: (user) =>
                  user.secondFactorSealedWithCurrentKey === false
                    ? `${t("operatorUsers.on")}; ${t("operatorUsers.secondFactorOlderSeal")}`
                    : t(user.secondFactor ? "operatorUsers.on" : "operatorUsers.off"),
              },
              {
                head: t("operatorUsers.status"),
                cell: (user) => (
                  <>
                    <span data-testid="user-status">
                      {t(user.disabled ? "operatorUsers.disabled" : "operatorUsers.active")}
                    </span>{" "}
                    {user.id === me ? (
                      <span className="small muted">{t("operatorUsers.you")}</span>
                    ) : (
                      <button
                        type="button"
                        className="small-button"
                        disabled={busy}
                        onClick={() => setDisabled(user.id, !user.disabled)}
                      >
                        {t(user.disabled ? "operatorUsers.enable" : "operatorUsers.disable")}
                      </button>
                    )}
                  </>
                ),
              },
              keysColumn({
                head: t("operatorUsers.keys"),
                scopeNames,
                revokedLabel: t("operatorUsers.revoked"),
                revokedTestId: "key-revoked",
                revokeLabel: t("operatorUsers.revoke"),
                olderSealLabel: t("operatorUsers.olderSeal"),
                buttonClass: "small-button",
                disabled: busy,
                onRevoke: revoke,
              }),
            ]}
          />
        )}
      </section>

      <section className="panel" aria-labelledby="operator-new-user">
        <form onSubmit={createUser} noValidate data-testid="operator-user-form" className="entry-form">
          <h2 id="operator-new-user">{t("operatorUsers.newUser")}</h2>
          <div className="entry-fields">
            {userField("id", t("operatorUsers.userId"), (bound) => (
              <input {...bound} autoComplete="off" maxLength={ID_LENGTH_MAX} />
            ))}
            {userField("name", t("operatorUsers.name"), (bound) => (
              <input {...bound} maxLength={NAME_LENGTH_MAX} />
            ))}
            <div>
              <RoleSelect
                label={t("operatorUsers.role")}
                roles={ROLES}
                value={newUser.role}
                onChange={(role) => setNewUser({ ...newUser, role })}
              />
            </div>
            {userField("member", t("operatorUsers.member"), (bound) => (
              <select {...bound} value={ofMember ? newUser.member : ""} disabled={!ofMember}>
                <option value="">{ofMember ? t("operatorUsers.chooseMember") : t("operatorUsers.noMember")}</option>
                {memberIds.map((id) => (
                  <option key={id} value={id}>
                    {id}
                  </option>
                ))}
              </select>
            ))}
            {userField("password", t("operatorUsers.password"), (bound) => (
              <input {...bound} type="password" autoComplete="new-password" />
            ))}
            <div>
              <label>
                {t("operatorUsers.createReason")}
                <input
                  name="createReason"
                  value={newUser.reason}
                  maxLength={REASON_LENGTH_MAX}
                  onChange={(event) => setNewUser({ ...newUser, reason: event.target.value })}
                />
              </label>
            </div>
          </div>
          <p className="muted small">{t("operatorUsers.passwordNote", { min: PASSWORD_LENGTH_MIN })}</p>
          <button type="submit" disabled={busy}>
            {t("operatorUsers.create")}
          </button>
          <FieldError id="operator-user-error" message={messageOf("user")} />
          {created ? (
            <p className="ok" role="status" data-testid="operator-user-created">
              {created(i18n)}
            </p>
          ) : null}
        </form>
      </section>

      <section className="panel" aria-labelledby="operator-new-key">
        <form onSubmit={createKey} noValidate data-testid="operator-key-form" className="entry-form">
          <h2 id="operator-new-key">{t("operatorUsers.newKey")}</h2>
          <p className="muted small">{t("operatorUsers.keyExplain")}</p>
          <div className="entry-fields">
            <div>
              <label>
                {t("operatorUsers.keyUser")}
                <select name="keyUser" value={chosenKeyUser} onChange={(event) => setKeyUser(event.target.value)}>
                  {keyable.map((user) => (
                    <option key={user.id} value={user.id}>
                      {user.id} · {t(`roles.${user.role}`)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <fieldset className="plain">
              <legend className="small muted">{t("operatorUsers.keyScopes")}</legend>
              {SCOPES.map((scope) => (
                <label key={scope} className="inline">
                  <input
                    type="checkbox"
                    name={`scope-${scope}`}
                    checked={keyScopes.has(scope) && scopeOffered(scope)}
                    disabled={!scopeOffered(scope)}
                    onChange={(event) => toggleScope(scope, event.target.checked)}
                  />
                  {t(`operatorUsers.scope.${scope}`)}
                </label>
              ))}
              <FieldError id="operator-key-scopes-error" message={messageOf("key", "scopes")} />
            </fieldset>
          </div>
          <button type="submit" disabled={busy || chosenKeyUser === ""}>
            {t("operatorUsers.createKey")}
          </button>
          <FieldError id="operator-key-error" message={messageOf("key")} />
        </form>
        {secret ? (
          <KeySecret
            testId="operator-key-secret"
            said={t("operatorUsers.secretOnce", { user: secret.user, scopes: scopeNames(secret.scopes) })}
            keyIdLabel={t("operatorUsers.keyId")}
            secretLabel={t("operatorUsers.secret")}
            doneLabel={t("operatorUsers.secretDone")}
            id={secret.id}
            secret={secret.secret}
            onClose={() => setSecret(null)}
          />
        ) : null}
      </section>
    </div>
  );
}
