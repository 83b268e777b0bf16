/**
 * Rule 7, `withholding`, over records (a history file has no declared volumes): offered against declared and against
 * the obligation at 10% and just over, the month's price rise at 5% and just over, months of exchange time (UTC+5),
 * and one alert per (producer, instrument, month).
 */

import { describe, expect, it } from "vitest";
import { type Alert, AlertBook } from "../alerts.ts";
import type { MarketRecord } from "../records.ts";
import { Surveillance } from "../surveillance.ts";
import { configWith } from "../test-harness.ts";

const DAY_MS = 86_400_000;
/** 2026-03-02 05:00 UTC = 10:00 in Almaty. */
const MARCH_2 = Date.UTC(2026, 2, 2, 5);

interface Case {
  readonly offeredKg: number;
  readonly declaredKg?: number;
  readonly obligationKg?: number;
  /** Gas the producer takes back from the exchange after the first session (exported, say). */
  readonly withdrawnKg?: number;
  /** The first and last session's prices, tiyn per tonne. */
  readonly firstPrice?: number;
  readonly lastPrice?: number;
  /** The first session's opening; the others follow 10 days apart. */
  readonly startMs?: number;
}

function runMonth(c: Case, config = configWith("withholding", {})): Alert[] {
  const book = new AlertBook();
  const s = new Surveillance(book, { config });
  const apply = (r: MarketRecord) => s.apply(r);
  apply({ kind: "member", member: "P", group: null });
  apply({ kind: "account", account: "P1", member: "P" });
  apply({ kind: "member", member: "B", group: null });
  apply({ kind: "account", account: "B1", member: "B" });
  if (c.obligationKg !== undefined) {
    apply({ kind: "obligation", member: "P", basis: "KAZGPZ", month: "2026-03", quantityKg: c.obligationKg });
  }
  if (c.declaredKg !== undefined) {
    apply({
      kind: "declared",
      timeMs: (c.startMs ?? MARCH_2) - 1000,
      account: "P1",
      basis: "KAZGPZ",
      quantityKg: c.declaredKg,
    });
  }
  const prices = [c.firstPrice ?? 12_000_000, 12_300_000, c.lastPrice ?? 12_700_000];
  prices.forEach((price, day) => {
    const session = `I:${day + 1}`;
    const t = (c.startMs ?? MARCH_2) + day * 3 * DAY_MS;
    apply({
      kind: "session",
      session,
      instrument: "I",
      openMs: t,
      closeMs: null,
      upperLimitTiynPerTonne: null,
      lowerLimitTiynPerTonne: null,
      basis: "KAZGPZ",
    });
    const offered = day === 0 ? c.offeredKg : 0;
    if (offered > 0) {
      apply({
        kind: "order",
        timeMs: t + 1,
        message: day * 10 + 1,
        session,
        order: `sell${day}`,
        account: "P1",
        side: "sell",
        priceTiynPerTonne: price,
        quantityKg: offered,
        upperLimitTiynPerTonne: null,
        lowerLimitTiynPerTonne: null,
      });
    }
    apply({
      kind: "trade",
      timeMs: t + 2,
      session,
      trade: `t${day}`,
      buyOrder: `b${day}`,
      sellOrder: `x${day}`,
      buyAccount: "B1",
      sellAccount: "B1",
      priceTiynPerTonne: price,
      quantityKg: 1000,
    });
    apply({ kind: "sessionEnd", timeMs: t + 3600_000, session });
    if (day === 0 && c.withdrawnKg !== undefined) {
      apply({ kind: "withdrawn", timeMs: t + 7200_000, account: "P1", basis: "KAZGPZ", quantityKg: c.withdrawnKg });
      // The buyer lifting what it bought: no effect on the producer's figures.
      apply({ kind: "withdrawn", timeMs: t + 7200_000, account: "B1", basis: "KAZGPZ", quantityKg: 1000 });
    }
  });
  s.finish(MARCH_2 + 30 * DAY_MS);
  return book.alerts().filter((a) => a.rule === "withholding");
}

