/**
 * The access-control matrix: every route the server registers × every kind of caller → the expected answer class
 * (2xx, 401 or 403), over real HTTP (and a real WebSocket upgrade for the stream). The route list is read from the
 * built app, so a new route fails the first test until it is given a row here. Member data is addressed on the
 * account of the member `AKTAU`: its trader is the owner, `ATYRAU`'s trader is another member.
 *
 * Each row sends a request that is valid in shape (authentication and a route's roles come before validation, but
 * the rest of authorisation, as an account's owner, after it, so a malformed request would say little about access;
 * test/gateway/auth-before-validation.test.ts covers malformed ones) and, for the callers allowed to, succeeds. Callers refused go first and must change
 * nothing; the allowed ones go last.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { Command } from "../../src/engine/commands.ts";
import { LabCatalog } from "../../src/gateway/lab/catalog.ts";
import { TOTP_PERIOD_S, totpCode } from "../../src/gateway/second-factor.ts";
import { sign } from "../../src/gateway/signing.ts";
import { type RouteKey, registeredRoutes, routeName } from "../support/routes.ts";
import {
  INSTRUMENT,
  PASSWORD,
  SETUP as SERVER_SETUP,
  type Session,
  T0,
  TERMS,
  TestServer,
  USERS,
} from "../support/server.ts";

const CALLERS = [
  "anonymous",
  "viewer",
  "owner",
  "other",
  "operator",
  "regulator",
  "ownerReadKey",
  "operatorReadKey",
  "regulatorReadKey",
  "admin",
] as const;
type Caller = (typeof CALLERS)[number];
type Answer = "2xx" | "401" | "403";

/** The user behind each signed-in caller (sessions and read-only API keys). */
const USER_OF: Readonly<Record<Exclude<Caller, "anonymous">, string>> = {
  viewer: "aktau-viewer",
  owner: "aktau-trader",
  other: "atyrau-trader",
  operator: "operator",
  regulator: "regulator",
  ownerReadKey: "aktau-trader",
  operatorReadKey: "operator",
  regulatorReadKey: "regulator",
  admin: "aktau-admin",
};

/**
 * Who gets what, per policy. Columns: anonymous, viewer (AKTAU), owner (AKTAU's trader), other (ATYRAU's trader),
 * operator, regulator, read-only API keys of the owner, the operator and the regulator, and AKTAU's administrator.
 */
const POLICIES = {
  //               anon   viewer owner  other  oper   regul  ownKey opKey  regKey  admin
  public: row("2xx   2xx    2xx    2xx    2xx    2xx    2xx    2xx    2xx    2xx"),
  signedIn: row("401   2xx    2xx    2xx    2xx    2xx    2xx    2xx    2xx    2xx"),
  person: row("401   2xx    2xx    2xx    2xx    2xx    403    403    403    2xx"),
  memberRead: row("401   2xx    2xx    403    2xx    2xx    2xx    2xx    2xx    2xx"),
  memberTrade: row("401   403    2xx    403    403    403    403    403    403    403"),
  memberOwn: row("401   2xx    2xx    2xx    403    403    2xx    403    403    2xx"),
  memberOwnChange: row("401   403    2xx    2xx    403    403    403    403    403    2xx"),
  consoleRead: row("401   403    403    403    2xx    2xx    403    2xx    2xx    403"),
  operatorChange: row("401   403    403    403    2xx    403    403    403    403    403"),
  operatorRead: row("401   403    403    403    2xx    403    403    2xx    403    403"),
  regulatorChange: row("401   403    403    403    403    2xx    403    403    403    403"),
  memberAdmin: row("401   403    403    403    403    403    403    403    403    2xx"),
} as const;
type Policy = keyof typeof POLICIES;

function row(text: string): Readonly<Record<Caller, Answer>> {
  const answers = text.trim().split(/\s+/) as Answer[];
  if (answers.length !== CALLERS.length) throw new Error(`policy row ${text} has ${answers.length} answers`);
  return Object.fromEntries(CALLERS.map((caller, i) => [caller, answers[i]!])) as Record<Caller, Answer>;
}

interface Row {
  readonly route: string;
  readonly policy: Policy;
  /** The concrete path (default: the route's URL). */
  readonly path?: string;
  readonly body?: (caller: Caller) => unknown;
  /** Signed-in callers use a new session for this row (signing out ends the session it is sent with). */
  readonly freshSession?: boolean;
  /** The owner is this user instead (a producer's trader, for what only producers do). */
  readonly ownerUser?: string;
  readonly websocket?: boolean;
}

const REASON = { reason: "access matrix" };
/** A two-day policy lab run: every caller allowed asks for the same one, whose id is a hash of the simulation. */
const LAB_RUN = { scenario: "baseline-2021", days: 2 };
const LAB_RUN_ID = new LabCatalog().resolve(LAB_RUN).id;
const M = "MX";
const MX_APPLICATION = {
  company: "Matrix refinery LLP",
  bin: "990000000000",
  kind: "producer",
  documents: { registration: "MX-REG", vat: { certificate: "MX-VAT", years: 3 }, stations: [] },
};
const MX_INSTRUMENT = "MX-I";

