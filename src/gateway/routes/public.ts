/**
 * Public market data: no sign-in needed. Instruments with their quotes, order book depth, trades, candles, session
 * results, official price indices, the daily bulletin and participation per month, as JSON or CSV.
 */

import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { LANGUAGES, type Language } from "../../domain/locale.ts";
import {
  CALENDAR_NOTICE_WORKING_DAYS,
  isoDateOfDay,
  localDayNumber,
  noticeWindowDays,
  sessionsOnDay,
} from "../../engine/calendar.ts";
import { CANDLE_INTERVALS, candlesCsv, sessionsCsv, toCsv, tradesCsv } from "../../projections/index.ts";
import { deliveryTermsOf } from "../../projections/instruments.ts";
import { EXCHANGE_UTC_OFFSET_MS, isoUtc, localDay } from "../../projections/numbers.ts";
import { bulletinCsv, dailyBulletin } from "../../reports/bulletin.ts";
import { bulletinPdf, bulletinXlsx } from "../../reports/bulletin-documents.ts";
import type { RouteContext } from "../context.ts";
import { HttpProblem, languageOf } from "../errors.ts";
import { nextScheduledChange } from "../scheduler.ts";
import { EPOCH_MS, Nullable, Strict } from "../wire/base.ts";
import {
  BOOK,
  BULLETIN_CONTROL,
  BULLETIN_SESSION,
  CANDLE,
  CANDLE_INTERVAL,
  INDEX_ROW,
  INDEX_WEIGHT,
  jsonOrCsv,
  limitsWire,
  PARTICIPATION_ROW,
  PUBLIC_CALENDAR,
  PUBLIC_INSTRUMENT,
  SESSION_RESULT,
  TAPE_TRADE,
  withDocuments,
  XLSX_TYPE,
} from "../wire/market.ts";
import { FORMAT, ID, json, LIMIT, sendCsv, TIME_MS_MAX } from "./common.ts";
import { DATE, limitsInForce, MONTH } from "./console.ts";

const PUBLIC = { access: "public" as const };
/** Longest schedule the public calendar gives at once, in days. */
const SCHEDULE_DAYS_MAX = 62;
const INSTRUMENT_ERRORS = { access: "public" as const, errors: ["INSTRUMENT_NOT_FOUND"] as const };

