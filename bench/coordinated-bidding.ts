/**
 * `npm run bench:coordinated-bidding`: µs of CPU per order of the coordinated-bidding rule alone over
 * bench:server's stream of new orders (figures, not pass/fail). 128 accounts of members of their own groups, half
 * bidding and half offering, round-robin; an order's price is one of 100 ticks away from the reference on its side
 * (as bench/server.ts places them), so at R orders/s an order meets about R / 200 orders at its side and price in the
 * last second. One session per `BENCH_CB_ORDERS` orders run (default one session); each rate runs `BENCH_CB_REPEAT`
 * times (default 3), after a warm-up run.
 * Environment: BENCH_CB_RATES (orders/s, default "6000,50000"), BENCH_CB_ORDERS (default 400,000),
 * BENCH_CB_SESSIONS (default 1: sessions the orders are spread over; 3 or more links pairs), BENCH_CB_MODULE (the
 * detector's module, default src/surveillance/rules/coordinated-bidding.ts: to compare another version of it).
 */

import { loadavg } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Alert, AlertSink } from "../src/surveillance/alerts.ts";
import { DEFAULT_CONFIG } from "../src/surveillance/config.ts";
import type { Detector, SessionInfo } from "../src/surveillance/detector.ts";
import type { Party } from "../src/surveillance/parties.ts";
import type { OrderRecord } from "../src/surveillance/records.ts";

const RATES = (process.env.BENCH_CB_RATES ?? "6000,50000").split(",").map(Number);
const ORDERS = Number(process.env.BENCH_CB_ORDERS ?? 400_000);
const SESSIONS = Number(process.env.BENCH_CB_SESSIONS ?? 1);
const REPEAT = Number(process.env.BENCH_CB_REPEAT ?? 3);
const MODULE = resolve(process.env.BENCH_CB_MODULE ?? "src/surveillance/rules/coordinated-bidding.ts");
const ACCOUNTS = 128;
const REFERENCE_PRICE = 12_000_000;
const TICK = 100;
const T0 = Date.UTC(2026, 0, 5, 4);

const { CoordinatedBiddingDetector } = (await import(pathToFileURL(MODULE).href)) as {
  CoordinatedBiddingDetector: new (config: typeof DEFAULT_CONFIG.coordinatedBidding, sink: AlertSink) => Detector;
};

const parties: Party[] = Array.from({ length: ACCOUNTS }, (_, i) => ({
  account: `ACC-${String(i).padStart(4, "0")}`,
  member: `M${i}`,
  group: `M${i}`,
}));

function stream(rate: number): { order: OrderRecord; party: Party; session: SessionInfo }[] {
  const out: { order: OrderRecord; party: Party; session: SessionInfo }[] = [];
  const next = new Array<number>(ACCOUNTS).fill(0);
  const perSession = Math.ceil(ORDERS / SESSIONS);
  let session: SessionInfo | null = null;
  for (let i = 0; i < ORDERS; i++) {
    if (i % perSession === 0) {
      const index = i / perSession + 1;
      session = { session: `S${index}`, instrument: "I1", index, openMs: T0, closeMs: null, basis: null };
    }
    const a = i % ACCOUNTS;
    const party = parties[a]!;
    const side = a % 2 === 0 ? "buy" : "sell";
    const n = next[a]!++;
    const away = (1 + ((n * 37) % 100)) * TICK * 10;
    out.push({
      party,
      session: session!,
      order: {
        kind: "order",
        timeMs: T0 + Math.floor((i % perSession) * (1000 / rate)),
        message: i,
        session: session!.session,
        order: `O${i}`,
        account: party.account,
        side,
        priceTiynPerTonne: side === "buy" ? REFERENCE_PRICE - away : REFERENCE_PRICE + away,
        quantityKg: 1000,
        upperLimitTiynPerTonne: null,
        lowerLimitTiynPerTonne: null,
      },
    });
  }
  return out;
}

function runOnce(records: ReturnType<typeof stream>): { usPerOrder: number; alerts: number } {
  let alerts = 0;
  const sink: AlertSink = {
    raise(_alert: Alert) {
      alerts++;
    },
    retract() {},
  };
  const detector = new CoordinatedBiddingDetector({ ...DEFAULT_CONFIG.coordinatedBidding }, sink);
  const start = process.cpuUsage();
  let current = records[0]!.session;
  for (const { order, party, session } of records) {
    if (session !== current) {
      detector.sessionEnd?.(current, order.timeMs);
      current = session;
    }
    detector.order!(order, party, session);
  }
  detector.sessionEnd?.(current, 0);
  detector.finish?.();
  const used = process.cpuUsage(start);
  return { usPerOrder: (used.user + used.system) / records.length, alerts };
}

console.log(
  `coordinated-bidding over bench:server's stream: ${ORDERS.toLocaleString("en-US")} orders, ${ACCOUNTS} accounts, 100 prices a side, ${SESSIONS} session(s); module ${MODULE}; load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
for (const rate of RATES) {
  const records = stream(rate);
  runOnce(records);
  const figures: string[] = [];
  let alerts = 0;
  for (let r = 0; r < REPEAT; r++) {
    const result = runOnce(records);
    figures.push(result.usPerOrder.toFixed(2));
    alerts = result.alerts;
  }
  console.log(
    `  ${rate.toLocaleString("en-US")} orders/s: ${figures.join(", ")} µs of CPU per order (${alerts} raises)`,
  );
}