/** Rows run in this order: later rows may rely on what earlier ones did (suspend before reinstate). */
const ROWS: readonly Row[] = [
  { route: "GET /", policy: "public" },
  { route: "GET /docs", policy: "public" },
  { route: "GET /docs/", policy: "public" },
  { route: "GET /docs/static/index.html", policy: "public" },
  { route: "GET /docs/static/swagger-initializer.js", policy: "public" },
  { route: "GET /docs/static/theme/sauda-signing.js", policy: "public" },
  { route: "GET /docs/*", policy: "public", path: "/docs/static/swagger-ui.css" },
  { route: "GET /docs/json", policy: "public" },
  { route: "GET /docs/yaml", policy: "public" },
  { route: "GET /metrics", policy: "operatorRead" },
  { route: "GET /api/journal/checkpoints", policy: "public" },
  { route: "GET /api/health", policy: "public" },
  { route: "GET /api/instruments", policy: "public" },
  { route: "GET /api/instruments/:id", policy: "public", path: `/api/instruments/${INSTRUMENT}` },
  { route: "GET /api/instruments/:id/book", policy: "public", path: `/api/instruments/${INSTRUMENT}/book` },
  { route: "GET /api/instruments/:id/trades", policy: "public", path: `/api/instruments/${INSTRUMENT}/trades` },
  { route: "GET /api/instruments/:id/candles", policy: "public", path: `/api/instruments/${INSTRUMENT}/candles` },
  { route: "GET /api/instruments/:id/sessions", policy: "public", path: `/api/instruments/${INSTRUMENT}/sessions` },
  { route: "GET /api/instruments/:id/calendar", policy: "public", path: `/api/instruments/${INSTRUMENT}/calendar` },
  { route: "GET /api/indices", policy: "public" },
  { route: "GET /api/bulletin", policy: "public" },
  { route: "GET /api/participation", policy: "public" },
  { route: "GET /api/outages", policy: "public" },
  {
    route: "GET /api/regulator/reports/weekly",
    policy: "consoleRead",
    path: "/api/regulator/reports/weekly?week=2025-12-29",
  },
  {
    route: "GET /api/regulator/reports/orders",
    policy: "consoleRead",
    path: "/api/regulator/reports/orders?day=2026-01-01",
  },
  {
    route: "POST /api/outages",
    policy: "memberTrade",
    // Only producers publish outages: the owner here is KazGPZ's trader; AKTAU's and ATYRAU's are buyers.
    ownerUser: "kazgpz-trader",
    body: () => ({
      basis: "KAZGPZ",
      kind: "planned",
      fromMs: T0 + 86_400_000,
      toMs: T0 + 2 * 86_400_000,
      volumeKg: 1_000_000,
      reason: "access matrix",
    }),
  },
  { route: "GET /api/session", policy: "public" },
  { route: "POST /api/session", policy: "public", body: () => ({ user: "aktau-viewer", password: PASSWORD }) },
  { route: "GET /api/stream", policy: "public", websocket: true },
  { route: "GET /api/asyncapi.json", policy: "public" },
  { route: "GET /api/accounts", policy: "signedIn" },
  // Each person begins a setup, confirms it with a code of the secret their app was given, and removes it with a code
  // of the next step (a code is good once).
  { route: "POST /api/session/second-factor", policy: "person" },
  {
    route: "POST /api/session/second-factor/confirm",
    policy: "person",
    body: (caller) => {
      const setup = caller === "anonymous" ? null : server.secondFactors.pendingSetup(USER_OF[caller]);
      return { code: setup === null ? "000000" : totpCode(setup.secret, server.nowMs) };
    },
  },
  {
    route: "DELETE /api/session/second-factor",
    policy: "person",
    body: (caller) => {
      const secret = caller === "anonymous" ? null : server.users.secondFactorSecret(USER_OF[caller]);
      if (secret === null || POLICIES.person[caller] !== "2xx") return { code: "000000" };
      server.nowMs += TOTP_PERIOD_S * 1000;
      return { code: totpCode(secret, server.nowMs) };
    },
  },
  // Null (follow Accept-Language): the rows after this one read the same sentences whoever saved a language.
  { route: "PUT /api/session/language", policy: "person", body: () => ({ language: null }) },
  { route: "GET /api/lab/scenarios", policy: "public" },
  { route: "POST /api/lab/runs", policy: "signedIn", body: () => LAB_RUN },
  { route: "GET /api/lab/runs/:id", policy: "signedIn", path: `/api/lab/runs/${LAB_RUN_ID}` },
  { route: "GET /api/accounts/:account/orders", policy: "memberRead", path: "/api/accounts/AKTAU-1/orders" },
  {
    route: "GET /api/accounts/:account/orders/:clientOrderId",
    policy: "memberRead",
    path: "/api/accounts/AKTAU-1/orders/mx-amend",
  },
  { route: "GET /api/accounts/:account/obligations", policy: "memberRead", path: "/api/accounts/AKTAU-1/obligations" },
  { route: "GET /api/accounts/:account/balances", policy: "memberRead", path: "/api/accounts/AKTAU-1/balances" },
  { route: "GET /api/accounts/:account/fills", policy: "memberRead", path: "/api/accounts/AKTAU-1/fills" },
  { route: "GET /api/accounts/:account/shipments", policy: "memberRead", path: "/api/accounts/AKTAU-1/shipments" },
  { route: "GET /api/accounts/:account/stations", policy: "memberRead", path: "/api/accounts/AKTAU-1/stations" },
  {
    // AKTAU sells here too (see SETUP): its account is the seller of `sellObligation`.
    route: "POST /api/accounts/:account/shipments",
    policy: "memberTrade",
    path: "/api/accounts/AKTAU-1/shipments",
    body: (caller) => ({
      obligation: sellObligation,
      vehicle: "123 ABC 12",
      waybill: `MXW-${caller}`,
      quantityKg: 1,
      date: "2026-01-05",
    }),
  },
  // Documents: AKTAU-1 is the buyer of `buyObligation`'s trade ({trade}).
  {
    route: "GET /api/accounts/:account/contracts/:trade",
    policy: "memberRead",
    path: "/api/accounts/AKTAU-1/contracts/{trade}",
  },
  {
    route: "GET /api/accounts/:account/contracts/:trade/pdf",
    policy: "memberRead",
    path: "/api/accounts/AKTAU-1/contracts/{trade}/pdf?lang=en",
  },
  {
    route: "GET /api/accounts/:account/contracts/:trade/verify",
    policy: "memberRead",
    path: `/api/accounts/AKTAU-1/contracts/{trade}/verify?sha256=${"0".repeat(64)}`,
  },
  { route: "GET /api/accounts/:account/einvoices", policy: "memberRead", path: "/api/accounts/AKTAU-1/einvoices" },
  { route: "GET /api/accounts/:account/supply", policy: "memberRead", path: "/api/accounts/AKTAU-1/supply" },
  {
    route: "GET /api/accounts/:account/statements/:date",
    policy: "memberRead",
    path: "/api/accounts/AKTAU-1/statements/2026-01-05",
  },
  {
    route: "GET /api/accounts/:account/statements/:date/xlsx",
    policy: "memberRead",
    path: "/api/accounts/AKTAU-1/statements/2026-01-05/xlsx",
  },
  {
    route: "GET /api/accounts/:account/statements/:date/pdf",
    policy: "memberRead",
    path: "/api/accounts/AKTAU-1/statements/2026-01-05/pdf?lang=ru",
  },
  { route: "GET /api/notifications", policy: "memberOwn" },
  { route: "GET /api/notifications/preferences", policy: "memberOwn" },
  {
    route: "POST /api/notifications/read",
    policy: "memberOwn",
    // The caller's member's newest notification (both members have fills by now); any id for the refused.
    body: (caller) => {
      const member = caller === "other" ? "ATYRAU" : "AKTAU";
      return { ids: [server.exchange.projections.notices.list(member, { limit: 1 })[0]?.id ?? "N-1-1"] };
    },
  },
  {
    route: "PUT /api/notifications/preferences",
    policy: "memberOwnChange",
    body: () => ({ web: ["fill"], mail: ["default"], email: "desk@example.kz", language: "ru" }),
  },
  {
    route: "POST /api/accounts/:account/negotiated",
    policy: "memberTrade",
    ownerUser: "kazgpz-trader",
    path: "/api/accounts/KAZGPZ-1/negotiated",
    body: () => ({ instrument: INSTRUMENT, buyer: "AKTAU-1", priceTiynPerTonne: 13_300_000, quantityKg: 1000 }),
  },
  { route: "GET /api/accounts/:account/negotiated", policy: "memberRead", path: "/api/accounts/AKTAU-1/negotiated" },
  {
    route: "POST /api/accounts/:account/negotiated/:deal/accept",
    policy: "memberTrade",
    path: "/api/accounts/AKTAU-1/negotiated/{acceptDeal}/accept",
    body: () => ({}),
  },
  {
    route: "POST /api/accounts/:account/negotiated/:deal/reject",
    policy: "memberTrade",
    path: "/api/accounts/AKTAU-1/negotiated/{rejectDeal}/reject",
    body: () => ({}),
  },
  {
    route: "GET /api/accounts/:account/clearing-reports/:date",
    policy: "memberRead",
    path: "/api/accounts/AKTAU-1/clearing-reports/2026-01-05",
  },
  {
    route: "GET /api/accounts/:account/clearing-reports/:date/xlsx",
    policy: "memberRead",
    path: "/api/accounts/AKTAU-1/clearing-reports/2026-01-05/xlsx",
  },
  {
    route: "GET /api/accounts/:account/clearing-reports/:date/pdf",
    policy: "memberRead",
    path: "/api/accounts/AKTAU-1/clearing-reports/2026-01-05/pdf?lang=kk",
  },
  { route: "GET /api/admin/reoffers", policy: "consoleRead" },
  {
    route: "POST /api/admin/instruments/:id/extra-session",
    policy: "operatorChange",
    path: "/api/admin/instruments/MX-RO/extra-session",
    body: () => ({ reason: "access matrix" }),
  },
  {
    route: "POST /api/accounts/:account/arrivals",
    policy: "memberTrade",
    path: "/api/accounts/AKTAU-1/arrivals",
    body: () => ({ shipment: `${buyObligation}/S1`, station: "MX-AKTAU-ST" }),
  },
  {
    route: "POST /api/orders",
    policy: "memberTrade",
    body: (caller) => ({
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId: `mx-new-${caller}`,
      side: "buy",
      price: 13_000_000,
      quantity: 1000,
    }),
  },
  {
    route: "PATCH /api/accounts/:account/orders/:clientOrderId",
    policy: "memberTrade",
    path: "/api/accounts/AKTAU-1/orders/mx-amend",
    body: () => ({ quantity: 1000 }),
  },
  {
    route: "DELETE /api/accounts/:account/orders/:clientOrderId",
    policy: "memberTrade",
    path: "/api/accounts/AKTAU-1/orders/mx-cancel",
  },
  {
    route: "POST /api/accounts/:account/mass-cancel",
    policy: "memberTrade",
    path: "/api/accounts/AKTAU-1/mass-cancel",
    body: () => ({}),
  },
  { route: "GET /api/admin/instruments", policy: "consoleRead" },
  { route: "GET /api/admin/instruments/:id", policy: "consoleRead", path: `/api/admin/instruments/${INSTRUMENT}` },
  {
    route: "GET /api/admin/instruments/:id/calendar",
    policy: "consoleRead",
    path: `/api/admin/instruments/${INSTRUMENT}/calendar`,
  },
  { route: "GET /api/admin/members", policy: "consoleRead" },
  // Accreditation: anyone applies (a new BIN per caller); the operator decides MX-APP and MX-APP2 and excludes MX-EX.
  {
    route: "POST /api/applications",
    policy: "public",
    body: (caller) => ({ ...MX_APPLICATION, bin: `9900000000${String(CALLERS.indexOf(caller)).padStart(2, "0")}` }),
  },
  { route: "GET /api/applications/:id", policy: "public", path: "/api/applications/MX-APP" },
  { route: "GET /api/admin/applications", policy: "consoleRead" },
  {
    route: "POST /api/admin/applications/:id/approve",
    policy: "operatorChange",
    path: "/api/admin/applications/MX-APP/approve",
    body: () => ({
      member: "MX-NEW",
      account: "MX-NEW-1",
      feeReference: "MX-FEE",
      depositReference: "MX-DEP",
      reason: "access matrix",
    }),
  },
  {
    route: "POST /api/admin/applications/:id/refuse",
    policy: "operatorChange",
    path: "/api/admin/applications/MX-APP2/refuse",
    body: () => REASON,
  },
  {
    route: "POST /api/admin/members/:id/exclude",
    policy: "operatorChange",
    path: "/api/admin/members/MX-EX/exclude",
    body: () => REASON,
  },
  { route: "GET /api/admin/accounts", policy: "consoleRead" },
  { route: "GET /api/admin/obligations", policy: "consoleRead" },
  { route: "GET /api/admin/stations", policy: "consoleRead" },
  { route: "GET /api/admin/users", policy: "consoleRead" },
  // A member's administrator over AKTAU's own users: `mx-staff` (a viewer of AKTAU with the key `mx-staff-key`).
  { route: "GET /api/member/users", policy: "memberAdmin" },
  {
    route: "POST /api/member/users",
    policy: "memberAdmin",
    body: (caller) => ({ id: `mx-new-${caller}`, name: "New staff", role: "viewer", password: PASSWORD }),
  },
  {
    route: "POST /api/member/users/:id/disable",
    policy: "memberAdmin",
    path: "/api/member/users/mx-staff/disable",
    body: () => REASON,
  },
  {
    route: "POST /api/member/users/:id/enable",
    policy: "memberAdmin",
    path: "/api/member/users/mx-staff/enable",
    body: () => REASON,
  },
  {
    route: "POST /api/member/users/:id/keys",
    policy: "memberAdmin",
    path: "/api/member/users/mx-staff/keys",
    body: () => ({ scopes: ["read"] }),
  },
  {
    route: "DELETE /api/member/users/:id/keys/:keyId",
    policy: "memberAdmin",
    path: "/api/member/users/mx-staff/keys/mx-staff-key",
    body: () => REASON,
  },
  { route: "GET /api/admin/alerts", policy: "consoleRead" },
  { route: "GET /api/admin/users/:id/keys", policy: "consoleRead", path: "/api/admin/users/mx-victim/keys" },
  { route: "GET /api/regulator/overview", policy: "consoleRead" },
  { route: "GET /api/regulator/supply", policy: "consoleRead" },
  { route: "GET /api/regulator/deliveries", policy: "consoleRead" },
  { route: "GET /api/regulator/diversions", policy: "consoleRead" },
  { route: "GET /api/regulator/safeguards", policy: "consoleRead" },
  { route: "GET /api/regulator/audit", policy: "consoleRead" },
  {
    route: "GET /api/regulator/instruments/:id/safeguards",
    policy: "consoleRead",
    path: `/api/regulator/instruments/${INSTRUMENT}/safeguards`,
  },
  { route: "GET /api/regulator/surveillance/alerts", policy: "consoleRead" },
  {
    route: "GET /api/regulator/surveillance/alerts/:id",
    policy: "consoleRead",
    path: "/api/regulator/surveillance/alerts/{alert}",
  },
  {
    route: "GET /api/regulator/surveillance/alerts/:id/evidence",
    policy: "consoleRead",
    path: "/api/regulator/surveillance/alerts/{alert}/evidence?format=html",
  },
  { route: "GET /api/regulator/surveillance/statistics", policy: "consoleRead" },
  { route: "GET /api/regulator/surveillance/config", policy: "consoleRead" },
  { route: "GET /api/regulator/surveillance/groups", policy: "consoleRead" },
  {
    route: "POST /api/admin/instruments",
    policy: "operatorChange",
    body: (caller) => ({
      instrument: `MXN-${caller}`,
      mode: "call",
      tickSize: 100,
      lotSize: 1000,
      clearing: TERMS,
      description: { product: "propane", basis: "KAZGPZ", region: "MANGYSTAU", deliveryPeriod: "2026-02" },
    }),
  },
  {
    route: "PATCH /api/admin/instruments/:id",
    policy: "operatorChange",
    path: `/api/admin/instruments/${INSTRUMENT}`,
    body: () => ({ clearing: { feeBps: 5 }, ...REASON }),
  },
  {
    route: "PUT /api/admin/instruments/:id/phase",
    policy: "operatorChange",
    path: `/api/admin/instruments/${MX_INSTRUMENT}/phase`,
    body: () => ({ phase: "collection" }),
  },
  {
    route: "PUT /api/admin/instruments/:id/reference-price",
    policy: "operatorChange",
    path: "/api/admin/instruments/MX-NOREF/reference-price",
    body: () => ({ price: 13_000_000 }),
  },
  {
    route: "PUT /api/admin/instruments/:id/calendar",
    policy: "operatorChange",
    path: `/api/admin/instruments/${MX_INSTRUMENT}/calendar`,
    body: () => ({
      calendar: {
        sessions: [{ open: "11:00", close: "13:00" }],
        preOpenMinutes: 10,
        weekends: false,
        holidays: [],
        extraSessions: [],
      },
      ...REASON,
    }),
  },
  {
    route: "PATCH /api/admin/instruments/:id/calendar",
    policy: "operatorChange",
    path: `/api/admin/instruments/${MX_INSTRUMENT}/calendar`,
    body: () => ({ addHolidays: ["2026-03-23"], ...REASON }),
  },
  {
    route: "POST /api/admin/instruments/:id/suspend",
    policy: "operatorChange",
    path: `/api/admin/instruments/${MX_INSTRUMENT}/suspend`,
    body: () => REASON,
  },
  {
    route: "POST /api/admin/members",
    policy: "operatorChange",
    body: (caller) => ({ member: `MXM-${caller}`, name: "Matrix producer", roles: ["producer"] }),
  },
  {
    route: "POST /api/admin/members/:id/suspend",
    policy: "operatorChange",
    path: `/api/admin/members/${M}/suspend`,
    body: () => REASON,
  },
  {
    route: "POST /api/admin/members/:id/reinstate",
    policy: "operatorChange",
    path: `/api/admin/members/${M}/reinstate`,
    body: () => REASON,
  },
  {
    route: "PUT /api/admin/members/:id/group",
    policy: "operatorChange",
    path: `/api/admin/members/${M}/group`,
    body: () => ({ group: "MX-GROUP-2", evidence: "MX-DOC-2", ...REASON }),
  },
  {
    route: "POST /api/admin/accounts",
    policy: "operatorChange",
    body: (caller) => ({ account: `MXA-${caller}`, member: M }),
  },
  {
    route: "POST /api/admin/accounts/:account/deposits",
    policy: "operatorChange",
    path: "/api/admin/accounts/MX-1/deposits",
    body: (caller) => ({ amount: 1000, reference: `MXD-${caller}` }),
  },
  {
    route: "POST /api/admin/accounts/:account/withdrawals",
    policy: "operatorChange",
    path: "/api/admin/accounts/MX-1/withdrawals",
    body: (caller) => ({ amount: 1000, reference: `MXW-${caller}` }),
  },
  {
    route: "POST /api/admin/accounts/:account/gas/declarations",
    policy: "operatorChange",
    path: "/api/admin/accounts/KAZGPZ-1/gas/declarations",
    body: () => ({ basis: "KAZGPZ", quantity: 1000 }),
  },
  {
    route: "POST /api/admin/accounts/:account/gas/withdrawals",
    policy: "operatorChange",
    path: "/api/admin/accounts/KAZGPZ-1/gas/withdrawals",
    body: () => ({ basis: "KAZGPZ", quantity: 1000 }),
  },
  {
    route: "POST /api/admin/obligations/:id/confirm-payment",
    policy: "operatorChange",
    path: "/api/admin/obligations/{obligation}/confirm-payment",
    body: () => ({}),
  },
  {
    route: "POST /api/admin/obligations/:id/confirm-delivery",
    policy: "operatorChange",
    path: "/api/admin/obligations/{obligation}/confirm-delivery",
  },
  {
    route: "POST /api/admin/trades/:trade/void",
    policy: "operatorChange",
    path: "/api/admin/trades/{voidTrade}/void",
    body: () => ({ reason: "access matrix", rule: "Rulebook §2" }),
  },
  { route: "GET /api/admin/vat", policy: "consoleRead" },
  {
    route: "POST /api/admin/vat",
    policy: "operatorChange",
    body: () => ({ rateBps: 1200, from: "2026-02-01", reason: "access matrix" }),
  },
  { route: "GET /api/admin/tariffs", policy: "consoleRead" },
  {
    route: "POST /api/admin/tariffs",
    policy: "operatorChange",
    body: () => ({
      kind: "buyer",
      feeTiyn: 30_000_000,
      depositTiyn: 100_000_000,
      from: "2026-02-01",
      reason: "access matrix",
    }),
  },
  {
    route: "POST /api/admin/stations",
    policy: "operatorChange",
    body: (caller) => ({
      station: `MXS-${caller}`,
      member: M,
      name: "Matrix station",
      region: "MX-REGION",
      document: "Matrix permit",
    }),
  },
  {
    route: "POST /api/admin/users",
    policy: "operatorChange",
    body: (caller) => ({
      id: `mxu-${caller}`,
      name: "Matrix viewer",
      role: "viewer",
      member: M,
      password: "a long enough password",
    }),
  },
  {
    route: "POST /api/admin/users/:id/disable",
    policy: "operatorChange",
    path: "/api/admin/users/mx-victim/disable",
    body: () => REASON,
  },
  {
    route: "POST /api/admin/users/:id/enable",
    policy: "operatorChange",
    path: "/api/admin/users/mx-victim/enable",
    body: () => REASON,
  },
  {
    route: "POST /api/admin/users/:id/keys",
    policy: "operatorChange",
    path: "/api/admin/users/mx-victim/keys",
    body: () => ({ scopes: ["read"] }),
  },
  {
    route: "DELETE /api/admin/users/:id/second-factor",
    policy: "operatorChange",
    path: "/api/admin/users/mx-victim/second-factor",
    body: () => REASON,
  },
  {
    route: "DELETE /api/admin/users/:id/keys/:keyId",
    policy: "operatorChange",
    path: "/api/admin/users/mx-victim/keys/mx-victim-key",
    body: () => REASON,
  },
  {
    route: "PATCH /api/regulator/instruments/:id/safeguards",
    policy: "regulatorChange",
    path: `/api/regulator/instruments/${MX_INSTRUMENT}/safeguards`,
    body: () => ({ bandBps: 1000, ...REASON }),
  },
  {
    route: "POST /api/regulator/halt",
    policy: "regulatorChange",
    body: () => ({ scope: "region", region: "MX-REGION", ...REASON }),
  },
  {
    route: "POST /api/regulator/resume",
    policy: "regulatorChange",
    body: () => ({ scope: "instrument", instrument: MX_INSTRUMENT, ...REASON }),
  },
  {
    route: "PUT /api/regulator/supply/plans/:month/:producer/:basis",
    policy: "regulatorChange",
    path: "/api/regulator/supply/plans/2026-01/KAZGPZ/KAZGPZ",
    body: () => ({ plannedKg: 1000, ...REASON }),
  },
  {
    route: "POST /api/regulator/surveillance/cases",
    policy: "regulatorChange",
    body: () => ({ alert: "{alert}", ...REASON }),
  },
  { route: "GET /api/regulator/surveillance/cases", policy: "consoleRead" },
  {
    route: "GET /api/regulator/surveillance/cases/:id",
    policy: "consoleRead",
    path: "/api/regulator/surveillance/cases/CASE-1",
  },
  {
    route: "POST /api/regulator/surveillance/cases/:id/alerts",
    policy: "regulatorChange",
    path: "/api/regulator/surveillance/cases/CASE-1/alerts",
    body: () => ({ alert: "{otherAlert}", ...REASON }),
  },
  {
    route: "POST /api/regulator/surveillance/cases/:id/notes",
    policy: "regulatorChange",
    path: "/api/regulator/surveillance/cases/CASE-1/notes",
    body: () => ({ note: "matrix note" }),
  },
  {
    route: "POST /api/regulator/surveillance/cases/:id/review",
    policy: "regulatorChange",
    path: "/api/regulator/surveillance/cases/CASE-1/review",
    body: () => REASON,
  },
  {
    route: "GET /api/regulator/surveillance/cases/:id/report",
    policy: "consoleRead",
    path: "/api/regulator/surveillance/cases/CASE-1/report",
  },
  {
    route: "POST /api/regulator/surveillance/cases/:id/close",
    policy: "regulatorChange",
    path: "/api/regulator/surveillance/cases/CASE-1/close",
    body: () => ({ outcome: "no-action", ...REASON }),
  },
  {
    route: "PATCH /api/regulator/surveillance/config",
    policy: "regulatorChange",
    body: () => ({ changes: { spoofing: { lifeMsMax: 30_000 } }, ...REASON }),
  },
  { route: "DELETE /api/session", policy: "public", freshSession: true },
];

