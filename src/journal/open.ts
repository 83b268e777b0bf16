/**
 * Opens the journal store a deployment asks for: SQLite in a data directory (the embedded default) or PostgreSQL by
 * connection URL.
 */

import { PostgresStore } from "./postgres-store.ts";
import { SqliteStore } from "./sqlite-store.ts";
import type { JournalStore, StoreKeys } from "./store.ts";

export const DEFAULT_DATA_DIR = "./data";

export interface StoreLocation {
  /** A directory for the SQLite journal. */
  readonly data?: string | undefined;
  /** A PostgreSQL URL (postgres://...). Wins over `data`. */
  readonly database?: string | undefined;
  /** PostgreSQL schema holding the tables. */
  readonly schema?: string | undefined;
  /** SQLite: open the files read-only, changing nothing (`SqliteStore`'s `readOnly`); PostgreSQL: no effect. */
  readonly readOnly?: boolean | undefined;
}

export async function openStore(location: StoreLocation, keys: StoreKeys = {}): Promise<JournalStore> {
  if (location.database) {
    if (!/^postgres(ql)?:\/\//.test(location.database)) {
      throw new Error(`database URL must start with postgres:// or postgresql://, got '${location.database}'`);
    }
    return PostgresStore.open(location.database, location.schema ?? "sauda", keys);
  }
  return new SqliteStore(location.data ?? DEFAULT_DATA_DIR, keys, { readOnly: location.readOnly === true });
}
