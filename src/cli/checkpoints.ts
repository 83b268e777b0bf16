/**
 * `sauda checkpoints set-aside`: after a restore of an older copy of the journal (docs/operations.md, "Restoring a
 * SQLite backup"), moves the checkpoints of the exchange's own log that lie beyond the restored journal's head out of
 * `checkpoints.jsonl` into a file of their own, so that the copy can be verified and started. Nothing is deleted: the
 * lines are moved byte for byte, and the file they go to records what the restore lost (the regulator's copy still
 * holds them, and shows the same gap).
 *
 * Only a journal cut short is helped: the journal is first checked as a start checks it (hash chain, head MAC) against
 * the checkpoints that are kept, so a journal whose records were rewritten (a kept checkpoint names another hash) is
 * refused and nothing is moved. Runs only while no server runs on the journal (`withServersStopped`).
 */

import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Checkpoint, parseCheckpoints } from "../journal/checkpoints.ts";
import { CHECKPOINTS_FILE, defaultKeysDir, loadKeys } from "../journal/keys.ts";
import { openStore } from "../journal/open.ts";
import { JournalCorruptError, recover } from "../journal/recovery.ts";
import { withServersStopped } from "./servers-stopped.ts";
import { requireJournal, requireKeysDir } from "./usage.ts";

export interface SetAsideOptions {
  readonly data: string;
  readonly database?: string;
  readonly schema: string;
  readonly keys?: string;
  /** Where the lines go (default `checkpoints.set-aside-<time>.jsonl` in the keys directory); never overwritten. */
  readonly to?: string;
}

export class CheckpointsCommandError extends Error {}

export async function setAsideCommand(
  options: SetAsideOptions,
  write: (line: string) => void,
  nowMs: () => number = Date.now,
): Promise<number> {
  // A mistyped path is refused before anything is made there.
  requireKeysDir(options.keys);
  requireJournal(options);
  // A server running on would go on signing checkpoints into the log while it is rewritten.
  return withServersStopped(
    options,
    "sauda checkpoints set-aside",
    (message) => new CheckpointsCommandError(message),
    () => setAside(options, write, nowMs),
  );
}

interface LogLine {
  readonly text: string;
  readonly checkpoint: Checkpoint;
}

async function setAside(options: SetAsideOptions, write: (line: string) => void, nowMs: () => number) {
  const dir = options.keys ?? defaultKeysDir(options.data);
  const file = join(dir, CHECKPOINTS_FILE);
  if (!existsSync(file))
    throw new CheckpointsCommandError(`there is no checkpoint log at ${file}: nothing to set aside`);
  const lines: LogLine[] = [];
  for (const text of readFileSync(file, "utf8").split("\n")) {
    if (text.trim() === "") continue;
    const [checkpoint] = parseCheckpoints(text, file);
    if (checkpoint === undefined || !Number.isSafeInteger(checkpoint.seq)) {
      throw new CheckpointsCommandError(`${file} has a line that is not a checkpoint: ${text.slice(0, 80)}`);
    }
    lines.push({ text, checkpoint });
  }
  const keys = loadKeys(dir);
  const store = await openStore(
    options.database ? { database: options.database, schema: options.schema } : { data: options.data },
  );
  let headSeq: number;
  try {
    headSeq = (await store.head())?.seq ?? 0;
    const kept = lines.filter((line) => line.checkpoint.seq <= headSeq).map((line) => line.checkpoint);
    try {
      // As a start checks it, against the checkpoints that stay: a rewritten journal is refused here.
      await recover(store, { macKeys: keys.macKeys, checkpoints: kept });
    } catch (error) {
      if (!(error instanceof JournalCorruptError)) throw error;
      throw new CheckpointsCommandError(
        `the journal does not check out against the checkpoints up to its head ${headSeq}, so it was not only cut short; nothing set aside: ${error.message}`,
      );
    }
  } finally {
    await store.close();
  }
  const beyond = lines.filter((line) => line.checkpoint.seq > headSeq);
  if (beyond.length === 0) {
    write(`nothing to set aside: every checkpoint in ${file} is at or before the journal's head ${headSeq}`);
    return 0;
  }
  const stamp = new Date(nowMs()).toISOString().replace(/[:.]/g, "-");
  const to = options.to ?? join(dir, `checkpoints.set-aside-${stamp}.jsonl`);
  // The set-aside lines are written first and never over another file: a crash before the log is rewritten leaves
  // them in both places, which a second run puts right.
  try {
    writeFileSync(to, `${beyond.map((line) => line.text).join("\n")}\n`, { flag: "wx", mode: 0o644 });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "EEXIST")
      throw new CheckpointsCommandError(`${to} exists already; the lines are never written over a file`);
    if (code === "ENOENT") throw new CheckpointsCommandError(`the directory of ${to} does not exist: make it first`);
    throw error;
  }
  const keptText = lines.filter((line) => line.checkpoint.seq <= headSeq).map((line) => `${line.text}\n`);
  writeFileSync(`${file}.tmp`, keptText.join(""), { mode: 0o644 });
  renameSync(`${file}.tmp`, file);
  const seqs = beyond.map((line) => line.checkpoint.seq);
  const times = beyond.map((line) => line.checkpoint.signedAtMs);
  write(
    `set aside ${beyond.length} checkpoints beyond the journal's head ${headSeq} (records ${Math.min(...seqs)}–${Math.max(...seqs)}, ` +
      `signed ${new Date(Math.min(...times)).toISOString()} – ${new Date(Math.max(...times)).toISOString()}) into ${to}; ` +
      `${file} keeps ${keptText.length}. Keep that file: it records what the restore lost. Tell the regulator, whose copy still holds them.`,
  );
  return 0;
}