/** Routes of the built web application (its files and the catch-all that serves index.html) are public. */
function isWebApplication(route: RouteKey): boolean {
  return (
    route.method === "GET" &&
    !route.url.startsWith("/api") &&
    !route.url.startsWith("/docs") &&
    route.url !== "/metrics" &&
    route.url !== "/"
  );
}

const SETUP: Command[] = [
  // KAZGPZ and ATYRAU as one group of persons: their trade below is a wash trade, so there is an alert to read.
  ...(["KAZGPZ", "ATYRAU"] as const).map(
    (member): Command => ({ type: "member.group", member, group: "MX-GROUP", evidence: "MX-DOC", reason: "matrix" }),
  ),
  // A first wash trade in a session of its own: a second alert, for a case to take in.
  ...(["KAZGPZ-1", "ATYRAU-1"] as const).map(
    (account): Command => ({
      type: "order.new",
      instrument: INSTRUMENT,
      orderId: `${account}~mx-wash`,
      account,
      side: account === "KAZGPZ-1" ? "sell" : "buy",
      orderType: "limit",
      price: 13_300_000,
      quantity: 1000,
    }),
  ),
  { type: "phase.set", instrument: INSTRUMENT, phase: "closed" },
  { type: "phase.set", instrument: INSTRUMENT, phase: "continuous" },
  { type: "member.add", member: M, name: "Matrix wholesaler", roles: ["buyer"], buyerCategory: "wholesaler" },
  { type: "member.add", member: "MX-EX", name: "Matrix member to exclude", roles: ["producer"], bin: "990000000099" },
  ...(["MX-APP", "MX-APP2"] as const).map(
    (application, i): Command => ({
      type: "application.submit",
      application,
      ...MX_APPLICATION,
      kind: "producer",
      bin: `99000000009${i}`,
    }),
  ),
  { type: "account.open", account: "MX-1", member: M },
  { type: "money.deposit", account: "MX-1", amount: 1_000_000_000, reference: "MX-SETUP" },
  {
    type: "instrument.list",
    instrument: MX_INSTRUMENT,
    mode: "continuous",
    tickSize: 100,
    lotSize: 1000,
    referencePrice: 13_000_000,
    clearing: TERMS,
    description: { product: "propane-butane", basis: "KAZGPZ", region: "MX-REGION", deliveryPeriod: "2026-01" },
  },
  {
    type: "instrument.list",
    instrument: "MX-NOREF",
    mode: "call",
    tickSize: 100,
    lotSize: 1000,
    clearing: TERMS,
    description: { product: "butane", basis: "KAZGPZ", region: "MX-REGION", deliveryPeriod: "2026-01" },
  },
  ...(["mx-amend", "mx-cancel"] as const).map(
    (id): Command => ({
      type: "order.new",
      instrument: INSTRUMENT,
      orderId: `AKTAU-1~${id}`,
      account: "AKTAU-1",
      side: "buy",
      orderType: "limit",
      price: 13_000_000,
      quantity: 2000,
    }),
  ),
  ...(["KAZGPZ-1", "ATYRAU-1"] as const).map(
    (account): Command => ({
      type: "order.new",
      instrument: INSTRUMENT,
      orderId: `${account}~mx-trade`,
      account,
      side: account === "KAZGPZ-1" ? "sell" : "buy",
      orderType: "limit",
      price: 13_300_000,
      quantity: 1000,
    }),
  ),
  // Delivery: AKTAU buys 1 t from KAZGPZ (a shipment on its way to AKTAU's station), and sells 1 t to the broker's
  // client (AKTAU is given the producer role as well for this: the matrix's owner must be a seller once).
  ...(["KAZGPZ-1", "AKTAU-1"] as const).map(
    (account): Command => ({
      type: "order.new",
      instrument: INSTRUMENT,
      orderId: `${account}~mx-deliver`,
      account,
      side: account === "KAZGPZ-1" ? "sell" : "buy",
      orderType: "limit",
      price: 13_300_000,
      quantity: 1000,
    }),
  ),
  { type: "gas.declare", account: "AKTAU-1", basis: "KAZGPZ", quantity: 1000 },
  ...(["AKTAU-1", "BROKER-C1"] as const).map(
    (account): Command => ({
      type: "order.new",
      instrument: INSTRUMENT,
      orderId: `${account}~mx-resell`,
      account,
      side: account === "AKTAU-1" ? "sell" : "buy",
      orderType: "limit",
      price: 13_300_000,
      quantity: 1000,
    }),
  ),
  // A trade for the operator to void: KAZGPZ sells 1 t to the broker's client.
  ...(["KAZGPZ-1", "BROKER-C1"] as const).map(
    (account): Command => ({
      type: "order.new",
      instrument: INSTRUMENT,
      orderId: `${account}~mx-void`,
      account,
      side: account === "KAZGPZ-1" ? "sell" : "buy",
      orderType: "limit",
      price: 13_300_000,
      quantity: 1000,
    }),
  ),
  // Re-offer: MX-RO trades 1 t in its first session, closes, and the trade is voided; its volume waits for an extra
  // session. Two negotiated deals from KAZGPZ-1 to AKTAU-1 wait for AKTAU's answer.
  {
    type: "instrument.list",
    instrument: "MX-RO",
    mode: "continuous",
    tickSize: 100,
    lotSize: 1000,
    referencePrice: 13_000_000,
    clearing: TERMS,
    description: { product: "propane", basis: "KAZGPZ", region: "MX-REGION", deliveryPeriod: "2026-01" },
  },
  { type: "phase.set", instrument: "MX-RO", phase: "continuous" },
  ...(["KAZGPZ-1", "MX-1"] as const).map(
    (account): Command => ({
      type: "order.new",
      instrument: "MX-RO",
      orderId: `${account}~mx-ro`,
      account,
      side: account === "KAZGPZ-1" ? "sell" : "buy",
      orderType: "limit",
      price: 13_000_000,
      quantity: 1000,
    }),
  ),
  { type: "phase.set", instrument: "MX-RO", phase: "closed" },
  { type: "trade.void", trade: "T-MX-RO-S1-1", reason: "matrix", rule: "Rulebook 4.2" },
  ...[1, 2].map(
    (): Command => ({
      type: "negotiated.submit",
      instrument: INSTRUMENT,
      seller: "KAZGPZ-1",
      buyer: "AKTAU-1",
      price: 13_300_000,
      quantity: 1000,
    }),
  ),
  {
    type: "station.register",
    station: "MX-AKTAU-ST",
    member: "AKTAU",
    name: "Matrix station of AKTAU",
    region: "MANGYSTAU",
    document: "Matrix lease",
  },
];

