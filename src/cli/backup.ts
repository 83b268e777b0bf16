/**
 * `sauda backup` and `sauda restore-point` (docs/operations.md, "Backups and point-in-time recovery").
 *
 * `sauda backup --data DIR --to FILE`: an online copy of the SQLite journal while the server runs (journal/backup.ts),
 * then `sauda verify` over the copy, against the checkpoints that had been published when the copy began (every one
 * of them is at or before the copy's head; those signed later are not the copy's to hold).
 *
 * `sauda restore-point --database URL --name NAME`: a named restore point in PostgreSQL's WAL with the journal head it
 * falls at, the target of a point-in-time recovery (`recovery_target_name`).
 */

import { BackupError, backupSqlite, restorePoint, sealSqliteCopy } from "../journal/backup.ts";
import { DEFAULT_DATA_DIR, openStore } from "../journal/open.ts";
import { verifyInputs, verifyStore } from "./verify.ts";

export interface BackupOptions {
  readonly data?: string;
  readonly database?: string;
  readonly to: string;
  readonly keys?: string;
  /** `--no-verify` sets it false. */
  readonly verify: boolean;
}

/** Returns the exit code: 0 the backup is made (and verified), 1 the copy does not verify. */
export async function backupCommand(options: BackupOptions, write: (line: string) => void): Promise<number> {
  if (options.database !== undefined) {
    throw new BackupError(
      "a PostgreSQL journal is backed up with PostgreSQL's own tools (pg_basebackup and archived WAL, docs/operations.md); " +
        "`sauda restore-point` marks a moment to recover to",
    );
  }
  const data = options.data ?? DEFAULT_DATA_DIR;
  // The checkpoints are read before the copy starts: each was signed on a durable head, so the copy holds it.
  const inputs = options.verify
    ? verifyInputs({ data, ...(options.keys === undefined ? {} : { keys: options.keys }) }, write)
    : null;
  if (options.verify && inputs === null) return 1;
  const started = performance.now();
  const copy = await backupSqlite(data, options.to);
  write(
    `backup ${copy.file}: journal head ${copy.seq}, ${copy.pages} pages, copied in ${((performance.now() - started) / 1000).toFixed(2)} s`,
  );
  if (inputs === null) return 0;
  const store = await openStore({ data: copy.file });
  try {
    return await verifyStore(store, inputs, write);
  } finally {
    await store.close();
    sealSqliteCopy(copy.file); // opening it for verify turned WAL mode back on
  }
}

export interface RestorePointOptions {
  readonly database?: string;
  readonly schema: string;
  readonly name?: string;
}

export async function restorePointCommand(
  options: RestorePointOptions,
  write: (line: string) => void,
  now: () => Date = () => new Date(),
): Promise<number> {
  if (options.database === undefined) {
    throw new BackupError(
      "restore points are PostgreSQL's (--database URL); a SQLite journal is backed up with `sauda backup`",
    );
  }
  const name =
    options.name ??
    `sauda-${now()
      .toISOString()
      .replace(/[-:]|\.\d+/g, "")}`;
  const point = await restorePoint(options.database, options.schema, name);
  write(
    `restore point ${point.name} at LSN ${point.lsn}, ${point.time}: journal head ${point.seq}` +
      (point.hash === null ? "" : ` (hash ${point.hash})`),
  );
  return 0;
}
