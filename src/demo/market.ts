/**
 * The demo exchange `npm start` creates on first start: Kazakhstan's LPG market in miniature, from docs/sources.md.
 * Producing plants and delivery regions become instruments (propane-butane for delivery in DEMO_DELIVERY_PERIOD), with
 * producers, filling-station networks, a gas-distribution company, a wholesaler and a broker with clients as members;
 * money and gas in place; the regulator's safeguards set; a trading calendar that keeps the demo open around the
 * clock. It is built through the public API, as the exchange's staff would build it from their consoles: the
 * operator's requests with the operator's key, the regulator's (safeguards, supply plans) with the regulator's.
 *
 * Figures: reference prices sit near what the platforms printed in January 2022 (Mangystau averaged 133,126 tenge/t);
 * collateral 5% and a fee of 0.05% per side (the Caspian exchange's rules for a comparable product); monthly gas
 * volumes from the plants' reported supply where docs/sources.md has them (Zhanaozen 14.5 kt, Atyrau refinery 3.5 kt to
 * Mangystau), otherwise assumed and marked so.
 */

import { REGIONS as WORLD_REGIONS } from "./world.ts";

/** The nationwide instrument's region: it delivers anywhere, so no station is registered there. */
const NATIONWIDE = "KZ";
/** The region whose instruments admit only filling-station networks and gas distributors (the safeguards below). */
export const ADMITTED_ONLY_REGION = "MANGYSTAU";
/** The demo's bidding ring (ring.ts): two made-up wholesalers that bid together, for surveillance to find. */
export const RING_MEMBERS: readonly string[] = ["RING-A", "RING-B"];

export interface DemoInstrument {
  readonly id: string;
  readonly basis: string;
  readonly region: string;
  readonly name: string;
  readonly mode: "continuous" | "call";
  readonly referenceTengePerTonne: number;
}

export interface DemoMember {
  readonly id: string;
  /**
   * The member's legal name as registered, with its legal form, as Kazakh documents (contracts, e-invoices) write it:
   * a name is data, shown as registered in every language of the pages and documents, never translated. The
   * producers' are the plants' operators' registered names; the buyers and the broker are made up (as their BINs are).
   */
  readonly name: string;
  readonly role: "producer" | "buyer" | "broker";
  readonly buyerCategory?: "filling-station-network" | "gas-distribution" | "wholesaler" | "industrial";
  /** Producers: the basis they sell at and their monthly volume in tonnes. */
  readonly basis?: string;
  readonly monthlyTonnes?: number;
}

export const PLANTS: Readonly<Record<string, string>> = {
  KAZGPZ: "Zhanaozen gas processing plant",
  "ATYRAU-REF": "Atyrau refinery",
  TCO: "Tengizchevroil",
  "CNPC-AMG": "CNPC-Aktobemunaigas (Zhanazhol)",
  "PAVLODAR-REF": "Pavlodar refinery",
  "SHYMKENT-REF": "Shymkent refinery",
};

export const REGIONS: Readonly<Record<string, string>> = {
  MANGYSTAU: "Mangystau",
  ATYRAU: "Atyrau",
  AKTOBE: "Aktobe",
  ASTANA: "Astana",
  SHYMKENT: "Shymkent",
  ALMATY: "Almaty",
  KZ: "Republic of Kazakhstan (nationwide, EXW)",
};

const INSTRUMENTS: readonly Omit<DemoInstrument, "id" | "name">[] = [
  { basis: "KAZGPZ", region: "MANGYSTAU", mode: "continuous", referenceTengePerTonne: 133_100 },
  { basis: "ATYRAU-REF", region: "MANGYSTAU", mode: "continuous", referenceTengePerTonne: 131_000 },
  { basis: "ATYRAU-REF", region: "ATYRAU", mode: "continuous", referenceTengePerTonne: 125_000 },
  { basis: "TCO", region: "ATYRAU", mode: "continuous", referenceTengePerTonne: 121_000 },
  { basis: "CNPC-AMG", region: "AKTOBE", mode: "continuous", referenceTengePerTonne: 118_000 },
  { basis: "PAVLODAR-REF", region: "ASTANA", mode: "continuous", referenceTengePerTonne: 128_000 },
  { basis: "SHYMKENT-REF", region: "SHYMKENT", mode: "continuous", referenceTengePerTonne: 122_000 },
  { basis: "SHYMKENT-REF", region: "ALMATY", mode: "continuous", referenceTengePerTonne: 126_000 },
  { basis: "TCO", region: "KZ", mode: "call", referenceTengePerTonne: 115_000 },
];

