/**
 * Rule 6, `automated-entry`: three or more order-entry messages (new, amend, cancel) from one member whose first and
 * last lie less than 1,000 ms apart, i.e. more than 2 per second (the rulebook's limit for members' software). A cancel
 * or amend belongs to its order's session. One alert per (member, session) with the peak count.
 *
 * Reading of the rule (docs/surveillance.md): messages are counted per (member, session) — a member's messages in two
 * sessions at once do not add up, since each alert is one session's; "less than 1,000 ms apart" is strict (last −
 * first < `windowMs`). The peak is the most messages in any such window. The alert names the member's accounts that
 * sent messages lying in some window of `messagesMin` or more and the orders those messages were about, from the first
 * such message to the last. A message that cancels several orders at once (a mass cancel) is one message.
 *
 * Raised at the first window that reaches `messagesMin`, and again with the full evidence when the session ends.
 * Figures: `peakMessages`, `windowMs`, `messagesInBursts` (messages that lie in some such window).
 *
 * Complexity: amortised O(1) per message (each enters and leaves the window once, and joins a burst once). Memory: per (member, running
 * session) its messages of the last `windowMs` and the evidence of its bursts.
 */

import type { AlertSink } from "../alerts.ts";
import { Evidence } from "../alerts.ts";
import type { AutomatedEntryConfig } from "../config.ts";
import type { Detector, SessionInfo } from "../detector.ts";
import type { Party } from "../parties.ts";
import { Queue } from "../queue.ts";

interface Message {
  readonly timeMs: number;
  readonly message: number;
  readonly party: Party;
  readonly orders: string[];
  inBurst: boolean;
}

export class MemberMessages extends Evidence {
  readonly window = new Queue<Message>();
  last: Message | null = null;
  peak = 0;
  inBursts = 0;
  raised = false;
  constructor(readonly member: string) {
    super();
  }
}

export class AutomatedEntryDetector implements Detector {
  /** Per running session, per member. */
  private readonly sessions = new Map<string, Map<string, MemberMessages>>();

  constructor(
    private readonly config: AutomatedEntryConfig,
    private readonly sink: AlertSink,
  ) {}

  order(record: { timeMs: number; message: number; order: string }, party: Party, session: SessionInfo): void {
    this.message(record, party, session);
  }

  amend(record: { timeMs: number; message: number; order: string }, party: Party, session: SessionInfo): void {
    this.message(record, party, session);
  }

  cancel(record: { timeMs: number; message: number; order: string }, party: Party, session: SessionInfo): void {
    this.message(record, party, session);
  }

  private message(record: { timeMs: number; message: number; order: string }, party: Party, session: SessionInfo) {
    if (!this.config.enabled) return;
    let members = this.sessions.get(session.session);
    if (members === undefined) {
      members = new Map();
      this.sessions.set(session.session, members);
    }
    let state = members.get(party.member);
    if (state === undefined) {
      state = new MemberMessages(party.member);
      state.sessions.add(session.session);
      members.set(party.member, state);
    }
    // Several orders of one message (a mass cancel) arrive as consecutive records with the same message id.
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
    // Every message of the window joins the burst. Those already in one are the window's oldest: each window that
    // reached `messagesMin` marked all it held, and the window only ever loses its oldest messages, so the messages
    // marked are followed by none unmarked but the newest. Only those newest are visited (oldest first, as all were).
    let start = window.length;
    while (start > 0 && !window.at(start - 1)!.inBurst) start--;
    for (let i = start; i < window.length; i++) {
      const inWindow = window.at(i)!;
      inWindow.inBurst = true;
      state.inBursts++;
      state.party(inWindow.party);
      for (const order of inWindow.orders) state.order(order);
      state.time(inWindow.timeMs);
    }
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

  private raise(state: MemberMessages, session: SessionInfo): void {
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
