/**
 * The users and API keys the gateway signs people and programs in with, built only from the journal's access events
 * (engine/access.ts): so the journal, which `sauda verify` checks and the audit trail shows, is the one place a role or
 * a key can come from. Changing a user in the database without the journal key is a broken chain, not a promotion.
 *
 * Holds each user's password hash, sealed second-factor secret and each key's sealed secret as the events carry them (opaque text; the gateway
 * checks a password against the hash and opens a secret with the secrets key, which this module never sees).
 *
 * Complexity: O(1) per event and per look-up; listing is O(users) or O(keys of one user).
 */

import type { Language } from "../domain/locale.ts";
import type { ApiKeyScope, UserRole } from "../engine/access.ts";
import type { ProjectionOutcome } from "./outcome.ts";

export interface UserRecord {
  readonly id: string;
  readonly name: string;
  readonly role: UserRole;
  /** The member of a trader or viewer; null for the operator and the regulator. */
  readonly member: string | null;
  readonly passwordHash: string;
  readonly disabled: boolean;
  /** The sealed TOTP secret of the user's second factor; null when the password alone signs in. */
  readonly secondFactorSealed: string | null;
  /** The language the user chose for pages and the server's sentences; null: the request's Accept-Language. */
  readonly language: Language | null;
}

export interface ApiKeyRecord {
  readonly id: string;
  readonly user: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly secretSealed: string;
  readonly revoked: boolean;
}

export class UserDirectory {
  private readonly usersById = new Map<string, UserRecord>();
  private readonly keysById = new Map<string, ApiKeyRecord>();
  private readonly keysByUser = new Map<string, string[]>();

  /**
   * Puts back `users` and `keys` as `users()` and `apiKeysOf` list them (a user's keys in creation order), into this
   * new directory: how a snapshot of the identity read model (gateway/identity.ts) is restored. (An instance method:
   * a static one naming the class makes the build rename it, and the read models' snapshots name their classes.)
   */
  restore(users: readonly UserRecord[], keys: readonly ApiKeyRecord[]): this {
    if (this.usersById.size > 0 || this.keysById.size > 0) throw new Error("invariant: restored into a used directory");
    for (const user of users) this.usersById.set(user.id, user);
    for (const key of keys) {
      this.keysById.set(key.id, key);
      this.keysByUser.set(key.user, [...(this.keysByUser.get(key.user) ?? []), key.id]);
    }
    return this;
  }

  apply(outcome: ProjectionOutcome): void {
    for (const event of outcome.events) {
      switch (event.type) {
        case "user.created":
          this.usersById.set(event.user, {
            id: event.user,
            name: event.name,
            role: event.role,
            member: event.member,
            passwordHash: event.passwordHash,
            disabled: false,
            secondFactorSealed: null,
            language: null,
          });
          break;
        case "user.disabled":
        case "user.enabled":
        case "user.passwordSet": {
          const user = this.usersById.get(event.user);
          if (!user) break;
          this.usersById.set(
            user.id,
            event.type === "user.passwordSet"
              ? { ...user, passwordHash: event.passwordHash }
              : { ...user, disabled: event.type === "user.disabled" },
          );
          break;
        }
        case "user.secondFactorSet": {
          const user = this.usersById.get(event.user);
          if (user) this.usersById.set(user.id, { ...user, secondFactorSealed: event.secretSealed });
          break;
        }
        case "user.languageSet": {
          const user = this.usersById.get(event.user);
          if (user) this.usersById.set(user.id, { ...user, language: event.language });
          break;
        }
        case "apiKey.created":
          this.keysById.set(event.key, {
            id: event.key,
            user: event.user,
            scopes: event.scopes,
            secretSealed: event.secretSealed,
            revoked: false,
          });
          this.keysByUser.set(event.user, [...(this.keysByUser.get(event.user) ?? []), event.key]);
          break;
        case "apiKey.revoked": {
          const key = this.keysById.get(event.key);
          if (key) this.keysById.set(key.id, { ...key, revoked: true });
          break;
        }
      }
    }
  }

  user(id: string): UserRecord | null {
    return this.usersById.get(id) ?? null;
  }

  /** All users, in id order. */
  users(): UserRecord[] {
    return [...this.usersById.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  apiKey(id: string): ApiKeyRecord | null {
    return this.keysById.get(id) ?? null;
  }

  /** A user's keys, revoked ones included, in creation order. */
  apiKeysOf(user: string): ApiKeyRecord[] {
    return (this.keysByUser.get(user) ?? []).map((id) => this.keysById.get(id)!);
  }
}
