/**
 * Validation's wholesale figure averages by delivery month (validation.ts): the sessions that traded the month's
 * delivery to the region, wherever they were held, volume-weighted; not the sessions held in the month.
 */

import { describe, expect, it } from "vitest";
import type { SessionRow, SimulationResult } from "./results.ts";
import type { Observation } from "./scenario.ts";
import { validationRows } from "./validation.ts";

const row = (date: string, delivery: string, region: string, price: number | null, tonnes: number): SessionRow => ({
  date,
  instrument: `PB-P0-${region}-${delivery}`,
  delivery,
  plant: "P0",
  region,
  priceTengePerTonne: price,
  volumeTonnes: tonnes,
  offeredTonnes: tonnes,
  bidTonnes: tonnes,
});

/** Four weeks around New Year: January's delivery traded from 20 December, February's from 20 January. */
const SESSIONS: SessionRow[] = [
  row("2021-12-15", "2021-12", "R0", 90_000, 50), // December's delivery: out
  row("2021-12-20", "2022-01", "R0", 100_000, 10),
  row("2021-12-27", "2022-01", "R0", 120_000, 20),
  row("2022-01-10", "2022-01", "R0", 130_000, 30),
  row("2022-01-12", "2022-01", "R0", null, 0), // no trade: out
  row("2022-01-14", "2022-01", "R1", 300_000, 40), // another region: out
  row("2022-01-20", "2022-02", "R0", 200_000, 50), // held in January, February's delivery: out
];

const observation = (from: string, until: string): Observation => ({
  measure: "wholesale",
  region: "R0",
  from,
  until,
  low: 133_126,
  high: 133_126,
  source: "test",
});

const result = { sessions: SESSIONS, dates: [], regionSeries: {} } as unknown as Omit<
  SimulationResult,
  "validation" | "assumptions"
>;

describe("validation: wholesale by delivery month", () => {
  it("averages January's deliveries, including the sessions held in December, and no other month's", () => {
    const [january] = validationRows([observation("2022-01-01", "2022-01-31")], result);
    // (100,000 × 10 + 120,000 × 20 + 130,000 × 30) / 60 = 121,666.7; by session date it would be
    // (130,000 × 30 + 200,000 × 50) / 80 = 173,750.
    expect(january!.model).toBe(121_667);
    expect(january!.errorPercent).toBe(-8.6);
  });

  it("the dates name the months: a range inside January still takes all of January's delivery", () => {
    expect(validationRows([observation("2022-01-10", "2022-01-10")], result)[0]!.model).toBe(121_667);
    expect(validationRows([observation("2021-12-01", "2022-01-31")], result)[0]!.model).toBe(
      Math.round((90_000 * 50 + 100_000 * 10 + 120_000 * 20 + 130_000 * 30) / 110),
    );
    expect(validationRows([observation("2022-02-01", "2022-02-28")], result)[0]!.model).toBe(200_000);
  });

  it("a month with no trade for its delivery has no model figure and no error", () => {
    const [march] = validationRows([observation("2022-03-01", "2022-03-31")], result);
    expect(march!.model).toBeNull();
    expect(march!.errorPercent).toBeNull();
  });
});