export function publicRoutes(api: FastifyInstance, context: RouteContext): void {
  const { exchange } = context;
  const market = exchange.projections.marketData;
  const requireInstrument = (id: string) => {
    if (!market.has(id)) throw new HttpProblem("INSTRUMENT_NOT_FOUND", { id });
  };
  /**
   * What the public sees of an instrument: its quote, what it is, its trading rules (tick, lot, collateral and fee
   * rates), the price limits in force, the last phase change with its reason, the next scheduled one (for a
   * countdown), and the current session's figures.
   */
  const describeInstrument = (id: string) => {
    const controls = exchange.projections.controls.instrument(id);
    const session = exchange.projections.sessions.current(id) ?? exchange.projections.sessions.last(id);
    return {
      ...(json(market.quote(id)) as object),
      info: exchange.projections.instruments.get(id) ?? null,
      deliveryTerms: deliveryTermsOf(
        exchange.projections.instruments.get(id),
        controls?.clearing ?? null,
        controls?.lotSize ?? null,
      ),
      tickSizeTiynPerTonne: controls?.tickSize ?? null,
      lotSizeKg: controls?.lotSize ?? null,
      clearing: controls?.clearing
        ? {
            basis: controls.clearing.basis,
            collateralBps: controls.clearing.collateralBps,
            feeBps: controls.clearing.feeBps,
          }
        : null,
      limits: controls ? limitsWire(limitsInForce(context, id)) : null,
      phaseChanged: controls?.phaseChanged ?? null,
      nextPhase: controls ? nextScheduledChange(controls.calendar, controls.mode, exchange.clock(), controls) : null,
      session: session
        ? json({
            weightedAveragePriceTiynPerTonne: session.vwapTiynPerTonne,
            volumeKg: session.volumeKg,
            trades: session.trades,
          })
        : null,
    };
  };

  api.get(
    "/instruments",
    {
      schema: {
        operationId: "listInstruments",
        tags: ["market data"],
        summary: "All instruments with their quotes",
        response: { 200: Strict({ instruments: Type.Array(PUBLIC_INSTRUMENT) }) },
      },
      config: PUBLIC,
    },
    async () => ({
      instruments: market.instruments().map(describeInstrument),
    }),
  );

  api.get<{ Params: { id: string } }>(
    "/instruments/:id",
    {
      schema: {
        operationId: "getInstrument",
        tags: ["market data"],
        summary: "One instrument: quote, listing, trading rules, limits in force, phase and session figures",
        params: Type.Object({ id: ID }),
        response: { 200: PUBLIC_INSTRUMENT },
      },
      config: INSTRUMENT_ERRORS,
    },
    async (request) => {
      requireInstrument(request.params.id);
      return describeInstrument(request.params.id);
    },
  );

  api.get<{ Params: { id: string }; Querystring: { depth: number } }>(
    "/instruments/:id/book",
    {
      schema: {
        operationId: "getBook",
        tags: ["market data"],
        summary: "Order book depth by price level",
        params: Type.Object({ id: ID }),
        querystring: Type.Object(
          { depth: Type.Integer({ minimum: 1, maximum: 1000, default: 20 }) },
          { additionalProperties: false },
        ),
        response: { 200: BOOK },
      },
      config: INSTRUMENT_ERRORS,
    },
    async (request) => {
      requireInstrument(request.params.id);
      return json(market.book(request.params.id, request.query.depth));
    },
  );

  api.get<{ Params: { id: string }; Querystring: { limit: number; format: "json" | "csv" } }>(
    "/instruments/:id/trades",
    {
      schema: {
        operationId: "listTrades",
        tags: ["market data"],
        summary: "Recent trades, newest first",
        params: Type.Object({ id: ID }),
        querystring: Type.Object({ limit: LIMIT, format: FORMAT }, { additionalProperties: false }),
        response: { 200: jsonOrCsv(Strict({ trades: Type.Array(TAPE_TRADE) }), "Recent trades") },
      },
      config: INSTRUMENT_ERRORS,
    },
    async (request, reply) => {
      requireInstrument(request.params.id);
      const trades = market.trades(request.params.id, request.query.limit);
      if (request.query.format === "csv") return sendCsv(reply, `${request.params.id}-trades`, tradesCsv(trades));
      return { trades: json(trades) };
    },
  );

  api.get<{ Params: { id: string }; Querystring: { days: number } }>(
    "/instruments/:id/calendar",
    {
      schema: {
        operationId: "getPublicCalendar",
        tags: ["market data"],
        summary: "The published trading calendar: sessions day by day ahead, and its changes, short-notice ones marked",
        description:
          `The calendar is published at least ${CALENDAR_NOTICE_WORKING_DAYS} working days ahead (the notice window: ` +
          "today through the last of those days). A change that alters a day inside the window is allowed with its " +
          "reason and is listed with `shortNotice: true` and the days it altered.",
        params: Type.Object({ id: ID }),
        querystring: Type.Object(
          { days: Type.Integer({ minimum: 1, maximum: SCHEDULE_DAYS_MAX, default: 14 }) },
          { additionalProperties: false },
        ),
        response: { 200: PUBLIC_CALENDAR },
      },
      config: INSTRUMENT_ERRORS,
    },
    async (request) => {
      requireInstrument(request.params.id);
      const controls = exchange.projections.controls.instrument(request.params.id);
      const calendar = controls?.calendar ?? null;
      const nowMs = exchange.clock();
      const window = new Set(noticeWindowDays(calendar, nowMs));
      const today = localDayNumber(nowMs);
      const days = [];
      for (let day = today; day < today + request.query.days; day++) {
        days.push({
          date: isoDateOfDay(day),
          sessions: calendar === null ? [] : sessionsOnDay(calendar, day),
          inNoticeWindow: window.has(day),
        });
      }
      return {
        instrument: request.params.id,
        noticeWorkingDays: CALENDAR_NOTICE_WORKING_DAYS,
        noticeWindowEnd: isoDateOfDay(Math.max(...window)),
        days,
        changes: (controls?.calendarChanges ?? []).map((c) => ({
          seq: c.seq,
          timeMs: c.timeMs,
          reason: c.reason,
          shortNotice: c.shortNoticeDates.length > 0,
          shortNoticeDates: c.shortNoticeDates,
        })),
      };
    },
  );

  api.get<{
    Params: { id: string };
    Querystring: { interval: (typeof CANDLE_INTERVALS)[number]; limit: number; from?: number; format: "json" | "csv" };
  }>(
    "/instruments/:id/candles",
    {
      schema: {
        operationId: "listCandles",
        tags: ["market data"],
        summary: "OHLC candles with volume (UTC-aligned)",
        params: Type.Object({ id: ID }),
        querystring: Type.Object(
          {
            interval: Type.Union(
              CANDLE_INTERVALS.map((i) => Type.Literal(i)),
              { default: "1m" },
            ),
            limit: Type.Integer({ minimum: 1, maximum: 2000, default: 500 }),
            from: Type.Optional(Type.Integer({ minimum: 0, maximum: TIME_MS_MAX, description: "ms since epoch" })),
            format: FORMAT,
          },
          { additionalProperties: false },
        ),
        response: {
          200: jsonOrCsv(Strict({ interval: CANDLE_INTERVAL, candles: Type.Array(CANDLE) }), "Candles, oldest first"),
        },
      },
      config: INSTRUMENT_ERRORS,
    },
    async (request, reply) => {
      requireInstrument(request.params.id);
      const { interval, limit, from, format } = request.query;
      const candles = market.candles(request.params.id, interval, limit, from);
      if (format === "csv") return sendCsv(reply, `${request.params.id}-candles-${interval}`, candlesCsv(candles));
      return { interval, candles: json(candles) };
    },
  );

  api.get<{ Params: { id: string }; Querystring: { limit: number; format: "json" | "csv" } }>(
    "/instruments/:id/sessions",
    {
      schema: {
        operationId: "listSessions",
        tags: ["market data"],
        summary: "Session results: volume, weighted average, high/low, offered vs bought",
        params: Type.Object({ id: ID }),
        querystring: Type.Object({ limit: LIMIT, format: FORMAT }, { additionalProperties: false }),
        response: {
          200: jsonOrCsv(
            Strict({ current: Type.Union([SESSION_RESULT, Type.Null()]), history: Type.Array(SESSION_RESULT) }),
            "The running session (null between sessions) and closed sessions, newest first",
          ),
        },
      },
      config: INSTRUMENT_ERRORS,
    },
    async (request, reply) => {
      requireInstrument(request.params.id);
      const sessions = exchange.projections.sessions;
      const history = sessions.history(request.params.id, request.query.limit);
      if (request.query.format === "csv") return sendCsv(reply, `${request.params.id}-sessions`, sessionsCsv(history));
      return { current: json(sessions.current(request.params.id)), history: json(history) };
    },
  );

  api.get<{ Querystring: { day?: string; format: "json" | "csv" } }>(
    "/indices",
    {
      schema: {
        operationId: "listIndices",
        tags: ["market data"],
        summary: "Official price indices per basis, region and nationally",
        description:
          "The archive is by day: `day` names any past day or today (default: the newest day with indices); a day " +
          "after today is refused. As JSON or CSV; the day's indices in a workbook or a PDF, in English, Russian or " +
          "Kazakh, are in the bulletin (`GET /api/bulletin?day=…&format=xlsx|pdf&lang=…`).",
        querystring: Type.Object({ day: Type.Optional(DATE), format: FORMAT }, { additionalProperties: false }),
        response: {
          200: jsonOrCsv(
            Strict({
              day: Type.Union([Type.String(), Type.Null()]),
              days: Type.Array(Type.String()),
              indices: Type.Array(INDEX_ROW),
              weights: Type.Array(INDEX_WEIGHT),
            }),
            "The indices of a day (default: the latest with any), the days kept, and the national index's weights " +
              "(the method: docs/indices.md)",
          ),
        },
      },
      config: { ...PUBLIC, errors: ["INDICES_DAY_FUTURE"] as const },
    },
    async (request, reply) => {
      const today = localDay(exchange.clock(), EXCHANGE_UTC_OFFSET_MS);
      // A day to come has no indices yet; an empty list would read as a day without trading.
      if (request.query.day !== undefined && request.query.day > today) {
        throw new HttpProblem("INDICES_DAY_FUTURE", { day: request.query.day, today });
      }
      const indices = exchange.projections.indices;
      const day = request.query.day ?? indices.daysKept(1)[0] ?? null;
      const rows = day === null ? [] : indices.all(day);
      if (request.query.format === "csv") {
        const header = [
          "day",
          "product",
          "scope",
          "key",
          "price_tiyn_per_tonne",
          "volume_kg",
          "value_tiyn",
          "sessions",
          "revised_at",
        ];
        const csv = toCsv(
          header,
          rows.map((r) => [
            r.day,
            r.product,
            r.scope,
            r.key,
            r.priceTiynPerTonne,
            r.volumeKg,
            r.valueTiyn,
            r.sessions,
            r.revisedMs === undefined ? null : isoUtc(r.revisedMs),
          ]),
        );
        return sendCsv(reply, `indices-${day ?? "none"}`, csv);
      }
      return { day, days: indices.daysKept(30), indices: json(rows), weights: indices.nationalWeights() };
    },
  );

  api.get<{ Querystring: { day?: string; format: "json" | "csv" | "xlsx" | "pdf"; lang?: Language } }>(
    "/bulletin",
    {
      schema: {
        operationId: "getBulletin",
        tags: ["market data"],
        summary:
          "The daily bulletin: every session of a day, the day's indices, and the regulator's controls with reasons",
        description:
          "The archive is by day: `day` names any past day (default today; a day after today is refused). " +
          "`lang` (or else Accept-Language) " +
          "chooses English, Russian or Kazakh for the controls' summaries and for the XLSX and PDF documents.",
        querystring: Type.Object(
          {
            day: Type.Optional(DATE),
            format: Type.Union([Type.Literal("json"), Type.Literal("csv"), Type.Literal("xlsx"), Type.Literal("pdf")], {
              default: "json",
            }),
            lang: Type.Optional(Type.Union(LANGUAGES.map((l) => Type.Literal(l)))),
          },
          { additionalProperties: false },
        ),
        response: {
          200: withDocuments(
            Strict({
              day: Type.String({ description: "YYYY-MM-DD, exchange local time" }),
              fromMs: EPOCH_MS,
              toMs: EPOCH_MS,
              sessions: Type.Array(BULLETIN_SESSION),
              indices: Type.Array(INDEX_ROW),
              controls: Type.Array(BULLETIN_CONTROL),
              controlsComplete: Type.Boolean({
                description: "false when the day is older than the audit trail kept in memory (the journal has it)",
              }),
            }),
            "The bulletin of a day (default: today in exchange time): sessions that closed that day, the day's " +
              "indices, and the safeguard changes, halts and resumptions of the day",
          ),
        },
      },
      config: { ...PUBLIC, errors: ["BULLETIN_DAY_FUTURE"] as const },
    },
    async (request, reply) => {
      const today = localDay(exchange.clock(), EXCHANGE_UTC_OFFSET_MS);
      const day = request.query.day ?? today;
      // A day to come has no bulletin yet; an empty one would read as a day without trading.
      if (day > today) throw new HttpProblem("BULLETIN_DAY_FUTURE", { day, today });
      const language = request.query.lang ?? languageOf(request);
      const bulletin = dailyBulletin(exchange.projections, day, EXCHANGE_UTC_OFFSET_MS, language);
      const name = `bulletin-${day}-${language}`;
      switch (request.query.format) {
        case "csv":
          return sendCsv(reply, `bulletin-${day}`, bulletinCsv(bulletin));
        case "xlsx":
          return reply
            .header("content-type", XLSX_TYPE)
            .header("content-language", language)
            .header("content-disposition", `attachment; filename="${name}.xlsx"`)
            .send(await bulletinXlsx(bulletin, language));
        case "pdf":
          return reply
            .header("content-type", "application/pdf")
            .header("content-language", language)
            .header("content-disposition", `attachment; filename="${name}.pdf"`)
            .send(await bulletinPdf(bulletin, language));
        default:
          return json(bulletin);
      }
    },
  );

  api.get<{ Querystring: { month?: string; format: "json" | "csv" } }>(
    "/participation",
    {
      schema: {
        operationId: "getParticipation",
        tags: ["market data"],
        summary: "Participation and concentration per instrument in a month: buyers, sellers, top-5 shares, HHI",
        querystring: Type.Object({ month: Type.Optional(MONTH), format: FORMAT }, { additionalProperties: false }),
        response: {
          200: jsonOrCsv(
            Strict({
              month: Nullable(Type.String()),
              months: Type.Array(Type.String()),
              instruments: Type.Array(PARTICIPATION_ROW),
            }),
            "Per instrument, how many members bought and sold in the month, the five largest's share and the HHI " +
              "of each side, naming no one (default: the newest month with trades); and the months kept",
          ),
        },
      },
      config: { ...PUBLIC, errors: ["PARTICIPATION_MONTH_FUTURE"] as const },
    },
    async (request, reply) => {
      const current = localDay(exchange.clock(), EXCHANGE_UTC_OFFSET_MS).slice(0, 7);
      if (request.query.month !== undefined && request.query.month > current) {
        throw new HttpProblem("PARTICIPATION_MONTH_FUTURE", { month: request.query.month, current });
      }
      const participation = exchange.projections.participation;
      const month = request.query.month ?? participation.monthsKept()[0] ?? null;
      const rows = month === null ? [] : participation.month(month);
      if (request.query.format === "csv") {
        const csv = toCsv(
          [
            "month",
            "instrument",
            "trades",
            "volume_kg",
            "buyers",
            "buyers_top5_share_bps",
            "buyers_hhi",
            "sellers",
            "sellers_top5_share_bps",
            "sellers_hhi",
          ],
          rows.map((r) => [
            r.month,
            r.instrument,
            r.trades,
            r.volumeKg,
            r.buyers.participants,
            r.buyers.top5ShareBps,
            r.buyers.hhi,
            r.sellers.participants,
            r.sellers.top5ShareBps,
            r.sellers.hhi,
          ]),
        );
        return sendCsv(reply, `participation-${month ?? "none"}`, csv);
      }
      return { month, months: participation.monthsKept(), instruments: json(rows) };
    },
  );
}