export const MEMBERS: readonly DemoMember[] = [
  {
    id: "KAZGPZ",
    name: "ТОО «Казахский газоперерабатывающий завод»",
    role: "producer",
    basis: "KAZGPZ",
    monthlyTonnes: 14_500,
  },
  {
    id: "ATYRAU-REF",
    name: "ТОО «Атырауский нефтеперерабатывающий завод»",
    role: "producer",
    basis: "ATYRAU-REF",
    monthlyTonnes: 3_500,
  },
  // Assumed monthly volumes (docs/sources.md names the producers, not their LPG output by plant).
  { id: "TCO", name: "ТОО «Тенгизшевройл»", role: "producer", basis: "TCO", monthlyTonnes: 60_000 },
  { id: "CNPC-AMG", name: "АО «СНПС-Актобемунайгаз»", role: "producer", basis: "CNPC-AMG", monthlyTonnes: 15_000 },
  {
    id: "PAVLODAR-REF",
    name: "ТОО «Павлодарский нефтехимический завод»",
    role: "producer",
    basis: "PAVLODAR-REF",
    monthlyTonnes: 12_000,
  },
  {
    id: "SHYMKENT-REF",
    name: "ТОО «ПетроКазахстан Ойл Продактс»",
    role: "producer",
    basis: "SHYMKENT-REF",
    monthlyTonnes: 10_000,
  },
  {
    id: "MANGYSTAU-AUTOGAS",
    name: "ТОО «Маңғыстау Автогаз»",
    role: "buyer",
    buyerCategory: "filling-station-network",
  },
  { id: "AKTAU-STATIONS", name: "ТОО «Ақтау АЖҚС»", role: "buyer", buyerCategory: "filling-station-network" },
  { id: "ATYRAU-GAS", name: "ТОО «Атырау Газ Тарату»", role: "buyer", buyerCategory: "gas-distribution" },
  { id: "AKTOBE-FUEL", name: "ТОО «Ақтөбе Жанармай»", role: "buyer", buyerCategory: "filling-station-network" },
  { id: "ASTANA-LPG", name: "ТОО «Астана Пропан»", role: "buyer", buyerCategory: "filling-station-network" },
  {
    id: "SOUTH-AUTOGAS",
    name: "ТОО «Оңтүстік Автогаз»",
    role: "buyer",
    buyerCategory: "filling-station-network",
  },
  { id: "KZ-WHOLESALE", name: "ТОО «КазСУГ Сауда»", role: "buyer", buyerCategory: "wholesaler" },
  { id: "CASPIAN-BROKER", name: "ТОО «Каспий Брокер»", role: "broker" },
  // The bidding ring (ring.ts), made up as the other buyers are.
  { id: "RING-A", name: "ТОО «Дала Сауда»", role: "buyer", buyerCategory: "wholesaler" },
  { id: "RING-B", name: "ТОО «Жібек Газ»", role: "buyer", buyerCategory: "wholesaler" },
];

/** The broker's clients: each gets its own account under the broker. */
export const BROKER_CLIENTS = [
  {
    account: "CASPIAN-BROKER-C1",
    client: "Zhanaozen autogas cooperative",
    buyerCategory: "filling-station-network" as const,
  },
  { account: "CASPIAN-BROKER-C2", client: "Beineu stations", buyerCategory: "filling-station-network" as const },
];

const TIYN_PER_TENGE = 100;
const MONEY_PER_BUYER_TIYN = 2_000_000_000 * TIYN_PER_TENGE; // 2 billion tenge each
/** Producers declare a year's volume at the start, so the demo can run for a long time. */
const GAS_MONTHS_DECLARED = 12;

