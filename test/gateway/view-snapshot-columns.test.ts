/**
 * The read models' snapshot stored by column (gateway/view-snapshots.ts, format sauda-read-models/4), on a workload
 * with the kinds of records a market makes: 40 days of the simulated 2021 market with its five manipulators (members,
 * accounts, money and gas; orders that rest, fill and are cancelled; trades, obligations, payments and deliveries;
 * phases, safeguards, supply plans; surveillance's alerts), fed into the read models as the exchange feeds them.
 * Restored into fresh read models, the snapshot captures again to the very same data (every field, the order of
 * every Map, every record held in two places still one); ids made by a counter are written as numbers, not as
 * strings in the snapshot's table of strings.
 */

import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { deserialize } from "node:v8";
import { beforeAll, describe, expect, it } from "vitest";
import { SCENARIOS_DIR } from "../../src/gateway/lab/catalog.ts";
import { buildViews, feedViews, type Views, viewRoots } from "../../src/gateway/read-models.ts";
import { captureViews, restoreViews } from "../../src/gateway/view-snapshots.ts";
import { readScenarioJson } from "../../src/simulator/load.ts";
import { runScenario } from "../../src/simulator/runner.ts";
import { parseScenario } from "../../src/simulator/scenario.ts";

/** Simulated days: enough for deliveries, day ends and every surveillance rule's records. */
const DAYS = 40;

let views: Views;
/** The commands' types, and the orders' ids they name. */
const types = new Set<string>();
const orderIds = new Set<string>();

beforeAll(async () => {
  views = buildViews(undefined);
  const json = readScenarioJson(join(SCENARIOS_DIR, "manipulation-2021.json")) as Record<string, unknown>;
  await runScenario(parseScenario({ ...json, days: DAYS }), {
    onApplied: (seq, timeMs, command, events) => {
      // As a start replays the journal: the command and events as their JSON reads back.
      const outcome = {
        seq,
        timeMs,
        command: JSON.parse(JSON.stringify(command)),
        meta: { actor: "sim", role: "member", source: "api" },
        events: JSON.parse(JSON.stringify(events)),
      };
      feedViews(views, outcome);
      types.add(command.type);
      if ("orderId" in command && typeof command.orderId === "string") orderIds.add(command.orderId);
    },
  });
}, 300_000);

describe("the read models' snapshot by column", () => {
  it("restores every read model to the state it was taken from: its capture again is the same data", () => {
    expect(orderIds.size).toBeGreaterThan(1_000);
    for (const type of ["order.cancel", "obligation.confirmPayment", "obligation.confirmDelivery", "phase.set"]) {
      expect([type, types.has(type)]).toEqual([type, true]);
    }
    const data = captureViews(viewRoots(views), viewRoots(buildViews(undefined)));
    const fresh = buildViews(undefined);
    restoreViews(data, viewRoots(fresh));
    const again = captureViews(viewRoots(fresh), viewRoots(buildViews(undefined)));
    // The same data (not always the same bytes: the serialiser writes a string as it is held, in one or two bytes a
    // character). Which record is held where is data too (a row of a column), so a record once in two places that
    // the restore made two (or two it made one) would show.
    expect(firstDifference(deserialize(again), deserialize(data))).toBe(null);
  });

  it("ids made by a counter are numbers in their columns, not strings in the snapshot's table", () => {
    const data = captureViews(viewRoots(views), viewRoots(buildViews(undefined)));
    const [format, , , strings] = deserialize(data) as [string, string, unknown, string[]];
    expect(format).toBe("sauda-read-models/4");
    // Every live order's id is in the snapshot (kept by five views), but the table holds only the stems they share.
    const named = strings.filter((text) => orderIds.has(text));
    expect(named.length).toBeLessThan(orderIds.size / 100);
  });
});

/** Where `a` and `b` first differ (a path of keys and the two values), or null when they are deeply equal. */
function firstDifference(a: unknown, b: unknown, path = ""): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || ArrayBuffer.isView(a)) {
    return `${path}: ${String(a).slice(0, 200)} vs ${String(b).slice(0, 200)}`;
  }
  const keys = Object.keys(a);
  if (keys.join() !== Object.keys(b).join()) return `${path}: keys ${keys.join()} vs ${Object.keys(b).join()}`;
  for (const key of keys) {
    const found = firstDifference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${path}/${key}`,
    );
    if (found !== null) return found;
  }
  return `${path}: ${Object.prototype.toString.call(a)} vs ${Object.prototype.toString.call(b)}`;
}
