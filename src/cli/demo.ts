/**
 * `sauda demo` (and `npm start` until the exchange server exists): one trading session of a demo LPG market run
 * through the real engine, printed as a member would read it — the opening auction, the trades of continuous
 * trading, and the closing book, in tenge per tonne and tenge per litre.
 *
 * The market is small and illustrative: the Zhanaozen gas processing plant (KazGPZ) and the Atyrau refinery offer
 * propane-butane for delivery in Mangystau; filling-station networks bid. Orders are drawn from a seeded generator,
 * so every run prints the same session. Prices start near the January 2022 platform average for Mangystau
 * (133,126 tenge/t, docs/sources.md).
 */

import type { Command } from "../engine/commands.ts";
import { Engine } from "../engine/engine.ts";
import type { EngineEvent, TradeEvent } from "../engine/events.ts";
import { Random } from "../simulator/random.ts";

const INSTRUMENT = "PB-KAZGPZ-MANGYSTAU-2026-01";
const TIYN_PER_TENGE = 100;
const KG_PER_TONNE = 1000;
/** A propane-butane mix is about 0.55 kg per litre at 20 °C (docs/sources.md); only for display. */
const DENSITY_KG_PER_LITRE = 0.55;
const REFERENCE_PRICE_TIYN_PER_TONNE = 13_312_600;
const TICK_TIYN_PER_TONNE = 100; // one tenge per tonne
const LOT_KG = 1000; // one tonne
const SESSION_START_MS = Date.UTC(2026, 0, 5, 6, 0, 0); // 11:00 in Aktau and Almaty (UTC+5)

const SELLERS = ["KAZGPZ", "ATYRAU-REFINERY"];
const BUYERS = ["AKTAU-GAS-STATIONS", "ZHANAOZEN-AUTOGAS", "MANGYSTAU-FUEL", "CASPIAN-LPG-NETWORK"];

/** Uniform numbers in [0, 1) from the simulator's seeded generator (src/simulator/random.ts), one stream here. */
function uniform(seed: number): () => number {
  const random = new Random(seed, "cli-demo");
  return () => random.next();
}

export interface DemoSession {
  readonly events: EngineEvent[];
  readonly engine: Engine;
}

export function runDemoSession(seed = 2022): DemoSession {
  const random = uniform(seed);
  const engine = new Engine();
  const events: EngineEvent[] = [];
  let seq = 0;
  let timeMs = SESSION_START_MS;
  const apply = (command: Command) => {
    seq++;
    events.push(...engine.apply({ seq, timeMs, command }));
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const priceAround = (center: number, spreadTenge: number) =>
    center + Math.round((random() * 2 - 1) * spreadTenge) * TICK_TIYN_PER_TONNE;
  const tonnes = (min: number, max: number) => (min + Math.floor(random() * (max - min + 1))) * LOT_KG;

  apply({
    type: "instrument.list",
    instrument: INSTRUMENT,
    mode: "continuous",
    tickSize: TICK_TIYN_PER_TONNE,
    lotSize: LOT_KG,
    referencePrice: REFERENCE_PRICE_TIYN_PER_TONNE,
  });
  apply({ type: "phase.set", instrument: INSTRUMENT, phase: "collection" });
  let n = 0;
  const order = (side: "buy" | "sell", price: number | null, quantity: number, tif: "GTC" | "DAY" | "IOC" = "GTC") => {
    n++;
    const account = side === "sell" ? pick(SELLERS) : pick(BUYERS);
    apply({
      type: "order.new",
      instrument: INSTRUMENT,
      orderId: `${account}-${n}`,
      account,
      side,
      orderType: price === null ? "market" : "limit",
      ...(price === null ? {} : { price }),
      quantity,
      tif,
    });
  };
  // Pre-open: producers offer, buyers bid, around the reference price.
  for (let i = 0; i < 24; i++) {
    timeMs += 20_000;
    if (i % 2 === 0) order("sell", priceAround(REFERENCE_PRICE_TIYN_PER_TONNE + 150_000, 3000), tonnes(20, 120));
    else order("buy", priceAround(REFERENCE_PRICE_TIYN_PER_TONNE - 150_000, 3000), tonnes(10, 80));
  }
  timeMs += 60_000;
  apply({ type: "phase.set", instrument: INSTRUMENT, phase: "uncross" });
  // Continuous trading: buyers lift offers, producers refresh them, the price drifts with demand.
  let center = engine.market(INSTRUMENT)!.referencePrice ?? REFERENCE_PRICE_TIYN_PER_TONNE;
  for (let i = 0; i < 60; i++) {
    timeMs += 60_000;
    const r = random();
    if (r < 0.45) order("buy", priceAround(center + 50_000, 1500), tonnes(5, 40), random() < 0.3 ? "IOC" : "DAY");
    else if (r < 0.9) order("sell", priceAround(center + 50_000, 1500), tonnes(10, 60));
    else order("buy", null, tonnes(5, 20), "IOC");
    center = engine.market(INSTRUMENT)!.referencePrice ?? center;
  }
  timeMs += 60_000;
  apply({ type: "phase.set", instrument: INSTRUMENT, phase: "closed" });
  return { events, engine };
}

const tengePerTonne = (tiyn: number) => (tiyn / TIYN_PER_TENGE).toLocaleString("en-US", { maximumFractionDigits: 0 });
const tengePerLitre = (tiyn: number) =>
  ((tiyn / TIYN_PER_TENGE / KG_PER_TONNE) * DENSITY_KG_PER_LITRE).toLocaleString("en-US", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });

