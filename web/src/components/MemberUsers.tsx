/**
 * The member's administrator's part of the account page: the member's users with their API keys, a form to create a
 * user (id, name, role, first password), a form to create an API key for one of them (read, or read and trade; the
 * secret is shown here once and never again), and per user and key the buttons that disable or enable the user and
 * revoke the key, each with the reason typed above the table. Every step is a request to /api/member/users; the
 * server's refusal (its code's sentence) is shown under the form that sent it.
 */

import { type FormEvent, useEffect, useState } from "react";
import { invalidate, useApi } from "../api/live.ts";
import { call } from "../api/typed.ts";
import { useI18n } from "../i18n/index.tsx";
import { FieldError } from "./FieldError.tsx";
import { Table } from "./Table.tsx";
import { KeySecret, keysColumn, newUserProblem, RoleSelect, userColumn, useUserSteps } from "./UserKeys.tsx";

const ROLES = ["trader", "viewer", "administrator"] as const;
type MemberRole = (typeof ROLES)[number];
const KEY_SCOPES = { read: ["read"], trade: ["read", "trade"] } as const;
type KeyScopes = keyof typeof KEY_SCOPES;

export function MemberUsers() {
  const i18n = useI18n();
  const { t } = i18n;
  const listing = useApi("/api/member/users");
  const users = listing.data?.users ?? [];
  const keyable = users.filter((user) => !user.disabled);
  const { busy, act, setProblem, messageOf } = useUserSteps<"table" | "user" | "key">(
    () => invalidate("/api/member/users"),
    false,
  );
  const [reason, setReason] = useState("");
  const [newUser, setNewUser] = useState({ id: "", name: "", role: "trader" as MemberRole, password: "" });
  const [keyUser, setKeyUser] = useState("");
  const [keyScopes, setKeyScopes] = useState<KeyScopes>("read");
  // The user shown is the one the key is for, and stays so: until one is picked, the first of the list (by id) is shown
  // and kept, so a user added meanwhile whose id sorts first (the list is live) does not get the key; one disabled
  // meanwhile gives its place to the first, which is kept in turn. The form never sends a user it does not show.
  const chosenKeyUser = keyable.some((user) => user.id === keyUser) ? keyUser : (keyable[0]?.id ?? "");
  useEffect(() => {
    if (chosenKeyUser !== "" && chosenKeyUser !== keyUser) setKeyUser(chosenKeyUser);
  }, [chosenKeyUser, keyUser]);
  const [secret, setSecret] = useState<{ id: string; user: string; secret: string } | null>(null);

  const createUser = (event: FormEvent) => {
    event.preventDefault();
    const id = newUser.id.trim();
    const name = newUser.name.trim();
    // Said at the field before anything is sent: what is missing, and an id or a password the API would not take.
    const problem = newUserProblem(id, name, newUser.password);
    if (problem) return setProblem({ form: "user", ...problem });
    void act("user", async () => {
      await call("post", "/api/member/users", {}, { ...newUser, id, name });
      setNewUser({ id: "", name: "", role: "trader", password: "" });
    });
  };
  const createKey = (event: FormEvent) => {
    event.preventDefault();
    const user = chosenKeyUser;
    if (!user) return;
    void act("key", async () => {
      const created = await call(
        "post",
        "/api/member/users/{id}/keys",
        { path: { id: user } },
        { scopes: [...KEY_SCOPES[keyScopes]] },
      );
      setSecret({ id: created.key.id, user, secret: created.secret });
    });
  };
  const setDisabled = (user: string, disabled: boolean) =>
    act("table", async () => {
      await call(
        "post",
        disabled ? "/api/member/users/{id}/disable" : "/api/member/users/{id}/enable",
        { path: { id: user } },
        { reason: reason.trim() },
      );
    });
  const revoke = (user: string, key: string) =>
    act("table", async () => {
      await call(
        "delete",
        "/api/member/users/{id}/keys/{keyId}",
        { path: { id: user, keyId: key } },
        {
          reason: reason.trim(),
        },
      );
    });

  const noReason = reason.trim() === "";
  return (
    <section className="panel" aria-labelledby="member-users-title" data-testid="member-users">
      <h1 id="member-users-title">{t("memberUsers.title", { member: listing.data?.member ?? "…" })}</h1>
      <p className="muted small">{t("memberUsers.explain")}</p>
      <label>
        {t("memberUsers.reason")}
        <input name="reason" value={reason} onChange={(event) => setReason(event.target.value)} />
      </label>
      <Table
        testId="member-users-table"
        rows={users}
        rowKey={(user) => user.id}
        rowData={(user) => ({ user: user.id })}
        columns={[
          userColumn(t("memberUsers.user")),
          { head: t("memberUsers.role"), cell: (user) => t(`roles.${user.role}`) },
          {
            head: t("memberUsers.status"),
            cell: (user) => (
              <>
                <span data-testid="user-status">
                  {t(user.disabled ? "memberUsers.disabled" : "memberUsers.active")}
                </span>{" "}
                <button
                  type="button"
                  className="small"
                  disabled={busy || noReason}
                  onClick={() => void setDisabled(user.id, !user.disabled)}
                >
                  {t(user.disabled ? "memberUsers.enable" : "memberUsers.disable")}
                </button>
              </>
            ),
          },
          keysColumn({
            head: t("memberUsers.keys"),
            scopeNames: (scopes) => scopes.map((scope) => t(`memberUsers.scope.${scope}`)).join(", "),
            revokedLabel: t("memberUsers.revoked"),
            revokeLabel: t("memberUsers.revoke"),
            olderSealLabel: t("memberUsers.olderSeal"),
            buttonClass: "small",
            disabled: busy || noReason,
            onRevoke: (user, key) => void revoke(user, key),
          }),
        ]}
      />
      <FieldError id="member-users-error" message={messageOf("table")} />

      <form onSubmit={createUser} noValidate data-testid="member-user-form">
        <h2>{t("memberUsers.newUser")}</h2>
        <label>
          {t("memberUsers.userId")}
          <input
            name="id"
            value={newUser.id}
            autoComplete="off"
            onChange={(event) => setNewUser({ ...newUser, id: event.target.value })}
            aria-invalid={messageOf("user", "id") !== ""}
          />
          <FieldError message={messageOf("user", "id")} />
        </label>
        <label>
          {t("memberUsers.name")}
          <input
            name="name"
            value={newUser.name}
            onChange={(event) => setNewUser({ ...newUser, name: event.target.value })}
            aria-invalid={messageOf("user", "name") !== ""}
          />
          <FieldError message={messageOf("user", "name")} />
        </label>
        <RoleSelect
          label={t("memberUsers.role")}
          roles={ROLES}
          value={newUser.role}
          onChange={(role) => setNewUser({ ...newUser, role })}
        />
        <label>
          {t("memberUsers.password")}
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            value={newUser.password}
            onChange={(event) => setNewUser({ ...newUser, password: event.target.value })}
            aria-invalid={messageOf("user", "password") !== ""}
          />
          <FieldError message={messageOf("user", "password")} />
        </label>
        <FieldError id="member-user-error" message={messageOf("user")} />
        <button type="submit" disabled={busy}>
          {t("memberUsers.create")}
        </button>
      </form>

      <form onSubmit={createKey} noValidate data-testid="member-key-form">
        <h2>{t("memberUsers.newKey")}</h2>
        <label>
          {t("memberUsers.keyUser")}
          <select name="keyUser" value={chosenKeyUser} onChange={(event) => setKeyUser(event.target.value)}>
            {keyable.map((user) => (
              <option key={user.id} value={user.id}>
                {user.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("memberUsers.keyScopes")}
          <select name="scopes" value={keyScopes} onChange={(event) => setKeyScopes(event.target.value as KeyScopes)}>
            <option value="read">{t("memberUsers.scope.read")}</option>
            <option value="trade">{t("memberUsers.scopeTrade")}</option>
          </select>
        </label>
        <FieldError id="member-key-error" message={messageOf("key")} />
        <button type="submit" disabled={busy || keyable.length === 0}>
          {t("memberUsers.createKey")}
        </button>
      </form>
      {secret ? (
        <KeySecret
          testId="member-key-secret"
          said={t("memberUsers.secretOnce", { user: secret.user })}
          keyIdLabel={t("memberUsers.keyId")}
          secretLabel={t("memberUsers.secret")}
          doneLabel={t("memberUsers.secretDone")}
          id={secret.id}
          secret={secret.secret}
          onClose={() => setSecret(null)}
        />
      ) : null}
    </section>
  );
}
