/**
 * Refusals of what a command was given on its command line (a path that is not there, a value out of range): said in
 * one sentence on standard error, exit code 2, and nothing made or changed. Shared so that the same mistake gets the
 * same answer from every command: a mistyped `--keys` or `--data` must not make a directory, keys or an empty journal
 * where the operator meant an existing one.
 */

import { existsSync } from "node:fs";
import { KEY_ENV } from "../journal/keys.ts";
import { sqliteFile } from "../journal/sqlite-store.ts";
import { CliUsageError } from "./usage-error.ts";

export { CliUsageError };

/**
 * Refuses a `--keys` directory given on purpose that is not there (a typo): nothing is made in its place. With
 * `keysMayBeInEnvironment`, not when the environment gives the keys: the directory then holds only the checkpoint
 * log, and a command that writes the journal makes it (docs/security.md).
 */
export function requireKeysDir(keys: string | undefined, keysMayBeInEnvironment = false): void {
  if (keysMayBeInEnvironment && Object.values(KEY_ENV).some((name) => (process.env[name] ?? "") !== "")) return;
  if (keys !== undefined && !existsSync(keys)) {
    throw new CliUsageError(`the keys directory ${keys} given with --keys does not exist`);
  }
}

/**
 * Refuses a SQLite `--data` with no journal (a typo, or the wrong directory) for a command that works on an existing
 * journal: nothing is made there. A PostgreSQL `--database` is left to the store, which names a missing schema.
 */
export function requireJournal(options: { readonly data: string; readonly database?: string | undefined }): void {
  if (options.database) return;
  const file = sqliteFile(options.data);
  if (!existsSync(file)) {
    throw new CliUsageError(
      `there is no journal at ${file} (give the exchange's data directory with --data, or --database)`,
    );
  }
}

/** Refuses a file given with `option` that is not there. */
export function requireFile(file: string | undefined, what: string, option: string): void {
  if (file !== undefined && !existsSync(file))
    throw new CliUsageError(`the ${what} ${file} given with ${option} does not exist`);
}
