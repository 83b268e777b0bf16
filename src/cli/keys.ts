/**
 * `sauda keys rotate-mac`: replaces the journal MAC key while the server is stopped. The journal is checked under the
 * current keys first (exactly as at a start); then a new key is written first in `journal-mac.key` (the old ones
 * still after it, so a crash in the next step leaves a journal that starts), the head and every snapshot (the
 * engine's, the read models' and identity's) whose MAC checks out are re-MAC'd with the new key in one transaction,
 * the old keys are kept in a file of their own (`journal-mac.retired-<time>.key`, for the backups made under them),
 * and `journal-mac.key` is rewritten with the new key alone. Keys given through the environment are rotated in the
 * secret store instead (docs/security.md).
 */

import { join } from "node:path";
import { CheckpointLog } from "../journal/checkpoints.ts";
import { defaultKeysDir, KEY_FILES, loadKeys, newSymmetricKey, writeKeyFile } from "../journal/keys.ts";
import { openStore } from "../journal/open.ts";
import { headMac, identitySnapshotMac, snapshotMac, viewSnapshotMac } from "../journal/records.ts";
import { recover } from "../journal/recovery.ts";
import type { DerivedSnapshotTable } from "../journal/store.ts";
import { withServersStopped } from "./servers-stopped.ts";
import { requireJournal, requireKeysDir } from "./usage.ts";

export interface RotateMacOptions {
  readonly data: string;
  readonly database?: string;
  readonly schema: string;
  readonly keys?: string;
}

export class KeysCommandError extends Error {}

export async function rotateMacCommand(options: RotateMacOptions, write: (line: string) => void): Promise<number> {
  // A mistyped path is refused before anything is made there.
  requireKeysDir(options.keys);
  requireJournal(options);
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
    // Every snapshot whose MAC checks out under a key in use now gets the new key's; one that does not (damaged, or
    // made without the key) is left as it is, refused at a start as before, not blessed by the rotation.
    const checked = (mac: string | null, under: (k: Buffer) => string) =>
      mac !== null && keys.macKeys.some((k) => under(k) === mac);
    const snapshots = new Map<number, string>();
    let left = 0;
    for (const info of await store.snapshots()) {
      const record = await store.loadSnapshot(info.seq);
      if (!record) continue;
      const { seq, stateHash, recordHash, dataHash } = record;
      if (checked(record.mac ?? null, (k) => snapshotMac(k, seq, stateHash, recordHash, dataHash))) {
        snapshots.set(seq, snapshotMac(key, seq, stateHash, recordHash, dataHash));
      } else left++;
    }
    const derived = new Map<DerivedSnapshotTable, Map<number, string>>();
    const derivedMac = { view_snapshots: viewSnapshotMac, identity_snapshots: identitySnapshotMac } as const;
    for (const table of ["view_snapshots", "identity_snapshots"] as const) {
      const macs = new Map<number, string>();
      for (const { seq, recordHash, dataHash, mac } of await store.derivedSnapshotMacs(table)) {
        if (checked(mac, (k) => derivedMac[table](k, seq, recordHash, dataHash))) {
          macs.set(seq, derivedMac[table](key, seq, recordHash, dataHash));
        } else left++;
      }
      derived.set(table, macs);
    }
    await store.rewriteMacs(head === null ? null : headMac(key, head.seq, head.hash), snapshots, derived);
    // A backup made before now verifies only under the keys it was made with: they are kept in a file of their own
    // (docs/security.md, "Rotation": put them below the new key in journal-mac.key to verify or restore such a backup).
    const retired = join(dir, `journal-mac.retired-${new Date().toISOString().replace(/[:.]/g, "-")}.key`);
    writeKeyFile(
      retired,
      `# sauda journal MAC keys retired by sauda keys rotate-mac: the backups made before then verify under them.\n${old}\n`,
    );
    writeKeyFile(file, `${header}${encoded}\n`);
    const views = derived.get("view_snapshots")?.size ?? 0;
    const identities = derived.get("identity_snapshots")?.size ?? 0;
    write(
      `journal MAC key rotated: the head, ${snapshots.size} engine snapshots, ${views} read-model snapshots and ${identities} identity snapshots re-MAC'd${left > 0 ? ` (${left} whose MAC did not check out left as they were: a start will not use them)` : ""}; ${file} holds the new key only; the old keys are in ${retired}: keep it with the backups made before now, which verify only under them`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
