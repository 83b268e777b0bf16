/**
 * What the operator's users page and the member's administrator's users panel both show and do: the users table's
 * columns of the user (id and name) and of its API keys each with a button that revokes it, a new key's secret, shown once, the role
 * chooser, and the steps (`useUserSteps`): one request at a time, its refusal shown under the form that sent it.
 */

import { useState } from "react";
import { ID_LENGTH_MAX, PASSWORD_LENGTH_MAX, PASSWORD_LENGTH_MIN } from "../../../src/domain/limits.ts";
import { describeError } from "../errors.ts";
import { useI18n } from "../i18n/index.tsx";
import type { I18n } from "../i18n/lookup.ts";
import type { Column } from "./Table.tsx";

/** A sentence said in the reader's language at the time it is shown (the language may change after a refusal). */
type Say = (i18n: I18n) => string;
/** The problem shown: the form it is under, the field it is about ("" for the form as a whole) and its sentence. */
export interface StepProblem<Form extends string> {
  readonly form: Form;
  readonly field: string;
  readonly say: Say;
}

/** A new user's id as the API takes it (routes/console.ts NEW_ID). */
export const USER_ID = /^[A-Za-z0-9_.-]+$/;

/**
 * What a new user's id, name and first password lack before the API would take them, at the field concerned, or null:
 * the member's administrator's form says it there (the API's refusal named its wire field, "«id» өрісі").
 */
export function newUserProblem(
  id: string,
  name: string,
  password: string,
): { readonly field: "id" | "name" | "password"; readonly say: Say } | null {
  if (id === "")
    return { field: "id", say: (x) => x.t("operatorUsers.required", { field: x.t("memberUsers.userId") }) };
  if (id.length > ID_LENGTH_MAX || !USER_ID.test(id)) {
    return { field: "id", say: (x) => x.t("operatorUsers.idInvalid", { max: ID_LENGTH_MAX }) };
  }
  if (name === "")
    return { field: "name", say: (x) => x.t("operatorUsers.required", { field: x.t("memberUsers.name") }) };
  // The API's schema counts characters (code points), not UTF-16 units.
  const length = [...password].length;
  if (length === 0) {
    return { field: "password", say: (x) => x.t("operatorUsers.required", { field: x.t("memberUsers.password") }) };
  }
  if (length < PASSWORD_LENGTH_MIN || length > PASSWORD_LENGTH_MAX) {
    return {
      field: "password",
      say: (x) => x.t("operatorUsers.passwordLength", { min: PASSWORD_LENGTH_MIN, max: PASSWORD_LENGTH_MAX, length }),
    };
  }
  return null;
}

/**
 * The users' steps: `act(form, step)` runs one request (busy meanwhile; a refusal becomes the problem under `form`)
 * and then `refresh`es the listing: after a success only, or with `refreshAlways` after a refusal too (the two pages
 * have always differed there). `messageOf(form, field)` is the problem's sentence there, or "".
 */
export function useUserSteps<Form extends string>(refresh: () => void, refreshAlways: boolean) {
  const i18n = useI18n();
  const [problem, setProblem] = useState<StepProblem<Form> | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (form: Form, step: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    let done = false;
    try {
      await step();
      done = true;
    } catch (caught) {
      setProblem({ form, field: "", say: (x) => describeError(caught, x) });
    } finally {
      setBusy(false);
      if (done || refreshAlways) refresh();
    }
  };
  const messageOf = (form: Form, field = "") =>
    problem?.form === form && problem.field === field ? problem.say(i18n) : "";
  return { busy, act, setProblem, messageOf };
}

/** The role of a new user, from `roles`, each by its name in the reader's language. */
export function RoleSelect<Role extends string>({
  label,
  roles,
  value,
  onChange,
}: {
  label: string;
  roles: readonly Role[];
  value: Role;
  onChange: (role: Role) => void;
}) {
  const { t } = useI18n();
  return (
    <label>
      {label}
      <select name="role" value={value} onChange={(event) => onChange(event.target.value as Role)}>
        {roles.map((role) => (
          <option key={role} value={role}>
            {t(`roles.${role}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

export interface KeyRow {
  readonly id: string;
  readonly scopes: readonly string[];
  readonly revoked: boolean;
  /** False: its secret is sealed with an older secrets key, so the key is to be reissued before that key goes. */
  readonly sealedWithCurrentKey: boolean;
}

/** The users table's first column, the rows' headers: the id, and the name under it. */
export function userColumn(head: string): Column<{ readonly id: string; readonly name: string }> {
  return {
    head,
    rowHeader: true,
    cell: (user) => (
      <>
        {user.id}
        <div className="small muted">{user.name}</div>
      </>
    ),
  };
}

/**
 * The users table's keys column: each key with its scopes, and "revoked" or a button that revokes it; a live key
 * sealed with an older secrets key says so, with what to do (docs/security.md, rotating the secrets key).
 */
export function keysColumn({
  head,
  scopeNames,
  revokedLabel,
  revokedTestId,
  revokeLabel,
  olderSealLabel,
  buttonClass,
  disabled,
  onRevoke,
}: {
  head: string;
  scopeNames: (scopes: readonly string[]) => string;
  revokedLabel: string;
  revokedTestId?: string;
  revokeLabel: string;
  olderSealLabel: string;
  buttonClass: string;
  disabled: boolean;
  onRevoke: (user: string, key: string) => void;
}): Column<{ readonly id: string; readonly keys: readonly KeyRow[] }> {
  return {
    head,
    className: "small",
    cell: (user) => (
      <>
        {user.keys.length === 0 ? "—" : null}
        {user.keys.map((key) => (
          <div key={key.id} data-key={key.id}>
            <code>{key.id}</code> ({scopeNames(key.scopes)}){" "}
            {key.revoked ? (
              <span className="muted" data-testid={revokedTestId}>
                {revokedLabel}
              </span>
            ) : (
              <>
                <button
                  type="button"
                  className={buttonClass}
                  disabled={disabled}
                  onClick={() => onRevoke(user.id, key.id)}
                >
                  {revokeLabel}
                </button>
                {key.sealedWithCurrentKey ? null : (
                  <div className="muted" data-testid="key-older-seal">
                    {olderSealLabel}
                  </div>
                )}
              </>
            )}
          </div>
        ))}
      </>
    ),
  };
}

/** A new key's secret, shown once until it is closed; `testId` names the notice. */
export function KeySecret({
  testId,
  said,
  keyIdLabel,
  secretLabel,
  doneLabel,
  id,
  secret,
  onClose,
}: {
  testId: string;
  said: string;
  keyIdLabel: string;
  secretLabel: string;
  doneLabel: string;
  id: string;
  secret: string;
  onClose: () => void;
}) {
  return (
    <div className="notice" data-testid={testId} role="status">
      <p>{said}</p>
      <p className="small">
        {keyIdLabel} <code data-testid="new-key-id">{id}</code>
      </p>
      <p className="small">
        {secretLabel} <code data-testid="new-key-secret">{secret}</code>
      </p>
      <button type="button" onClick={onClose}>
        {doneLabel}
      </button>
    </div>
  );
}
