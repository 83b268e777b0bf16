/**
 * Rule 3's detector meets an account whose pair session with the new order's account is full once per order, not
 * once per order of it in the window; before, it met every order at the side and price in the last `withinMs`. This
 * runs both (the earlier detector kept in test/support/coordinated-bidding-walk.ts) over seeded streams at high rates
 * (hundreds of orders a second at a few prices, so pair sessions fill and windows hold many orders of one account),
 * with accounts sharing groups, members re-grouped mid-stream (a new party object for an account whose older orders
 * are still in the window), several sessions at once so pairs link and components merge, `withinMs` and `sessionsMin`
 * changed in place and the rule switched off and on, and asserts the same calls to the sink: the same alerts raised
 * and retracted, in the same order, with the same evidence.
 */

import { describe, expect, it } from "vitest";
import { CoordinatedBiddingDetector as WalkEveryOrder } from "../../../test/support/coordinated-bidding-walk.ts";
import type { Alert, AlertSink } from "../alerts.ts";
import type { CoordinatedBiddingConfig } from "../config.ts";
import type { Detector, SessionInfo } from "../detector.ts";
import type { Party } from "../parties.ts";
import type { OrderRecord } from "../records.ts";
import { CoordinatedBiddingDetector } from "./coordinated-bidding.ts";

function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

type Step =
  | { readonly kind: "order"; readonly order: OrderRecord; readonly party: Party; readonly session: SessionInfo }
  | { readonly kind: "end"; readonly session: SessionInfo; readonly timeMs: number }
  | { readonly kind: "config"; readonly change: Partial<CoordinatedBiddingConfig> };

/** A seeded stream: `sessions` sessions at once (of two instruments), each of `orders` orders `stepMs` apart at most. */
function stream(seed: number, accounts: number, prices: number, sessionsAtOnce: number, days: number): Step[] {
  const random = xorshift(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const groups = ["G1", "G2", "G3", "G4", "G5"];
  const parties = Array.from({ length: accounts }, (_, i) => ({
    account: `A${i}`,
    member: `M${i}`,
    group: random() < 0.5 ? pick(groups) : `M${i}`,
  }));
  const steps: Step[] = [];
  let time = Date.UTC(2026, 0, 5, 4);
  let id = 0;
  for (let day = 0; day < days; day++) {
    const sessions: SessionInfo[] = Array.from({ length: sessionsAtOnce }, (_, s) => ({
      session: `D${day}S${s}`,
      instrument: `I${s % 2}`,
      index: day + 1,
      openMs: time,
      closeMs: null,
      basis: null,
    }));
    const orders = 100 + Math.floor(random() * 400);
    const late = Math.floor(random() * 3);
    for (let n = 0; n < orders; n++) {
      time += pick([0, 0, 1, 2, 3, 5, 10, 50, 400, 999, 1000, 1001]);
      const roll = random();
      if (roll < 0.01) {
        // The operator re-groups a member: its account's next orders carry a new party object.
        const at = Math.floor(random() * accounts);
        const before = parties[at]!;
        parties[at] = { ...before, group: random() < 0.5 ? pick(groups) : before.member };
        continue;
      }
      if (roll < 0.015) {
        steps.push({ kind: "config", change: { withinMs: pick([0, 1, 500, 1000, 2000]) } });
        continue;
      }
      if (roll < 0.017) {
        steps.push({ kind: "config", change: { sessionsMin: pick([1, 2, 3]) } });
        continue;
      }
      if (roll < 0.019) {
        steps.push({ kind: "config", change: { enabled: random() < 0.7 } });
        continue;
      }
      // Some accounts only bid in the second half of a day: their pairs' first coincidence (which may link them)
      // comes when other pairs' sessions are full.
      const party = parties[Math.floor(random() * (n < orders / 2 ? Math.max(2, accounts - late) : accounts))]!;
      const side = random() < 0.5 ? "buy" : "sell";
      const session = pick(sessions);
      steps.push({
        kind: "order",
        party,
        session,
        order: {
          kind: "order",
          timeMs: time,
          message: id,
          session: session.session,
          order: `O${id++}`,
          account: party.account,
          side,
          priceTiynPerTonne: random() < 0.03 ? null : 100_000 + Math.floor(random() * prices) * 100,
          quantityKg: 1000,
          upperLimitTiynPerTonne: null,
          lowerLimitTiynPerTonne: null,
        },
      });
    }
    for (const session of sessions) steps.push({ kind: "end", session, timeMs: time });
    time += 86_400_000;
  }
  return steps;
}

/** Every call the detector makes to its sink, in order. */
function calls(
  Made: new (config: CoordinatedBiddingConfig, sink: AlertSink) => Detector,
  steps: readonly Step[],
  sessionsMin: number,
): string[] {
  const out: string[] = [];
  const config = { enabled: true, sessionsMin, withinMs: 1000 };
  const detector = new Made(config, {
    raise: (alert: Alert) => out.push(`raise ${JSON.stringify(alert)}`),
    retract: (key: string) => out.push(`retract ${key}`),
  });
  for (const step of steps) {
    if (step.kind === "order") detector.order!(step.order, step.party, step.session);
    else if (step.kind === "end") detector.sessionEnd!(step.session, step.timeMs);
    else Object.assign(config, step.change);
  }
  detector.finish!();
  return out;
}

describe("coordinated-bidding: a full pair met once per order", () => {
  it("raises and retracts exactly what meeting every order of the window did, at high rates", () => {
    let raised = 0;
    let retracted = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const random = xorshift(seed * 7919);
      const accounts = 3 + Math.floor(random() * 10);
      const prices = 1 + Math.floor(random() * 3);
      const sessionsAtOnce = 1 + Math.floor(random() * 3);
      const days = 2 + Math.floor(random() * 6);
      const sessionsMin = 1 + Math.floor(random() * 3);
      const steps = stream(seed, accounts, prices, sessionsAtOnce, days);
      const expected = calls(WalkEveryOrder, steps, sessionsMin);
      expect(calls(CoordinatedBiddingDetector, steps, sessionsMin)).toEqual(expected);
      raised += expected.filter((c) => c.startsWith("raise")).length;
      retracted += expected.filter((c) => c.startsWith("retract")).length;
    }
    // The streams must reach what could differ: many raises, merges of components.

    expect(raised).toBeGreaterThan(500);
    expect(retracted).toBeGreaterThan(20);
  });
});

