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
import { QueueFullError, SequencerStoppedError } from "../../journal/sequencer.ts";
import { READ_PAGE_RECORDS } from "../../journal/store.ts";
import { outcomeOfRecord } from "../../projections/outcome.ts";
import { requireScope } from "../auth.ts";
import { HttpProblem } from "../errors.ts";
import type { Exchange } from "../exchange.ts";
import {
  amendCommand,
  cancelCommand,
  massCancelCommand,
  type NewOrderBody,
  newOrderCommand,
  requireOwnAccount,
  requireTradePrincipal,
  requireTrader,
  type UserPrincipal,
} from "../order-entry.ts";
import { TokenBucket } from "../streams/bucket.ts";
import { SEQUENCER_BACKLOG_PAUSE_COMMANDS, SEQUENCER_BACKLOG_RESUME_COMMANDS } from "../streams/protocol.ts";
import type { UserStore } from "../users.ts";
import type { Field, FixMessage } from "./codec.ts";
import {
  cancelReject,
  ExecutionBook,
  executionReport,
  type FixOrder,
  type FixRequest,
  fixRequestId,
  problemText,
  type Report,
  rejectReport,
} from "./executions.ts";
import {
  FixConnection,
  type LogonVerdict,
  SessionLedger,
  type SessionLog,
  SILENT_LOG,
  utcTimestamp,
} from "./session.ts";
import { FixStore } from "./store.ts";
import { kgOf, tiynPerTonneOf, tonnesText } from "./units.ts";

export const ORDER_ENTRY_COMP_ID = "SAUDA";
export const DROP_COPY_COMP_ID = "SAUDA-DC";
/** sauda's Logon tag asking for cancel-on-disconnect (a user-defined tag: FIX 4.4 has none). */
export const CANCEL_ON_DISCONNECT_TAG = 9001;
export const FIX_CONNECTIONS_MAX = 1000;
export const FIX_MESSAGES_PER_SECOND_MAX = 1000;
export const PRINCIPAL_RECHECK_MS = 15_000;

const CL_ORD_ID = /^[A-Za-z0-9_.:-]{1,36}$/;
const ACCOUNT = /^[A-Za-z0-9_.-]{1,24}$/;
const SYMBOL = /^[\x21-\x7e]{1,64}$/;
const TIF_FROM_FIX: Readonly<Record<string, NewOrderBody["tif"]>> = {
  "0": "DAY",
  "1": "GTC",
  "3": "IOC",
  "4": "FOK",
  "6": "GTD",
};

export interface FixGatewayOptions {
  readonly exchange: Exchange;
  readonly users: UserStore;
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

function field(message: FixMessage, tag: number): string | undefined {
  return message.fields.get(tag);
}

function missing(name: string, rule: string): HttpProblem {
  return new HttpProblem("FIELD_INVALID", { field: name, value: "(missing)", rule });
}

function invalid(name: string, value: string, rule: string): HttpProblem {
  return new HttpProblem("FIELD_INVALID", { field: name, value: value.slice(0, 64), rule });
}

export class FixGateway {
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
    const key = await this.options.users.apiKey(keyId);
    if (key === null || key.revoked || !sameSecret(secret, key.secret)) {
      return refuse("Username(553) and Password(554) are not the id and secret of a valid API key");
    }
    const user = await this.options.users.user(key.user);
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
      if (error instanceof HttpProblem) return refuse(problemText(error.code, error.message));
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

/** One logged-on order-entry session: D, F, G, q and H mapped onto the shared order entry. */
class OrderEntrySession {
  private readonly bucket: TokenBucket;
  private readonly inflight = new Set<Promise<void>>();
  /** ClOrdIDs of this session's F and G requests in flight → the order they name (until durable). */
  private readonly pendingAliases = new Map<string, string>();
  private readonly context;
  private closed = false;

  constructor(
    private readonly gateway: FixGateway,
    private readonly ledger: SessionLedger,
    private readonly connection: FixConnection,
    private readonly principal: UserPrincipal,
    private readonly options: { readonly cancelOnDisconnect: boolean; readonly address: string },
  ) {
    this.context = gateway.context;
    this.bucket = new TokenBucket(this.context.messagesPerSecond, this.context.exchange.clock());
  }

