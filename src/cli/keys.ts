/**
 * `sauda keys rotate-mac`: replaces the journal MAC key while the server is stopped. The journal is checked under the
 * current keys first (exactly as at a start); then a new key is written first in `journal-mac.key` (the old ones
 * still after it, so a crash in the next step leaves a journal that starts), the head and every snapshot are re-MAC'd
 * with the new key in one transaction, and the file is rewritten with the new key alone. Keys given through the
 * environment are rotated in the secret store instead (docs/security.md).
 */

import { join } from "node:path";
import { CheckpointLog } from "../journal/checkpoints.ts";
import { defaultKeysDir, KEY_FILES, loadKeys, newSymmetricKey, writeKeyFile } from "../journal/keys.ts";
import { openStore } from "../journal/open.ts";
import { headMac, snapshotMac } from "../journal/records.ts";
import { recover } from "../journal/recovery.ts";
import { withServersStopped } from "./servers-stopped.ts";

export interface RotateMacOptions {
  readonly data: string;
  readonly database?: string;
  readonly schema: string;
  readonly keys?: string;
}

export class KeysCommandError extends Error {}

export async function rotateMacCommand(options: RotateMacOptions, write: (line: string) => void): Promise<number> {
  // A server that runs on would go on signing with the old key, and the journal would no longer pass its check.
  return withServersStopped(
    options,
    "sauda keys rotate-mac",
    (message) => new KeysCommandError(message),
    () => rotateMac(options, write),
  );
}

async function rotateMac(options: RotateMacOptions, write: (line: string) => void): Promise<number> {
  const dir = options.keys ?? defaultKeysDir(options.data);
  const keys = loadKeys(dir);
  if (keys.source === "environment") {
    throw new KeysCommandError("the keys come from the environment: rotate the MAC key in the secret store");
  }
  const store = await openStore(
    options.database ? { database: options.database, schema: options.schema } : { data: options.data },
  );
  try {
    const { head } = await recover(store, { macKeys: keys.macKeys, checkpoints: new CheckpointLog(dir).all() });
    const encoded = newSymmetricKey();
    const key = Buffer.from(encoded, "base64");
    const file = join(dir, KEY_FILES.mac);
    const header = "# sauda journal MAC keys: the key in use first, older keys still accepted below it.\n";
    const old = keys.macKeys.map((k) => k.toString("base64")).join("\n");
    writeKeyFile(file, `${header}${encoded}\n${old}\n`);
    const snapshots = new Map<number, string>();
    for (const info of await store.snapshots()) {
      const record = await store.loadSnapshot(info.seq);
      if (record)
        snapshots.set(info.seq, snapshotMac(key, record.seq, record.stateHash, record.recordHash, record.dataHash));
    }
    await store.rewriteMacs(head === null ? null : headMac(key, head.seq, head.hash), snapshots);
    writeKeyFile(file, `${header}${encoded}\n`);
    write(`journal MAC key rotated: the head and ${snapshots.size} snapshots re-MAC'd; ${file} holds the new key only`);
    return 0;
  } finally {
    await store.close();
  }
}
