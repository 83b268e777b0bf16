/**
 * Rule 6's detector visits only the messages of a window not yet in a burst (the newest ones); before, it visited the
 * whole window at every message. This runs both over seeded streams of messages (members with two accounts, mass
 * cancels as repeated message ids, two sessions at once, bursts and quiet spells, the window and the threshold changed
 * in place mid-stream as a `config` record does, the rule disabled and enabled) and asserts the same alerts, in the
 * same order, with the same evidence.
 */

import { describe, expect, it } from "vitest";
import { type Alert, type AlertSink, Evidence } from "../alerts.ts";
import type { SessionInfo } from "../detector.ts";
import type { Party } from "../parties.ts";
import { Queue } from "../queue.ts";
import { AutomatedEntryDetector } from "./automated-entry.ts";

interface Config {
  enabled: boolean;
  messagesMin: number;
  windowMs: number;
}

interface Message {
  readonly timeMs: number;
  readonly message: number;
  readonly party: Party;
  readonly orders: string[];
  inBurst: boolean;
}

class ReferenceState extends Evidence {
  readonly window = new Queue<Message>();
  last: Message | null = null;
  peak = 0;
  inBursts = 0;
  raised = false;
  constructor(readonly member: string) {
    super();
  }
}

/** The detector as it was: every message of the window visited at each message. */
class ReferenceDetector {
  private readonly sessions = new Map<string, Map<string, ReferenceState>>();
  constructor(
    private readonly config: Config,
    private readonly sink: AlertSink,
  ) {}

  message(record: { timeMs: number; message: number; order: string }, party: Party, session: SessionInfo): void {
    if (!this.config.enabled) return;
    let members = this.sessions.get(session.session);
    if (members === undefined) {
      members = new Map();
      this.sessions.set(session.session, members);
    }
    let state = members.get(party.member);
    if (state === undefined) {
      state = new ReferenceState(party.member);
      state.sessions.add(session.session);
      members.set(party.member, state);
    }
    if (state.last !== null && state.last.message === record.message) {
      if (!state.last.orders.includes(record.order)) state.last.orders.push(record.order);
      if (state.last.inBurst) state.order(record.order);
      return;
    }
    const message: Message = {
      timeMs: record.timeMs,
      message: record.message,
      party,
      orders: [record.order],
      inBurst: false,
    };
    state.last = message;
    const window = state.window;
    for (let first = window.first(); first !== undefined && first.timeMs <= record.timeMs - this.config.windowMs; ) {
      window.shift();
      first = window.first();
    }
    window.push(message);
    if (window.length > state.peak) state.peak = window.length;
    if (window.length < this.config.messagesMin) return;
    const burst = state;
    window.forEach((inWindow) => {
      if (inWindow.inBurst) return;
      inWindow.inBurst = true;
      burst.inBursts++;
      burst.party(inWindow.party);
      for (const order of inWindow.orders) burst.order(order);
      burst.time(inWindow.timeMs);
    });
    if (!state.raised) {
      state.raised = true;
      this.raise(state, session);
    }
  }

  sessionEnd(session: SessionInfo): void {
    const members = this.sessions.get(session.session);
    if (members === undefined) return;
    this.sessions.delete(session.session);
    for (const state of members.values()) if (state.raised) this.raise(state, session);
  }

  private raise(state: ReferenceState, session: SessionInfo): void {
    this.sink.raise(
      state.alert({
        key: `automated-entry|${state.member}|${session.session}`,
        rule: "automated-entry",
        session: session.session,
        instrument: null,
        side: null,
        figures: { peakMessages: state.peak, windowMs: this.config.windowMs, messagesInBursts: state.inBursts },
      }),
    );
  }
}

/** A seeded generator (a linear congruential one: enough to vary the streams, and the same on every run). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function run(seed: number): { optimised: Alert[]; reference: Alert[] } {
  const random = seeded(seed);
  const optimised: Alert[] = [];
  const reference: Alert[] = [];
  const sink = (into: Alert[]): AlertSink => ({
    raise: (alert) => into.push(JSON.parse(JSON.stringify(alert)) as Alert),
    retract: () => undefined,
  });
  // One configuration object per detector, changed in place alike (as `Surveillance` does on a `config` record).
  const configs: Config[] = [0, 1].map(() => ({ enabled: true, messagesMin: 3, windowMs: 1000 }));
  const detector = new AutomatedEntryDetector(configs[0]!, sink(optimised));
  const old = new ReferenceDetector(configs[1]!, sink(reference));
  const parties: Party[] = [];
  for (let m = 0; m < 4; m++) {
    for (const suffix of ["", "b"]) parties.push({ account: `A${m}${suffix}`, member: `M${m}`, group: `G${m}` });
  }
  const sessions: SessionInfo[] = ["S1", "S2"].map((id, index) => ({
    session: id,
    instrument: `I${index}`,
    index: 1,
    openMs: 0,
    closeMs: null,
    basis: null,
  }));
  let timeMs = 0;
  let messageId = 0;
  for (let i = 0; i < 3000; i++) {
    const roll = random();
    if (roll < 0.01) {
      const change = { messagesMin: 2 + Math.floor(random() * 5), windowMs: 200 + Math.floor(random() * 2000) };
      for (const config of configs) Object.assign(config, change);
      continue;
    }
    if (roll < 0.015) {
      for (const config of configs) config.enabled = !config.enabled;
      continue;
    }
    // Bursts (a few ms apart) and quiet spells (seconds apart).
    timeMs += random() < 0.8 ? Math.floor(random() * 150) : Math.floor(random() * 3000);
    const party = parties[Math.floor(random() * parties.length)]!;
    const session = sessions[random() < 0.7 ? 0 : 1]!;
    const orders = random() < 0.1 ? 1 + Math.floor(random() * 4) : 1;
    messageId++;
    for (let k = 0; k < orders; k++) {
      const record = { timeMs, message: messageId, order: `o${Math.floor(random() * 400)}` };
      detector.order(record, party, session);
      old.message(record, party, session);
    }
  }
  for (const session of sessions) {
    detector.sessionEnd(session);
    old.sessionEnd(session);
  }
  return { optimised, reference };
}

describe("automated-entry: bursts visited from the newest unmarked message", () => {
  it("raises exactly what visiting every message of the window raised", () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { optimised, reference } = run(seed);
      expect(reference.length).toBeGreaterThan(0);
      expect(optimised).toEqual(reference);
    }
  });
});
