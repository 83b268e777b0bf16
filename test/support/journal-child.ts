/**
 * A minimal exchange core process for the crash test: recovers from the SQLite journal in the directory given as
 * argv[2], prints `ready <seq> <stateHash>`, then reads commands as JSON lines `{"tag":..., "command":...}` from stdin
 * and prints `ack <tag> <seq>` for each one once it is durable. It is killed with SIGKILL at random moments.
 */

import { createInterface } from "node:readline";
import type { Command } from "../../src/engine/commands.ts";
import { recover } from "../../src/journal/recovery.ts";
import { Sequencer } from "../../src/journal/sequencer.ts";
import { SqliteStore } from "../../src/journal/sqlite-store.ts";

const dir = process.argv[2];
if (!dir) throw new Error("usage: journal-child.ts DATA_DIR");
const store = new SqliteStore(dir);
const { engine, head } = await recover(store);
let now = Math.max(engine.nowMs, Date.UTC(2026, 0, 5, 6));
const sequencer = new Sequencer(engine, store, head, {
  clock: () => now++,
  batchCommandsMax: 64,
  snapshotEveryCommands: 97,
  onFatal: () => process.exit(70),
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
