/**
 * The rulebook's remedies over HTTP (engine/remedies.ts has the rules; docs/market-rules.md §10):
 * - negotiated (addressed) deals: the seller's trader registers a deal agreed off the book with a buyer account, the
 *   buyer's trader accepts or rejects it, either side may withdraw it (reject) until it is answered; both read the
 *   pending deals of their account;
 * - the operator opens an extra session for re-offered volume and lists the re-offers waiting;
 * - the clearing report of a member for a day (reports/clearing-report.ts) as JSON, XLSX and PDF, on any of its
 *   accounts: the member's users, the operator and the regulator read it.
 *
 * Who may do what: deal changes are a trader's act on its own member's account (`memberTrade`, CSRF for a session);
 * the engine then checks the account is the deal's buyer (accept) or a party (reject). Every answer comes once the
 * command is durable.
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { ORDER_PRICE_MAX, ORDER_QUANTITY_MAX } from "../../domain/order.ts";
import type { EngineEvent } from "../../engine/events.ts";
import { EXCHANGE_UTC_OFFSET_MS } from "../../projections/numbers.ts";
import { buildClearingReport, clearingReportPdf, clearingReportXlsx } from "../../reports/clearing-report.ts";
import type { DocumentLanguage } from "../../reports/labels.ts";
import type { RouteContext } from "../context.ts";
import { dayEndDocuments } from "../day-end.ts";
import { HttpProblem, languageOf } from "../errors.ts";
import { OBLIGATION } from "../wire/accounts.ts";
import { Nullable, PRICE_TIYN_PER_TONNE, SEQ, Strict, TEXT } from "../wire/base.ts";
import { DOCUMENT_LANGUAGE } from "../wire/documents.ts";
import { CLEARING_REPORT, DEALS, dealWire, NEGOTIATED_DEAL, REOFFER, REOFFERS } from "../wire/remedies.ts";
import { metaOf, requireReadAccount, requireTradeAccount } from "./access.ts";
import { ACCOUNT_ID, ID, json, REASON, throwIfRejected } from "./common.ts";
import {
  CONSOLE_READ,
  DATE,
  OPERATOR_CHANGE,
  requireConsoleChange,
  requireConsoleRead,
  requireListed,
  submitChecked,
} from "./console.ts";
import { refuseDayOutside } from "./documents.ts";

const strict = { additionalProperties: false } as const;
const tags = ["remedies"];

const ACCOUNT_PARAMS = Type.Object({ account: ACCOUNT_ID }, strict);
const DEAL_ID = Type.String({ minLength: 1, maxLength: 40, pattern: "^ND-\\d+$", description: "ND-<seq>" });
const DEAL_PARAMS = Type.Object({ account: ACCOUNT_ID, deal: DEAL_ID }, strict);
const INSTRUMENT_PARAMS = Type.Object({ id: ID }, strict);
const REPORT_PARAMS = Type.Object({ account: ACCOUNT_ID, date: DATE }, strict);

/** A workbook or PDF is in `lang`, else in the reader's language (errors.ts `languageOf`), as the statement's. */
const DOCUMENT_QUERY = Type.Object({ lang: Type.Optional(DOCUMENT_LANGUAGE) }, strict);
const NO_BODY = Type.Object({}, { ...strict, examples: [{}] });

const SUBMIT = Type.Object(
  {
    instrument: ID,
    buyer: { ...ACCOUNT_ID, description: "the counterparty's account" },
    priceTiynPerTonne: Type.Integer({ minimum: 1, maximum: ORDER_PRICE_MAX, description: "tiyn per tonne" }),
    quantityKg: Type.Integer({ minimum: 1, maximum: ORDER_QUANTITY_MAX, description: "kg, whole lots" }),
  },
  {
    ...strict,
    examples: [
      {
        instrument: "PB-KAZGPZ-MANGYSTAU-2026-12",
        buyer: "AKTAU-STATIONS-1",
        priceTiynPerTonne: 13_300_000,
        quantityKg: 20_000,
      },
    ],
  },
);
const EXTRA = Type.Object(
  { reason: REASON },
  { ...strict, examples: [{ reason: "re-offer of the volume of trade T-…-S4-2, voided under Rulebook 4.2" }] },
);