let server: TestServer;
const sessions = new Map<Caller, Session>();
const keys = new Map<Caller, { id: string; secret: string }>();
let obligation = "";
/** AKTAU-1 bought this from KAZGPZ-1 (a shipment is on its way), and sold that to the broker's client. */
let buyObligation = "";
let sellObligation = "";
/** KAZGPZ-1 sold this to the broker's client; the operator voids it. */
let voidTrade = "";
/** Negotiated deals KAZGPZ-1 offered AKTAU-1: one for AKTAU to accept, one to reject. */
let acceptDeal = "";
let rejectDeal = "";
let alert = "";
let otherAlert = "";
let signatureCount = 0;

beforeAll(async () => {
  // The test exchange's set-up, with AKTAU also a producer (the dispatch row needs the owner to be a seller).
  server = await TestServer.start({ setup: false });
  const setup = SERVER_SETUP.map(
    (command): Command =>
      command.type === "member.add" && command.member === "AKTAU"
        ? { ...command, roles: ["buyer", "producer"] }
        : command,
  );
  for (const command of setup) {
    const outcome = await server.exchange.submit(command);
    expect(outcome.events.find((event) => event.type === "rejected")).toBeUndefined();
  }
  for (const user of USERS) await server.addUser(user.id, user.role, user.member);
  for (const command of SETUP) {
    const outcome = await server.exchange.submit(command);
    expect(outcome.events.find((event) => event.type === "rejected")).toBeUndefined();
  }
  obligation = server.exchange.projections.accounts.obligations("ATYRAU-1")[0]!.id;
  const aktauObligations = server.exchange.projections.accounts.obligations("AKTAU-1");
  buyObligation = aktauObligations.find((o) => o.buyer === "AKTAU-1")!.id;
  sellObligation = aktauObligations.find((o) => o.seller === "AKTAU-1")!.id;
  voidTrade = server.exchange.projections.accounts
    .obligations("BROKER-C1")
    .find((o) => o.seller === "KAZGPZ-1")!.tradeId;
  [acceptDeal, rejectDeal] = server.exchange.projections.remedies.dealsOf("AKTAU-1").map((d) => d.id) as [
    string,
    string,
  ];
  const shipped = await server.exchange.submit({
    type: "shipment.dispatch",
    account: "KAZGPZ-1",
    obligation: buyObligation,
    vehicle: "777 KZ 12",
    waybill: "MX-W",
    quantity: 1000,
    date: "2026-01-05",
  });
  expect(shipped.events.map((event) => event.type)).toEqual(["shipment.dispatched"]);
  [alert, otherAlert] = server.exchange.surveillance.alerts({ rule: "wash-trade" }).map((a) => a.id) as [
    string,
    string,
  ];
  await server.addUser("mx-victim", "viewer", M);
  await server.users.setSecondFactor("mx-victim", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "set up", {
    actor: "test setup",
  });
  await server.putApiKey({
    id: "mx-victim-key",
    user: "mx-victim",
    secret: "s",
    scopes: ["read"],
  });
  await server.addUser("aktau-admin", "administrator", "AKTAU");
  await server.addUser("mx-staff", "viewer", "AKTAU");
  await server.putApiKey({ id: "mx-staff-key", user: "mx-staff", secret: "s", scopes: ["read"] });
  for (const caller of ["viewer", "owner", "other", "operator", "regulator", "admin"] as const) {
    sessions.set(caller, await server.login(USER_OF[caller]));
  }
  for (const caller of ["ownerReadKey", "operatorReadKey", "regulatorReadKey"] as const) {
    const id = `mx-read-${caller}`;
    const secret = `secret-${caller}`;
    await server.putApiKey({ id, user: USER_OF[caller], secret, scopes: ["read"] });
    keys.set(caller, { id, secret });
  }
});
afterAll(async () => {
  await server.close();
});

