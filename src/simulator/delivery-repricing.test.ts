/**
 * Stations reprice at delivery, not at purchase (buyer.ts, `receive` with a cost day; the runner passes the first day
 * of the delivery month for gas bought on next month's instruments, `rules.nextMonthFromDay`). Stated property: gas
 * bought before its delivery month moves no retail price until that month starts, and from then on the network prices
 * exactly as if it had bought the gas on that day.
 */

import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Buyer, type BuyerSettings } from "./buyer.ts";
import { readScenarioJson } from "./load.ts";
import type { MarketPort } from "./port.ts";
import { Random } from "./random.ts";
import { runScenario } from "./runner.ts";
import { mergeScenario, parseScenario } from "./scenario.ts";
import { buyerSettingsOf, demandCurveOf } from "./settings.ts";

const SCENARIOS = resolve(import.meta.dirname, "../../scenarios");
const SCENARIO = parseScenario(readScenarioJson(join(SCENARIOS, "liberalisation-2022.json")));
const REGION = SCENARIO.market.regions.find((g) => g.id === "MANGYSTAU")!;
const SETTINGS: BuyerSettings = buyerSettingsOf(SCENARIO, REGION, demandCurveOf(SCENARIO));
const DAYS = 45;
const DAILY_KG = 10_000;
const INITIAL_COST = 60_000;

/** The network never trades here: retail pricing only. */
const NO_PORT = {} as MarketPort;
const network = () =>
  new Buyer("N", REGION.id, 1, DAILY_KG, 5 * DAILY_KG, INITIAL_COST, SETTINGS, NO_PORT, new Random(1));

const purchase = fc
  .record({
    bought: fc.integer({ min: 0, max: 25 }),
    wait: fc.integer({ min: 0, max: 15 }),
    kg: fc.integer({ min: 1_000, max: 100_000 }),
    price: fc.integer({ min: 30_000, max: 250_000 }),
  })
  .map((p) => ({ ...p, delivery: p.bought + p.wait }));

describe("stations reprice at delivery", () => {
  it("a purchase for a later delivery month enters the retail price on its delivery date, as if bought that day", () => {
    fc.assert(
      fc.property(fc.array(purchase, { minLength: 1, maxLength: 8 }), (purchases) => {
        const early = network(); // buys ahead: the cost waits for the delivery date
        const onTheDay = network(); // buys on the delivery date itself
        const none = network(); // never buys
        const firstDelivery = Math.min(...purchases.map((p) => p.delivery));
        let changedAfterDelivery = false;
        for (let d = 0; d < DAYS; d++) {
          for (const b of [early, onTheDay, none]) b.unload(d);
          for (const p of purchases) {
            if (p.bought === d) early.receive(p.kg, p.price, d + 2, p.delivery > d ? p.delivery : null);
          }
          const due = purchases.filter((p) => p.delivery === d).sort((a, b) => a.bought - b.bought);
          for (const p of due) onTheDay.receive(p.kg, p.price, p.bought + 2);
          for (const b of [early, onTheDay, none]) b.endOfDay(DAILY_KG, DAILY_KG, null);
          expect(early.retailTengePerLitre, `day ${d}`).toBeCloseTo(onTheDay.retailTengePerLitre, 9);
          if (d < firstDelivery) expect(early.retailTengePerLitre, `day ${d}`).toBe(none.retailTengePerLitre);
          else if (Math.abs(early.retailTengePerLitre - none.retailTengePerLitre) > 1e-9) changedAfterDelivery = true;
        }
        // A purchase at another cost than the stations' moves their price once delivered.
        if (purchases.some((p) => Math.abs(p.price - INITIAL_COST) > 1_000)) expect(changedAfterDelivery).toBe(true);
      }),
      { seed: 20_222, numRuns: 200 },
    );
  });

  it("january-2022-actual: January's delivery sold from 20 December moves no pump price before 1 January", async () => {
    // The scarcity widening off: it is the one other thing that moves a margin (stations short of stock in the first
    // days of the run widen theirs), so every retail change left is a cost entering the stations' books.
    const r = await runScenario(
      parseScenario(
        mergeScenario(readScenarioJson(join(SCENARIOS, "january-2022-actual.json")), {
          days: 14,
          buyers: { scarcityMarkup: { extraMaxPercent: { value: 0, source: "test: the widening off" } } },
        }),
      ),
    );
    expect(r.dates[0]).toBe("2021-12-20");
    const firstOfJanuary = r.dates.indexOf("2022-01-01");
    // January's delivery traded in December, and in every region.
    const december = r.sessions.filter((x) => x.date < "2022-01-01" && x.volumeTonnes > 0);
    expect(new Set(december.map((x) => x.delivery))).toEqual(new Set(["2022-01"]));
    expect(new Set(december.map((x) => x.region)).size).toBe(r.regions.length);
    for (const g of r.regions) {
      const retail = r.regionSeries[g.id]!.retailTengePerLitre;
      // Sold all of December at the price the run started with, and on 1 January itself (the day's price was set
      // the evening before); repriced at the close of 1 January, when January's deliveries entered the books.
      for (let i = 1; i <= firstOfJanuary; i++) expect(retail[i], `${g.id} ${r.dates[i]}`).toBe(retail[0]);
      expect(retail[firstOfJanuary + 1], g.id).toBeGreaterThan(retail[0]!);
    }
  }, 60_000);
});
