/**
 * Users and API keys of the exchange's web and program interfaces. They live in the journal (engine/access.ts): every
 * creation, disabling, re-enabling, password change, key creation and revocation is a command with who, when and why,
 * checked by `sauda verify`; the gateway reads them from the identity read model built from those events
 * (identity.ts, projections/users.ts), which a start restores before the other read models. Nothing about a user is
 * stored beside the journal, so a changed row cannot promote anyone.
 *
 * Roles: `operator` (runs the exchange), `regulator` (watches everything, changes only the regulator's controls),
 * `trader` (a member's person who may trade its accounts), `viewer` (a member's person who may only look). The public
 * needs no user.
 *
 * Secrets never enter the journal in the clear: passwords as scrypt hashes (made here, with this server's parameters),
 * API-key secrets sealed with the secrets key (secrets.ts), opened in memory when a signed request is checked.
 */

import { randomBytes } from "node:crypto";
import type { Language } from "../domain/locale.ts";
import { API_KEY_SCOPES, type ApiKeyScope, USER_ROLES, type UserRole } from "../engine/access.ts";
import type { CommandMeta } from "../journal/records.ts";
import type { Outcome } from "../journal/sequencer.ts";
import type { UserRecord } from "../projections/users.ts";
import { HttpProblem } from "./errors.ts";
import type { Exchange } from "./exchange.ts";
import { hashPassword, passwordProblem, RECOMMENDED_SCRYPT, type ScryptParameters } from "./passwords.ts";
import { SECOND_FACTOR_PURPOSE } from "./second-factor.ts";
import { openSecret, sealedWithCurrentKey, sealSecret } from "./secrets.ts";

export const ROLES = USER_ROLES;
export type Role = UserRole;
export const SCOPES = API_KEY_SCOPES;
export type Scope = ApiKeyScope;

export type User = UserRecord;

export interface ApiKey {
  readonly id: string;
  readonly user: string;
  readonly scopes: readonly Scope[];
  readonly revoked: boolean;
  /** Its secret is sealed with the secrets key in use; false: with an older one, so it is to be reissued. */
  readonly sealedWithCurrentKey: boolean;
}

const API_KEY_SECRET_BYTES = 32;
const API_KEY_ID_BYTES = 12;

export interface NewUser {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly member: string | null;
  readonly password: string;
  readonly reason: string;
}

export interface UsersOptions {
  /** scrypt parameters for new password hashes (and the stand-in hash of an unknown user). */
  readonly scrypt?: ScryptParameters;
}

export class Users {
  readonly scrypt: ScryptParameters;
  private readonly exchange: Exchange;
  /** Opened secrets, by key id: a signed request then costs no decryption. */
  private readonly opened = new Map<string, string>();
  /** Keys whose revocation is being journaled: a second one arriving meanwhile is refused as already revoked. */
  private readonly revoking = new Set<string>();

  constructor(exchange: Exchange, options: UsersOptions = {}) {
    this.exchange = exchange;
    this.scrypt = options.scrypt ?? RECOMMENDED_SCRYPT;
  }

  user(id: string): User | null {
    return this.exchange.identity.users.user(id);
  }

  users(): User[] {
    return this.exchange.identity.users.users();
  }

  apiKey(id: string): ApiKey | null {
    return this.view(this.exchange.identity.users.apiKey(id));
  }

  apiKeysOf(user: string): ApiKey[] {
    return this.exchange.identity.users.apiKeysOf(user).map((key) => this.view(key)!);
  }

  /** The key's secret, opened with the secrets key; null for an unknown key or one that does not open. */
  secretOf(keyId: string): string | null {
    const cached = this.opened.get(keyId);
    if (cached !== undefined) return cached;
    const key = this.exchange.identity.users.apiKey(keyId);
    if (!key) return null;
    const secret = openSecret(this.exchange.keys.secretsKeys, key.id, key.user, key.secretSealed);
    if (secret !== null) this.opened.set(keyId, secret);
    return secret;
  }

  /** The user's second-factor secret (base32), opened with the secrets key; null when none is set or it does not open. */
  secondFactorSecret(id: string): string | null {
    const sealed = this.user(id)?.secondFactorSealed ?? null;
    if (sealed === null) return null;
    return openSecret(this.exchange.keys.secretsKeys, "totp", id, sealed, SECOND_FACTOR_PURPOSE);
  }

  /** Sets up (a base32 TOTP secret, sealed here) or removes (null) the user's second factor, through the journal. */
  async setSecondFactor(id: string, secret: string | null, reason: string, meta: CommandMeta): Promise<Outcome> {
    const secretSealed =
      secret === null ? null : sealSecret(this.exchange.keys.secretsKeys, "totp", id, secret, SECOND_FACTOR_PURPOSE);
    return this.submit({ type: "user.secondFactor", user: id, secretSealed, reason }, meta);
  }