  private meta(request: FixRequest) {
    return {
      actor: `${this.principal.user.id} (key ${this.principal.keyId})`,
      role: this.principal.user.role,
      source: `fix ${this.options.address}`,
      requestId: fixRequestId(request),
    };
  }

  onMessage(message: FixMessage): void {
    const type = message.type;
    if (type !== "D" && type !== "F" && type !== "G" && type !== "q" && type !== "H") {
      this.gateway.businessReject(
        this.ledger,
        message,
        "3",
        `MsgType ${type.slice(0, 8)} is not supported; sauda takes D, F, G, q and H`,
      );
      return;
    }
    const clOrdId = field(message, 11);
    if (clOrdId === undefined) {
      this.gateway.businessReject(this.ledger, message, "5", "ClOrdID(11) is required");
      return;
    }
    if (!this.bucket.take(this.context.exchange.clock())) {
      const retryAfterSeconds = this.bucket.retryAfterSeconds(this.context.exchange.clock());
      this.refuse(
        message,
        new HttpProblem("RATE_LIMITED", { max: this.context.messagesPerSecond, window: "second", retryAfterSeconds }),
      );
      return;
    }
    try {
      if (!CL_ORD_ID.test(clOrdId)) {
        throw new HttpProblem("ORDER_ID_INVALID", {
          value: `'${clOrdId.slice(0, 40)}'`,
          rule: "a ClOrdID(11) is 1 to 36 letters, digits or _ . : -",
        });
      }
      switch (type) {
        case "D":
          this.newOrder(message, clOrdId);
          return;
        case "F":
        case "G":
          this.change(message, clOrdId, type);
          return;
        case "q":
          this.massCancel(message, clOrdId);
          return;
        case "H":
          this.status(message, clOrdId);
          return;
      }
    } catch (error) {
      if (error instanceof HttpProblem) this.refuse(message, error);
      else throw error;
    }
  }

  private account(message: FixMessage): string {
    const account = field(message, 1);
    if (account === undefined) throw missing("Account(1)", "sauda needs the account the order is for");
    if (!ACCOUNT.test(account)) throw invalid("Account(1)", account, "an account id is 1 to 24 letters, digits, _ . -");
    return account;
  }

  private symbol(message: FixMessage, required: boolean): string | undefined {
    const symbol = field(message, 55);
    if (symbol === undefined) {
      if (required) throw missing("Symbol(55)", "the instrument id is required");
      return undefined;
    }
    if (!SYMBOL.test(symbol)) throw invalid("Symbol(55)", symbol, "an instrument id is 1 to 64 printable characters");
    return symbol;
  }

  private side(message: FixMessage): "buy" | "sell" {
    const side = field(message, 54);
    if (side === "1") return "buy";
    if (side === "2") return "sell";
    throw new HttpProblem("ORDER_SIDE_INVALID", { value: side === undefined ? "(missing)" : `'${side.slice(0, 8)}'` });
  }

  private ordType(message: FixMessage): "limit" | "market" {
    const type = field(message, 40) ?? "2";
    if (type === "2") return "limit";
    if (type === "1") return "market";
    throw new HttpProblem("ORDER_TYPE_INVALID", { value: `'${type.slice(0, 8)}' (OrdType 40: 1 market, 2 limit)` });
  }

  private price(message: FixMessage): number | undefined {
    const text = field(message, 44);
    if (text === undefined) return undefined;
    const value = tiynPerTonneOf(text);
    if (value === null) {
      throw invalid("Price(44)", text, "a price is tenge per tonne with at most 2 decimals (whole tiyn)");
    }
    return value;
  }

  private quantity(message: FixMessage): number {
    const text = field(message, 38);
    if (text === undefined) throw missing("OrderQty(38)", "the quantity in tonnes is required");
    const value = kgOf(text);
    if (value === null) throw invalid("OrderQty(38)", text, "a quantity is tonnes with at most 3 decimals (whole kg)");
    return value;
  }

