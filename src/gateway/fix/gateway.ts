/**
 * The FIX 4.4 acceptor (`sauda serve --fix-port P`): members' order-management systems enter orders over FIX, and
 * their risk and back-office systems take a drop copy. docs/fix.md is the members' guide; this comment is the
 * contract.
 *
 * - Logon: Username(553) = an API key's id, Password(554) = its secret, SenderCompID(49) = the key's member,
 *   TargetCompID(56) = `SAUDA` for order entry (a trader's key with the `trade` scope) or `SAUDA-DC` for the drop copy
 *   (any of the member's keys with the `read` scope). An order-entry session is the API key's: its sequence numbers
 *   belong to the key, and one connection at a time may hold it. The drop copy is the member's: one at a time.
 *   `CancelOnDisconnect(9001)=Y` on the Logon asks for cancel-on-disconnect.
 * - Orders go through exactly the checks and commands of REST (gateway/order-entry.ts): the same roles, scopes and
 *   account ownership, the same engine commands, the same registry codes. A request the gateway refuses before the
 *   journal (a field that does not convert, a forbidden account, the rate limit) is answered at once; everything
 *   else is answered from the durable outcome, in journal order (executions.ts).
 * - Every report an order-entry session or drop copy is owed is numbered and stored even while nobody is connected,
 *   and delivered by the standard resend after the next logon. At start-up the gateway reads the journal once to
 *   rebuild its view of live orders and to make any report a crash left unmade.
 * - The kill switch (member.suspend) logs the member's sessions out, after their cancels are reported; a suspended
 *   member cannot log on for order entry. A revoked key or a disabled user is logged out within
 *   `PRINCIPAL_RECHECK_MS`.
 * - Cancel-on-disconnect: when a session that asked for it ends for any reason, the resting orders entered through
 *   that session are cancelled through the journal (meta actor `cancel-on-disconnect`), after the requests in flight
 *   have been answered. Orders of the same accounts entered elsewhere are not touched.
 * - Limits: `FIX_CONNECTIONS_MAX` connections, `FIX_MESSAGES_PER_SECOND_MAX` application messages per session per
 *   second (refused with RATE_LIMITED), the session layer's own (session.ts), and the journal backlog (connections
 *   that send orders stop being read while `SEQUENCER_BACKLOG_PAUSE_COMMANDS` commands wait, as on WebSocket).
 */

