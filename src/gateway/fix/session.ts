/**
 * The FIX 4.4 session layer (FIX Session Protocol, as FIX 4.4 volume 2 states it): logon, heartbeats and test
 * requests, sequence numbers in both directions, ResendRequest answered with the stored messages and gap fills,
 * SequenceReset, session-level Reject and Logout. Above it the gateway (gateway.ts) decides who may log on and what
 * application messages mean; nothing here knows about orders.
 *
 * Why sauda has its own session layer rather than an npm FIX engine: see docs/fix.md, "Why sauda has its own session
 * layer". In short, the one maintained engine on npm (jspurefix 5.11) binds a connection to its stored session and
 * evicts the live connection of that session before the logon's credentials are checked, hands application messages
 * that arrive after a sequence gap to the application before the gap is filled, and persists sequence numbers
 * without waiting for the write; the others are unmaintained or under a commercial licence.
 *
 * Two objects:
 * - `SessionLedger`: one per session identity (an API key's order-entry session, a member's drop copy), alive whether
 *   or not anyone is connected. It owns the sequence numbers and stores every message it sends, so messages made
 *   while the peer is away (fills of its resting orders) are delivered by the standard resend when it logs on again.
 * - `FixConnection`: one per TCP (or TLS) connection, speaking the protocol for the ledger it logged on to.
 *
 * Sequence rules (inbound, expected number E, received N):
 * - N = E: processed; E becomes N + 1 (a gap fill's NewSeqNo), saved before the next message is read.
 * - N > E: a gap. The message is held (at most `GAP_QUEUE_MAX`), a ResendRequest for E..0 is sent once, and held
 *   messages are processed in sequence order as the gap fills: application messages never run out of order.
 *   A ResendRequest that arrives past a gap is answered at once (so two sides with gaps cannot wait on each other).
 * - N < E: with PossDupFlag=Y a duplicate, ignored; otherwise Logout "MsgSeqNum too low, expecting E but received N"
 *   and disconnect (the standard's rule: the two sides no longer agree and a person must look).
 * - SequenceReset without GapFillFlag sets E to NewSeqNo whatever N is (NewSeqNo below E is rejected).
 * Outbound: every message gets the next number; application messages and admin messages are both stored, and a
 * resend sends application messages again with PossDupFlag=Y and OrigSendingTime, and covers admin messages (and any
 * no longer kept) with SequenceReset-GapFill.
 *
 * Timers (wall clock, not the exchange's clock: they are about the line, not the market): a heartbeat after
 * HeartBtInt seconds without sending; a TestRequest after HeartBtInt + 20% without receiving; disconnect if that goes
 * unanswered for another HeartBtInt. A connection that sends no Logon within `LOGON_TIMEOUT_MS` is closed.
 */

import type { Duplex } from "node:stream";
import { asciiText, encode, type Field, type FixMessage, Framer, FramingError, fieldsText } from "./codec.ts";
import type { FixStore, SessionRow, StoredMessage } from "./store.ts";

export const HEART_BT_INT_MIN_SECONDS = 1;
export const HEART_BT_INT_MAX_SECONDS = 300;
export const LOGON_TIMEOUT_MS = 10_000;
/** After sending Logout, how long the peer has to answer before the socket is destroyed. */
export const LOGOUT_GRACE_MS = 2000;
/** After closing, how long written bytes may take to leave before the socket is destroyed. */
export const CLOSE_FLUSH_MS = 500;
/** Messages held while a sequence gap is being filled. */
export const GAP_QUEUE_MAX = 10_000;
/** Bytes waiting to be sent before the peer is treated as a slow consumer and disconnected. */
export const SEND_BUFFER_BYTES_MAX = 8 * 1024 * 1024;
/** Messages resent per ResendRequest page (each page is read from the store and written before the next). */
const RESEND_PAGE_MESSAGES = 1000;
const TIMER_TICK_MS = 1000;

const ADMIN_TYPES = new Set(["0", "1", "2", "3", "4", "5", "A"]);

/** SessionRejectReason (373) values sauda sends. */
export const SESSION_REJECT = {
  invalidTag: 0,
  requiredTagMissing: 1,
  undefinedTag: 3,
  tagWithoutValue: 4,
  valueIncorrect: 5,
  formatIncorrect: 6,
  compIdProblem: 9,
  sendingTimeAccuracy: 10,
  invalidMsgType: 11,
  tagRepeated: 13,
} as const;