  private newOrder(message: FixMessage, clOrdId: string): void {
    const account = this.account(message);
    const body: NewOrderBody = {
      instrument: this.symbol(message, true)!,
      account,
      clientOrderId: clOrdId,
      side: this.side(message),
      type: this.ordType(message),
      quantity: this.quantity(message),
    };
    const price = this.price(message);
    if (price !== undefined) body.price = price;
    const tifText = field(message, 59) ?? "0";
    const tif = TIF_FROM_FIX[tifText];
    if (tif === undefined) {
      throw new HttpProblem("ORDER_TIF_INVALID", {
        value: `'${tifText.slice(0, 8)}'`,
        allowed: "0 (DAY), 1 (GTC), 3 (IOC), 4 (FOK), 6 (GTD)",
      });
    }
    body.tif = tif;
    const expire = field(message, 126);
    if (expire !== undefined) {
      const ms = parseUtcTimestamp(expire);
      if (ms === null) throw invalid("ExpireTime(126)", expire, "a UTCTimestamp YYYYMMDD-HH:MM:SS[.sss]");
      body.expireAt = ms;
    }
    const execInst = field(message, 18);
    if (execInst !== undefined) {
      if (execInst !== "6") {
        throw invalid("ExecInst(18)", execInst, "sauda takes only 6 (participate don't initiate: post-only)");
      }
      body.postOnly = true;
    }
    requireTradePrincipal(this.context.exchange, this.principal, account, "place orders");
    this.submit(newOrderCommand(body), { session: this.ledger.id, msgType: "D", clOrdId }, message, null);
  }

  /** The order F, G or H names: OrderID(37) if given, else OrigClOrdID(41) (or ClOrdID for H) of the account. */
  private orderIdOf(message: FixMessage, account: string, byTag: 41 | 11): string {
    const orderId = field(message, 37);
    if (orderId !== undefined && orderId !== "NONE") return orderId;
    const clOrdId = field(message, byTag);
    if (clOrdId === undefined) throw missing("OrigClOrdID(41)", "OrigClOrdID(41) or OrderID(37) names the order");
    return this.pendingAliases.get(`${account}~${clOrdId}`) ?? this.context.book.resolve(account, clOrdId);
  }

  private change(message: FixMessage, clOrdId: string, type: "F" | "G"): void {
    const account = this.account(message);
    const orderId = this.orderIdOf(message, account, 41);
    const origClOrdId = field(message, 41);
    const request: FixRequest = {
      session: this.ledger.id,
      msgType: type,
      clOrdId,
      ...(origClOrdId === undefined ? {} : { origClOrdId }),
    };
    requireTradePrincipal(this.context.exchange, this.principal, account, type === "F" ? "cancel orders" : "amend");
    if (!orderId.startsWith(`${account}~`)) throw new HttpProblem("ORDER_NOT_FOUND", { id: orderId.slice(0, 64) });
    const order = this.context.book.order(orderId);
    const taken = this.context.book.resolve(account, clOrdId);
    if (taken !== `${account}~${clOrdId}` && taken !== orderId) {
      throw new HttpProblem("ORDER_ID_DUPLICATE", { id: clOrdId });
    }
    if (type === "F") {
      this.submit(cancelCommand(orderId), request, message, `${account}~${clOrdId}`, orderId);
      return;
    }
    const symbol = this.symbol(message, false);
    const side = field(message, 54) === undefined ? undefined : this.side(message);
    const ordType = field(message, 40) === undefined ? undefined : this.ordType(message);
    const tif = field(message, 59);
    if (order !== undefined) {
      const same = (name: string, tag: number, given: string | undefined, actual: string) => {
        if (given !== undefined && given !== actual) {
          throw invalid(
            name,
            field(message, tag) ?? given,
            `sauda's amend changes only Price(44) and OrderQty(38); the order is ${actual}`,
          );
        }
      };
      same("Symbol(55)", 55, symbol, order.instrument);
      same("Side(54)", 54, side, order.side);
      same("OrdType(40)", 40, ordType, order.orderType);
      if (tif !== undefined && TIF_FROM_FIX[tif] !== order.tif) {
        throw invalid("TimeInForce(59)", tif, `sauda's amend cannot change the time in force (${order.tif})`);
      }
    }
    const totalKg = this.quantity(message);
    // A finished order is no longer in the FIX view; its CumQty is in the order read model.
    const cumKg = order?.cumKg ?? this.context.exchange.projections.accounts.order(orderId)?.filledKg ?? 0;
    if (totalKg <= cumKg) {
      throw invalid(
        "OrderQty(38)",
        field(message, 38)!,
        `the new OrderQty must be more than the ${tonnesText(cumKg)} t already filled (to stop the order, cancel it)`,
      );
    }
    const price = this.price(message);
    this.submit(amendCommand(orderId, price, totalKg - cumKg), request, message, `${account}~${clOrdId}`, orderId);
  }

