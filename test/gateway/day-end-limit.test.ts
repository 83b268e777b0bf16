/**
 * The bound on past days' rebuilds (gateway/day-end.ts), at its limit, on a store whose reads the test releases:
 * `DAY_END_PENDING_MAX` distinct days may wait or run; one more is refused with DOCUMENTS_BUSY and queues nothing;
 * a day already asked for joins its rebuild; once the rebuilds end, a new day is taken again, and only the newest
 * `DAY_END_CACHED_MAX` days are kept.
 */

import { describe, expect, it } from "vitest";
import { DAY_END_CACHED_MAX, DAY_END_PENDING_MAX, DayEndDocuments } from "../../src/gateway/day-end.ts";
import type { Exchange } from "../../src/gateway/exchange.ts";
import type { JournalRecord } from "../../src/journal/records.ts";
import { Projections } from "../../src/projections/index.ts";

function fakeExchange() {
  const releases: (() => void)[] = [];
  const live = new Projections();
  // The live views have passed every day asked for here.
  live.apply({ seq: 1, timeMs: Date.UTC(2027, 0, 1), command: { type: "time.tick" }, meta: {}, events: [] });
  const store = {
    read: (_from: number, _limit: number) =>
      new Promise<JournalRecord[]>((resolve) => {
        releases.push(() => resolve([]));
      }),
  };
  const exchange = { projections: live, store } as unknown as Pick<Exchange, "projections" | "store">;
  return { exchange, releases };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("past days' rebuilds", () => {
  it(`hold at most ${DAY_END_PENDING_MAX} days waiting or running; one more is DOCUMENTS_BUSY`, async () => {
    const { exchange, releases } = fakeExchange();
    const documents = new DayEndDocuments(exchange);
    const days = Array.from({ length: DAY_END_PENDING_MAX }, (_, i) => `2026-01-0${i + 1}`);
    const asked = days.map((day) => documents.viewsOf(day));
    // The same day again joins its rebuild.
    const again = documents.viewsOf(days[0]!);
    await expect(documents.viewsOf("2026-01-09")).rejects.toMatchObject({
      code: "DOCUMENTS_BUSY",
      details: { pending: DAY_END_PENDING_MAX, max: DAY_END_PENDING_MAX, retryAfterSeconds: 10 },
    });
    for (let i = 0; i < DAY_END_PENDING_MAX; i++) {
      await flush();
      releases.shift()!();
    }
    const views = await Promise.all(asked);
    expect(await again).toBe(views[0]);
    expect(documents.rebuilds).toBe(DAY_END_PENDING_MAX);
    // Taken again now; the newest days are kept, the oldest rebuilt when asked.
    const later = documents.viewsOf("2026-01-09");
    await flush();
    releases.shift()!();
    await later;
    expect(await documents.viewsOf("2026-01-09")).toBe(await later);
    expect(await documents.viewsOf(days.at(-1)!)).toBe(views.at(-1));
    expect(documents.rebuilds).toBe(DAY_END_PENDING_MAX + 1);
    expect(DAY_END_CACHED_MAX).toBe(2);
    const first = documents.viewsOf(days[0]!);
    await flush();
    releases.shift()!();
    expect(await first).not.toBe(views[0]);
    expect(documents.rebuilds).toBe(DAY_END_PENDING_MAX + 2);
  });
});