/** FIX UTCTimestamp with milliseconds: YYYYMMDD-HH:MM:SS.sss. */
export function utcTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-01-05T06:00:00.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 23)}`;
}

export interface SessionLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export const SILENT_LOG: SessionLog = { info: () => {}, warn: () => {} };

/** One FIX session's identity, sequence numbers and sent messages; see the file comment. */
export class SessionLedger {
  nextIn: number;
  nextOut: number;
  journalSeq: number;
  connection: FixConnection | null = null;

  constructor(
    readonly store: FixStore,
    /** `oe:<key id>` or `dc:<member>`. */
    readonly id: string,
    readonly ourCompId: string,
    readonly theirCompId: string,
    row: SessionRow,
  ) {
    this.nextIn = row.nextIn;
    this.nextOut = row.nextOut;
    this.journalSeq = row.journalSeq;
  }

  /** Sends an application message now, or keeps it for the resend that follows the peer's next logon. */
  sendApplication(type: string, body: readonly Field[], nowMs: number): void {
    this.emit(type, fieldsText(body), nowMs);
  }

  /** Assigns the next sequence number, stores the message and writes it if a logged-on connection is there. */
  emit(type: string, body: string, nowMs: number): number {
    const seq = this.nextOut++;
    this.store.append(this.id, { seq, type, body, sentMs: nowMs });
    const connection = this.connection;
    if (connection?.active) connection.write(encode(this.header(type, seq, nowMs), body));
    return seq;
  }

  header(type: string, seq: number, nowMs: number, original?: StoredMessage): Field[] {
    const fields: Field[] = [
      [35, type],
      [49, this.ourCompId],
      [56, this.theirCompId],
      [34, String(seq)],
    ];
    if (original !== undefined) fields.push([43, "Y"]);
    fields.push([52, utcTimestamp(nowMs)]);
    if (original !== undefined) fields.push([122, utcTimestamp(original.sentMs)]);
    return fields;
  }

  setNextIn(value: number): void {
    this.nextIn = value;
    this.store.setNextIn(this.id, value);
  }

  reset(): void {
    this.store.reset(this.id);
    this.nextIn = 1;
    this.nextOut = 1;
  }
}

/** The gateway's verdict on a Logon. */
export type LogonVerdict =
  | {
      readonly ok: true;
      readonly ledger: SessionLedger;
      /** An application message, in sequence. */
      readonly onApplication: (message: FixMessage, connection: FixConnection) => void;
      /** The connection ended, or the logon was refused after all (bad HeartBtInt, MsgSeqNum too low). */
      readonly onClosed: (connection: FixConnection) => void;
    }
  | { readonly ok: false; readonly text: string };

export interface ConnectionOptions {
  /** Checks a Logon's credentials and claims its session (one connection per session); never throws. */
  readonly authenticate: (logon: FixMessage, connection: FixConnection) => Promise<LogonVerdict>;
  /** Wall clock for SendingTime and timers (ms since epoch). */
  readonly clock: () => number;
  readonly log: SessionLog;
}

type State = "logon" | "authenticating" | "active" | "logout" | "closed";

export class FixConnection {
  private state: State = "logon";
  private readonly framer = new Framer();
  private ledger: SessionLedger | null = null;
  private verdict: Extract<LogonVerdict, { ok: true }> | null = null;
  private heartBtIntMs = 30_000;
  private lastReceivedMs: number;
  private lastSentMs: number;
  private testRequestSentMs: number | null = null;
  private testRequests = 0;
  /** Messages that arrived while the Logon was being checked. */
  private early: FixMessage[] = [];
  /** Messages past a sequence gap, by sequence number. */
  private readonly held = new Map<number, FixMessage>();
  /** The sequence number of the Logon when it came past a gap (it is processed once the gap is filled). */
  private heldLogonSeq = 0;
  /** The highest sequence number a ResendRequest we sent is waiting for, or 0. */
  private resendUpTo = 0;
  private readonly timer: NodeJS.Timeout;
  private corked = false;
  private closeReason = "";

  constructor(
    private readonly socket: Duplex,
    private readonly options: ConnectionOptions,
  ) {
    const now = options.clock();
    this.lastReceivedMs = now;
    this.lastSentMs = now;
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("close", () => this.onClose());
    socket.on("error", (error) => options.log.info({ err: error.message }, "fix socket error"));
    this.timer = setInterval(() => this.tick(), TIMER_TICK_MS);
    this.timer.unref();
  }

  get active(): boolean {
    return this.state === "active";
  }

  get sessionId(): string | null {
    return this.ledger?.id ?? null;
  }

  /** Why the connection ended (for logs and tests); empty while open. */
  get reason(): string {
    return this.closeReason;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Writing.

  write(text: string): void {
    if (this.state === "closed") return;
    const socket = this.socket as Duplex & { writableLength: number };
    if (socket.writableLength + text.length > SEND_BUFFER_BYTES_MAX) {
      this.destroy(`send buffer over ${SEND_BUFFER_BYTES_MAX} bytes: the peer reads too slowly`);
      return;
    }
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(() => {
        this.corked = false;
        socket.uncork();
      });
    }
    socket.write(text, "latin1");
    this.lastSentMs = this.options.clock();
  }

  /** An admin message through the ledger (stored, numbered), or before/without one (a refused logon). */
  private sendAdmin(type: string, body: readonly Field[]): void {
    const ledger = this.ledger;
    if (ledger === null) return;
    const text = fieldsText(body);
    if (this.state === "active") {
      ledger.emit(type, text, this.options.clock());
    } else {
      // Logon answer and logout during logon: numbered and stored like any message, written directly.
      const now = this.options.clock();
      const seq = ledger.nextOut++;
      ledger.store.append(ledger.id, { seq, type, body: text, sentMs: now });
      this.write(encode(ledger.header(type, seq, now), text));
    }
  }

  /** Session-level Reject of the message with sequence number `refSeq`. */
  private reject(refSeq: number, refType: string, reason: number, text: string, refTag?: number): void {
    const body: Field[] = [[45, String(refSeq)]];
    if (refTag !== undefined) body.push([371, String(refTag)]);
    if (refType !== "") body.push([372, refType]);
    body.push([373, String(reason)], [58, asciiText(text)]);
    this.sendAdmin("3", body);
  }

  /** Sends Logout with a reason and closes once the peer answers (or after `LOGOUT_GRACE_MS`). */
  logout(text: string): void {
    if (this.state === "closed" || this.state === "logout") return;
    if (this.ledger === null || this.state === "logon" || this.state === "authenticating") {
      this.destroy(text);
      return;
    }
    this.sendAdmin("5", [[58, asciiText(text)]]);
    this.state = "logout";
    this.closeReason = text;
    setTimeout(() => this.destroy(text), LOGOUT_GRACE_MS).unref();
  }

  /** Closes the connection: what was written is flushed for up to `CLOSE_FLUSH_MS`, nothing more is read. */
  destroy(reason: string): void {
    if (this.state === "closed") return;
    if (this.closeReason === "") this.closeReason = reason;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), CLOSE_FLUSH_MS).unref();
    this.onClose();
  }

  private onClose(): void {
    if (this.state === "closed") return;
    const wasLoggedOn = this.verdict !== null;
    this.state = "closed";
    clearInterval(this.timer);
    if (this.closeReason === "") this.closeReason = "the peer closed the connection";
    if (this.ledger !== null && this.ledger.connection === this) this.ledger.connection = null;
    if (wasLoggedOn) this.verdict!.onClosed(this);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading.

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  private onData(chunk: Buffer): void {
    if (this.state === "closed") return;
    let messages: FixMessage[];
    try {
      const framed = this.framer.push(chunk);
      messages = framed.messages;
      if (framed.garbled > 0) this.options.log.info({ garbled: framed.garbled }, "fix: garbled messages ignored");
    } catch (error) {
      if (!(error instanceof FramingError)) throw error;
      if (this.ledger !== null && this.state === "active") this.logout(error.message);
      else this.destroy(error.message);
      return;
    }
    if (messages.length === 0) return;
    this.lastReceivedMs = this.options.clock();
    for (const message of messages) {
      if ((this.state as State) === "closed") return;
      this.testRequestSentMs = null;
      if (this.state === "logon") this.onLogon(message);
      else if (this.state === "authenticating") this.early.push(message);
      // A refused logon holds no session: what the peer sends before the close is not read.
      else if (this.ledger === null) return;
      else this.onMessage(message);
    }
  }

  private onLogon(message: FixMessage): void {
    if (message.type !== "A") {
      this.destroy(`the first message must be a Logon (35=A), not 35=${message.type.slice(0, 4)}`);
      return;
    }
    this.state = "authenticating";
    void this.options.authenticate(message, this).then(
      (verdict) => this.afterAuthentication(message, verdict),
      (error: unknown) => {
        this.options.log.warn({ err: String(error) }, "fix: logon check failed");
        this.afterAuthentication(message, { ok: false, text: "the logon could not be checked; try again" });
      },
    );
  }

  private afterAuthentication(logon: FixMessage, verdict: LogonVerdict): void {
    if (this.state === "closed") {
      if (verdict.ok && verdict.ledger.connection === this) verdict.ledger.connection = null;
      return;
    }
    if (!verdict.ok) {
      this.refuseLogon(logon, verdict.text);
      return;
    }
    const ledger = verdict.ledger;
    this.ledger = ledger;
    ledger.connection = this;
    const fields = logon.fields;
    const seq = Number(fields.get(34));
    const heartBtInt = Number(fields.get(108));
    const reset = fields.get(141) === "Y";
    const problem =
      fields.get(98) !== "0"
        ? "EncryptMethod(98) must be 0 (none; use TLS for encryption)"
        : !Number.isInteger(heartBtInt) ||
            heartBtInt < HEART_BT_INT_MIN_SECONDS ||
            heartBtInt > HEART_BT_INT_MAX_SECONDS
          ? `HeartBtInt(108) ${String(fields.get(108))} is not a whole number of seconds from ${HEART_BT_INT_MIN_SECONDS} to ${HEART_BT_INT_MAX_SECONDS}`
          : !Number.isSafeInteger(seq) || seq < 1
            ? `MsgSeqNum(34) ${String(fields.get(34))} is not a positive whole number`
            : reset && seq !== 1
              ? `a Logon with ResetSeqNumFlag(141)=Y must have MsgSeqNum(34)=1, not ${seq}`
              : null;
    const release = (text: string) => {
      ledger.connection = null;
      this.ledger = null;
      verdict.onClosed(this);
      this.refuseLogon(logon, text);
    };
    if (problem !== null) {
      release(problem);
      return;
    }
    if (reset) ledger.reset();
    if (seq < ledger.nextIn) {
      release(`MsgSeqNum too low, expecting ${ledger.nextIn} but received ${seq}`);
      return;
    }
    this.verdict = verdict;
    this.heartBtIntMs = heartBtInt * 1000;
    this.sendAdmin("A", [[98, "0"], [108, String(heartBtInt)], ...(reset ? ([[141, "Y"]] as Field[]) : [])]);
    this.state = "active";
    this.options.log.info({ session: ledger.id, nextIn: ledger.nextIn, nextOut: ledger.nextOut }, "fix logon");
    if (seq === ledger.nextIn) {
      ledger.setNextIn(seq + 1);
    } else {
      this.heldLogonSeq = seq;
      this.gap(seq, logon);
    }
    const early = this.early;
    this.early = [];
    for (const message of early) {
      if (this.state !== "active") return;
      this.onMessage(message);
    }
  }

  /** Logout with the reason, answering with the peer's comp ids, not numbered in any stored session. */
  private refuseLogon(logon: FixMessage, text: string): void {
    const theirs = logon.fields.get(49) ?? "";
    const ours = logon.fields.get(56) ?? "";
    const now = this.options.clock();
    const header: Field[] = [
      [35, "5"],
      [49, ours],
      [56, theirs],
      [34, "1"],
      [52, utcTimestamp(now)],
    ];
    this.write(encode(header, fieldsText([[58, asciiText(text)]])));
    this.options.log.info({ sender: theirs.slice(0, 64), text }, "fix logon refused");
    this.closeReason = text;
    this.state = "logout";
    setTimeout(() => this.destroy(text), 50).unref();
  }

  private onMessage(message: FixMessage): void {
    const ledger = this.ledger;
    if (ledger === null) return;
    const fields = message.fields;
    const seqText = fields.get(34);
    const seq = seqText !== undefined && /^\d{1,15}$/.test(seqText) ? Number(seqText) : Number.NaN;
    if (!Number.isSafeInteger(seq) || seq < 1) {
      this.logout("MsgSeqNum(34) is missing or not a positive whole number");
      return;
    }
    if (fields.get(49) !== ledger.theirCompId || fields.get(56) !== ledger.ourCompId) {
      this.reject(seq, message.type, SESSION_REJECT.compIdProblem, "SenderCompID(49) or TargetCompID(56) is wrong");
      this.logout(
        `SenderCompID(49) must be ${ledger.theirCompId} and TargetCompID(56) ${ledger.ourCompId} on this session`,
      );
      return;
    }
    if (message.type === "4" && fields.get(123) !== "Y") {
      this.sequenceReset(seq, message);
      return;
    }
    if (seq > ledger.nextIn) {
      if (message.type === "2") {
        // Answered now; held only to count its number once the gap is filled (as a heartbeat: no second resend).
        this.resend(message);
        this.gap(seq, { ...message, type: "0" });
        return;
      }
      this.gap(seq, message);
      return;
    }
    if (seq < ledger.nextIn) {
      if (fields.get(43) === "Y") {
        if (!fields.has(122)) {
          this.reject(seq, message.type, SESSION_REJECT.requiredTagMissing, "OrigSendingTime(122) is required", 122);
        }
        return;
      }
      this.logout(`MsgSeqNum too low, expecting ${ledger.nextIn} but received ${seq}`);
      return;
    }
    this.process(seq, message);
    this.drainHeld();
  }

  private gap(seq: number, message: FixMessage): void {
    const ledger = this.ledger!;
    if (this.held.size >= GAP_QUEUE_MAX) {
      this.logout(`more than ${GAP_QUEUE_MAX} messages arrived past a sequence gap at ${ledger.nextIn}`);
      return;
    }
    this.held.set(seq, message);
    if (this.resendUpTo < seq - 1 || this.resendUpTo === 0) {
      if (this.resendUpTo === 0) {
        this.sendAdmin("2", [
          [7, String(ledger.nextIn)],
          [16, "0"],
        ]);
      }
      this.resendUpTo = Math.max(this.resendUpTo, seq - 1);
    }
  }

  private drainHeld(): void {
    const ledger = this.ledger!;
    for (;;) {
      if (this.state !== "active" && this.state !== "logout") return;
      // Held messages below the expected number were covered by a gap fill.
      for (const held of this.held.keys()) if (held < ledger.nextIn) this.held.delete(held);
      const next = this.held.get(ledger.nextIn);
      if (next === undefined) break;
      this.held.delete(ledger.nextIn);
      this.process(ledger.nextIn, next);
    }
    if (this.resendUpTo !== 0 && ledger.nextIn > this.resendUpTo) this.resendUpTo = 0;
  }

  /** A message with the expected sequence number. */
  private process(seq: number, message: FixMessage): void {
    const ledger = this.ledger!;
    const fields = message.fields;
    let next = seq + 1;
    if (message.repeatedTag !== null || message.badTag !== null) {
      ledger.setNextIn(next);
      if (message.repeatedTag !== null) {
        this.reject(
          seq,
          message.type,
          SESSION_REJECT.tagRepeated,
          `Tag ${message.repeatedTag} appears more than once`,
          message.repeatedTag,
        );
      } else {
        this.reject(
          seq,
          message.type,
          SESSION_REJECT.invalidTag,
          `Tag '${message.badTag}' is not valid or has no value`,
        );
      }
      return;
    }
    if (fields.get(43) === "Y" && !fields.has(122)) {
      ledger.setNextIn(next);
      this.reject(seq, message.type, SESSION_REJECT.requiredTagMissing, "OrigSendingTime(122) is required", 122);
      return;
    }
    if (!fields.has(52)) {
      ledger.setNextIn(next);
      this.reject(seq, message.type, SESSION_REJECT.requiredTagMissing, "SendingTime(52) is required", 52);
      return;
    }
    switch (message.type) {
      case "A":
        // The Logon itself, held past a gap, is reached once the gap is filled; a second Logon ends the session.
        if (seq === this.heldLogonSeq) break;
        ledger.setNextIn(next);
        this.logout("a second Logon on a logged-on session");
        return;
      case "0":
      case "3":
        break;
      case "1":
        ledger.setNextIn(next);
        this.sendAdmin("0", [[112, fields.get(112) ?? ""]]);
        return;
      case "2":
        ledger.setNextIn(next);
        this.resend(message);
        return;
      case "4": {
        const newSeqNo = Number(fields.get(36));
        if (!Number.isSafeInteger(newSeqNo) || newSeqNo <= seq) {
          ledger.setNextIn(next);
          this.reject(seq, "4", SESSION_REJECT.valueIncorrect, `NewSeqNo(36) must be above MsgSeqNum ${seq}`, 36);
          return;
        }
        next = newSeqNo;
        break;
      }
      case "5":
        ledger.setNextIn(next);
        if (this.state === "logout") {
          this.destroy(this.closeReason);
        } else {
          this.sendAdmin("5", []);
          this.state = "logout";
          this.closeReason = `the peer logged out${fields.has(58) ? `: ${fields.get(58)!.slice(0, 200)}` : ""}`;
          setTimeout(() => this.destroy(this.closeReason), 200).unref();
        }
        return;
      default:
        ledger.setNextIn(next);
        if (this.state !== "active") return;
        try {
          this.verdict!.onApplication(message, this);
        } catch (error) {
          // A bug, not the peer's doing: stop this session rather than run on in an unknown state.
          this.options.log.warn({ err: String(error), session: ledger.id }, "fix: internal error on a message");
          this.logout("internal error at the exchange; log on again");
        }
        return;
    }
    ledger.setNextIn(next);
  }

  private sequenceReset(seq: number, message: FixMessage): void {
    const ledger = this.ledger!;
    const newSeqNo = Number(message.fields.get(36));
    if (!Number.isSafeInteger(newSeqNo) || newSeqNo < ledger.nextIn) {
      this.reject(seq, "4", SESSION_REJECT.valueIncorrect, `NewSeqNo(36) must be at least ${ledger.nextIn}`, 36);
      return;
    }
    ledger.setNextIn(newSeqNo);
    this.drainHeld();
  }

  /** Answers a ResendRequest: stored application messages again, everything else as gap fills. */
  private resend(message: FixMessage): void {
    const ledger = this.ledger!;
    const begin = Number(message.fields.get(7));
    const endAsked = Number(message.fields.get(16));
    const last = ledger.nextOut - 1;
    if (!Number.isSafeInteger(begin) || begin < 1 || !Number.isSafeInteger(endAsked) || endAsked < 0) {
      this.reject(Number(message.fields.get(34)), "2", SESSION_REJECT.valueIncorrect, "BeginSeqNo(7) or EndSeqNo(16)");
      return;
    }
    const end = endAsked === 0 || endAsked > last ? last : endAsked;
    if (begin > end) return;
    let gapFrom: number | null = null;
    const gapFill = (upTo: number) => {
      if (gapFrom === null) return;
      const now = this.options.clock();
      const header = ledger.header("4", gapFrom, now, { seq: gapFrom, type: "4", body: "", sentMs: now });
      this.write(
        encode(
          header,
          fieldsText([
            [123, "Y"],
            [36, String(upTo + 1)],
          ]),
        ),
      );
      gapFrom = null;
    };
    for (let from = begin; from <= end; from += RESEND_PAGE_MESSAGES) {
      const to = Math.min(end, from + RESEND_PAGE_MESSAGES - 1);
      const stored = new Map(ledger.store.range(ledger.id, from, to).map((m) => [m.seq, m]));
      for (let seq = from; seq <= to; seq++) {
        const original = stored.get(seq);
        if (original === undefined || ADMIN_TYPES.has(original.type)) {
          gapFrom ??= seq;
          continue;
        }
        gapFill(seq - 1);
        const now = this.options.clock();
        this.write(encode(ledger.header(original.type, seq, now, original), original.body));
      }
    }
    gapFill(end);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Timers.

  private tick(): void {
    const now = this.options.clock();
    if (this.state === "logon" || this.state === "authenticating") {
      if (now - this.lastReceivedMs > LOGON_TIMEOUT_MS) this.destroy("no Logon in time");
      return;
    }
    if (this.state !== "active") return;
    if (now - this.lastSentMs >= this.heartBtIntMs) this.sendAdmin("0", []);
    if (this.testRequestSentMs !== null) {
      if (now - this.testRequestSentMs >= this.heartBtIntMs) {
        this.logout("no answer to a TestRequest: the peer is not responding");
      }
      return;
    }
    if (now - this.lastReceivedMs >= this.heartBtIntMs * 1.2) {
      this.testRequestSentMs = now;
      this.sendAdmin("1", [[112, `TEST-${++this.testRequests}`]]);
    }
  }
}
