/**
 * What the operator's users page and the member's administrator's users panel both show: a user's row header (id
 * and name), the user's API keys each with a button that revokes it, and a new key's secret, shown once.
 */

export interface KeyRow {
  readonly id: string;
  readonly scopes: readonly string[];
  readonly revoked: boolean;
}

/** A user's row header: the id, and the name under it. */
export function UserHeader({ id, name }: { id: string; name: string }) {
  return (
    <th scope="row">
      {id}
      <div className="small muted">{name}</div>
    </th>
  );
}

/** A user's keys cell: each key with its scopes, and "revoked" or a button that revokes it. */
export function KeysCell({
  keys,
  scopeNames,
  revokedLabel,
  revokedTestId,
  revokeLabel,
  buttonClass,
  disabled,
  onRevoke,
}: {
  keys: readonly KeyRow[];
  scopeNames: (scopes: readonly string[]) => string;
  revokedLabel: string;
  revokedTestId?: string;
  revokeLabel: string;
  buttonClass: string;
  disabled: boolean;
  onRevoke: (key: string) => void;
}) {
  return (
    <td className="small">
      {keys.length === 0 ? "—" : null}
      {keys.map((key) => (
        <div key={key.id} data-key={key.id}>
          <code>{key.id}</code> ({scopeNames(key.scopes)}){" "}
          {key.revoked ? (
            <span className="muted" data-testid={revokedTestId}>
              {revokedLabel}
            </span>
          ) : (
            <button type="button" className={buttonClass} disabled={disabled} onClick={() => onRevoke(key.id)}>
              {revokeLabel}
            </button>
          )}
        </div>
      ))}
    </td>
  );
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
