/**
 * Who may use the exchange's interfaces: users (people, with a role and, for a member's people, their member) and
 * API keys (a user's programs, with scopes). They are journaled like everything else, so `sauda verify` covers them
 * and the audit trail shows who created, disabled or re-enabled a user, created or revoked a key, and why.
 *
 * The engine checks the commands and keeps only what checking needs (ids, roles, members, status, key owners). It
 * never sees a password or a key's secret: a password arrives already hashed and a secret already sealed (encrypted
 * with a key the engine does not hold), as opaque text the events carry on to the read model that signs people in.
 *
 * Rules: user and key ids are new ids; a trader, viewer or administrator belongs to an accredited member, an operator or regulator
 * to none; a disabled user signs in with nothing and their keys stop working; a user has at most
 * `API_KEYS_PER_USER_MAX` keys (revoked ones count: they stay on record); a revoked key stays revoked.
 *
 * Complexity: every command O(1) but `apiKey.create`, O(1) with a per-user key count.
 */

import { type Problem, problem } from "../domain/errors.ts";
import { LANGUAGES, type Language } from "../domain/locale.ts";

/**
 * A member's `administrator` manages the member's own users and API keys (and reads its accounts like a viewer); a
 * trader acts on the member's accounts; a viewer reads them. The operator and the regulator belong to no member.
 */
