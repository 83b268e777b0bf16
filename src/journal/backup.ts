/**
 * Backups of the journal, taken while the server runs.
 *
 * SQLite: `backupSqlite` copies the journal file with SQLite's online backup API (better-sqlite3 `backup`) over a
 * read-only connection of its own. The copy is made in one backup step, that is inside one read transaction: in WAL
 * mode the server's writer goes on committing beside it, and the copy is the journal exactly as it was at one commit
 * (records and head together), never half a batch. The snapshots file beside it (`snapshotsFile`) is copied the same
 * way just before: every snapshot is saved after the record it is at is durable, so each snapshot copied is at or
 * before the copied journal's head. Each copy is written to `<file>.partial` and renamed when complete, the journal's
 * last, so a journal file under the final name is always a whole backup.
 *
 * PostgreSQL: backups are PostgreSQL's own (pg_basebackup plus archived WAL, docs/operations.md); `restorePoint` adds a
 * named restore point (`pg_create_restore_point`) at a moment when the journal's head is known exactly, so a
 * point-in-time recovery to that name ends the journal at that record: no append commits between reading the head
 * and writing the restore point, because the head's table is locked (EXCLUSIVE: reads go on, appends wait) for the
 * few milliseconds in between.
 */

import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { DATA_DIRECTORY_MODE, SQLITE_FILE_NAME, snapshotsFile } from "./sqlite-store.ts";

/** A backup was asked for wrongly (no journal there, the target exists, a bad restore-point name). */
export class BackupError extends Error {
  override name = "BackupError";
}

/** The SQLite file of a data directory, or the file itself when the path names one (`*.sqlite`). */
export function sqliteFile(dataDirOrFile: string): string {
  return dataDirOrFile.endsWith(".sqlite") ? dataDirOrFile : join(dataDirOrFile, SQLITE_FILE_NAME);
}

export interface SqliteBackup {
  /** The file written. */
  readonly file: string;
  /** Pages copied (of the source's page size). */
  readonly pages: number;
  /** The copy's journal head (0: empty). */
  readonly seq: number;
}

/** Pages to copy in the step after the first: all of them, so the copy is one read transaction. */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the SQLite journal at `source` (a data directory or a .sqlite file) to `target` (a .sqlite file, or a
 * directory that becomes a data directory holding sauda.sqlite), consistently, while a server may be writing it.
 * Refuses to overwrite an existing file.
 */
export async function backupSqlite(source: string, target: string): Promise<SqliteBackup> {
  const from = sqliteFile(source);
  const to = sqliteFile(target);
  if (!existsSync(from)) throw new BackupError(`there is no journal at ${from}`);
  if (existsSync(to)) throw new BackupError(`${to} exists already; a backup never overwrites a file`);
  if (existsSync(snapshotsFile(to))) {
    throw new BackupError(`${snapshotsFile(to)} exists already; a backup never overwrites a file`);
  }
  if (!target.endsWith(".sqlite")) mkdirSync(target, { recursive: true, mode: DATA_DIRECTORY_MODE });
  else if (!existsSync(dirname(to))) {
    throw new BackupError(`the directory ${dirname(to)} does not exist: make it first, or give --to a directory`);
  }
  // The snapshots first: each of them is then at or before the journal's head copied after them.
  if (existsSync(snapshotsFile(from))) await copySqliteFile(snapshotsFile(from), snapshotsFile(to));
  const pages = await copySqliteFile(from, to);
  return { file: to, pages, seq: sealSqliteCopy(to) };
}

/** Copies one SQLite file in one read transaction to `<to>.partial`, seals it and renames it to `to`; its pages. */
async function copySqliteFile(from: string, to: string): Promise<number> {
  const partial = `${to}.partial`;
  rmSync(partial, { force: true });
  const db = new Database(from, { readonly: true, fileMustExist: true });
  try {
    const progress = await db.backup(partial, { progress: () => ALL_PAGES });
    sealFile(partial);
    renameSync(partial, to);
    return progress.totalPages;
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
}

/** What PostgreSQL accepts as a restore point's name, kept to plain characters so it can be written in a config. */
const RESTORE_POINT_NAME = /^[A-Za-z0-9_.:-]{1,63}$/;
const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

export interface RestorePoint {
  readonly name: string;
  /** The restore point's WAL position, e.g. `0/3000128` (also usable as `recovery_target_lsn`). */
  readonly lsn: string;
  /** The journal's head at the restore point: a recovery to it ends the journal exactly here (0: empty). */
  readonly seq: number;
  readonly hash: string | null;
  /** The database server's clock when the point was made (ISO 8601, UTC). */
  readonly time: string;
}

/**
 * Creates a named restore point in the PostgreSQL journal's WAL with the journal head it falls at (see the file's
 * comment). Needs `wal_level` replica or logical and a user allowed to run `pg_create_restore_point` (a superuser,
 * or one granted EXECUTE on it).
 */
export async function restorePoint(url: string, schema: string, name: string): Promise<RestorePoint> {
  if (!RESTORE_POINT_NAME.test(name)) {
    throw new BackupError(`restore point name '${name}' must be 1 to 63 letters, digits, '_', '.', ':' or '-'`);
  }
  if (!SCHEMA_NAME_PATTERN.test(schema))
    throw new BackupError(`schema name '${schema}' is not a plain lower-case name`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    try {
      const head = `"${schema}"."journal_head"`;
      const exists = await client.query("SELECT to_regclass($1) AS table", [head]);
      if ((exists.rows[0] as { table: string | null }).table === null) {
        throw new BackupError(`there is no sauda journal in schema ${schema}`);
      }
      await client.query(`LOCK TABLE ${head} IN EXCLUSIVE MODE`);
      const rows = await client.query(`SELECT seq, hash FROM ${head} WHERE id = 1`);
      const row = rows.rows[0] as { seq: string; hash: string } | undefined;
      const made = await client.query(
        "SELECT pg_create_restore_point($1)::text AS lsn, to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS time",
        [name],
      );
      await client.query("COMMIT");
      const { lsn, time } = made.rows[0] as { lsn: string; time: string };
      return { name, lsn, seq: row ? Number(row.seq) : 0, hash: row?.hash ?? null, time };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  } finally {
    await client.end();
  }
}

/**
 * Makes a copy self-contained files: rollback-journal mode instead of WAL (whatever a WAL file held is checkpointed
 * into its file and the -wal and -shm files removed), so copying the journal's file and its snapshots file elsewhere
 * copies all of them. A server started on them switches them back to WAL. Returns the journal's head (0: empty).
 */
export function sealSqliteCopy(file: string): number {
  if (existsSync(snapshotsFile(file))) sealFile(snapshotsFile(file));
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma("journal_mode = DELETE");
    const row = db.prepare("SELECT seq FROM journal_head WHERE id = 1").get() as { seq: number } | undefined;
    return row?.seq ?? 0;
  } finally {
    db.close();
  }
}

/** Switches one SQLite file to rollback-journal mode (`sealSqliteCopy`). */
function sealFile(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma("journal_mode = DELETE");
  } finally {
    db.close();
  }
}
