/**
 * The exchange's documents for members (src/reports has the documents themselves; docs/documents.md the rules):
 * - a trade's exchange contract, as JSON with its SHA-256 and as PDF in Kazakh, Russian or English;
 * - the check of a copy: its SHA-256 against the contract's JSON and PDF forms;
 * - the member's e-invoices (ESF XML, docs/einvoice.xsd) for its delivered obligations;
 * - the daily statement of an account or of its whole member, as JSON, XLSX or PDF.
 *
 * Who may read. Every route is addressed on an account: the account's member's users, the operator and the regulator
 * (`memberRead`); a contract only on an account that is a party to the trade (the seller's or the buyer's), so a
 * member never reads the contract of a trade it was not in. Reads only: nothing here changes the exchange.
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import type { ErrorCode } from "../../domain/errors.ts";
import { TRADE_ID_LENGTH_MAX } from "../../domain/ids.ts";
import { EXCHANGE_UTC_OFFSET_MS, localDay } from "../../projections/numbers.ts";
import { buildContract, contractPdf, contractSha256, sha256Hex } from "../../reports/contract.ts";
import { EINVOICES_EXPORT_MAX, einvoicesXml } from "../../reports/einvoice.ts";
import { DOCUMENT_LANGUAGES, type DocumentLanguage } from "../../reports/labels.ts";
import { buildStatement, statementPdf, statementXlsx } from "../../reports/statement.ts";
import type { RouteContext } from "../context.ts";
import { dayEndDocuments } from "../day-end.ts";
import { HttpProblem, languageOf } from "../errors.ts";
import { CONTRACT_CHECK, CONTRACT_RESULT, DOCUMENT_LANGUAGE, STATEMENT } from "../wire/documents.ts";
import { requireReadAccount } from "./access.ts";
import { ACCOUNT_ID } from "./common.ts";
import { DATE } from "./console.ts";

const strict = { additionalProperties: false } as const;
const tags = ["documents"];
const PRINTABLE = "^[\\x21-\\x7e]+$";

const TRADE_ID = Type.String({ minLength: 1, maxLength: TRADE_ID_LENGTH_MAX, pattern: PRINTABLE });
const CONTRACT_PARAMS = Type.Object({ account: ACCOUNT_ID, trade: TRADE_ID }, strict);
const LANGUAGE_QUERY = Type.Object({ lang: { ...DOCUMENT_LANGUAGE, default: "kk" } }, strict);
const CHECK_QUERY = Type.Object(
  { sha256: Type.String({ pattern: "^[0-9a-fA-F]{64}$", description: "the SHA-256 of the copy, hex" }) },
  strict,
);
const ACCOUNT_PARAMS = Type.Object({ account: ACCOUNT_ID }, strict);
const INVOICES_QUERY = Type.Object({ from: Type.Optional(DATE), to: Type.Optional(DATE) }, strict);
const STATEMENT_PARAMS = Type.Object({ account: ACCOUNT_ID, date: DATE }, strict);
const SCOPE = Type.Union([Type.Literal("account"), Type.Literal("member")], {
  default: "account",
  description: "account: this account only; member: every account of its member",
});
const STATEMENT_QUERY = Type.Object({ scope: SCOPE }, strict);
/**
 * The workbook and the PDF are in `lang`, else in the reader's language (errors.ts `languageOf`): the PDF was Kazakh
 * whatever the reader's language when `lang` was left out, while the workbook followed it.
 */
const STATEMENT_DOCUMENT_QUERY = Type.Object({ scope: SCOPE, lang: Type.Optional(DOCUMENT_LANGUAGE) }, strict);

const PDF = (description: string) => ({
  description,
  content: { "application/pdf": { schema: Type.String({ format: "binary" }) } },
});

export const CONTRACT_ERRORS = ["CONTRACT_NOT_FOUND"] as const;
const STATEMENT_ERRORS = [
  "ACCOUNT_NOT_FOUND",
  "STATEMENT_DAY_FUTURE",
  "STATEMENT_DAY_BEFORE_MEMBER",
  "DOCUMENTS_BUSY",
] as const;

