import { Engine } from "../src/engine/engine.ts";
import { buildViews, feedViews } from "../src/gateway/read-models.ts";
import { outcomeOfRecord } from "../src/projections/index.ts";
import { orders, setup } from "./core-workload.ts";
const engine = new Engine();
const cmds = [...setup(), ...orders(Number(process.env.N ?? 60000), 7, true)];
let t = Date.UTC(2026, 0, 5, 6);
const outcomes = cmds.map((c, i) => {
  const seq = i + 1; const timeMs = t++;
  const events = engine.apply({ seq, timeMs, command: JSON.parse(JSON.stringify(c)) });
  return outcomeOfRecord({ seq, timeMs, meta: JSON.stringify({ actor: "trader-1", role: "trader", source: "ws", requestId: `r${i}` }), command: JSON.stringify(c), events: JSON.stringify(events) });
});
for (let r = 0; r < 3; r++) {
  const views = buildViews(undefined);
  const s = performance.now();
  for (const o of outcomes) feedViews(views, o);
  console.log(((performance.now() - s) * 1000 / outcomes.length).toFixed(2), "us/rec wall");
}
