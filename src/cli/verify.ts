/**
 * `sauda verify --data DIR` or `--database URL`: rebuilds the exchange state from the journal, checking every record's
 * place in the hash chain, that replaying each command reproduces its stored events, every stored snapshot's state
 * hash, the record hash every snapshot of the read models and of identity names (and the newest one's data hash), and —
 * with the keys — the head's and all the snapshots' MACs, and every published checkpoint against the chain.
 * Prints a summary; on the first problem, names the bad record, snapshot or checkpoint and fails.
 *
 * Keys: the MAC keys come from the environment or the keys directory (`--keys`, default `<data>-keys`); an auditor
 * without them still checks the chain, the replay and the checkpoints, and the summary says the MACs were not checked.
 * Checkpoints: the exchange's own log in the keys directory, and any file given with `--checkpoints` (for example the
 * regulator's copy, or the public endpoint's answer saved to a file), checked with the public key in the keys
 * directory or `--public-key`.
 */

import type { KeyObject } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Checkpoint, checkpointProblem, parseCheckpoints } from "../journal/checkpoints.ts";
import {
  CHECKPOINTS_FILE,
  defaultKeysDir,
  type ExchangeKeys,
  KEY_FILES,
  KeysError,
  loadKeys,
  loadVerifyingKeys,
  retiredMacKeysNote,
} from "../journal/keys.ts";
import { DEFAULT_DATA_DIR, openStore } from "../journal/open.ts";
import { HeadMacMismatchError, JournalCorruptError, verify } from "../journal/recovery.ts";
import { SQLITE_FILE_NAME } from "../journal/sqlite-store.ts";
import type { JournalStore } from "../journal/store.ts";
import { CliUsageError, requireFile, requireKeysDir } from "./usage.ts";

export interface VerifyOptions {
  readonly data?: string;
  readonly database?: string;
  readonly schema?: string;
  /** The keys directory (default `<data>-keys`). */
  readonly keys?: string;
  /** A file of published checkpoints to check the journal against (JSON lines, or the endpoint's JSON). */
  readonly checkpoints?: string;
  /** The checkpoint public key(s), PEM, when the keys directory is not at hand. */
  readonly publicKey?: string;
}

/**
 * Returns the process exit code: 0 when the journal checks out, 1 when it does not, 2 when there is no SQLite journal
 * where `--data` points (opening one would make an empty journal there, which would then "check out").
 */
export async function verifyCommand(options: VerifyOptions, write: (line: string) => void): Promise<number> {
  if (!options.database) {
    const data = options.data ?? DEFAULT_DATA_DIR;
    const file = data.endsWith(".sqlite") ? data : join(data, SQLITE_FILE_NAME);
    if (!existsSync(file)) {
      write(
        `there is no journal at ${file}: nothing to verify (give the exchange's data directory with --data, or --database)`,
      );
      return 2;
    }
  }
  const inputs = verifyInputs(options, write);
  if (inputs === null) return 1;
  // Read only: verifying a backup must leave its bytes as they were (no WAL mode turned on, no -wal file beside it).
  const store = await openStore({ ...options, readOnly: true });
  try {
    return await verifyStore(store, inputs, write);
  } finally {
    await store.close();
  }
}

/** What a journal is checked with: the MAC keys when at hand, and the published checkpoints (signatures checked). */
export interface VerifyInputs {
  readonly keys: ExchangeKeys | null;
  /** Said after the summary when the MACs cannot be checked, and why. */
  readonly macNote: string;
  readonly checkpoints: readonly Checkpoint[];
}

/**
 * Loads the keys and the checkpoints (the keys directory's log and `--checkpoints`), checking each checkpoint's
 * signature; null (after writing why) when one is bad or cannot be checked.
 */
