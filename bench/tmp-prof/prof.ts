import { mkdtempSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "../../src/engine/engine.ts";
import { buildViews, feedViews } from "../../src/gateway/read-models.ts";
import type { JournalRecord } from "../../src/journal/records.ts";
import { Sequencer } from "../../src/journal/sequencer.ts";
import { SqliteStore } from "../../src/journal/sqlite-store.ts";
import { READ_PAGE_RECORDS } from "../../src/journal/store.ts";
import { outcomeOfRecord } from "../../src/projections/index.ts";
import { orders, setup } from "../core-workload.ts";

const dir = mkdtempSync(join(tmpdir(), "prof-"));
const commands = [...setup(), ...orders(100_000, 7, true)];
const store = new SqliteStore(dir);
await store.writerReady();
let now = Date.UTC(2026, 0, 5, 6);
const sequencer = new Sequencer(new Engine(), store, null, { clock: () => now++, batchCommandsMax: 1000, snapshotEveryCommands: 0 });
let pending: Promise<unknown>[] = [];
for (const [i, command] of commands.entries()) {
  pending.push(sequencer.submit(command, { actor: "trader-1", role: "trader", source: "ws", requestId: `r${i}` }));
  if (pending.length >= 20_000) { await Promise.all(pending); pending = []; }
}
await Promise.all(pending);
await sequencer.stop();
await store.close();
const s2 = new SqliteStore(dir);
const records: JournalRecord[] = [];
let seq = 0;
for (;;) { const page = await s2.read(seq + 1, READ_PAGE_RECORDS); if (page.length === 0) break; records.push(...page); seq = page.at(-1)!.seq; }
await s2.close();
const mode = process.argv[2] ?? "feed";
const outcomes = records.map((r) => outcomeOfRecord(r));
// warm
{ const v = buildViews(undefined); for (const o of outcomes) feedViews(v, o); }
const session = new Session(); session.connect();
await session.post("Profiler.enable"); await session.post("Profiler.setSamplingInterval", { interval: 100 });
await session.post("Profiler.start");
const t = performance.now();
for (let r = 0; r < 2; r++) {
  if (mode === "parse") { for (const rec of records) outcomeOfRecord(rec); }
  else { const v = buildViews(undefined); for (const o of outcomes) feedViews(v, o); }
}
console.log("us/record", ((performance.now() - t) * 1000) / records.length / 2);
const { profile } = await session.post("Profiler.stop");
const self = new Map<string, number>();
const total = profile.samples!.length;
const counts = new Map<number, number>();
for (const id of profile.samples!) counts.set(id, (counts.get(id) ?? 0) + 1);
for (const node of profile.nodes) {
  const c = counts.get(node.id) ?? 0; if (!c) continue;
  const f = node.callFrame; const key = `${f.functionName || "(anon)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + c);
}
for (const [k, c] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log(((100 * c) / total).toFixed(1).padStart(5), k);
writeFileSync("/tmp/prof.cpuprofile", JSON.stringify(profile));