interface Reply {
  readonly status: number;
  readonly code: string | null;
}

/** Signed-in credentials as headers: the session cookie and CSRF token, or the API key's signature. */
function credentials(caller: Caller, session: Session | undefined, method: string, path: string, body: string) {
  const headers: Record<string, string> = {};
  const key = keys.get(caller);
  if (key !== undefined) {
    // Each signature is new (the timestamp steps back a millisecond), so no request is taken for a replay.
    const timestampMs = server.nowMs - ++signatureCount;
    headers["x-sauda-key"] = key.id;
    headers["x-sauda-timestamp"] = String(timestampMs);
    headers["x-sauda-signature"] = sign(key.secret, timestampMs, method, path, body);
  } else if (session !== undefined) {
    headers.cookie = session.cookie;
    headers["x-csrf-token"] = session.csrf;
  }
  return headers;
}

async function send(row: Row, caller: Caller): Promise<Reply> {
  const [method, url] = row.route.split(" ") as [string, string];
  const path = (row.path ?? url)
    .replace("{obligation}", obligation)
    .replace("{alert}", alert)
    .replace("{trade}", `T-${buyObligation.slice(3)}`)
    .replace("{voidTrade}", voidTrade)
    .replace("{acceptDeal}", acceptDeal)
    .replace("{rejectDeal}", rejectDeal);
  let session = sessions.get(caller);
  if (row.freshSession && session !== undefined) session = await server.login(USER_OF[caller as "viewer"]);
  if (row.ownerUser !== undefined && caller === "owner") session = await server.login(row.ownerUser);
  const payload =
    row.body === undefined
      ? undefined
      : JSON.stringify(row.body(caller))
          .replace('"{alert}"', JSON.stringify(alert))
          .replace('"{otherAlert}"', JSON.stringify(otherAlert));
  const headers = credentials(caller, session, method, path, payload ?? "");
  if (row.websocket) return upgrade(path, headers);
  if (payload !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    redirect: "manual",
    ...(payload ? { body: payload } : {}),
  });
  const text = await response.text();
  let code: string | null = null;
  try {
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    // not JSON: HTML, CSV, metrics
  }
  return { status: response.status, code };
}