describe("withholding", () => {
  const table: { name: string; c: Case; alert: boolean }[] = [
    { name: "offered 90% of declared", c: { offeredKg: 900_000, declaredKg: 1_000_000 }, alert: false },
    { name: "offered 89.9% of declared", c: { offeredKg: 899_000, declaredKg: 1_000_000 }, alert: true },
    { name: "offered 90% of the obligation", c: { offeredKg: 90_000, obligationKg: 100_000 }, alert: false },
    { name: "offered 89.999% of the obligation", c: { offeredKg: 89_999, obligationKg: 100_000 }, alert: true },
    { name: "nothing declared or obliged", c: { offeredKg: 1000 }, alert: false },
    // Gas taken back (exported) is no longer declared: 1,000 t declared, 100 t withdrawn, 900 t available.
    {
      name: "offered 90% of declared less withdrawn",
      c: { offeredKg: 810_000, declaredKg: 1_000_000, withdrawnKg: 100_000 },
      alert: false,
    },
    {
      name: "offered 89.9% of declared less withdrawn",
      c: { offeredKg: 809_000, declaredKg: 1_000_000, withdrawnKg: 100_000 },
      alert: true,
    },
    {
      name: "everything declared withdrawn, and more",
      c: { offeredKg: 0, declaredKg: 1_000_000, withdrawnKg: 1_200_000 },
      alert: false,
    },
    {
      name: "withdrawn gas does not reduce the obligation",
      c: { offeredKg: 0, declaredKg: 100_000, withdrawnKg: 100_000, obligationKg: 100_000 },
      alert: true,
    },
    {
      name: "short, but the price rose exactly 5%",
      c: { offeredKg: 0, declaredKg: 1_000_000, lastPrice: 12_600_000 },
      alert: false,
    },
    {
      name: "short, and the price rose 5.0001%",
      c: { offeredKg: 0, declaredKg: 1_000_000, lastPrice: 12_600_012 },
      alert: true,
    },
    {
      name: "short, and the price fell",
      c: { offeredKg: 0, declaredKg: 1_000_000, lastPrice: 11_000_000 },
      alert: false,
    },
  ];
  for (const row of table) {
    it(`${row.name}: ${row.alert ? "an alert" : "no alert"}`, () => {
      expect(runMonth(row.c)).toHaveLength(row.alert ? 1 : 0);
    });
  }

  it("names the producer, the instrument, the month and the figures", () => {
    const [alert] = runMonth({ offeredKg: 500_000, declaredKg: 1_000_000, withdrawnKg: 50_000, obligationKg: 800_000 });
    expect(alert).toMatchObject({
      key: "withholding|P|I|2026-03",
      rule: "withholding",
      session: null,
      instrument: "I",
      month: "2026-03",
      accounts: ["P1"],
      members: ["P"],
      groups: ["P"],
      sessions: ["I:1", "I:2", "I:3"],
      orders: ["sell0"],
      figures: {
        offeredKg: 500_000,
        declaredKg: 1_000_000,
        withdrawnKg: 50_000,
        obligationKg: 800_000,
        firstPriceTiynPerTonne: 12_000_000,
        lastPriceTiynPerTonne: 12_700_000,
        priceRisePercent: 5.8333,
      },
    });
  });

  it("counts months in exchange time: 20:00 UTC on 31 March is April in Almaty", () => {
    const alerts = runMonth({ offeredKg: 0, declaredKg: 1_000_000, startMs: Date.UTC(2026, 2, 31, 20) });
    // The declaration (a second before the first session) is April's too, as is every session.
    expect(alerts.map((a) => a.month)).toEqual(["2026-04"]);
  });

  it("is off when disabled", () => {
    expect(runMonth({ offeredKg: 0, declaredKg: 1_000_000 }, configWith("withholding", { enabled: false }))).toEqual(
      [],
    );
  });
});