  /** Whether a sealed secret (an API key's, a second factor's) was sealed with the secrets key in use. */
  sealedWithCurrentKey(sealed: string): boolean {
    return sealedWithCurrentKey(this.exchange.keys.secretsKeys, sealed);
  }

  /** Saves (or clears, null) the language the user chose, through the journal. */
  async setLanguage(id: string, language: Language | null, meta: CommandMeta): Promise<Outcome> {
    return this.submit({ type: "user.language", user: id, language }, meta);
  }

  /** Creates a user through the journal; the password must meet the policy (passwords.ts). */
  async create(user: NewUser, meta: CommandMeta): Promise<Outcome> {
    const problem = passwordProblem(user.password, { id: user.id, name: user.name });
    if (problem !== null) throw new HttpProblem("PASSWORD_WEAK", { reason: problem });
    return this.submit(
      {
        type: "user.create",
        user: user.id,
        name: user.name,
        role: user.role,
        member: user.member,
        passwordHash: await hashPassword(user.password, this.scrypt),
        reason: user.reason,
      },
      meta,
    );
  }

  async setDisabled(id: string, disabled: boolean, reason: string, meta: CommandMeta): Promise<Outcome> {
    return this.submit({ type: disabled ? "user.disable" : "user.enable", user: id, reason }, meta);
  }

  /** Stores a new hash of `password` (a password change, or a hash re-made with this server's parameters). */
  async setPassword(id: string, password: string, reason: string, meta: CommandMeta, checkPolicy = true) {
    if (checkPolicy) {
      const problem = passwordProblem(password, { id, name: this.user(id)?.name ?? id });
      if (problem !== null) throw new HttpProblem("PASSWORD_WEAK", { reason: problem });
    }
    const passwordHash = await hashPassword(password, this.scrypt);
    return this.submit({ type: "user.password", user: id, passwordHash, reason }, meta);
  }

  /** Creates an API key for `user` with a new random secret (or the given one); the secret is returned once. */
  async createKey(
    user: string,
    scopes: readonly Scope[],
    meta: CommandMeta,
    given: { id?: string; secret?: string } = {},
  ): Promise<{ key: ApiKey; secret: string; outcome: Outcome }> {
    // A key that trades also reads (docs/membership.md): a program must be able to look up what became of an order
    // whose answer it did not hear. A viewer's key may not trade at all, which the engine says (its role's code).
    if (scopes.includes("trade") && !scopes.includes("read") && this.user(user)?.role !== "viewer") {
      throw new HttpProblem("FIELD_INVALID", {
        field: "scopes",
        value: JSON.stringify(scopes),
        rule: "a key that trades must also read: give 'read' with 'trade'",
      });
    }
    const id = given.id ?? `key-${randomBytes(API_KEY_ID_BYTES).toString("base64url")}`;
    const secret = given.secret ?? randomBytes(API_KEY_SECRET_BYTES).toString("base64url");
    const secretSealed = sealSecret(this.exchange.keys.secretsKeys, id, user, secret);
    const outcome = await this.submit({ type: "apiKey.create", key: id, user, scopes, secretSealed }, meta);
    return { key: this.apiKey(id)!, secret, outcome };
  }

  /**
   * Revokes a key once. A second revocation (a double click, a page left open, two tabs at the same moment) would
   * journal another with its own reason, so it is refused with API_KEY_ALREADY_REVOKED, also while the first is being
   * journaled: both are checked here, on the leader, before either reaches the sequencer.
   */
  async revokeKey(id: string, reason: string, meta: CommandMeta): Promise<Outcome> {
    const key = this.apiKey(id);
    if (key !== null && (key.revoked || this.revoking.has(id))) {
      throw new HttpProblem("API_KEY_ALREADY_REVOKED", { user: key.user, id });
    }
    this.revoking.add(id);
    try {
      this.opened.delete(id);
      return await this.submit({ type: "apiKey.revoke", key: id, reason }, meta);
    } finally {
      this.revoking.delete(id);
    }
  }

  private async submit(command: Parameters<Exchange["submit"]>[0], meta: CommandMeta): Promise<Outcome> {
    const outcome = await this.exchange.submit(command, meta);
    const rejected = outcome.events.find((event) => event.type === "rejected");
    if (rejected) throw new HttpProblem(rejected.code, rejected.details);
    return outcome;
  }

  private view(
    key: { id: string; user: string; scopes: readonly Scope[]; revoked: boolean; secretSealed: string } | null,
  ): ApiKey | null {
    if (key === null) return null;
    const { id, user, scopes, revoked } = key;
    return { id, user, scopes, revoked, sealedWithCurrentKey: this.sealedWithCurrentKey(key.secretSealed) };
  }
}