const PRICE_ERRORS = [
  "INSTRUMENT_NOT_FOUND",
  "INSTRUMENT_NOT_CLEARED",
  "PHASE_CLOSED",
  "EXTRA_SESSION_SELL_FORBIDDEN",
  "ORDER_PRICE_OFF_TICK",
  "ORDER_PRICE_OUTSIDE_BAND",
  "ORDER_PRICE_ABOVE_CEILING",
  "ORDER_PRICE_BELOW_FLOOR",
  "ORDER_QUANTITY_OFF_LOT",
  "ACCOUNT_NOT_FOUND",
  "ACCOUNT_ROLE_FORBIDDEN",
  "ACCOUNT_NOT_ELIGIBLE",
  "MEMBER_SUSPENDED",
  "RISK_INSUFFICIENT_VOLUME",
] as const;
export const SUBMIT_ERRORS = [...PRICE_ERRORS, "NEGOTIATED_SAME_ACCOUNT", "NEGOTIATED_PENDING_LIMIT"] as const;
export const ACCEPT_ERRORS = [
  ...PRICE_ERRORS,
  "NEGOTIATED_NOT_FOUND",
  "NEGOTIATED_NOT_PARTY",
  "RISK_INSUFFICIENT_FUNDS",
] as const;
export const EXTRA_SESSION_ERRORS = [
  "INSTRUMENT_NOT_FOUND",
  "INSTRUMENT_NOT_CLEARED",
  "PHASE_TRANSITION_INVALID",
  "EXTRA_SESSION_NOT_CLOSED",
  "REOFFER_NONE",
  "EXTRA_SESSION_SELLERS_RESTING",
  "AUCTION_REFERENCE_PRICE_REQUIRED",
] as const;

/** A clearing report is for a day from the member's admission to today (documents.ts `refuseDayOutside`). */
const REPORT_ERRORS = [
  "ACCOUNT_NOT_FOUND",
  "CLEARING_REPORT_DAY_FUTURE",
  "CLEARING_REPORT_DAY_BEFORE_MEMBER",
  "DOCUMENTS_BUSY",
] as const;

const PDF = (description: string) => ({
  description,
  content: { "application/pdf": { schema: Type.String({ format: "binary" }) } },
});

