/** Types of thread-name.js (plain JavaScript so the SQLite worker threads can load it in bare Node). */

export declare const THREAD_NAME_BYTES_MAX: number;
export declare function nameThisThread(name: string | null | undefined): void;
/** `name` when called on the process's main thread, else null (the new thread keeps its starter's name). */
export declare function nameForAThreadStartedHere(name: string): string | null;
export declare const THREAD_NAMES: Readonly<{
  journalWriter: string;
  snapshotWriter: string;
  journalReader: string;
  snapshotReader: string;
  hashing: string;
  engineSnapshots: string;
  viewSnapshots: string;
}>;