import { timingSafeEqual } from "node:crypto";
import { createServer as createTcpServer, type Server as NetServer, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import type { Outcome } from "../../journal/sequencer.ts";
import { READ_PAGE_RECORDS } from "../../journal/store.ts";
import { outcomeOfRecord } from "../../projections/outcome.ts";
import { requireScope } from "../auth.ts";
import { HttpProblem } from "../errors.ts";
import type { Exchange } from "../exchange.ts";
import { requireTrader, type UserPrincipal } from "../order-entry.ts";
import { SEQUENCER_BACKLOG_PAUSE_COMMANDS, SEQUENCER_BACKLOG_RESUME_COMMANDS } from "../streams/protocol.ts";
import type { Users } from "../users.ts";
import type { Field, FixMessage } from "./codec.ts";
import { ExecutionBook, problemText, type Report, rejectionText } from "./executions.ts";
import { OrderEntrySession, type SessionGateway } from "./order-entry-session.ts";
import { FixConnection, type LogonVerdict, SessionLedger, type SessionLog, SILENT_LOG } from "./session.ts";
import { FixStore } from "./store.ts";

export const ORDER_ENTRY_COMP_ID = "SAUDA";
export const DROP_COPY_COMP_ID = "SAUDA-DC";
/** sauda's Logon tag asking for cancel-on-disconnect (a user-defined tag: FIX 4.4 has none). */
export const CANCEL_ON_DISCONNECT_TAG = 9001;
export const FIX_CONNECTIONS_MAX = 1000;
export const FIX_MESSAGES_PER_SECOND_MAX = 1000;
export const PRINCIPAL_RECHECK_MS = 15_000;

export interface FixGatewayOptions {
  readonly exchange: Exchange;
  readonly users: Users;
  /** The FIX store's SQLite file (store.ts). */
  readonly storeFile: string;
  readonly port: number;
  readonly host: string;
  /** PEM certificate chain and key: the acceptor speaks TLS. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  readonly messagesPerSecond?: number;
  readonly log?: SessionLog;
  /** Wall clock for SendingTime and the session timers (ms since epoch). */
  readonly wallClock?: () => number;
}

type Kind = "oe" | "dc";

function ledgerId(kind: Kind, member: string, keyId?: string): string {
  return JSON.stringify(kind === "oe" ? [kind, member, keyId] : [kind, member]);
}

function parseLedgerId(id: string): { kind: Kind; member: string } {
  const [kind, member] = JSON.parse(id) as [Kind, string];
  return { kind, member };
}

export function field(message: FixMessage, tag: number): string | undefined {
  return message.fields.get(tag);
}

function _missing(name: string, rule: string): HttpProblem {
  return new HttpProblem("FIELD_INVALID", { field: name, value: "(missing)", rule });
}

function _invalid(name: string, value: string, rule: string): HttpProblem {
  return new HttpProblem("FIELD_INVALID", { field: name, value: value.slice(0, 64), rule });
}

export class FixGateway implements SessionGateway {
  private readonly exchange: Exchange;
  private readonly store: FixStore;
  private readonly book: ExecutionBook;
  private readonly ledgers = new Map<string, SessionLedger>();
  private readonly sessions = new Set<OrderEntrySession>();
  private readonly connections = new Set<FixConnection>();
  private readonly paused = new Set<FixConnection>();
  private readonly wallClock: () => number;
  private readonly log: SessionLog;
  private server: NetServer | null = null;
  private unsubscribe: (() => void) | null = null;
  private recheck: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(readonly options: FixGatewayOptions) {
    this.exchange = options.exchange;
    this.store = new FixStore(options.storeFile);
    this.wallClock = options.wallClock ?? Date.now;
    this.log = options.log ?? SILENT_LOG;
    this.book = new ExecutionBook((account) => this.exchange.projections.accounts.info(account)?.member ?? null);
  }

  static async start(options: FixGatewayOptions): Promise<FixGateway> {
    const gateway = new FixGateway(options);
    try {
      await gateway.catchUp();
      await gateway.listen();
    } catch (error) {
      await gateway.close();
      throw error;
    }
    return gateway;
  }

  get port(): number {
    const address = this.server?.address();
    return typeof address === "object" && address !== null ? address.port : 0;
  }

  /** Live orders in the FIX view (for tests and metrics). */
  get liveOrders(): number {
    return this.book.liveOrders;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Start-up: the view of live orders from the journal, and reports a crash left unmade.

  private async catchUp(): Promise<void> {
    for (const { id } of this.store.sessions()) this.ledgerOf(id);
    const buffered: Outcome[] = [];
    let replaying = true;
    this.unsubscribe = this.exchange.onOutcomes((outcomes) => {
      if (replaying) buffered.push(...outcomes);
      else this.onOutcomes(outcomes);
    });
    const head = this.exchange.projections.lastSeq;
    for (let from = 1; from <= head; ) {
      const page = await this.exchange.store.read(from, Math.min(READ_PAGE_RECORDS, head - from + 1));
      if (page.length === 0) break;
      this.store.transaction(() => {
        for (const record of page) {
          if (record.seq > head) break;
          const outcome = outcomeOfRecord(record);
          this.deliver(this.book.apply(outcome), outcome.seq, false);
        }
      });
      from += page.length;
    }
    this.store.transaction(() => {
      for (const ledger of this.ledgers.values()) this.advance(ledger, head);
    });
    replaying = false;
    this.onOutcomes(buffered.filter((outcome) => outcome.seq > head));
  }

  private ledgerOf(id: string, journalSeq = 0): SessionLedger {
    let ledger = this.ledgers.get(id);
    if (ledger === undefined) {
      const { kind, member } = parseLedgerId(id);
      const row = this.store.load(id) ?? this.store.create(id, journalSeq, this.wallClock());
      ledger = new SessionLedger(this.store, id, kind === "oe" ? ORDER_ENTRY_COMP_ID : DROP_COPY_COMP_ID, member, row);
      this.ledgers.set(id, ledger);
    }
    return ledger;
  }

  private advance(ledger: SessionLedger, seq: number): void {
    if (ledger.journalSeq >= seq) return;
    ledger.journalSeq = seq;
    this.store.setJournalSeq(ledger.id, seq);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Durable outcomes → reports.

  private onOutcomes(outcomes: readonly Outcome[]): void {
    if (outcomes.length === 0) return;
    const suspended: string[] = [];
    const touched = new Set<SessionLedger>();
    this.store.transaction(() => {
      for (const outcome of outcomes) {
        suspended.push(...this.deliver(this.book.apply(outcome), outcome.seq, true, touched));
      }
      // Sessions that got nothing keep their older journal position: at start-up they look at those outcomes again
      // and find nothing for them, which costs a read and saves a write per session per batch.
      const last = outcomes.at(-1)!.seq;
      for (const ledger of touched) this.advance(ledger, last);
    });
    for (const member of suspended) this.logOutMember(member);
    if (this.paused.size > 0 && this.exchange.queued <= SEQUENCER_BACKLOG_RESUME_COMMANDS) {
      for (const connection of this.paused) connection.resume();
      this.paused.clear();
    }
  }

  /** Sends (or stores) each report to its sessions; returns the members whose kill switch was pulled. */
  private deliver(
    reports: readonly Report[],
    seq: number,
    live: boolean,
    touched: Set<SessionLedger> | null = null,
  ): string[] {
    const suspended: string[] = [];
    const now = this.wallClock();
    const send = (ledger: SessionLedger | undefined, report: Report) => {
      if (ledger === undefined || ledger.journalSeq >= seq) return;
      ledger.sendApplication(report.msgType, report.body, now);
      touched?.add(ledger);
    };
    for (const report of reports) {
      if (report.suspendedMember !== undefined) {
        if (live) suspended.push(report.suspendedMember);
        continue;
      }
      if (report.session !== null) send(this.ledgers.get(report.session), report);
      if (report.dropCopyMember !== null) send(this.ledgers.get(ledgerId("dc", report.dropCopyMember)), report);
    }
    return suspended;
  }

  private logOutMember(member: string): void {
    const controls = this.exchange.projections.controls.member(member);
    const text = problemText(
      "MEMBER_SUSPENDED",
      new HttpProblem("MEMBER_SUSPENDED", { member }).message +
        (controls?.statusChanged ? ` Reason: ${controls.statusChanged.reason}` : ""),
    );
    for (const ledger of this.ledgers.values()) {
      if (ledger.theirCompId === member && ledger.connection !== null) ledger.connection.logout(text);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Connections and logon.

  private async listen(): Promise<void> {
    const onConnection = (socket: Socket) => {
      if (this.closed || this.connections.size >= FIX_CONNECTIONS_MAX) {
        socket.destroy();
        return;
      }
      socket.setNoDelay(true);
      const connection = new FixConnection(socket, {
        authenticate: (logon, conn) => this.authenticate(logon, conn, socket.remoteAddress ?? "unknown"),
        clock: this.wallClock,
        log: this.log,
      });
      this.connections.add(connection);
      socket.once("close", () => {
        this.connections.delete(connection);
        this.paused.delete(connection);
      });
    };
    const tls = this.options.tls;
    const server = tls
      ? createTlsServer({ cert: tls.cert, key: tls.key, minVersion: "TLSv1.2" }, onConnection)
      : createTcpServer(onConnection);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.recheck = setInterval(() => {
      for (const session of this.sessions) void session.recheckPrincipal();
    }, PRINCIPAL_RECHECK_MS);
    this.recheck.unref();
  }

  private async authenticate(logon: FixMessage, connection: FixConnection, address: string): Promise<LogonVerdict> {
    const refuse = (text: string): LogonVerdict => ({ ok: false, text });
    const target = field(logon, 56);
    const kind: Kind | null = target === ORDER_ENTRY_COMP_ID ? "oe" : target === DROP_COPY_COMP_ID ? "dc" : null;
    if (kind === null) {
      return refuse(
        `TargetCompID(56) must be ${ORDER_ENTRY_COMP_ID} (order entry) or ${DROP_COPY_COMP_ID} (drop copy)`,
      );
    }
    const keyId = field(logon, 553);
    const secret = field(logon, 554);
    if (keyId === undefined || secret === undefined) {
      return refuse("Username(553) and Password(554) must be an API key's id and secret");
    }
    const key = this.options.users.apiKey(keyId);
    const keySecret = key === null ? null : this.options.users.secretOf(key.id);
    if (key === null || key.revoked || keySecret === null || !sameSecret(secret, keySecret)) {
      return refuse("Username(553) and Password(554) are not the id and secret of a valid API key");
    }
    const user = this.options.users.user(key.user);
    if (user === null || user.disabled) return refuse("the API key's user is disabled");
    if (this.closed) return refuse("the exchange is shutting down");
    const member = user.member;
    if (member === null) return refuse("only a member's users log on over FIX");
    if (field(logon, 49) !== member) return refuse(`SenderCompID(49) must be your member id, ${member}`);
    const principal: UserPrincipal = {
      kind: "user",
      user,
      via: "key",
      scopes: key.scopes,
      keyId: key.id,
      csrf: null,
    };
    try {
      if (kind === "oe") {
        requireTrader(principal, "enter orders over FIX");
        if (this.exchange.projections.controls.member(member)?.suspended === true) {
          throw new HttpProblem("MEMBER_SUSPENDED", { member });
        }
      } else {
        requireScope(principal, "read", "take the drop copy");
      }
    } catch (error) {
      if (error instanceof HttpProblem) return refuse(rejectionText(error));
      throw error;
    }
    const id = ledgerId(kind, member, key.id);
    const ledger = this.ledgerOf(id, this.exchange.projections.lastSeq);
    if (ledger.connection !== null && ledger.connection !== connection) {
      return refuse(
        kind === "oe"
          ? `API key ${key.id} already has a logged-on session; one at a time`
          : `member ${member} already has a logged-on drop copy; one at a time`,
      );
    }
    ledger.connection = connection;
    if (kind === "dc") {
      return {
        ok: true,
        ledger,
        onApplication: (message) => this.businessReject(ledger, message, "6", "a drop copy session is read-only"),
        onClosed: () => {},
      };
    }
    const session = new OrderEntrySession(this, ledger, connection, principal, {
      cancelOnDisconnect: field(logon, CANCEL_ON_DISCONNECT_TAG) === "Y",
      address,
    });
    this.sessions.add(session);
    return {
      ok: true,
      ledger,
      onApplication: (message) => session.onMessage(message),
      onClosed: () => {
        this.sessions.delete(session);
        session.onClosed();
      },
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // For order-entry sessions.

  /** @internal */
  get context() {
    return {
      exchange: this.exchange,
      book: this.book,
      wallClock: this.wallClock,
      log: this.log,
      messagesPerSecond: this.options.messagesPerSecond ?? FIX_MESSAGES_PER_SECOND_MAX,
      users: this.options.users,
    };
  }

  /** Connections that sent orders while the journal's backlog is long stop being read. */
  throttle(connection: FixConnection): void {
    if (this.exchange.queued >= SEQUENCER_BACKLOG_PAUSE_COMMANDS && !this.paused.has(connection)) {
      this.paused.add(connection);
      connection.pause();
    }
  }

  businessReject(ledger: SessionLedger, message: FixMessage, reason: string, text: string, refId?: string): void {
    const body: Field[] = [
      [45, field(message, 34) ?? "0"],
      [372, message.type.slice(0, 8) || "?"],
    ];
    if (refId !== undefined) body.push([379, refId]);
    body.push([380, reason], [58, text]);
    ledger.sendApplication("j", body, this.wallClock());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.recheck !== null) clearInterval(this.recheck);
    this.unsubscribe?.();
    const server = this.server;
    const closing = server === null ? Promise.resolve() : new Promise<void>((resolve) => server.close(() => resolve()));
    for (const connection of this.connections) connection.logout("the exchange is shutting down");
    await Promise.allSettled([...this.sessions].map((session) => session.settled()));
    for (const connection of this.connections) connection.destroy("the exchange is shutting down");
    await closing;
    this.store.close();
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