export function remedyRoutes(api: FastifyInstance, context: RouteContext): void {
  const { exchange } = context;
  const projections = exchange.projections;

  const dealOf = (events: readonly EngineEvent[]) => {
    const event = events.find((e) => e.type === "negotiated.submitted");
    if (event?.type !== "negotiated.submitted") throw new Error("a registered deal has its event");
    return dealWire(event.deal);
  };

  api.post<{ Params: Static<typeof ACCOUNT_PARAMS>; Body: Static<typeof SUBMIT> }>(
    "/accounts/:account/negotiated",
    {
      schema: {
        operationId: "submitNegotiatedDeal",
        tags,
        summary: "The seller registers a deal agreed off the book with a buyer account, for the buyer to accept",
        params: ACCOUNT_PARAMS,
        body: SUBMIT,
        response: { 201: { ...Strict({ seq: SEQ, deal: NEGOTIATED_DEAL }), description: "Registered (durable)" } },
      },
      config: { access: "memberTrade", errors: SUBMIT_ERRORS },
    },
    async (request, reply) => {
      const { account } = request.params;
      requireTradeAccount(context, request, account, "register negotiated deals");
      const body = request.body;
      const outcome = await exchange.submit(
        {
          type: "negotiated.submit",
          instrument: body.instrument,
          seller: account,
          buyer: body.buyer,
          price: body.priceTiynPerTonne,
          quantity: body.quantityKg,
        },
        metaOf(request),
      );
      throwIfRejected(outcome);
      reply.code(201);
      return { seq: outcome.seq, deal: dealOf(outcome.events) };
    },
  );

  api.get<{ Params: Static<typeof ACCOUNT_PARAMS> }>(
    "/accounts/:account/negotiated",
    {
      schema: {
        operationId: "listNegotiatedDeals",
        tags,
        summary: "The negotiated deals waiting for an answer that the account sells or buys in, oldest first",
        params: ACCOUNT_PARAMS,
        response: { 200: DEALS },
      },
      config: { access: "memberRead" },
    },
    async (request) => {
      const { account } = request.params;
      requireReadAccount(context, request, account, "read negotiated deals");
      const deals = projections.remedies.dealsOf(account).map(dealWire);
      return { count: deals.length, deals };
    },
  );

  api.post<{ Params: Static<typeof DEAL_PARAMS>; Body: Static<typeof NO_BODY> }>(
    "/accounts/:account/negotiated/:deal/accept",
    {
      schema: {
        operationId: "acceptNegotiatedDeal",
        tags,
        summary: "The buyer accepts a negotiated deal: it trades (marked negotiated) and clears like a book trade",
        params: DEAL_PARAMS,
        body: NO_BODY,
        response: {
          200: Strict({
            seq: SEQ,
            tradeId: TEXT,
            priceTiynPerTonne: PRICE_TIYN_PER_TONNE,
            obligation: Nullable(OBLIGATION),
          }),
        },
      },
      config: { access: "memberTrade", errors: ACCEPT_ERRORS },
    },
    async (request) => {
      const { account, deal } = request.params;
      requireTradeAccount(context, request, account, "accept negotiated deals");
      const outcome = await exchange.submit({ type: "negotiated.accept", deal, account }, metaOf(request));
      throwIfRejected(outcome);
      const trade = outcome.events.find((e) => e.type === "trade.negotiated");
      if (trade?.type !== "trade.negotiated") throw new Error("an accepted deal has its trade");
      const obligation = projections.accounts.obligations(account).find((o) => o.tradeId === trade.tradeId) ?? null;
      return { seq: outcome.seq, tradeId: trade.tradeId, priceTiynPerTonne: trade.price, obligation: json(obligation) };
    },
  );

  api.post<{ Params: Static<typeof DEAL_PARAMS>; Body: Static<typeof NO_BODY> }>(
    "/accounts/:account/negotiated/:deal/reject",
    {
      schema: {
        operationId: "rejectNegotiatedDeal",
        tags,
        summary: "The buyer rejects a negotiated deal, or the seller withdraws it",
        params: DEAL_PARAMS,
        body: NO_BODY,
        response: { 200: Strict({ seq: SEQ }) },
      },
      config: { access: "memberTrade", errors: ["NEGOTIATED_NOT_FOUND", "NEGOTIATED_NOT_PARTY"] },
    },
    async (request) => {
      const { account, deal } = request.params;
      requireTradeAccount(context, request, account, "answer negotiated deals");
      const outcome = await exchange.submit({ type: "negotiated.reject", deal, account }, metaOf(request));
      throwIfRejected(outcome);
      return { seq: outcome.seq };
    },
  );

  api.post<{ Params: Static<typeof INSTRUMENT_PARAMS>; Body: Static<typeof EXTRA> }>(
    "/admin/instruments/:id/extra-session",
    {
      schema: {
        operationId: "openExtraSession",
        tags,
        summary:
          "Opens an extra session for the re-offered volume of voided trades, at the previous session's weighted average",
        params: INSTRUMENT_PARAMS,
        body: EXTRA,
        response: {
          200: Strict({ seq: SEQ, basePriceTiynPerTonne: PRICE_TIYN_PER_TONNE, reoffers: Type.Array(REOFFER) }),
        },
      },
      config: { ...OPERATOR_CHANGE, errors: EXTRA_SESSION_ERRORS },
    },
    async (request) => {
      requireConsoleChange(request, "operator", "open extra sessions");
      // The engine refuses an extra session on an instrument that has not closed as a phase transition it cannot make
      // (its refusal is journaled and stays as it is); the operator is told plainly, with the phase it is in now.
      const { phase } = requireListed(context, request.params.id);
      if (phase !== "closed") {
        throw new HttpProblem("EXTRA_SESSION_NOT_CLOSED", { instrument: request.params.id, phase });
      }
      const outcome = await submitChecked(context, request, {
        type: "session.extra",
        instrument: request.params.id,
        reason: request.body.reason,
      });
      const opened = outcome.events.find((e) => e.type === "session.extraOpened");
      if (opened?.type !== "session.extraOpened") throw new Error("an extra session has its event");
      const reoffers = outcome.events.flatMap((e) => (e.type === "reoffer.offered" ? [e.reoffer] : []));
      return { seq: outcome.seq, basePriceTiynPerTonne: opened.basePrice, reoffers };
    },
  );

  api.get(
    "/admin/reoffers",
    {
      schema: {
        operationId: "listReoffers",
        tags,
        summary: "Re-offered volume of voided trades waiting for, or running in, an extra session",
        response: { 200: REOFFERS },
      },
      config: CONSOLE_READ,
    },
    async (request) => {
      requireConsoleRead(request, "read re-offers");
      const reoffers = projections.remedies.pendingReoffers();
      return { count: reoffers.length, reoffers };
    },
  );

  // The state at the end of the day (gateway/day-end.ts): rebuilt from the journal for a day the journal has passed.
  const reportOf = async (account: string, date: string) => {
    const member = projections.accounts.info(account)?.member;
    if (member === undefined) throw new HttpProblem("ACCOUNT_NOT_FOUND", { id: account });
    refuseDayOutside(context, member, date, {
      future: "CLEARING_REPORT_DAY_FUTURE",
      before: "CLEARING_REPORT_DAY_BEFORE_MEMBER",
    });
    const views = await dayEndDocuments(exchange).viewsOf(date);
    const accounts = views.accounts.accountIds().filter((id) => views.accounts.info(id)?.member === member);
    return buildClearingReport(views, member, accounts, date, views.lastTimeMs, EXCHANGE_UTC_OFFSET_MS);
  };

  api.get<{ Params: Static<typeof REPORT_PARAMS> }>(
    "/accounts/:account/clearing-reports/:date",
    {
      schema: {
        operationId: "getClearingReport",
        tags,
        summary:
          "The clearing report of the account's member for a day: obligations, netted money, collateral, margin calls",
        params: REPORT_PARAMS,
        response: { 200: CLEARING_REPORT },
      },
      config: { access: "memberRead", errors: REPORT_ERRORS },
    },
    async (request) => {
      const { account, date } = request.params;
      requireReadAccount(context, request, account, "read clearing reports");
      return reportOf(account, date);
    },
  );

  api.get<{ Params: Static<typeof REPORT_PARAMS>; Querystring: Static<typeof DOCUMENT_QUERY> }>(
    "/accounts/:account/clearing-reports/:date/xlsx",
    {
      schema: {
        operationId: "getClearingReportXlsx",
        tags,
        summary: "The clearing report as an XLSX workbook (summary, obligations, collateral, margin calls)",
        description:
          "In `lang`, else the reader's language (a saved language, else Accept-Language). Times are Kazakhstan " +
          "time (UTC+5) as dd.MM.yyyy HH:mm, as on the PDF; each sheet with times ends with the same instants as ISO 8601 " +
          "UTC text for programs.",
        params: REPORT_PARAMS,
        querystring: DOCUMENT_QUERY,
        response: {
          200: {
            description: "The workbook",
            content: {
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                schema: Type.String({ format: "binary" }),
              },
            },
          },
        },
      },
      config: { access: "memberRead", errors: REPORT_ERRORS },
    },
    async (request, reply) => {
      const { account, date } = request.params;
      requireReadAccount(context, request, account, "read clearing reports");
      const report = await reportOf(account, date);
      const language = (request.query.lang as DocumentLanguage | undefined) ?? languageOf(request);
      return reply
        .header("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .header("content-language", language)
        .header("content-disposition", `attachment; filename="clearing-${report.member}-${date}.xlsx"`)
        .send(await clearingReportXlsx(report, language));
    },
  );

  api.get<{ Params: Static<typeof REPORT_PARAMS>; Querystring: Static<typeof DOCUMENT_QUERY> }>(
    "/accounts/:account/clearing-reports/:date/pdf",
    {
      schema: {
        operationId: "getClearingReportPdf",
        tags,
        summary: "The clearing report as PDF in Kazakh, Russian or English",
        params: REPORT_PARAMS,
        querystring: DOCUMENT_QUERY,
        response: { 200: PDF("The clearing report") },
      },
      config: { access: "memberRead", errors: REPORT_ERRORS },
    },
    async (request, reply) => {
      const { account, date } = request.params;
      requireReadAccount(context, request, account, "read clearing reports");
      const report = await reportOf(account, date);
      const language = (request.query.lang as DocumentLanguage | undefined) ?? languageOf(request);
      return reply
        .header("content-type", "application/pdf")
        .header("content-language", language)
        .header("content-disposition", `attachment; filename="clearing-${report.member}-${date}.pdf"`)
        .send(await clearingReportPdf(report, language));
    },
  );
}
