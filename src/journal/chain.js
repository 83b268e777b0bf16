/**
 * The journal's integrity formulas, in one place: the chain hash of a record, and the keyed MACs that anchor the
 * chain's head and each snapshot to a key kept outside the database. records.ts, the stores and the SQLite worker
 * threads (sqlite-writer.js, sqlite-reader.js) all call these; none writes a formula of its own.
 *
 * - Chain hash: sha256 (hex) over `previous\nseq\ntimeMs\nmeta\ncommand\nevents`. Changing, removing or reordering a
 *   record breaks the chain at that record. Anyone can recompute it: it proves order and completeness, not authorship.
 * - Head MAC: HMAC-SHA256 (hex) with the journal MAC key over the head's seq and hash. The head hash commits to every
 *   record before it, so this one MAC authenticates the whole chain: rewriting history, or cutting records off the
 *   end and rewriting the head to match, needs the key. Written in the same transaction as the head.
 * - Snapshot MAC: HMAC-SHA256 with the same key over a snapshot's seq, state hash, record hash and data hash, so a
 *   snapshot edited with its hashes recomputed is still refused.
 * - View snapshot MAC: the same over a snapshot of the read models (its seq, record hash and data hash), with its own
 *   label so that neither kind of MAC can stand for the other.
 *
 * Plain JavaScript on purpose: the worker threads run in bare Node without the TypeScript loader. Types: chain.d.ts.
 */

import { createHash, createHmac, hash } from "node:crypto";

/** The hash that comes before the first record. */
export const GENESIS_HASH = "0".repeat(64);

/** The part of a record's chain-hash input that comes before its text fields. */
function chainPrefix(previousHash, seq, timeMs) {
  return `${previousHash}\n${seq}\n${timeMs}\n`;
}

/**
 * The chain hash of a record. One call over one string: Node's one-shot `crypto.hash` costs about a quarter less than
 * a `Hash` object per record.
 */
export function chainHash(previousHash, seq, timeMs, meta, command, events) {
  return hash("sha256", `${chainPrefix(previousHash, seq, timeMs)}${meta}\n${command}\n${events}`, "hex");
}

/**
 * The same chain hash, with the record's text fields given as the UTF-8 bytes of `meta\ncommand\nevents` (how the
 * SQLite store packs a batch for its writer thread), hashed in place without decoding them.
 */
export function chainHashOfFields(previousHash, seq, timeMs, fieldsUtf8) {
  return createHash("sha256")
    .update(chainPrefix(previousHash, seq, timeMs))
    .update(fieldsUtf8)
    .digest("hex");
}

/** The head MAC (hex) of the journal head at `seq` with chain hash `hash`. */
export function headMac(key, seq, hash) {
  return createHmac("sha256", key).update(`sauda journal head\n${seq}\n${hash}`).digest("hex");
}

/** The snapshot MAC (hex) over a snapshot's identifying hashes. */
export function snapshotMac(key, seq, stateHash, recordHash, dataHash) {
  return createHmac("sha256", key)
    .update(`sauda snapshot\n${seq}\n${stateHash}\n${recordHash}\n${dataHash}`)
    .digest("hex");
}

/**
 * The MAC (hex) of a snapshot of the identity read model (users, API keys, accounts' members: what signing in and
 * order entry read). Its own domain, so a snapshot of the read models cannot pass for one.
 */
export function identitySnapshotMac(key, seq, recordHash, dataHash) {
  return createHmac("sha256", key).update(`sauda identity snapshot\n${seq}\n${recordHash}\n${dataHash}`).digest("hex");
}

/** The MAC (hex) of a snapshot of the read models. */
export function viewSnapshotMac(key, seq, recordHash, dataHash) {
  return createHmac("sha256", key).update(`sauda view snapshot\n${seq}\n${recordHash}\n${dataHash}`).digest("hex");
}