export const USER_ROLES = ["operator", "regulator", "trader", "viewer", "administrator"] as const;
export type UserRole = (typeof USER_ROLES)[number];
export const API_KEY_SCOPES = ["read", "trade"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const USER_ID_LENGTH_MAX = 64;
export const USER_NAME_LENGTH_MAX = 200;
/** Longest password hash or sealed secret (opaque printable ASCII). */
export const CREDENTIAL_LENGTH_MAX = 512;
export const API_KEYS_PER_USER_MAX = 100;
const REASON_LENGTH_MAX = 500;

export interface UserCreateCommand {
  readonly type: "user.create";
  readonly user: string;
  readonly name: string;
  readonly role: UserRole;
  /** The member a trader or viewer belongs to; null for an operator or regulator. */
  readonly member: string | null;
  /** The password's hash, made outside the engine (scrypt, gateway/passwords.ts). */
  readonly passwordHash: string;
  readonly reason: string;
}

export interface UserStatusCommand {
  readonly type: "user.disable" | "user.enable";
  readonly user: string;
  readonly reason: string;
}

export interface UserPasswordCommand {
  readonly type: "user.password";
  readonly user: string;
  readonly passwordHash: string;
  readonly reason: string;
}

/** Sets up (a sealed TOTP secret) or removes (null) a user's second factor for signing in. */
export interface UserSecondFactorCommand {
  readonly type: "user.secondFactor";
  readonly user: string;
  /** The TOTP secret, sealed outside the engine with the secrets key (gateway/secrets.ts); null removes it. */
  readonly secretSealed: string | null;
  readonly reason: string;
}

/**
 * Saves (one of the exchange's languages) or clears (null) the language a user chose for the exchange's pages and
 * the server's sentences to them; cleared, the request's Accept-Language decides again.
 */
export interface UserLanguageCommand {
  readonly type: "user.language";
  readonly user: string;
  readonly language: Language | null;
}

export interface ApiKeyCreateCommand {
  readonly type: "apiKey.create";
  readonly key: string;
  readonly user: string;
  readonly scopes: readonly ApiKeyScope[];
  /** The key's secret, sealed outside the engine with the secrets key (gateway/secrets.ts). */
  readonly secretSealed: string;
}

export interface ApiKeyRevokeCommand {
  readonly type: "apiKey.revoke";
  readonly key: string;
  readonly reason: string;
}

export type AccessCommand =
  | UserCreateCommand
  | UserStatusCommand
  | UserPasswordCommand
  | UserSecondFactorCommand
  | UserLanguageCommand
  | ApiKeyCreateCommand
  | ApiKeyRevokeCommand;

export const ACCESS_COMMAND_TYPES = [
  "user.create",
  "user.disable",
  "user.enable",
  "user.password",
  "user.secondFactor",
  "user.language",
  "apiKey.create",
  "apiKey.revoke",
] as const satisfies readonly AccessCommand["type"][];

export interface UserCreatedEvent {
  readonly type: "user.created";
  readonly user: string;
  readonly name: string;
  readonly role: UserRole;
  readonly member: string | null;
  readonly passwordHash: string;
  readonly reason: string;
}

export interface UserChangedEvent {
  readonly type: "user.disabled" | "user.enabled";
  readonly user: string;
  readonly reason: string;
}

export interface UserPasswordEvent {
  readonly type: "user.passwordSet";
  readonly user: string;
  readonly passwordHash: string;
  readonly reason: string;
}

export interface UserSecondFactorEvent {
  readonly type: "user.secondFactorSet";
  readonly user: string;
  /** Null: the user signs in with the password alone again. */
  readonly secretSealed: string | null;
  readonly reason: string;
}

export interface UserLanguageEvent {
  readonly type: "user.languageSet";
  readonly user: string;
  /** Null: the request's Accept-Language decides. */
  readonly language: Language | null;
}

export interface ApiKeyCreatedEvent {
  readonly type: "apiKey.created";
  readonly key: string;
  readonly user: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly secretSealed: string;
}

export interface ApiKeyRevokedEvent {
  readonly type: "apiKey.revoked";
  readonly key: string;
  readonly user: string;
  readonly reason: string;
}

export type AccessEvent =
  | UserCreatedEvent
  | UserChangedEvent
  | UserPasswordEvent
  | UserSecondFactorEvent
  | UserLanguageEvent
  | ApiKeyCreatedEvent
  | ApiKeyRevokedEvent;

interface UserState {
  readonly id: string;
  readonly role: UserRole;
  readonly member: string | null;
  disabled: boolean;
  keys: number;
}

interface KeyState {
  readonly id: string;
  readonly user: string;
  revoked: boolean;
}

export interface AccessSnapshot {
  readonly users: readonly UserState[];
  readonly keys: readonly KeyState[];
}

export class Access {
  private readonly users = new Map<string, UserState>();
  private readonly keys = new Map<string, KeyState>();

  get empty(): boolean {
    return this.users.size === 0;
  }

  /** Checks and applies an access command; returns the problem if refused (nothing changed then). */
  apply(
    command: AccessCommand,
    hasMember: (id: string) => boolean,
    out: { push(event: AccessEvent): void },
  ): Problem | null {
    switch (command.type) {
      case "user.create": {
        const c = command as Partial<Record<keyof UserCreateCommand, unknown>>;
        if (!validId(c.user)) return field("user", c.user, idRule());
        if (this.users.has(c.user)) return problem("USER_EXISTS", { id: c.user });
        if (typeof c.name !== "string" || c.name.trim() === "" || c.name.length > USER_NAME_LENGTH_MAX) {
          return field("name", c.name, `a name is 1 to ${USER_NAME_LENGTH_MAX} characters, not all white space`);
        }
        if (!USER_ROLES.includes(c.role as UserRole)) return field("role", c.role, `one of ${USER_ROLES.join(", ")}`);
        const role = c.role as UserRole;
        const ofMember = roleOfMember(role);
        if (ofMember) {
          if (!validId(c.member)) return field("member", c.member, `a ${role} belongs to a member: ${idRule()}`);
          if (!hasMember(c.member)) return problem("MEMBER_NOT_FOUND", { id: c.member });
        } else if (c.member !== null) {
          return field("member", c.member, `the ${role} belongs to no member: null`);
        }
        if (!validCredential(c.passwordHash)) return field("passwordHash", "(hidden)", credentialRule());
        const reason = checkReason(c.reason);
        if (reason) return reason;
        const member = ofMember ? (c.member as string) : null;
        this.users.set(c.user, { id: c.user, role, member, disabled: false, keys: 0 });
        out.push({
          type: "user.created",
          user: c.user,
          name: c.name,
          role,
          member,
          passwordHash: c.passwordHash,
          reason: c.reason as string,
        });
        return null;
      }
      case "user.disable":
      case "user.enable": {
        const user = this.users.get(command.user);
        if (!user) return problem("USER_NOT_FOUND", { id: showId(command.user) });
        const reason = checkReason(command.reason);
        if (reason) return reason;
        user.disabled = command.type === "user.disable";
        out.push({
          type: command.type === "user.disable" ? "user.disabled" : "user.enabled",
          user: user.id,
          reason: command.reason,
        });
        return null;
      }
      case "user.password": {
        const user = this.users.get(command.user);
        if (!user) return problem("USER_NOT_FOUND", { id: showId(command.user) });
        if (!validCredential(command.passwordHash)) return field("passwordHash", "(hidden)", credentialRule());
        const reason = checkReason(command.reason);
        if (reason) return reason;
        out.push({
          type: "user.passwordSet",
          user: user.id,
          passwordHash: command.passwordHash,
          reason: command.reason,
        });
        return null;
      }
      case "user.secondFactor": {
        const user = this.users.get(command.user);
        if (!user) return problem("USER_NOT_FOUND", { id: showId(command.user) });
        if (command.secretSealed !== null && !validCredential(command.secretSealed)) {
          return field("secretSealed", "(hidden)", `null, or ${credentialRule()}`);
        }
        const reason = checkReason(command.reason);
        if (reason) return reason;
        out.push({
          type: "user.secondFactorSet",
          user: user.id,
          secretSealed: command.secretSealed,
          reason: command.reason,
        });
        return null;
      }
      case "user.language": {
        const user = this.users.get(command.user);
        if (!user) return problem("USER_NOT_FOUND", { id: showId(command.user) });
        const language: unknown = command.language;
        if (language !== null && !(LANGUAGES as readonly unknown[]).includes(language)) {
          return field("language", language, `null, or one of ${LANGUAGES.join(", ")}`);
        }
        out.push({ type: "user.languageSet", user: user.id, language: command.language });
        return null;
      }
      case "apiKey.create": {
        const c = command as Partial<Record<keyof ApiKeyCreateCommand, unknown>>;
        if (!validId(c.key)) return field("key", c.key, idRule());
        if (this.keys.has(c.key)) return problem("API_KEY_EXISTS", { id: c.key });
        const user = typeof c.user === "string" ? this.users.get(c.user) : undefined;
        if (!user) return problem("USER_NOT_FOUND", { id: showId(c.user) });
        if (user.disabled) return problem("USER_DISABLED", { id: user.id });
        if (user.keys >= API_KEYS_PER_USER_MAX) {
          return problem("API_KEYS_LIMIT", { user: user.id, count: user.keys, max: API_KEYS_PER_USER_MAX });
        }
        const scopes = c.scopes;
        if (
          !Array.isArray(scopes) ||
          scopes.length === 0 ||
          !scopes.every((s) => API_KEY_SCOPES.includes(s)) ||
          new Set(scopes).size !== scopes.length
        ) {
          return field("scopes", scopes, `one or more of ${API_KEY_SCOPES.join(", ")}, each once`);
        }
        if (!validCredential(c.secretSealed)) return field("secretSealed", "(hidden)", credentialRule());
        // Scopes in a fixed order, so the state does not depend on how they were sent.
        const ordered = API_KEY_SCOPES.filter((s) => scopes.includes(s));
        this.keys.set(c.key, { id: c.key, user: user.id, revoked: false });
        user.keys++;
        out.push({ type: "apiKey.created", key: c.key, user: user.id, scopes: ordered, secretSealed: c.secretSealed });
        return null;
      }
      case "apiKey.revoke": {
        const key = this.keys.get(command.key);
        if (!key) return problem("API_KEY_NOT_FOUND", { id: showId(command.key) });
        const reason = checkReason(command.reason);
        if (reason) return reason;
        key.revoked = true;
        out.push({ type: "apiKey.revoked", key: key.id, user: key.user, reason: command.reason });
        return null;
      }
    }
  }

  snapshot(): AccessSnapshot {
    const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return {
      users: [...this.users.values()].map((u) => ({ ...u })).sort(byId),
      keys: [...this.keys.values()].map((k) => ({ ...k })).sort(byId),
    };
  }

  static restore(snapshot: AccessSnapshot | undefined): Access {
    const access = new Access();
    for (const u of snapshot?.users ?? []) access.users.set(u.id, { ...u });
    for (const k of snapshot?.keys ?? []) access.keys.set(k.id, { ...k });
    return access;
  }
}

/** Roles whose users belong to a member (the others, the operator and the regulator, to none). */
export function roleOfMember(role: UserRole): boolean {
  return role === "trader" || role === "viewer" || role === "administrator";
}

function validId(value: unknown): value is string {
  return (
    typeof value === "string" && value.length > 0 && value.length <= USER_ID_LENGTH_MAX && /^[\x21-\x7e]+$/.test(value)
  );
}

function idRule(): string {
  return `an id is 1 to ${USER_ID_LENGTH_MAX} printable ASCII characters without spaces`;
}

function validCredential(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.length > 0 &&
    value.length <= CREDENTIAL_LENGTH_MAX &&
    /^[\x21-\x7e]+$/.test(value)
  );
}

function credentialRule(): string {
  return `1 to ${CREDENTIAL_LENGTH_MAX} printable ASCII characters, made by the gateway`;
}

function showId(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function field(name: string, value: unknown, rule: string): Problem {
  const text = typeof value === "string" ? `'${value}'` : JSON.stringify(value ?? null);
  return problem("FIELD_INVALID", { field: name, value: text.length > 80 ? `${text.slice(0, 77)}...` : text, rule });
}

function checkReason(reason: unknown): Problem | null {
  if (typeof reason !== "string" || reason.trim() === "" || reason.length > REASON_LENGTH_MAX) {
    return field("reason", reason, `every change of access needs a reason of 1 to ${REASON_LENGTH_MAX} characters`);
  }
  return null;
}