export function documentRoutes(api: FastifyInstance, context: RouteContext): void {
  const projections = context.exchange.projections;

  /** The trade's facts, if the account is a party to it. */
  const partyFacts = (account: string, trade: string) => {
    const facts = projections.contracts.facts(trade);
    if (facts === null || (facts.seller.account !== account && facts.buyer.account !== account)) {
      throw new HttpProblem("CONTRACT_NOT_FOUND", { trade, account });
    }
    return facts;
  };

  const memberOf = (account: string) => {
    const member = projections.accounts.info(account)?.member;
    if (member === undefined) throw new HttpProblem("ACCOUNT_NOT_FOUND", { id: account });
    return member;
  };

  // The state at the end of the day (gateway/day-end.ts): rebuilt from the journal for a day the journal has passed.
  const statementOf = async (account: string, date: string, scope: "account" | "member") => {
    const member = memberOf(account);
    refuseDayOutside(context, member, date, { future: "STATEMENT_DAY_FUTURE", before: "STATEMENT_DAY_BEFORE_MEMBER" });
    const views = await dayEndDocuments(context.exchange).viewsOf(date);
    const accounts =
      scope === "account"
        ? [account]
        : views.accounts.accountIds().filter((id) => views.accounts.info(id)?.member === member);
    // The member named as known now: on a day before its admission the day's views do not know it yet.
    const memberNow = context.exchange.projections.contracts.member(member);
    return buildStatement(views, member, accounts, scope, date, EXCHANGE_UTC_OFFSET_MS, memberNow);
  };

  api.get<{ Params: Static<typeof CONTRACT_PARAMS> }>(
    "/accounts/:account/contracts/:trade",
    {
      schema: {
        operationId: "getContract",
        tags,
        summary: "A trade's exchange contract as JSON, with the SHA-256 of its canonical form",
        params: CONTRACT_PARAMS,
        response: { 200: CONTRACT_RESULT },
      },
      config: { access: "memberRead", errors: CONTRACT_ERRORS },
    },
    async (request) => {
      const { account, trade } = request.params;
      requireReadAccount(context, request, account, "read contracts");
      const contract = buildContract(partyFacts(account, trade));
      return { contract, sha256: contractSha256(contract) };
    },
  );

  api.get<{ Params: Static<typeof CONTRACT_PARAMS>; Querystring: Static<typeof LANGUAGE_QUERY> }>(
    "/accounts/:account/contracts/:trade/pdf",
    {
      schema: {
        operationId: "getContractPdf",
        tags,
        summary: "A trade's exchange contract as PDF in Kazakh, Russian or English (a working copy)",
        params: CONTRACT_PARAMS,
        querystring: LANGUAGE_QUERY,
        response: { 200: PDF("The contract; the same trade and language always give the same bytes") },
      },
      config: { access: "memberRead", errors: CONTRACT_ERRORS },
    },
    async (request, reply) => {
      const { account, trade } = request.params;
      requireReadAccount(context, request, account, "read contracts");
      const contract = buildContract(partyFacts(account, trade));
      const pdf = await contractPdf(contract, request.query.lang as DocumentLanguage);
      return reply
        .header("content-type", "application/pdf")
        .header("content-disposition", `attachment; filename="${contract.contract}-${request.query.lang}.pdf"`)
        .send(pdf);
    },
  );

  api.get<{ Params: Static<typeof CONTRACT_PARAMS>; Querystring: Static<typeof CHECK_QUERY> }>(
    "/accounts/:account/contracts/:trade/verify",
    {
      schema: {
        operationId: "verifyContract",
        tags,
        summary: "Checks a copy of a trade's contract by its SHA-256: the JSON form's or a PDF's",
        params: CONTRACT_PARAMS,
        querystring: CHECK_QUERY,
        response: { 200: CONTRACT_CHECK },
      },
      config: { access: "memberRead", errors: CONTRACT_ERRORS },
    },
    async (request) => {
      const { account, trade } = request.params;
      requireReadAccount(context, request, account, "verify contracts");
      const sha256 = request.query.sha256.toLowerCase();
      const contract = buildContract(partyFacts(account, trade));
      const contractHash = contractSha256(contract);
      let form: "json" | "pdf-kk" | "pdf-ru" | "pdf-en" | null = contractHash === sha256 ? "json" : null;
      // The PDFs are rendered only when the JSON form does not match (about half a second each).
      for (const language of DOCUMENT_LANGUAGES) {
        if (form !== null) break;
        if (sha256Hex(await contractPdf(contract, language)) === sha256) form = `pdf-${language}`;
      }
      return { trade, sha256, match: form !== null, form, contractSha256: contractHash };
    },
  );

  api.get<{ Params: Static<typeof ACCOUNT_PARAMS>; Querystring: Static<typeof INVOICES_QUERY> }>(
    "/accounts/:account/einvoices",
    {
      schema: {
        operationId: "exportEinvoices",
        tags,
        summary: `The member's e-invoices (ESF XML, docs/einvoice.xsd) for its delivered obligations, by delivery date; at most ${EINVOICES_EXPORT_MAX}`,
        params: ACCOUNT_PARAMS,
        querystring: INVOICES_QUERY,
        response: {
          200: {
            description: "One <invoice> per delivered obligation where both parties have a BIN",
            content: { "application/xml": { schema: Type.String() } },
          },
        },
      },
      config: { access: "memberRead", errors: ["ACCOUNT_NOT_FOUND", "EINVOICE_PERIOD_REVERSED"] as const },
    },
    async (request, reply) => {
      const { account } = request.params;
      requireReadAccount(context, request, account, "export e-invoices");
      const member = memberOf(account);
      const range = { from: request.query.from ?? null, to: request.query.to ?? null };
      // A reversed period would answer an empty, valid-looking export: refused instead, naming both days.
      if (range.from !== null && range.to !== null && range.from > range.to) {
        throw new HttpProblem("EINVOICE_PERIOD_REVERSED", { from: range.from, to: range.to });
      }
      const exported = einvoicesXml(member, projections.contracts.ofMember(member), range, EXCHANGE_UTC_OFFSET_MS);
      return reply
        .header("content-type", "application/xml; charset=utf-8")
        .header("content-disposition", `attachment; filename="esf-${member}.xml"`)
        .send(exported.xml);
    },
  );

  api.get<{ Params: Static<typeof STATEMENT_PARAMS>; Querystring: Static<typeof STATEMENT_QUERY> }>(
    "/accounts/:account/statements/:date",
    {
      schema: {
        operationId: "getStatement",
        tags,
        summary: "The daily statement of an account or its member: trades, fees, collateral, obligations, deliveries",
        params: STATEMENT_PARAMS,
        querystring: STATEMENT_QUERY,
        response: { 200: STATEMENT },
      },
      config: { access: "memberRead", errors: STATEMENT_ERRORS },
    },
    async (request) => {
      const { account, date } = request.params;
      requireReadAccount(context, request, account, "read statements");
      return statementOf(account, date, request.query.scope);
    },
  );

  api.get<{ Params: Static<typeof STATEMENT_PARAMS>; Querystring: Static<typeof STATEMENT_DOCUMENT_QUERY> }>(
    "/accounts/:account/statements/:date/xlsx",
    {
      schema: {
        operationId: "getStatementXlsx",
        tags,
        summary: "The daily statement as an XLSX workbook (summary, trades, obligations, deliveries)",
        description:
          "In `lang`, else the reader's language (a saved language, else Accept-Language). Times are Kazakhstan " +
          "time (UTC+5) as dd.MM.yyyy HH:mm, as on the PDF; each sheet with times ends with the same instants as ISO 8601 " +
          "UTC text for programs.",
        params: STATEMENT_PARAMS,
        querystring: STATEMENT_DOCUMENT_QUERY,
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
      config: { access: "memberRead", errors: STATEMENT_ERRORS },
    },
    async (request, reply) => {
      const { account, date } = request.params;
      requireReadAccount(context, request, account, "read statements");
      const statement = await statementOf(account, date, request.query.scope);
      const language = (request.query.lang as DocumentLanguage | undefined) ?? languageOf(request);
      return reply
        .header("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .header("content-language", language)
        .header("content-disposition", `attachment; filename="statement-${statement.member}-${date}.xlsx"`)
        .send(await statementXlsx(statement, language));
    },
  );

  api.get<{ Params: Static<typeof STATEMENT_PARAMS>; Querystring: Static<typeof STATEMENT_DOCUMENT_QUERY> }>(
    "/accounts/:account/statements/:date/pdf",
    {
      schema: {
        operationId: "getStatementPdf",
        tags,
        summary: "The daily statement as PDF in Kazakh, Russian or English",
        description: "In `lang`, else the reader's language (a saved language, else Accept-Language).",
        params: STATEMENT_PARAMS,
        querystring: STATEMENT_DOCUMENT_QUERY,
        response: { 200: PDF("The statement") },
      },
      config: { access: "memberRead", errors: STATEMENT_ERRORS },
    },
    async (request, reply) => {
      const { account, date } = request.params;
      requireReadAccount(context, request, account, "read statements");
      const statement = await statementOf(account, date, request.query.scope);
      const language = (request.query.lang as DocumentLanguage | undefined) ?? languageOf(request);
      return reply
        .header("content-type", "application/pdf")
        .header("content-language", language)
        .header("content-disposition", `attachment; filename="statement-${statement.member}-${date}.pdf"`)
        .send(await statementPdf(statement, language));
    },
  );
}

/**
 * The first day (exchange time, yyyy-mm-dd) a member's statements are given for: the day it was admitted. Null for
 * a member the exchange does not know. GET /api/accounts gives it with each account (`statementsFrom`), so a page
 * offers no earlier day.
 */
export function statementsFromOf(context: RouteContext, member: string): string | null {
  const added = context.exchange.projections.controls.member(member)?.added;
  return added === undefined ? null : localDay(added.timeMs, EXCHANGE_UTC_OFFSET_MS);
}

/**
 * A member's day-end document (statement, clearing report) is for a day from its admission to today on the exchange's
 * clock (UTC+5): a day after today has nothing to report yet and a day before the admission nothing at all, so each is
 * refused with the document's own code rather than answered with an empty document (or, for a later day, today's
 * state under that day's date). The member's existence is checked by the caller (ACCOUNT_NOT_FOUND).
 */
export function refuseDayOutside(
  context: RouteContext,
  member: string,
  date: string,
  codes: { readonly future: ErrorCode; readonly before: ErrorCode },
): void {
  const today = localDay(context.exchange.clock(), EXCHANGE_UTC_OFFSET_MS);
  if (date > today) throw new HttpProblem(codes.future, { date, today });
  const since = statementsFromOf(context, member);
  if (since !== null && date < since) throw new HttpProblem(codes.before, { date, member, since });
}