export function verifyInputs(options: VerifyOptions, write: (line: string) => void): VerifyInputs | null {
  const keysDir = options.keys ?? defaultKeysDir(options.data ?? DEFAULT_DATA_DIR);
  // A keys directory (or a file) named on purpose that is not there is a mistake (a typo), not "no keys at hand":
  // refused as such (exit 2), and the journal is not called sound with its MACs unchecked.
  requireKeysDir(options.keys);
  requireFile(options.checkpoints, "checkpoints file", "--checkpoints");
  requireFile(options.publicKey, "public key file", "--public-key");
  let keys: ExchangeKeys | null = null;
  let macNote = "";
  try {
    keys = loadKeys(keysDir);
  } catch (error) {
    if (!(error instanceof KeysError)) throw error;
    macNote = ` (MACs not checked: ${error.message})`;
  }
  const publicKeyFile = options.publicKey ?? join(keysDir, KEY_FILES.verifying);
  const verifyingKeys: KeyObject[] = existsSync(publicKeyFile)
    ? loadVerifyingKeys(publicKeyFile)
    : [...(keys?.verifyingKeys ?? [])];
  const sources = [join(keysDir, CHECKPOINTS_FILE), ...(options.checkpoints ? [options.checkpoints] : [])];
  const checkpoints: Checkpoint[] = [];
  for (const file of sources) {
    if (file !== options.checkpoints && !existsSync(file)) continue;
    let found: Checkpoint[];
    try {
      found = parseCheckpoints(readFileSync(file, "utf8"), file);
    } catch (error) {
      // A file given on the command line that is not checkpoints is the caller's mistake; the exchange's own log
      // damaged is a finding.
      if (file === options.checkpoints) {
        throw new CliUsageError(`the checkpoints file given with --checkpoints: ${(error as Error).message}`);
      }
      write(`BAD — the exchange's checkpoint log: ${(error as Error).message}`);
      return null;
    }
    if (found.length > 0 && verifyingKeys.length === 0) {
      write(`checkpoints in ${file} cannot be checked: no public key (give --public-key)`);
      return null;
    }
    for (const checkpoint of found) {
      const problem = checkpointProblem(checkpoint, verifyingKeys);
      if (problem !== null) {
        write(`checkpoint of record ${String(checkpoint.seq)} in ${file}: BAD — ${problem}`);
        return null;
      }
      checkpoints.push(checkpoint);
    }
  }
  return { keys, macNote, checkpoints };
}

/** Verifies the journal in `store` (left open) and writes the summary; returns the exit code (0 sound, 1 not). */
export async function verifyStore(
  store: JournalStore,
  inputs: VerifyInputs,
  write: (line: string) => void,
): Promise<number> {
  const { keys, macNote, checkpoints } = inputs;
  const started = performance.now();
  try {
    const report = await verify(store, { ...(keys ? { macKeys: keys.macKeys } : {}), checkpoints });
    const seconds = (performance.now() - started) / 1000;
    write(
      `journal ${store.kind} ${store.location}: OK — ${report.records} records, ${report.snapshotsChecked} snapshots checked, ` +
        `head ${report.head?.seq ?? 0}${report.macChecked ? " (MAC checked)" : ""}, ${report.checkpointsChecked} checkpoints checked, ` +
        `state hash ${report.stateHash} (${seconds.toFixed(2)} s); snapshots derived from it checked: ` +
        `${report.derivedSnapshotsChecked.views} of the read models, ${report.derivedSnapshotsChecked.identity} of identity${macNote}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof JournalCorruptError) {
      // Keys that are not this journal's look like a forgery: where they came from is said, so a slip shows.
      const from = error instanceof HeadMacMismatchError && keys !== null ? `; ${keysSource(keys)}` : "";
      write(`journal ${store.kind} ${store.location}: BAD — ${error.message}${from}`);
      return 1;
    }
    throw error;
  }
}

function keysSource(keys: ExchangeKeys): string {
  return keys.source === "environment"
    ? "the MAC keys came from the environment"
    : `the MAC keys were read from ${keys.dir}${retiredMacKeysNote(keys.dir)}`;
}
