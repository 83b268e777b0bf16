/**
 * Signed head checkpoints: the exchange signs its journal head (seq and chain hash) with its Ed25519 key from time to
 * time and publishes it (the public endpoint, the regulator's copy, and its own log beside the keys). A checkpoint
 * cannot be taken back: anyone holding one can later show that a journal which no longer has that hash at that seq,
 * or which ends before it, was rolled back or rewritten, even by someone who held the database and the MAC key.
 *
 * Signed text: `sauda checkpoint\nseq\nhash\nsignedAtMs` (UTF-8), Ed25519, signature in base64. `keyId` names the
 * public key (keys.ts `publicKeyId`), so a checkpoint signed before a key rotation stays checkable.
 *
 * The log (`checkpoints.jsonl`) is one JSON checkpoint per line, appended, newest last.
 */

import { createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CHECKPOINTS_FILE, type ExchangeKeys, publicKeyId } from "./keys.ts";
import type { JournalHead } from "./records.ts";

/** Sign a checkpoint after this many new records... */
export const CHECKPOINT_EVERY_RECORDS = 10_000;
/** ...or after this long, when the head has moved. */
export const CHECKPOINT_EVERY_MS = 60_000;
/** Most checkpoints read from one file (a year of one a minute is about 525,600). */
export const CHECKPOINTS_READ_MAX = 2_000_000;

export interface Checkpoint {
  readonly seq: number;
  readonly hash: string;
  readonly signedAtMs: number;
  readonly keyId: string;
  readonly signature: string;
}

function signedText(seq: number, hash: string, signedAtMs: number): Buffer {
  return Buffer.from(`sauda checkpoint\n${seq}\n${hash}\n${signedAtMs}`, "utf8");
}

export function signCheckpoint(signingKey: KeyObject, head: JournalHead, signedAtMs: number): Checkpoint {
  return {
    seq: head.seq,
    hash: head.hash,
    signedAtMs,
    keyId: publicKeyId(createPublicKey(signingKey)),
    signature: sign(null, signedText(head.seq, head.hash, signedAtMs), signingKey).toString("base64"),
  };
}

/** Null when the checkpoint is well formed and signed by one of `keys`; otherwise what is wrong with it. */
export function checkpointProblem(checkpoint: Checkpoint, keys: readonly KeyObject[]): string | null {
  const c = checkpoint as Partial<Record<keyof Checkpoint, unknown>>;
  if (!Number.isSafeInteger(c.seq) || (c.seq as number) < 1) return "its seq is not a record number";
  if (typeof c.hash !== "string" || !/^[0-9a-f]{64}$/.test(c.hash)) return "its hash is not 64 hex digits";
  if (!Number.isSafeInteger(c.signedAtMs)) return "its time is not a whole number of ms";
  if (typeof c.signature !== "string") return "it has no signature";
  const key = keys.find((k) => publicKeyId(k) === c.keyId);
  if (!key) return `it is signed by key ${String(c.keyId)}, which is not one of the exchange's checkpoint keys`;
  const text = signedText(c.seq as number, c.hash, c.signedAtMs as number);
  return verify(null, text, key, Buffer.from(c.signature, "base64")) ? null : "its signature does not verify";
}

/** Parses checkpoints from JSON lines, a JSON array, or the public endpoint's `{ checkpoints: [...] }`. */
export function parseCheckpoints(text: string, where: string): Checkpoint[] {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  let items: unknown[];
  if (trimmed.startsWith("[") || trimmed.startsWith('{"checkpoints"') || /^\{\s*"publicKeys"/.test(trimmed)) {
    const parsed = JSON.parse(trimmed) as unknown;
    items = Array.isArray(parsed) ? parsed : ((parsed as { checkpoints?: unknown[] }).checkpoints ?? []);
  } else {
    items = [];
    for (const [index, line] of trimmed.split("\n").entries()) {
      if (line.trim() === "") continue;
      try {
        items.push(JSON.parse(line));
      } catch {
        throw new Error(`${where} line ${index + 1} is not JSON`);
      }
    }
  }
  if (items.length > CHECKPOINTS_READ_MAX) {
    throw new Error(`${where} holds ${items.length} checkpoints, the most read is ${CHECKPOINTS_READ_MAX}`);
  }
  return items as Checkpoint[];
}

/** The exchange's own log of the checkpoints it published, in the keys directory. */
export class CheckpointLog {
  readonly file: string;
  private readonly entries: Checkpoint[];

  constructor(keysDir: string) {
    this.file = join(keysDir, CHECKPOINTS_FILE);
    this.entries = existsSync(this.file) ? parseCheckpoints(readFileSync(this.file, "utf8"), this.file) : [];
  }

  all(): readonly Checkpoint[] {
    return this.entries;
  }

  latest(): Checkpoint | null {
    return this.entries[this.entries.length - 1] ?? null;
  }

  /**
   * Appends a checkpoint. Not fsync'd: this log guards against someone who can change only the database; losing its
   * last line in a machine crash loses one anchor, and the copies published to the regulator are the ones that count.
   */
  append(checkpoint: Checkpoint): void {
    // The keys directory may not exist when the keys come from the environment: the log is still kept there.
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    appendFileSync(this.file, `${JSON.stringify(checkpoint)}\n`, { mode: 0o644 });
    this.entries.push(checkpoint);
  }
}

/**
 * Decides when to sign: after `CHECKPOINT_EVERY_RECORDS` records, or `CHECKPOINT_EVERY_MS` after the last checkpoint
 * when the head has moved since; and on request (at start and at a clean stop).
 */
export class Checkpointer {
  private readonly log: CheckpointLog;
  private readonly keys: ExchangeKeys;
  private readonly listeners: ((checkpoint: Checkpoint) => void)[] = [];

  constructor(keys: ExchangeKeys, log: CheckpointLog = new CheckpointLog(keys.dir)) {
    this.keys = keys;
    this.log = log;
  }

  get published(): readonly Checkpoint[] {
    return this.log.all();
  }

  /** Called after each durable batch. */
  maybeSign(head: JournalHead, nowMs: number): Checkpoint | null {
    const last = this.log.latest();
    if (last !== null && head.seq <= last.seq) return null;
    const due =
      last === null ||
      head.seq - last.seq >= CHECKPOINT_EVERY_RECORDS ||
      nowMs - last.signedAtMs >= CHECKPOINT_EVERY_MS;
    return due ? this.sign(head, nowMs) : null;
  }

  /** Signs the head now unless the newest checkpoint already names it. */
  sign(head: JournalHead, nowMs: number): Checkpoint | null {
    const last = this.log.latest();
    if (head.seq === 0 || (last !== null && last.seq === head.seq)) return null;
    const checkpoint = signCheckpoint(this.keys.signingKey, head, nowMs);
    this.log.append(checkpoint);
    for (const listener of this.listeners) listener(checkpoint);
    return checkpoint;
  }

  onSigned(listener: (checkpoint: Checkpoint) => void): void {
    this.listeners.push(listener);
  }
}
