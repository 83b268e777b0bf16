/**
 * A minimal exchange core process for the crash test: recovers from the SQLite journal in the directory given as
 * argv[2], prints `ready <seq> <stateHash>`, then reads commands as JSON lines `{"tag":..., "command":...}` from stdin
 * and prints `ack <tag> <seq>` for each one once it is durable. It is killed with SIGKILL at random moments.
 *
 * It writes with a journal MAC key and recovers checking it, as a server does: a kill at any moment must leave a head
 * and snapshots whose MACs match, and the count towards the next snapshot continues from the records replayed.
 */

import { createInterface } from "node:readline";
import type { Command } from "../../src/engine/commands.ts";
import { recover } from "../../src/journal/recovery.ts";
import { Sequencer } from "../../src/journal/sequencer.ts";
import { SqliteStore } from "../../src/journal/sqlite-store.ts";
import { CRASH_MAC_KEY } from "./crash-key.ts";

const dir = process.argv[2];
if (!dir) throw new Error("usage: journal-child.ts DATA_DIR");
const store = new SqliteStore(dir, { macKey: CRASH_MAC_KEY });
const { engine, head, replayed } = await recover(store, { macKeys: [CRASH_MAC_KEY] });
let now = Math.max(engine.nowMs, Date.UTC(2026, 0, 5, 6));
const sequencer = new Sequencer(engine, store, head, {
  clock: () => now++,
  batchCommandsMax: 64,
  snapshotEveryCommands: 97,
  onFatal: () => process.exit(70),
  sinceSnapshot: replayed,
});
process.stdout.write(`ready ${engine.lastSeq} ${engine.stateHash()}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === "") continue;
  const { tag, command } = JSON.parse(line) as { tag: string; command: Command };
  sequencer.submit(command).then(
    (outcome) => process.stdout.write(`ack ${tag} ${outcome.seq}\n`),
    (error: unknown) => process.stdout.write(`fail ${tag} ${(error as Error).message}\n`),
  );
}
