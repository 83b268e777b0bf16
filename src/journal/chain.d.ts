/** Types of chain.js (plain JavaScript so the SQLite worker threads can load it in bare Node). */

export declare const GENESIS_HASH: string;
export declare function chainHash(
  previousHash: string,
  seq: number,
  timeMs: number,
  meta: string,
  command: string,
  events: string,
): string;
export declare function chainHashOfFields(
  previousHash: string,
  seq: number,
  timeMs: number,
  fieldsUtf8: Uint8Array,
): string;
export declare function headMac(key: Uint8Array, seq: number, hash: string): string;
export declare function snapshotMac(
  key: Uint8Array,
  seq: number,
  stateHash: string,
  recordHash: string,
  dataHash: string,
): string;
export declare function identitySnapshotMac(key: Uint8Array, seq: number, recordHash: string, dataHash: string): string;
export declare function viewSnapshotMac(key: Uint8Array, seq: number, recordHash: string, dataHash: string): string;
