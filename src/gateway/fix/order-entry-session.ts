/**
 * One logged-on FIX order-entry session: NewOrderSingle (D), OrderCancelRequest (F), OrderCancelReplaceRequest (G),
 * OrderMassCancelRequest (q) and OrderStatusRequest (H) turned into the shared order entry's checks and commands
 * (gateway/order-entry.ts), with FIX's numbers converted exactly (units.ts).
 *
 * A request is answered here only when it never reaches the journal (a field that does not convert, a forbidden
 * account, the rate limit, a full queue); otherwise its answer comes from the durable outcome (executions.ts), because
 * a command's reports must be in journal order with everything else that happens to the order. F and G name their
 * order by OrigClOrdID (or OrderID); while an F or G is in flight its new ClOrdID already names the order, so a
 * request that follows it at once finds it.
 */

import { NotLeaderError } from "../../journal/postgres-store.ts";
import { QueueFullError, SequencerStoppedError } from "../../journal/sequencer.ts";
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
  type UserPrincipal,
} from "../order-entry.ts";
import { TokenBucket } from "../streams/bucket.ts";
import type { Users } from "../users.ts";
import type { Field, FixMessage } from "./codec.ts";
import {
  cancelReject,
  type ExecutionBook,
  executionReport,
  type FixOrder,
  type FixRequest,
  fixRequestId,
  rejectionText,
  rejectReport,
} from "./executions.ts";
import type { FixConnection, SessionLedger, SessionLog } from "./session.ts";
import { utcTimestamp } from "./session.ts";
import { kgOf, tiynPerTonneOf, tonnesText } from "./units.ts";

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

/** What an order-entry session needs from the gateway. */
export interface SessionGateway {
  readonly context: {
    readonly exchange: Exchange;
    readonly book: ExecutionBook;
    readonly wallClock: () => number;
    readonly log: SessionLog;
    readonly messagesPerSecond: number;
    readonly users: Users;
  };
  throttle(connection: FixConnection): void;
  businessReject(ledger: SessionLedger, message: FixMessage, reason: string, text: string, refId?: string): void;
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

/** One logged-on order-entry session: D, F, G, q and H mapped onto the shared order entry. */
export class OrderEntrySession {
  private readonly bucket: TokenBucket;
  private readonly inflight = new Set<Promise<void>>();
  /** ClOrdIDs of this session's F and G requests in flight → the order they name (until durable). */
  private readonly pendingAliases = new Map<string, string>();
  private readonly context;
  private closed = false;

  constructor(
    private readonly gateway: SessionGateway,
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
    // ClOrdID(11) names this request: the id of the order it makes or an alias of the order it changes. An amend's is
    // new (docs/fix.md §3): neither an order's own id nor an alias taken before, this order's included, or the order
    // would go back to an id it had and a later request naming it would be ambiguous. A cancel ends the order, so it
    // may repeat the order's own ids, but not another order's.
    const key = `${account}~${clOrdId}`;
    const aliasOf = this.pendingAliases.get(key) ?? this.context.book.resolve(account, clOrdId);
    const owner =
      aliasOf !== key
        ? aliasOf
        : this.context.book.order(key) !== undefined || this.context.exchange.projections.accounts.order(key) !== null
          ? key
          : null;
    if (owner !== null && (type === "G" || owner !== orderId)) {
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
      // An order sauda does not know: ExecType I, OrdStatus 8 (rejected), the registry's sentence.
      const problem = new HttpProblem("ORDER_NOT_FOUND", { id: clOrdId });
      const body: Field[] = [
        [37, "NONE"],
        [11, clOrdId],
        [17, execId],
        [150, "I"],
        [39, "8"],
        [1, account],
        [55, field(message, 55) ?? "NONE"],
        [151, "0"],
        [14, "0"],
        [6, "0"],
        [60, utcTimestamp(now)],
        [58, rejectionText(problem)],
      ];
      this.ledger.sendApplication("8", body, this.context.wallClock());
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
                : // A follower of a shared journal takes no orders over FIX: it names the leader.
                  error instanceof NotLeaderError
                  ? new HttpProblem("NOT_LEADER", { leader: error.leader ?? "(not known yet)" })
                  : new HttpProblem("INTERNAL", { reference: `fix ${this.ledger.nextIn}` });
          if (
            !(
              error instanceof QueueFullError ||
              error instanceof SequencerStoppedError ||
              error instanceof NotLeaderError
            )
          ) {
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
    const text = rejectionText(problem);
    const now = this.context.exchange.clock();
    const clOrdId = field(message, 11) ?? "NONE";
    const account = field(message, 1) ?? "NONE";
    const execId = `R-${this.ledger.nextOut}`;
    const wall = this.context.wallClock();
    switch (message.type) {
      case "D": {
        const quantity = kgOf(field(message, 38) ?? "");
        const price = tiynPerTonneOf(field(message, 44) ?? "");
        // The request's own values, as sent: a refused Side or OrdType is echoed, not read as one it did not say.
        // Side(54) is required in an ExecutionReport: one sent without it is answered 7 (undisclosed). OrdType
        // absent reads as limit, as the order would have (`ordType`).
        const sentAccount = field(message, 1) ?? null;
        const body = rejectReport(
          {
            orderId: sentAccount === null ? "NONE" : `${sentAccount}~${clOrdId}`,
            account: sentAccount,
            instrument: field(message, 55) ?? "NONE",
            side: field(message, 54) ?? "7",
            orderType: field(message, 40) ?? "2",
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
    const key = this.principal.keyId === null ? null : users.apiKey(this.principal.keyId);
    const user = users.user(this.principal.user.id);
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