  private massCancel(message: FixMessage, clOrdId: string): void {
    const type = field(message, 530);
    if (type !== "1" && type !== "7") {
      throw invalid("MassCancelRequestType(530)", type ?? "(missing)", "sauda takes 1 (one instrument) or 7 (all)");
    }
    const account = this.account(message);
    const symbol = this.symbol(message, type === "1");
    requireTradePrincipal(this.context.exchange, this.principal, account, "cancel orders");
    this.submit(
      massCancelCommand(account, type === "1" ? symbol : undefined),
      { session: this.ledger.id, msgType: "q", clOrdId, massCancelType: type },
      message,
      null,
    );
  }

  private status(message: FixMessage, clOrdId: string): void {
    const account = this.account(message);
    const orderId = field(message, 37) ?? this.context.book.resolve(account, clOrdId);
    requireScope(this.principal, "read", "read orders");
    requireOwnAccount(this.context.exchange, this.principal, account);
    const now = this.context.exchange.clock();
    const execId = `S-${this.ledger.nextOut}`;
    const live = this.context.book.order(orderId);
    const view = orderId.startsWith(`${account}~`) ? this.context.exchange.projections.accounts.order(orderId) : null;
    if (view === null) {
      const problem = new HttpProblem("ORDER_NOT_FOUND", { id: clOrdId });
      const body = rejectReport(
        {
          orderId: "NONE",
          account,
          instrument: field(message, 55) ?? "NONE",
          side: "buy",
          orderType: "limit",
          quantity: 0,
        },
        clOrdId,
        problem.code,
        problemText(problem.code, problem.message),
        execId,
        now,
      ).map(([tag, value]): Field => (tag === 150 ? [150, "I"] : [tag, value]));
      this.ledger.sendApplication(
        "8",
        body.filter(([tag]) => tag !== 103 && tag !== 54 && tag !== 40),
        this.context.wallClock(),
      );
      return;
    }
    const avg = view.averageFillPriceTiynPerTonne ?? 0;
    const order: FixOrder = live ?? {
      orderId: view.orderId,
      account: view.account,
      instrument: view.instrument,
      side: view.side,
      orderType: view.orderType,
      tif: view.tif,
      expireAtMs: view.expireAtMs,
      priceTiynPerTonne: view.priceTiynPerTonne,
      // OrderQty after amends: what filled plus what was open or cancelled.
      orderQtyKg:
        view.filledKg + (view.status === "resting" ? view.openKg : view.status === "cancelled" ? view.cancelledKg : 0),
      cumKg: view.filledKg,
      cumValue: BigInt(avg) * BigInt(view.filledKg),
      leavesKg: view.status === "resting" ? view.openKg : 0,
      clOrdId: clOrdId,
      owner: null,
    };
    const ordStatus =
      view.status === "filled"
        ? "2"
        : view.status === "cancelled"
          ? view.cancelReason === "expired"
            ? "C"
            : "4"
          : order.cumKg > 0
            ? "1"
            : "0";
    const body = executionReport(order, { execId, execType: "I", ordStatus, timeMs: now });
    this.ledger.sendApplication("8", body, this.context.wallClock());
  }

  /** Sends a command; its answer comes from the durable outcome (executions.ts), or here if it never got there. */
  private submit(
    command: ReturnType<typeof newOrderCommand>,
    request: FixRequest,
    message: FixMessage,
    alias: string | null,
    aliasOrder?: string,
  ): void {
    if (alias !== null && aliasOrder !== undefined) this.pendingAliases.set(alias, aliasOrder);
    const task = this.context.exchange
      .submit(command, this.meta(request))
      .then(
        () => {},
        (error: unknown) => {
          const problem =
            error instanceof QueueFullError
              ? new HttpProblem("UNAVAILABLE", { state: "busy" })
              : error instanceof SequencerStoppedError
                ? new HttpProblem("UNAVAILABLE", { state: "stopping" })
                : new HttpProblem("INTERNAL", { reference: `fix ${this.ledger.nextIn}` });
          if (!(error instanceof QueueFullError || error instanceof SequencerStoppedError)) {
            this.context.log.warn({ err: String(error) }, "fix: internal error submitting a command");
          }
          this.refuse(message, problem);
        },
      )
      .finally(() => {
        if (alias !== null && this.pendingAliases.get(alias) === aliasOrder) this.pendingAliases.delete(alias);
        this.inflight.delete(task);
      });
    this.inflight.add(task);
    this.gateway.throttle(this.connection);
  }

