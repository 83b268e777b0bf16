/**
 * Whether a server runs on a SQLite journal: every `sauda serve` process on it, leader or standby, holds a shared lock
 * on a small SQLite file beside the journal (`sauda.sqlite-serving`) for as long as it runs; a command that must run
 * with no server (`sauda keys rotate-mac`, `sauda user create`) takes the exclusive lock on that file, which SQLite
 * refuses at once while any server holds the shared one, and holds it until the command ends, so that no server starts
 * meanwhile. Without it `keys rotate-mac` rotated the key under a running server, which went on signing with the old
 * key: the journal then failed verification and no start was possible.
 *
 * The locks are POSIX locks SQLite takes on the file (a read transaction kept open holds the shared one; the file is in
 * rollback-journal mode, where a reader's lock excludes a writer's); the operating system drops them when their process
 * ends, however it ends. Local file systems only, as the leader's lock (sqlite-leadership.ts).
 */

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { DATA_DIRECTORY_MODE } from "./sqlite-store.ts";

/** The file beside a journal file `x.sqlite`: `x.sqlite-serving`. */
export const SERVING_FILE_SUFFIX = "-serving";

/** How long a server's start waits for a command that holds the exclusive lock (one that is ending). */
const SERVER_WAIT_MS = 2_000;

/** Why a command or a server cannot have the journal now; `code` is stable. */
export class JournalInUseError extends Error {
  constructor(
    readonly code: "SAUDA_SERVER_RUNNING" | "SAUDA_COMMAND_RUNNING",
    message: string,
  ) {
    super(message);
  }
}

function open(journalFile: string, timeoutMs: number): Database.Database {
  mkdirSync(dirname(journalFile), { recursive: true, mode: DATA_DIRECTORY_MODE });
  const db = new Database(`${journalFile}${SERVING_FILE_SUFFIX}`, { timeout: timeoutMs });
  // A table, so that a read reads the file (an empty file has nothing to lock).
  db.exec("CREATE TABLE IF NOT EXISTS serving (id INTEGER PRIMARY KEY)");
  return db;
}

function busy(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}

/** A lock held on the serving file; `release` gives it up (also when the process ends). */
export interface ServingLock {
  release(): void;
}

/**
 * Holds the shared lock for a server on `journalFile` (sqlite-store.ts `sqliteFile`). Throws `JournalInUseError`
 * (`SAUDA_COMMAND_RUNNING`) while a command that needs the server stopped holds the exclusive one.
 */
export function holdForServer(journalFile: string): ServingLock {
  let db: Database.Database | null = null;
  try {
    db = open(journalFile, SERVER_WAIT_MS);
    db.exec("BEGIN");
    db.prepare("SELECT count(*) FROM serving").get();
  } catch (error) {
    db?.close();
    if (busy(error)) {
      throw new JournalInUseError(
        "SAUDA_COMMAND_RUNNING",
        `a command that needs the server stopped (sauda keys rotate-mac, sauda user create) is running on ${journalFile}: start the server once it has ended`,
      );
    }
    throw error;
  }
  const held = db;
  return {
    release: () => {
      if (held.open) held.close();
    },
  };
}

/**
 * Takes the exclusive lock for `command` (its name, for the message), which needs every server on `journalFile`
 * stopped. Throws `JournalInUseError` (`SAUDA_SERVER_RUNNING`) at once while a server, leader or standby, runs on it.
 */
export function holdWithServersStopped(journalFile: string, command: string): ServingLock {
  let db: Database.Database | null = null;
  try {
    db = open(journalFile, 0);
    db.exec("BEGIN EXCLUSIVE");
  } catch (error) {
    db?.close();
    if (busy(error)) {
      throw new JournalInUseError(
        "SAUDA_SERVER_RUNNING",
        `a sauda server (leader or standby) is running on ${journalFile}: stop every server on this data directory before ${command}`,
      );
    }
    throw error;
  }
  const held = db;
  return {
    release: () => {
      if (held.open) held.close();
    },
  };
}
