/**
 * The regulator's order and trade report of a trading day (T+1): GET /api/regulator/reports/orders?day=, as JSON
 * Lines or CSV, made from the journal (gateway/order-report.ts, src/reports/feed.ts; schema docs/feed.schema.json;
 * docs/feed.md). A day's report is made once the day is over in exchange time.
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { LANGUAGES } from "../../../domain/locale.ts";
import { EXCHANGE_UTC_OFFSET_MS, localDay } from "../../../projections/numbers.ts";
import { feedCsv, feedJsonLines } from "../../../reports/feed.ts";
import { isMonday, weeklyPdf, weeklySummary, weeklyXlsx } from "../../../reports/weekly.ts";
import type { RouteContext } from "../../context.ts";
import { HttpProblem, languageOf } from "../../errors.ts";
import { orderReportRecords, reportDayOver } from "../../order-report.ts";
import { WEEKLY_SUMMARY } from "../../wire/console.ts";
import { withDocuments, XLSX_TYPE } from "../../wire/market.ts";
import { json } from "../common.ts";
import { CONSOLE_READ, DATE, requireConsoleRead } from "../console.ts";

const WEEKLY_QUERY = Type.Object(
  {
    week: DATE,
    format: Type.Union([Type.Literal("json"), Type.Literal("xlsx"), Type.Literal("pdf")], { default: "json" }),
    lang: Type.Optional(Type.Union(LANGUAGES.map((l) => Type.Literal(l)))),
  },
  { additionalProperties: false },
);

const QUERY = Type.Object(
  { day: DATE, format: Type.Union([Type.Literal("jsonl"), Type.Literal("csv")], { default: "jsonl" }) },
  { additionalProperties: false },
);

export function regulatorFeedRoutes(api: FastifyInstance, context: RouteContext): void {
  const { exchange } = context;

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
      if (!reportDayOver(exchange, day)) {
        throw new HttpProblem("REPORT_DAY_NOT_OVER", {
          day,
          today: localDay(exchange.clock(), EXCHANGE_UTC_OFFSET_MS),
        });
      }
      const records = await orderReportRecords(exchange, day);
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

  api.get<{ Querystring: Static<typeof WEEKLY_QUERY> }>(
    "/regulator/reports/weekly",
    {
      schema: {
        operationId: "weeklySummary",
        tags: ["regulator"],
        summary: "The weekly statutory summary: volumes and prices per region and plant, supply-plan fulfilment",
        description:
          "A finished week (Monday to Sunday, exchange time) as JSON, an XLSX workbook or a PDF, in English, " +
          "Russian or Kazakh (`lang`, else Accept-Language). Off-exchange volumes are not reported to the exchange.",
        querystring: WEEKLY_QUERY,
        response: {
          200: withDocuments(WEEKLY_SUMMARY, "The week's summary"),
        },
      },
      config: { ...CONSOLE_READ, errors: ["REPORT_DAY_NOT_OVER", "REQUEST_INVALID"] as const },
    },
    async (request, reply) => {
      requireConsoleRead(request, "read the weekly summary");
      const { week, format } = request.query;
      if (!isMonday(week)) throw new HttpProblem("REQUEST_INVALID", { reason: `week ${week} is not a Monday` });
      const summary = weeklySummary(exchange.projections, week);
      if (!reportDayOver(exchange, summary.lastDay)) {
        throw new HttpProblem("REPORT_DAY_NOT_OVER", {
          day: summary.lastDay,
          today: localDay(exchange.clock(), EXCHANGE_UTC_OFFSET_MS),
        });
      }
      const language = request.query.lang ?? languageOf(request);
      const name = `weekly-${week}-${language}`;
      if (format === "xlsx") {
        return reply
          .header("content-type", XLSX_TYPE)
          .header("content-disposition", `attachment; filename="${name}.xlsx"`)
          .send(await weeklyXlsx(summary, language));
      }
      if (format === "pdf") {
        return reply
          .header("content-type", "application/pdf")
          .header("content-disposition", `attachment; filename="${name}.pdf"`)
          .send(await weeklyPdf(summary, language));
      }
      return json(summary);
    },
  );
}