describe("coordinated-bidding: a full pair met after its component was raised", () => {
  it("marks the component for raising again at the session's end, as meeting every order did", () => {
    const party = (account: string): Party => ({ account, member: `M${account}`, group: `M${account}` });
    const [a, b, c] = [party("A"), party("B"), party("C")];
    const steps: Step[] = [];
    let id = 0;
    const order = (who: Party, session: SessionInfo, timeMs: number, price: number): Step => ({
      kind: "order",
      party: who,
      session,
      order: {
        kind: "order",
        timeMs,
        message: id,
        session: session.session,
        order: `O${id++}`,
        account: who.account,
        side: "buy",
        priceTiynPerTonne: price,
        quantityKg: 1000,
        upperLimitTiynPerTonne: null,
        lowerLimitTiynPerTonne: null,
      },
    });
    for (let day = 0; day < 3; day++) {
      const t = Date.UTC(2026, 0, 5 + day, 4);
      const session: SessionInfo = {
        session: `S${day + 1}`,
        instrument: "I1",
        index: day + 1,
        openMs: t,
        closeMs: null,
        basis: null,
      };
      if (day < 2) {
        steps.push(order(a, session, t, 100), order(b, session, t + 1, 100));
        steps.push(order(a, session, t + 2, 200), order(c, session, t + 3, 200));
      } else {
        // A and B link at once and fill their pair session; A and C link later (the group is raised: none pending);
        // then A and B, full, meet once more.
        for (let i = 0; i < 30; i++) steps.push(order(i % 2 === 0 ? a : b, session, t + i, 100));
        steps.push(order(a, session, t + 5000, 200), order(c, session, t + 5001, 200));
        steps.push(order(a, session, t + 9000, 100), order(b, session, t + 9001, 100));
      }
      steps.push({ kind: "end", session, timeMs: t + 10_000 });
    }
    const expected = calls(WalkEveryOrder, steps, 3);
    const last = JSON.parse(expected.at(-1)!.slice("raise ".length)) as Alert;
    expect(last.accounts).toEqual(["A", "B", "C"]);
    expect(last.toMs).toBe(Date.UTC(2026, 0, 7, 4) + 9001);
    expect(calls(CoordinatedBiddingDetector, steps, 3)).toEqual(expected);
  });
});
