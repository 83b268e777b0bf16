/**
 * The regulator's order and trade report of a trading day (T+1): GET /api/regulator/reports/orders?day=, as JSON
 * Lines or CSV, made from the journal (src/reports/feed.ts; schema docs/feed.schema.json; docs/feed.md). A day's
 * report is made once the day is over in exchange time.
 *
 * Cost: the day's first record is found by binary search over the journal (O(log records) reads); the books at its
 * start are rebuilt from the records before it, page by page (O(records before the day)); then the day's records are
 * read page by page. Memory: the resting orders and the day's report.
 */

import { type Static, Type } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { READ_PAGE_RECORDS } from "../../../journal/store.ts";
import { EXCHANGE_UTC_OFFSET_MS, localDay } from "../../../projections/numbers.ts";
import { outcomeOfRecord, type ProjectionOutcome } from "../../../projections/outcome.ts";
import { dayStartMs } from "../../../reports/bulletin.ts";
import { feedCsv, feedJsonLines, feedRecords, ReportBooks } from "../../../reports/feed.ts";
import type { RouteContext } from "../../context.ts";
import { HttpProblem } from "../../errors.ts";
import { CONSOLE_READ, DATE, requireConsoleRead } from "../console.ts";

const DAY_MS = 86_400_000;
const QUERY = Type.Object(
  { day: DATE, format: Type.Union([Type.Literal("jsonl"), Type.Literal("csv")], { default: "jsonl" }) },
  { additionalProperties: false },
);

export function regulatorFeedRoutes(api: FastifyInstance, context: RouteContext): void {
  const { exchange } = context;

  /** The first seq whose time is at or after `timeMs`, or lastSeq + 1. */
  async function firstSeqAt(timeMs: number, lastSeq: number): Promise<number> {
    let lo = 1;
    let hi = lastSeq + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const [record] = await exchange.store.read(mid, 1);
      if (record !== undefined && record.timeMs < timeMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Outcomes with seq in [from, to), page by page. */
  async function* outcomes(from: number, to: number): AsyncIterable<ProjectionOutcome> {
    for (let seq = from; seq < to; ) {
      const page = await exchange.store.read(seq, Math.min(READ_PAGE_RECORDS, to - seq));
      if (page.length === 0) return;
      for (const record of page) {
        if (record.seq >= to) return;
        yield outcomeOfRecord(record);
      }
      seq = page[page.length - 1]!.seq + 1;
    }
  }

  api.get<{ Querystring: Static<typeof QUERY> }>(
    "/regulator/reports/orders",
    {
      schema: {
        operationId: "orderReport",
        tags: ["regulator"],
        summary: "A trading day's order and trade report (T+1): every order's lifecycle and every trade, both parties",
        querystring: QUERY,
        response: {
          200: {
            description:
              "One record per line (docs/feed.schema.json): the books at the day's start, then new, rejected, " +
              "rested, amended, cancelled and trade records in journal order",
            content: {
              "application/x-ndjson": { schema: Type.String() },
              "text/csv": { schema: Type.String() },
            },
          },
        },
      },
      config: { ...CONSOLE_READ, errors: ["REPORT_DAY_NOT_OVER"] as const },
    },
    async (request, reply) => {
      requireConsoleRead(request, "read the order report");
      const { day, format } = request.query;
      const fromMs = dayStartMs(day, EXCHANGE_UTC_OFFSET_MS);
      const toMs = fromMs + DAY_MS;
      const nowMs = exchange.projections.lastTimeMs;
      if (toMs > Math.max(nowMs, exchange.clock())) {
        throw new HttpProblem("REPORT_DAY_NOT_OVER", {
          day,
          today: localDay(exchange.clock(), EXCHANGE_UTC_OFFSET_MS),
        });
      }
      const lastSeq = exchange.projections.lastSeq;
      const startSeq = await firstSeqAt(fromMs, lastSeq);
      const endSeq = await firstSeqAt(toMs, lastSeq);
      const memberOf = (account: string) => exchange.projections.accounts.info(account)?.member ?? null;
      // The books at the day's start, from everything before it.
      const books = new ReportBooks();
      for await (const outcome of outcomes(1, startSeq)) {
        for (const record of feedRecords(0, 0, [], [outcome], memberOf)) books.apply(record);
      }
      const dayOutcomes: ProjectionOutcome[] = [];
      for await (const outcome of outcomes(startSeq, endSeq)) dayOutcomes.push(outcome);
      const records = feedRecords(startSeq, fromMs, books.openOrders(), dayOutcomes, memberOf);
      const name = `orders-${day}`;
      if (format === "csv") {
        return reply
          .header("content-type", "text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="${name}.csv"`)
          .send(feedCsv(records));
      }
      return reply
        .header("content-type", "application/x-ndjson; charset=utf-8")
        .header("content-disposition", `attachment; filename="${name}.jsonl"`)
        .send(feedJsonLines(records));
    },
  );
}