/** A WebSocket upgrade: 101 counts as success; a refused upgrade answers with its HTTP status. */
function upgrade(path: string, headers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${server.url.replace("http", "ws")}${path}`, { headers });
    socket.on("open", () => {
      socket.close();
      resolve({ status: 101, code: null });
    });
    socket.on("unexpected-response", (_request, response) => {
      resolve({ status: response.statusCode ?? 0, code: null });
      socket.terminate();
    });
    socket.on("error", reject);
  });
}

/** Served counts as 2xx: a WebSocket upgrade (101), a success, or a redirect (the docs redirect to their page). */
function classOf(reply: Reply): string {
  if (reply.status === 101 || (reply.status >= 200 && reply.status < 400)) return "2xx";
  return String(reply.status);
}

describe("access-control matrix", () => {
  it("has a row for every route the server registers, and no row for a route it does not", () => {
    const registered = registeredRoutes(server.app);
    const rows = new Set(ROWS.map((r) => r.route));
    const uncovered = registered.filter((route) => !rows.has(routeName(route)) && !isWebApplication(route));
    expect(uncovered.map(routeName)).toEqual([]);
    const names = new Set(registered.map(routeName));
    expect(ROWS.map((r) => r.route).filter((name) => !names.has(name))).toEqual([]);
    expect(registered.length).toBeGreaterThan(ROWS.length - 1);
  });

  it("each API route's declared access (its published security) is the policy its row tests", () => {
    const declared = server.app.routeAccess;
    const differ = ROWS.filter((row) => row.route.includes(" /api/"))
      .map((row) => [row.route, row.policy, declared.get(row.route)] as const)
      .filter(([, policy, access]) => access !== policy);
    expect(differ).toEqual([]);
  });

  for (const row of ROWS) {
    it(`${row.route} (${row.policy})`, async () => {
      const expected = POLICIES[row.policy];
      const refusedFirst = [...CALLERS].sort((a, b) => Number(expected[a] === "2xx") - Number(expected[b] === "2xx"));
      const seqBefore = server.exchange.projections.lastSeq;
      const got: Record<string, string> = {};
      for (const caller of refusedFirst) {
        const reply = await send(row, caller);
        got[caller] = classOf(reply);
        if (got[caller] !== "2xx" && !row.websocket) expect(reply.code, `${caller}: error code`).toMatch(/^[A-Z_]+$/);
        // A refusal by access control never reaches the journal.
        if (expected[caller] !== "2xx") expect(server.exchange.projections.lastSeq, caller).toBe(seqBefore);
      }
      expect(got).toEqual(expected);
    });
  }

  it("covers the web application's routes: public", async () => {
    const routes = registeredRoutes(server.app).filter(isWebApplication);
    for (const route of routes) {
      const path = route.url.replace("*", "markets/overview");
      for (const caller of CALLERS) {
        const reply = await send({ route: `GET ${path}`, policy: "public" }, caller);
        expect(classOf(reply), `${caller} ${path}`).toBe("2xx");
      }
    }
  });
});

describe("object-level access", () => {
  it("a member never reads or changes another member's orders, balances or obligations", async () => {
    const owner = sessions.get("owner")!;
    const placed = await server.call(owner, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId: "private-1",
      side: "buy",
      price: 12_900_000,
      quantity: 3000,
    });
    expect(placed.status).toBe(201);
    const before = await server.call(owner, "GET", "/api/accounts/AKTAU-1/balances");

    const other = sessions.get("other")!;
    // The key is created through the journal; from here on nothing may reach it.
    const otherKey = await server.apiKey("atyrau-trader", ["read", "trade"]);
    const seqBefore = server.exchange.projections.lastSeq;
    const attempts: [string, string, unknown][] = [
      ["GET", "/api/accounts/AKTAU-1/orders", undefined],
      ["GET", "/api/accounts/AKTAU-1/orders/private-1", undefined],
      ["GET", "/api/accounts/AKTAU-1/balances", undefined],
      ["GET", "/api/accounts/AKTAU-1/fills", undefined],
      ["GET", "/api/accounts/AKTAU-1/obligations", undefined],
      ["GET", "/api/accounts/AKTAU-1/shipments", undefined],
      ["GET", "/api/accounts/AKTAU-1/stations", undefined],
      [
        "POST",
        "/api/accounts/AKTAU-1/shipments",
        { obligation: sellObligation, vehicle: "V", waybill: "SPOOF", quantityKg: 1, date: "2026-01-05" },
      ],
      ["POST", "/api/accounts/AKTAU-1/arrivals", { shipment: `${buyObligation}/S1`, station: "MX-AKTAU-ST" }],
      ["PATCH", "/api/accounts/AKTAU-1/orders/private-1", { price: 12_800_000 }],
      ["DELETE", "/api/accounts/AKTAU-1/orders/private-1", undefined],
      ["POST", "/api/accounts/AKTAU-1/mass-cancel", {}],
      [
        "POST",
        "/api/orders",
        {
          instrument: INSTRUMENT,
          account: "AKTAU-1",
          clientOrderId: "spoof",
          side: "sell",
          price: 14_000_000,
          quantity: 1000,
        },
      ],
    ];
    for (const [method, path, body] of attempts) {
      const bySession = await server.call(other, method, path, body);
      expect([bySession.status, bySession.body.error?.code], `${method} ${path}`).toEqual([403, "FORBIDDEN_ACCOUNT"]);
      const byKey = await otherKey(method, path, body);
      expect([byKey.status, byKey.body.error?.code], `key ${method} ${path}`).toEqual([403, "FORBIDDEN_ACCOUNT"]);
    }
    // The owner's viewer may read but not trade.
    const viewer = sessions.get("viewer")!;
    expect((await server.call(viewer, "GET", "/api/accounts/AKTAU-1/orders/private-1")).status).toBe(200);
    const viewerCancel = await server.call(viewer, "DELETE", "/api/accounts/AKTAU-1/orders/private-1");
    expect([viewerCancel.status, viewerCancel.body.error.code]).toEqual([403, "FORBIDDEN"]);
    // Nothing changed: no command reached the journal, the order rests as it was, the balances are the same.
    expect(server.exchange.projections.lastSeq).toBe(seqBefore);
    const order = await server.call(owner, "GET", "/api/accounts/AKTAU-1/orders/private-1");
    expect(order.body.order).toMatchObject({ status: "resting", openKg: 3000, priceTiynPerTonne: 12_900_000 });
    expect((await server.call(owner, "GET", "/api/accounts/AKTAU-1/balances")).body).toEqual(before.body);
    // Listing shows a member only its own accounts.
    const listed = await server.call(other, "GET", "/api/accounts");
    expect(listed.body.accounts.map((a: { account: string }) => a.account)).toEqual(["ATYRAU-1"]);
  });
});
