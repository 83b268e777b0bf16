/**
 * `npm run bench:view-bytes -- DIR`: what each read model costs in a snapshot of them, for the journal in the data
 * directory DIR (one a benchmark left, e.g. bench/snapshot.ts's /tmp/sauda-bench-snapshot-*). Figures, not pass/fail.
 *
 * Replays the journal into new read models (as the snapshot thread does), then captures each view alone (as
 * `captureViews` captures them all) and prints its bytes, largest first, beside the whole snapshot's bytes, the
 * capture's and the restore's CPU, and the load average.
 */

import { loadavg } from "node:os";
import { buildViews, feedViews, viewRoots } from "../src/gateway/read-models.ts";
import { captureViews, restoreViews } from "../src/gateway/view-snapshots.ts";
import { SqliteStore } from "../src/journal/sqlite-store.ts";
import { READ_PAGE_RECORDS } from "../src/journal/store.ts";
import { outcomeOfRecord } from "../src/projections/index.ts";

const dir = process.argv[2];
if (dir === undefined) throw new Error("usage: bench/view-bytes.ts DATA_DIR");
const store = new SqliteStore(dir, {});
const views = buildViews(undefined);
let seq = 0;
for (;;) {
  const page = await store.read(seq + 1, READ_PAGE_RECORDS);
  if (page.length === 0) break;
  for (const record of page) feedViews(views, outcomeOfRecord(record));
  seq = page.at(-1)!.seq;
}
await store.close();
const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
console.log(
  `replayed ${seq} records; load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
const fresh = buildViews(undefined);
const parts: [string, number][] = [];
const add = (name: string, view: unknown, freshView: unknown) =>
  parts.push([name, captureViews([view], [freshView]).length]);
for (const key of Object.keys(views.projections) as (keyof typeof views.projections)[]) {
  const view = views.projections[key];
  if (view !== null && typeof view === "object") add(`projections.${key}`, view, fresh.projections[key]);
}
for (const key of Object.keys(views.surveillance) as (keyof typeof views.surveillance)[]) {
  const view = views.surveillance[key];
  if (view !== null && typeof view === "object") add(`surveillance.${key}`, view, fresh.surveillance[key]);
}
parts.sort((a, b) => b[1] - a[1]);
for (const [name, bytes] of parts) if (bytes > 10_000) console.log(`  ${name.padEnd(40)} ${mb(bytes).padStart(8)} MB`);
let cpu = process.cpuUsage();
const whole = captureViews(viewRoots(views), viewRoots(buildViews(undefined)));
const captureCpuMs = cpuMs(process.cpuUsage(cpu));
cpu = process.cpuUsage();
const t = performance.now();
restoreViews(whole, viewRoots(buildViews(undefined)));
const restoreMs = performance.now() - t;
const restoreCpuMs = cpuMs(process.cpuUsage(cpu));
console.log(
  `whole snapshot ${mb(whole.length)} MB: capture ${captureCpuMs.toFixed(0)} ms CPU, restore ${restoreMs.toFixed(0)} ms (${restoreCpuMs.toFixed(0)} ms CPU); load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
