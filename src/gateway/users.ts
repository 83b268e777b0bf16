/**
 * Users and API keys of the exchange's web and program interfaces, kept beside the journal (same SQLite file or
 * PostgreSQL schema, their own tables). Users are people; an API key belongs to a user and acts with that user's role
 * and member, limited to its scopes.
 *
 * Roles: `operator` (runs the exchange), `regulator` (watches everything, changes only the regulator's controls),
 * `trader` (a member's person who may trade its accounts), `viewer` (a member's person who may only look). The public
 * needs no user.
 *
 * API key secrets are stored as given: the server needs them to check HMAC signatures. Passwords are stored only as
 * scrypt hashes.
 */

import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { SQLITE_FILE_NAME } from "../journal/sqlite-store.ts";

export const ROLES = ["operator", "regulator", "trader", "viewer"] as const;
export type Role = (typeof ROLES)[number];
export const SCOPES = ["read", "trade"] as const;
export type Scope = (typeof SCOPES)[number];

export interface User {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  /** The member a trader or viewer belongs to; null for the operator and the regulator. */
  readonly member: string | null;
  readonly passwordHash: string;
  readonly disabled: boolean;
}

export interface ApiKey {
  readonly id: string;
  readonly user: string;
  readonly secret: string;
  readonly scopes: readonly Scope[];
  readonly revoked: boolean;
}

export interface UserStore {
  user(id: string): Promise<User | null>;
  users(): Promise<User[]>;
  putUser(user: User): Promise<void>;
  apiKey(id: string): Promise<ApiKey | null>;
  apiKeysOf(user: string): Promise<ApiKey[]>;
  putApiKey(key: ApiKey): Promise<void>;
  close(): Promise<void>;
}

interface UserRow {
  id: string;
  name: string;
  role: Role;
  member: string | null;
  password_hash: string;
  disabled: number | boolean;
}

interface KeyRow {
  id: string;
  user_id: string;
  secret: string;
  scopes: string;
  revoked: number | boolean;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  name: row.name,
  role: row.role,
  member: row.member,
  passwordHash: row.password_hash,
  disabled: Boolean(row.disabled),
});

const toKey = (row: KeyRow): ApiKey => ({
  id: row.id,
  user: row.user_id,
  secret: row.secret,
  scopes: row.scopes.split(",").filter(Boolean) as Scope[],
  revoked: Boolean(row.revoked),
});

export class SqliteUserStore implements UserStore {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    const file = join(dataDir, SQLITE_FILE_NAME);
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS users (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, member TEXT,
        password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS api_keys (
        id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), secret TEXT NOT NULL,
        scopes TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0
      );
    `);
  }

  async user(id: string): Promise<User | null> {
    const row = this.db.prepare("SELECT * FROM users WHERE id = ?").get(id) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async users(): Promise<User[]> {
    return (this.db.prepare("SELECT * FROM users ORDER BY id").all() as UserRow[]).map(toUser);
  }

  async putUser(user: User): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO users (id, name, role, member, password_hash, disabled) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, member = excluded.member,
           password_hash = excluded.password_hash, disabled = excluded.disabled`,
      )
      .run(user.id, user.name, user.role, user.member, user.passwordHash, user.disabled ? 1 : 0);
  }

  async apiKey(id: string): Promise<ApiKey | null> {
    const row = this.db.prepare("SELECT * FROM api_keys WHERE id = ?").get(id) as KeyRow | undefined;
    return row ? toKey(row) : null;
  }

  async apiKeysOf(user: string): Promise<ApiKey[]> {
    return (this.db.prepare("SELECT * FROM api_keys WHERE user_id = ? ORDER BY id").all(user) as KeyRow[]).map(toKey);
  }

  async putApiKey(key: ApiKey): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO api_keys (id, user_id, secret, scopes, revoked) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET scopes = excluded.scopes, revoked = excluded.revoked`,
      )
      .run(key.id, key.user, key.secret, key.scopes.join(","), key.revoked ? 1 : 0);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

export class PostgresUserStore implements UserStore {
  private constructor(
    private readonly client: pg.Client,
    private readonly schema: string,
  ) {}

  static async open(url: string, schema: string): Promise<PostgresUserStore> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const store = new PostgresUserStore(client, schema);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${store.t("users")} (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, member TEXT,
        password_hash TEXT NOT NULL, disabled BOOLEAN NOT NULL DEFAULT FALSE
      );
      CREATE TABLE IF NOT EXISTS ${store.t("api_keys")} (
        id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES ${store.t("users")}(id), secret TEXT NOT NULL,
        scopes TEXT NOT NULL, revoked BOOLEAN NOT NULL DEFAULT FALSE
      );
    `);
    return store;
  }

  private t(name: string): string {
    return `"${this.schema}"."${name}"`;
  }

  async user(id: string): Promise<User | null> {
    const result = await this.client.query(`SELECT * FROM ${this.t("users")} WHERE id = $1`, [id]);
    return result.rows[0] ? toUser(result.rows[0] as UserRow) : null;
  }

  async users(): Promise<User[]> {
    const result = await this.client.query(`SELECT * FROM ${this.t("users")} ORDER BY id`);
    return (result.rows as UserRow[]).map(toUser);
  }

  async putUser(user: User): Promise<void> {
    await this.client.query(
      `INSERT INTO ${this.t("users")} (id, name, role, member, password_hash, disabled) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role, member = EXCLUDED.member,
         password_hash = EXCLUDED.password_hash, disabled = EXCLUDED.disabled`,
      [user.id, user.name, user.role, user.member, user.passwordHash, user.disabled],
    );
  }

  async apiKey(id: string): Promise<ApiKey | null> {
    const result = await this.client.query(`SELECT * FROM ${this.t("api_keys")} WHERE id = $1`, [id]);
    return result.rows[0] ? toKey(result.rows[0] as KeyRow) : null;
  }

  async apiKeysOf(user: string): Promise<ApiKey[]> {
    const result = await this.client.query(`SELECT * FROM ${this.t("api_keys")} WHERE user_id = $1 ORDER BY id`, [
      user,
    ]);
    return (result.rows as KeyRow[]).map(toKey);
  }

  async putApiKey(key: ApiKey): Promise<void> {
    await this.client.query(
      `INSERT INTO ${this.t("api_keys")} (id, user_id, secret, scopes, revoked) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET scopes = EXCLUDED.scopes, revoked = EXCLUDED.revoked`,
      [key.id, key.user, key.secret, key.scopes.join(","), key.revoked],
    );
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
