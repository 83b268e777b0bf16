/**
 * An operator's void of a producer's sale in a simulated run: the void frees the seller's gas, and the producer agent
 * takes it back into its stock from the holdings it reads before the next session instead of stopping on its
 * stock invariant.
 */

import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../engine/events.ts";
import { readScenarioJson } from "./load.ts";
import { runScenario } from "./runner.ts";
import { parseScenario } from "./scenario.ts";

const SCENARIOS = resolve(import.meta.dirname, "../../scenarios");

describe("a trade voided in a simulated run", () => {
  it("gives the seller its gas back, and the producer agent offers it again without breaking", async () => {
    const json = readScenarioJson(join(SCENARIOS, "baseline-2021.json")) as Record<string, unknown>;
    const scenario = parseScenario({ ...json, days: 8 });
    const plants = new Set(scenario.market.plants.map((p) => p.id));
    let today: (EngineEvent & { type: "trade" })[] = [];
    const voids: { trade: string; seller: string; kg: number; freeBefore: number; freeAfter: number }[] = [];
    const later: string[] = [];
    await runScenario(scenario, {
      onApplied: (_seq, _timeMs, _command, events) => {
        for (const e of events) {
          if (e.type === "trade" && plants.has(e.sellAccount)) {
            today.push(e);
            if (voids.length > 0 && e.sellAccount === voids[0]!.seller) later.push(e.tradeId);
          }
        }
      },
      beforeSettlement: (exchange) => {
        const trade = today[0];
        today = [];
        if (voids.length > 0 || trade === undefined) return;
        const basis = trade.sellAccount;
        const freeBefore = exchange.freeGasKg(trade.sellAccount, basis);
        const events = exchange.apply({
          type: "trade.void",
          trade: trade.tradeId,
          reason: "test: entered in error",
          rule: "Rulebook 4.2",
        });
        expect(events.some((e) => e.type === "rejected")).toBe(false);
        const freeAfter = exchange.freeGasKg(trade.sellAccount, basis);
        voids.push({ trade: trade.tradeId, seller: trade.sellAccount, kg: trade.quantity, freeBefore, freeAfter });
      },
    });
    expect(voids).toHaveLength(1);
    const [v] = voids;
    expect(v!.freeAfter - v!.freeBefore).toBe(v!.kg);
    // The seller went on trading after the void: its agent read the holdings with the voided gas in them.
    expect(later.length).toBeGreaterThan(0);
  });
});
