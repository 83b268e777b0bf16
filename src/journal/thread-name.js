// Names the calling thread for the operating system, so that `top -H`, `ps -L -o tid,comm,pcpu` and bench:server tell
// the journal's writer from a snapshot thread or V8's helpers (all "node" otherwise). Plain JavaScript, as chain.js, so
// the SQLite threads load it in bare Node.
import { writeFileSync } from "node:fs";
import { isMainThread } from "node:worker_threads";

/** Linux keeps at most this many bytes of a thread's name. */
export const THREAD_NAME_BYTES_MAX = 15;

/**
 * Sets this thread's name (Linux: /proc/thread-self/comm, cut to `THREAD_NAME_BYTES_MAX` bytes); null leaves the name
 * it was born with, its starter's (Linux copies it to a new thread), so that the threads a snapshot thread starts for
 * its own store are counted as its own. Elsewhere, or where /proc cannot be written, it does nothing: a name is a help
 * to an operator, never a reason to stop.
 */
export function nameThisThread(name) {
  if (name === null || name === undefined) return;
  try {
    writeFileSync("/proc/thread-self/comm", name.slice(0, THREAD_NAME_BYTES_MAX));
  } catch {
    // No /proc (not Linux), or it is read-only here.
  }
}

/** `name` when called on the process's main thread, else null (the new thread keeps its starter's name). */
export function nameForAThreadStartedHere(name) {
  return isMainThread ? name : null;
}

/** The names sauda gives its threads (each at most 15 bytes). */
export const THREAD_NAMES = Object.freeze({
  journalWriter: "sauda-journal",
  snapshotWriter: "sauda-snap-save",
  journalReader: "sauda-reader",
  snapshotReader: "sauda-snap-read",
  hashing: "sauda-hash",
  engineSnapshots: "sauda-engine-sn",
  viewSnapshots: "sauda-views-sn",
});