  /** The answer to a request refused before the journal, by message type. */
  private refuse(message: FixMessage, problem: HttpProblem): void {
    const text = problemText(problem.code, problem.message);
    const now = this.context.exchange.clock();
    const clOrdId = field(message, 11) ?? "NONE";
    const account = field(message, 1) ?? "NONE";
    const execId = `R-${this.ledger.nextOut}`;
    const wall = this.context.wallClock();
    switch (message.type) {
      case "D": {
        const quantity = kgOf(field(message, 38) ?? "");
        const price = tiynPerTonneOf(field(message, 44) ?? "");
        const body = rejectReport(
          {
            orderId: `${account}~${clOrdId}`,
            account,
            instrument: field(message, 55) ?? "NONE",
            side: field(message, 54) === "2" ? "sell" : "buy",
            orderType: field(message, 40) === "1" ? "market" : "limit",
            ...(price === null ? {} : { price }),
            quantity: quantity ?? 0,
          },
          clOrdId,
          problem.code,
          text,
          execId,
          now,
        );
        this.ledger.sendApplication("8", body, wall);
        return;
      }
      case "F":
      case "G": {
        const orig = field(message, 41);
        const orderId = field(message, 37) ?? (orig === undefined ? "" : `${account}~${orig}`);
        const body = cancelReject(
          { msgType: message.type, clOrdId, ...(orig === undefined ? {} : { origClOrdId: orig }) },
          orderId,
          this.context.book.order(orderId),
          problem.code,
          text,
          now,
        );
        this.ledger.sendApplication("9", body, wall);
        return;
      }
      case "q": {
        const type = field(message, 530) ?? "7";
        const body: Field[] = [
          [37, "NONE"],
          [11, clOrdId],
          [530, type.slice(0, 2)],
          [531, "0"],
          [532, problem.code === "FIELD_INVALID" && type !== "1" && type !== "7" ? "0" : "99"],
          [533, "0"],
          [60, utcTimestamp(now)],
          [58, text],
        ];
        this.ledger.sendApplication("r", body, wall);
        return;
      }
      default:
        this.gateway.businessReject(
          this.ledger,
          message,
          problem.code.startsWith("FORBIDDEN") ? "6" : "0",
          text,
          clOrdId,
        );
    }
  }

  /** Logs out a session whose key was revoked or whose user was disabled since logon. */
  async recheckPrincipal(): Promise<void> {
    const users = this.context.users;
    const key = this.principal.keyId === null ? null : await users.apiKey(this.principal.keyId);
    const user = await users.user(this.principal.user.id);
    if (key === null || key.revoked || user === null || user.disabled) {
      this.connection.logout("the API key was revoked or its user disabled");
    }
  }

  /** Resolves once every request in flight has been answered. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
  }

  onClosed(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.options.cancelOnDisconnect) void this.cancelOwnOrders();
  }

  private async cancelOwnOrders(): Promise<void> {
    await this.settled();
    const ids = this.context.book.ownedBy(this.ledger.id);
    const meta = {
      actor: "cancel-on-disconnect",
      role: this.principal.user.role,
      source: `fix ${this.options.address}`,
      requestId: `cancel-on-disconnect ${this.principal.keyId}`,
    };
    const results = await Promise.allSettled(
      ids.map((orderId) => this.context.exchange.submit(cancelCommand(orderId), meta)),
    );
    const failed = results.filter((result) => result.status === "rejected").length;
    if (failed > 0) this.context.log.warn({ failed, of: ids.length }, "fix cancel-on-disconnect could not cancel all");
  }
}

/** FIX UTCTimestamp (YYYYMMDD-HH:MM:SS or with .sss) → ms since epoch, or null. */
export function parseUtcTimestamp(text: string): number | null {
  const match = /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?$/.exec(text);
  if (match === null) return null;
  const [, y, mo, d, h, mi, s, ms] = match;
  const value = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms ?? "0"));
  const check = new Date(value);
  return check.getUTCDate() === Number(d) && check.getUTCHours() === Number(h) ? value : null;
}