/** The session as text lines for a terminal. */
export function describeDemoSession(session: DemoSession): string[] {
  const lines: string[] = [];
  const { events } = session;
  const trades = events.filter((e): e is TradeEvent => e.type === "trade");
  const auction = events.find((e) => e.type === "auction.uncrossed");
  lines.push("sauda demo: one session of propane-butane from the Zhanaozen plant, delivered in Mangystau");
  lines.push(`instrument ${INSTRUMENT}, prices in tenge per tonne (and per litre at ${DENSITY_KG_PER_LITRE} kg/l)`);
  lines.push(`reference price ${tengePerTonne(REFERENCE_PRICE_TIYN_PER_TONNE)} (January 2022 platform average)`);
  lines.push("");
  const accepted = events.filter((e) => e.type === "order.accepted").length;
  const rejected = events.filter((e) => e.type === "rejected").length;
  if (auction?.type === "auction.uncrossed" && auction.price !== null) {
    lines.push(
      `opening auction: ${tengePerTonne(auction.price)} tenge/t (${tengePerLitre(auction.price)} tenge/l), ` +
        `${auction.volume / KG_PER_TONNE} t, surplus ${auction.surplus / KG_PER_TONNE} t on the ${auction.surplusSide ?? "no"} side`,
    );
  } else {
    lines.push("opening auction: no price (nothing executable)");
  }
  lines.push("");
  lines.push("trades (continuous trading, newest last):");
  for (const trade of trades.filter((t) => t.aggressor !== null)) {
    lines.push(
      `  ${tengePerTonne(trade.price).padStart(9)} tenge/t  ${String(trade.quantity / KG_PER_TONNE).padStart(4)} t  ` +
        `${trade.sellAccount} -> ${trade.buyAccount}`,
    );
  }
  const volume = trades.reduce((sum, t) => sum + t.quantity, 0);
  const value = trades.reduce((sum, t) => sum + BigInt(t.price) * BigInt(t.quantity), 0n);
  const average = volume === 0 ? 0 : Number(value / BigInt(volume));
  lines.push("");
  lines.push(
    `session: ${accepted} orders, ${rejected} rejected, ${trades.length} trades, ${volume / KG_PER_TONNE} t, ` +
      `weighted average ${tengePerTonne(average)} tenge/t (${tengePerLitre(average)} tenge/l)`,
  );
  const market = session.engine.market(INSTRUMENT)!;
  const depth = (side: "buy" | "sell") =>
    market
      .depth(side, 5)
      .map((l) => `${tengePerTonne(l.price)} x ${l.quantity / KG_PER_TONNE} t`)
      .join(", ") || "(empty)";
  lines.push(`closing book: bids ${depth("buy")}`);
  lines.push(`              asks ${depth("sell")}`);
  lines.push(`state hash ${session.engine.stateHash()}`);
  return lines;
}