/**
 * The delivery month of every demo instrument, whenever the demo is first started: the month the /docs examples name
 * (`PB-KAZGPZ-MANGYSTAU-2026-12`, and `…-2027-01` as the next month an operator lists), so "Try it out" against
 * `npm start` finds what an example names in any month, and the API contract, generated from those examples, stays the
 * same month to month. A demo never lists the next month itself, so one that followed the month of its first start
 * would disagree with /docs from the month after. Only the supply plans follow the clock (exchangeMonthOf): the supply
 * view counts offers by the month they are made in.
 */
export const DEMO_DELIVERY_PERIOD = "2026-12";

const EXCHANGE_OFFSET_MS = 5 * 3600_000;
const DAY_MS = 86_400_000;

/** The calendar month of exchange time (UTC+5) at `nowMs`, YYYY-MM. */
export function exchangeMonthOf(nowMs: number): string {
  return new Date(nowMs + EXCHANGE_OFFSET_MS).toISOString().slice(0, 7);
}

/** 00:00 exchange time (UTC+5) of the day `ms` falls in: where the regulator's form puts a ceiling step. */
export function exchangeDayStart(ms: number): number {
  return Math.floor((ms + EXCHANGE_OFFSET_MS) / DAY_MS) * DAY_MS - EXCHANGE_OFFSET_MS;
}

export function demoInstruments(): DemoInstrument[] {
  const period = DEMO_DELIVERY_PERIOD;
  return INSTRUMENTS.map((i) => ({
    ...i,
    id: `PB-${i.basis}-${i.region}-${period}`,
    name: `Propane-butane, ${PLANTS[i.basis]}, ${REGIONS[i.region]}, ${period}`,
  }));
}

export function accountOf(member: string): string {
  return `${member}-1`;
}

/** One request of the set-up, and whose key sends it. */
export interface SetupRequest {
  readonly by: "operator" | "regulator";
  readonly method: "POST" | "PUT" | "PATCH";
  readonly path: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** Every request that builds the demo exchange, in order. */
export function setupRequests(nowMs: number): SetupRequest[] {
  const requests: SetupRequest[] = [];
  const operator = (method: SetupRequest["method"], path: string, body: Record<string, unknown>) =>
    requests.push({ by: "operator", method, path, body });
  const regulator = (method: SetupRequest["method"], path: string, body: Record<string, unknown>) =>
    requests.push({ by: "regulator", method, path, body });
  const period = DEMO_DELIVERY_PERIOD;
  const planMonth = exchangeMonthOf(nowMs);
  for (const instrument of demoInstruments()) {
    const reference = instrument.referenceTengePerTonne * TIYN_PER_TENGE;
    const at = `/api/admin/instruments/${encodeURIComponent(instrument.id)}`;
    operator("POST", "/api/admin/instruments", {
      instrument: instrument.id,
      mode: instrument.mode,
      tickSize: 100, // one tenge per tonne
      lotSize: 1000, // one tonne (a road tanker carries about 20 t)
      referencePrice: reference,
      clearing: {
        basis: instrument.basis,
        collateralBps: 500,
        feeBps: 5,
        paymentWindowMs: 3 * DAY_MS,
        deliveryWindowMs: 10 * DAY_MS,
        buyerDefaultCollateralTo: "seller",
        sellerPenaltyBps: 1000,
      },
      description: {
        product: "propane-butane",
        basis: instrument.basis,
        region: instrument.region,
        deliveryPeriod: period,
        name: instrument.name,
      },
    });
    regulator("PATCH", `/api/regulator/instruments/${encodeURIComponent(instrument.id)}/safeguards`, {
      bandBps: 1000, // ±10% around the previous session's average
      breakerBps: 300, // a 3% jump from the last price stops continuous trading for a 60 s auction
      breakerAuctionMs: 60_000,
      maxShareBps: 6000, // no buyer takes more than 60% of what is offered in a session
      maxActiveOrders: 50,
      // A hard ceiling 20% above the reference, rising 1% a month: the gradual path instead of a jump.
      ceiling: Math.round((reference * 1.2) / 100) * 100,
      ceilingPath: [1, 2, 3].map((months) => ({
        // At 00:00 exchange time, as the regulator's form sets a step, not at the minute the demo was first started.
        effectiveFromMs: exchangeDayStart(nowMs + months * 30 * DAY_MS),
        ceiling: Math.round((reference * (1.2 + months * 0.01)) / 100) * 100,
      })),
      ...(instrument.region === ADMITTED_ONLY_REGION
        ? { eligibleCategories: ["filling-station-network", "gas-distribution"] }
        : {}),
      reason: "demo: the regulator's standard safeguards",
    });
    operator("PUT", `${at}/calendar`, {
      calendar:
        instrument.mode === "continuous"
          ? {
              sessions: [{ open: "00:05", close: "23:55" }],
              preOpenMinutes: 3,
              weekends: true,
              holidays: [],
              extraSessions: [],
            }
          : {
              // The nationwide call instrument clears every hour, as extra sessions did on the platforms.
              sessions: Array.from({ length: 24 }, (_, h) => ({
                open: `${String(h).padStart(2, "0")}:00`,
                close: `${String(h).padStart(2, "0")}:45`,
              })),
              preOpenMinutes: 0,
              weekends: true,
              holidays: [],
              extraSessions: [],
            },
      reason: "demo: open around the clock",
    });
  }
  for (const [index, member] of MEMBERS.entries()) {
    operator("POST", "/api/admin/members", {
      member: member.id,
      name: member.name,
      roles: [member.role],
      ...(member.buyerCategory ? { buyerCategory: member.buyerCategory } : {}),
      // A made-up BIN (12 digits, starting 99 so it is no real company's), so the demo's e-invoices are issued.
      bin: `99${String(index + 1).padStart(10, "0")}`,
    });
    const account = accountOf(member.id);
    const accountPath = `/api/admin/accounts/${encodeURIComponent(account)}`;
    if (member.role !== "broker") operator("POST", "/api/admin/accounts", { account, member: member.id });
    if (member.role === "buyer") {
      operator("POST", `${accountPath}/deposits`, { amount: MONEY_PER_BUYER_TIYN, reference: `DEMO-${member.id}` });
    }
    if (member.role === "producer" && member.basis && member.monthlyTonnes) {
      operator("POST", `${accountPath}/gas/declarations`, {
        basis: member.basis,
        quantity: member.monthlyTonnes * 1000 * GAS_MONTHS_DECLARED,
      });
      regulator(
        "PUT",
        `/api/regulator/supply/plans/${planMonth}/${encodeURIComponent(member.id)}/${encodeURIComponent(member.basis)}`,
        { plannedKg: member.monthlyTonnes * 1000, reason: "demo: monthly domestic supply plan" },
      );
    }
  }
  // Each buyer's station or depot in each region where it buys (world.ts), registered before any trade, so the gas it
  // buys can be received there (an arrival is confirmed at a registered station of the buyer in the instrument's
  // region; the nationwide instrument delivers anywhere).
  for (const { member, region } of demoStations()) {
    const name = MEMBERS.find((m) => m.id === member)?.name ?? member;
    operator("POST", "/api/admin/stations", {
      station: `${member}-${region}-1`,
      member,
      name: `${name}, ${region}-1`,
      region,
      document: `DEMO-${member}-${region}: a made-up registry extract`,
    });
  }
  for (const client of BROKER_CLIENTS) {
    operator("POST", "/api/admin/accounts", {
      account: client.account,
      member: "CASPIAN-BROKER",
      client: client.client,
      canBuy: true,
      canSell: false,
      buyerCategory: client.buyerCategory,
    });
    operator("POST", `/api/admin/accounts/${encodeURIComponent(client.account)}/deposits`, {
      amount: MONEY_PER_BUYER_TIYN / 4,
      reference: `DEMO-${client.account}`,
    });
  }
  return requests;
}

/** The demo buyers' stations: one for each member in each region where it buys, the nationwide desk's region aside. */
export function demoStations(): { member: string; region: string }[] {
  const seen = new Set<string>();
  const stations: { member: string; region: string }[] = [];
  for (const spec of WORLD_REGIONS) {
    if (spec.region === NATIONWIDE) continue;
    for (const { member } of spec.networks) {
      if (seen.has(`${member} ${spec.region}`)) continue;
      seen.add(`${member} ${spec.region}`);
      stations.push({ member, region: spec.region });
    }
  }
  return stations;
}
