/**
 * From durable outcomes to FIX application messages: ExecutionReports (8), OrderCancelReject (9) and
 * OrderMassCancelReport (r), and to whom each goes.
 *
 * The FIX view of every live order (its FIX ClOrdID chain, OrderQty, CumQty with the exact value filled, LeavesQty)
 * is a fold over the outcomes in journal order, built here from events and from the `meta.requestId` that the FIX
 * gateway gives the commands it sends (`fixRequestId`): which session sent it, as which message, with which ClOrdID.
 * Being a function of the journal alone, the same view is rebuilt at start-up by reading the journal, and messages
 * missed by a crash between the journal and the FIX store are made again from it.
 *
 * Who hears what:
 * - the order-entry session that entered an order: every report of that order (its answers, fills by anyone, amends
 *   and cancels from any channel, expiry, the kill switch), and the refusals of its own requests;
 * - the member's drop copy: every report of every order of the member's accounts, whatever channel entered it
 *   (refusals of requests are not executions and are not copied).
 * ExecID is `<journal seq>-<event index>` (with `B`/`S` for the two sides of a trade): the same execution has the same
 * ExecID on the order-entry session and on the drop copy.
 *
 * Numbers: prices tenge per tonne and quantities tonnes (units.ts). AvgPx is the exact average fill price rounded half
 * up to whole tiyn, as the REST order view shows it.
 *
 * Memory: one record per live order; a record is dropped when its order is filled or cancelled. The ClOrdIDs of a
 * finished order's amends and cancels are remembered a while longer (`DONE_ALIASES_MAX` in all).
 */

import type { ErrorCode, ErrorDetails } from "../../domain/errors.ts";
import { localize } from "../../domain/messages.ts";
import type { CancelReason } from "../../domain/order.ts";
import type { Command } from "../../engine/commands.ts";
import type { EngineEvent, RejectedEvent } from "../../engine/events.ts";
import type { ProjectionOutcome } from "../../projections/outcome.ts";
import { clientOrderIdOf } from "../routes/common.ts";
import { asciiText, type Field } from "./codec.ts";
import { utcTimestamp } from "./session.ts";
import { tengeText, tonnesText } from "./units.ts";

/** What the gateway records about a command it sent, in the command's `meta.requestId`. */
export interface FixRequest {
  /** The order-entry session's ledger id. */
  readonly session: string;
  /** The FIX message: D, F, G or q. */
  readonly msgType: "D" | "F" | "G" | "q";
  readonly clOrdId: string;
  /** F and G: OrigClOrdID as the client sent it. */
  readonly origClOrdId?: string;
  /** q: MassCancelRequestType (530). */
  readonly massCancelType?: string;
}

const REQUEST_PREFIX = "fix ";

export function fixRequestId(request: FixRequest): string {
  return REQUEST_PREFIX + JSON.stringify(request);
}

export function fixRequestOf(requestId: string | undefined): FixRequest | null {
  if (requestId === undefined || !requestId.startsWith(REQUEST_PREFIX)) return null;
  try {
    const value = JSON.parse(requestId.slice(REQUEST_PREFIX.length)) as FixRequest;
    return typeof value.session === "string" && typeof value.clOrdId === "string" ? value : null;
  } catch {
    return null;
  }
}

/** A FIX order as the session layer reports it. */
export interface FixOrder {
  readonly orderId: string;
  readonly account: string;
  readonly instrument: string;
  readonly side: "buy" | "sell";
  readonly orderType: "limit" | "market";
  readonly tif: string;
  readonly expireAtMs: number | null;
  priceTiynPerTonne: number | null;
  /** OrderQty: the quantity ordered (cum + leaves while live; kept when the rest is cancelled). */
  orderQtyKg: number;
  cumKg: number;
  /** Exact value filled: sum of price × quantity (tiyn per tonne × kg). */
  cumValue: bigint;
  leavesKg: number;
  /** The ClOrdID the order answers to now (changes with each accepted F or G). */
  clOrdId: string;
  /** The order-entry session that entered it, or null (entered through REST or WebSocket). */
  readonly owner: string | null;
}

/** A message for a session. */
export interface Report {
  /** The order-entry session it goes to (null: none). */
  readonly session: string | null;
  /** The member whose drop copy receives it (null: not copied). */
  readonly dropCopyMember: string | null;
  readonly msgType: "8" | "9" | "r";
  readonly body: Field[];
  /** Reports of a kill switch: log the member's sessions out after sending. */
  readonly suspendedMember?: string;
}

const SIDE: Readonly<Record<string, string>> = { buy: "1", sell: "2" };
const ORD_TYPE: Readonly<Record<string, string>> = { market: "1", limit: "2" };
export const TIF_TO_FIX: Readonly<Record<string, string>> = { DAY: "0", GTC: "1", IOC: "3", FOK: "4", GTD: "6" };

/** OrdRejReason (103) for a registry code; 99 (other) where FIX has no closer value. */
export function ordRejReason(code: string): string {
  switch (code) {
    case "INSTRUMENT_NOT_FOUND":
      return "1";
    case "PHASE_CLOSED":
      return "2";
    case "ORDER_LOTS_LIMIT":
    case "ORDER_ACTIVE_LIMIT":
    case "ORDER_CONCENTRATION_LIMIT":
    case "ORDER_LIMIT_REACHED":
    case "RISK_INSUFFICIENT_FUNDS":
    case "RISK_INSUFFICIENT_VOLUME":
      return "3";
    case "ORDER_NOT_FOUND":
      return "5";
    case "ORDER_ID_DUPLICATE":
    case "ORDER_ID_REUSED":
      return "6";
    case "ORDER_TIF_INVALID":
    case "ORDER_TIF_NOT_ALLOWED":
    case "ORDER_POST_ONLY_INVALID":
    case "ORDER_STP_INVALID":
    case "ORDER_TYPE_INVALID":
    case "ORDER_MARKET_BUY_NOT_COVERED":
      return "11";
    case "ORDER_QUANTITY_INVALID":
    case "ORDER_QUANTITY_OFF_LOT":
      return "13";
    case "ACCOUNT_NOT_FOUND":
    case "FORBIDDEN_ACCOUNT":
    case "ACCOUNT_NOT_ELIGIBLE":
      return "15";
    default:
      return "99";
  }
}

/** CxlRejReason (102) for a registry code. */
export function cxlRejReason(code: string): string {
  switch (code) {
    case "ORDER_NOT_RESTING":
      return "0";
    case "ORDER_NOT_FOUND":
      return "1";
    case "PHASE_CLOSED":
    case "MEMBER_SUSPENDED":
      return "2";
    case "ORDER_ID_DUPLICATE":
    case "ORDER_ID_REUSED":
      return "6";
    default:
      return "99";
  }
}

/** Text (58): the registry's code and its sentence. */
export function problemText(code: string, message: string): string {
  return asciiText(`${code}: ${message}`).slice(0, 1000);
}

/**
 * Text (58) of a refusal, the engine's or the gateway's: its code and the sentence the REST API writes in English for
 * the same code and details (`localize`), so a FIX client reads what an API client reads: times in exchange time,
 * not a count of milliseconds ("Expiry 2020-12-07 15:00 (Kazakhstan time) is not valid …"), an id quoted once where
 * the engine's journaled details quote it already, a price a reason names in tenge per tonne.
 */
export function rejectionText(rejection: { readonly code: ErrorCode; readonly details: ErrorDetails }): string {
  return problemText(rejection.code, localize(rejection.code, rejection.details, "en"));
}

/** AvgPx: the exact average rounded half up to whole tiyn per tonne. */
export function averagePrice(cumValue: bigint, cumKg: number): number {
  if (cumKg === 0) return 0;
  const kg = BigInt(cumKg);
  return Number((cumValue * 2n + kg) / (kg * 2n));
}

function ordStatus(order: FixOrder): string {
  if (order.leavesKg === 0) return "2";
  return order.cumKg > 0 ? "1" : "0";
}

/** The fields every ExecutionReport of an order carries, in the order they are written. */
export function executionReport(
  order: FixOrder,
  exec: { execId: string; execType: string; ordStatus: string; timeMs: number },
  extra: { origClOrdId?: string; lastPx?: number; lastKg?: number; tradeId?: string; text?: string } = {},
): Field[] {
  const fields: Field[] = [
    [37, order.orderId],
    [11, order.clOrdId],
  ];
  if (extra.origClOrdId !== undefined) fields.push([41, extra.origClOrdId]);
  fields.push(
    [17, exec.execId],
    [150, exec.execType],
    [39, exec.ordStatus],
    [1, order.account],
    [55, order.instrument],
    [54, SIDE[order.side]!],
    [40, ORD_TYPE[order.orderType]!],
  );
  if (order.priceTiynPerTonne !== null) fields.push([44, tengeText(order.priceTiynPerTonne)]);
  fields.push([38, tonnesText(order.orderQtyKg)], [59, TIF_TO_FIX[order.tif] ?? "1"]);
  if (order.expireAtMs !== null) fields.push([126, utcTimestamp(order.expireAtMs)]);
  if (extra.lastKg !== undefined && extra.lastPx !== undefined) {
    fields.push([32, tonnesText(extra.lastKg)], [31, tengeText(extra.lastPx)]);
  }
  if (extra.tradeId !== undefined) fields.push([1003, extra.tradeId]);
  fields.push(
    [151, tonnesText(order.leavesKg)],
    [14, tonnesText(order.cumKg)],
    [6, tengeText(averagePrice(order.cumValue, order.cumKg))],
    [60, utcTimestamp(exec.timeMs)],
  );
  if (extra.text !== undefined) fields.push([58, asciiText(extra.text)]);
  return fields;
}

/** ClOrdIDs of finished orders' amends and cancels remembered for OrderStatusRequest and cancel rejects. */
export const DONE_ALIASES_MAX = 100_000;

const EXPIRED: ReadonlySet<CancelReason> = new Set<CancelReason>(["expired"]);

/**
 * The FIX view of live orders and the reports each durable outcome makes. `memberOf` gives an account's member
 * (accounts never change member).
 */
export class ExecutionBook {
  private readonly orders = new Map<string, FixOrder>();
  /** `<account>~<ClOrdID>` of an accepted F or G → the order it names (live orders, then finished ones). */
  private readonly aliases = new Map<string, string>();
  private readonly doneAliases = new Map<string, string>();
  /** Order id → its aliases, to move them when it finishes. */
  private readonly aliasesOf = new Map<string, string[]>();

  constructor(private readonly memberOf: (account: string) => string | null) {}

  order(orderId: string): FixOrder | undefined {
    return this.orders.get(orderId);
  }

  /** The order a ClOrdID of the account names: an F or G ClOrdID, or the order's own client order id. */
  resolve(account: string, clOrdId: string): string {
    const key = `${account}~${clOrdId}`;
    return this.aliases.get(key) ?? this.doneAliases.get(key) ?? key;
  }

  get liveOrders(): number {
    return this.orders.size;
  }

  /** Live orders entered through this order-entry session. */
  ownedBy(session: string): string[] {
    const ids: string[] = [];
    for (const order of this.orders.values()) if (order.owner === session) ids.push(order.orderId);
    return ids;
  }

  /** Folds one durable outcome into the view; returns its reports in the order they happened. */
  apply(outcome: ProjectionOutcome): Report[] {
    const request = fixRequestOf(outcome.meta.requestId);
    const command = outcome.command as Command;
    const reports: Report[] = [];
    let cancelledCount = 0;
    let rejection: RejectedEvent | null = null;
    outcome.events.forEach((event, index) => {
      const execId = `${outcome.seq}-${index}`;
      if (event.type === "rejected") rejection = event;
      if (event.type === "order.cancelled") cancelledCount++;
      this.applyEvent(event, execId, outcome, request, command, reports);
    });
    if (request !== null) this.answer(request, command, rejection, cancelledCount, outcome, reports);
    return reports;
  }

  private report(order: FixOrder, body: Field[], reports: Report[]): void {
    reports.push({ session: order.owner, dropCopyMember: this.memberOf(order.account), msgType: "8", body });
  }

  private applyEvent(
    event: EngineEvent,
    execId: string,
    outcome: ProjectionOutcome,
    request: FixRequest | null,
    command: Command,
    reports: Report[],
  ): void {
    const timeMs = outcome.timeMs;
    switch (event.type) {
      case "order.accepted": {
        const own = request !== null && request.msgType === "D" && command.type === "order.new";
        const order: FixOrder = {
          orderId: event.orderId,
          account: event.account,
          instrument: event.instrument,
          side: event.side,
          orderType: event.orderType,
          tif: event.tif,
          expireAtMs: event.expireAtMs,
          priceTiynPerTonne: event.price,
          orderQtyKg: event.quantity,
          cumKg: 0,
          cumValue: 0n,
          leavesKg: event.quantity,
          clOrdId: clientOrderIdOf(event.orderId).clientOrderId,
          owner: own ? request.session : null,
        };
        this.orders.set(order.orderId, order);
        this.report(order, executionReport(order, { execId, execType: "0", ordStatus: "0", timeMs }), reports);
        return;
      }
      case "trade":
        for (const side of ["buy", "sell"] as const) {
          const order = this.orders.get(side === "buy" ? event.buyOrderId : event.sellOrderId);
          if (order === undefined) continue;
          order.cumKg += event.quantity;
          order.cumValue += BigInt(event.price) * BigInt(event.quantity);
          order.leavesKg = side === "buy" ? event.buyOpen : event.sellOpen;
          const body = executionReport(
            order,
            { execId: `${execId}${side === "buy" ? "B" : "S"}`, execType: "F", ordStatus: ordStatus(order), timeMs },
            { lastPx: event.price, lastKg: event.quantity, tradeId: event.tradeId },
          );
          this.report(order, body, reports);
          if (order.leavesKg === 0) this.forget(order);
        }
        return;
      case "order.amended": {
        const order = this.orders.get(event.orderId);
        if (order === undefined) return;
        const origClOrdId = order.clOrdId;
        if (request?.msgType === "G" && command.type === "order.amend" && command.orderId === order.orderId) {
          order.clOrdId = request.clOrdId;
          this.alias(order, request.clOrdId);
        }
        order.priceTiynPerTonne = order.orderType === "market" ? null : event.price;
        order.leavesKg = event.open;
        order.orderQtyKg = order.cumKg + event.open;
        const body = executionReport(
          order,
          { execId, execType: "5", ordStatus: ordStatus(order), timeMs },
          { origClOrdId },
        );
        this.report(order, body, reports);
        return;
      }
      case "order.cancelled": {
        const order = this.orders.get(event.orderId);
        if (order === undefined) return;
        const origClOrdId = order.clOrdId;
        const asked = request?.msgType === "F" && command.type === "order.cancel" && command.orderId === order.orderId;
        if (asked) {
          order.clOrdId = request.clOrdId;
          this.alias(order, request.clOrdId);
        }
        order.leavesKg = 0;
        const expired = EXPIRED.has(event.reason);
        const body = executionReport(
          order,
          { execId, execType: expired ? "C" : "4", ordStatus: expired ? "C" : "4", timeMs },
          {
            ...(asked ? { origClOrdId } : {}),
            ...(event.reason === "requested" ? {} : { text: `cancelled: ${event.reason}` }),
          },
        );
        this.report(order, body, reports);
        this.forget(order);
        return;
      }
      case "member.suspended":
        reports.push({
          session: null,
          dropCopyMember: null,
          msgType: "8",
          body: [],
          suspendedMember: event.member,
        });
        return;
      default:
        return;
    }
  }

  private alias(order: FixOrder, clOrdId: string): void {
    const key = `${order.account}~${clOrdId}`;
    this.aliases.set(key, order.orderId);
    const list = this.aliasesOf.get(order.orderId);
    if (list === undefined) this.aliasesOf.set(order.orderId, [key]);
    else list.push(key);
  }

  /** A finished order leaves the view; its aliases are kept (the newest `DONE_ALIASES_MAX`) for status requests. */
  private forget(order: FixOrder): void {
    this.orders.delete(order.orderId);
    const list = this.aliasesOf.get(order.orderId);
    if (list === undefined) return;
    this.aliasesOf.delete(order.orderId);
    for (const key of list) {
      this.aliases.delete(key);
      this.doneAliases.set(key, order.orderId);
    }
    while (this.doneAliases.size > DONE_ALIASES_MAX) {
      this.doneAliases.delete(this.doneAliases.keys().next().value!);
    }
  }

  /** The answer a FIX request gets beyond the order's own reports: refusals, duplicates, the mass-cancel report. */
  private answer(
    request: FixRequest,
    command: Command,
    rejection: RejectedEvent | null,
    cancelledCount: number,
    outcome: ProjectionOutcome,
    reports: Report[],
  ): void {
    const to = (msgType: Report["msgType"], body: Field[]) =>
      reports.push({ session: request.session, dropCopyMember: null, msgType, body });
    const timeMs = outcome.timeMs;
    if (request.msgType === "q") {
      const body: Field[] = [
        [37, `MC-${outcome.seq}`],
        [11, request.clOrdId],
        [530, request.massCancelType ?? "7"],
        [531, rejection === null ? (request.massCancelType ?? "7") : "0"],
      ];
      if (rejection !== null) body.push([532, rejection.code === "INSTRUMENT_NOT_FOUND" ? "1" : "99"]);
      body.push([533, String(cancelledCount)], [60, utcTimestamp(timeMs)]);
      if (rejection !== null) body.push([58, rejectionText(rejection)]);
      to("r", body);
      return;
    }
    if (command.type === "order.new") {
      const duplicate = outcome.events.find((event) => event.type === "order.duplicate");
      if (duplicate !== undefined && duplicate.type === "order.duplicate") {
        const live = this.orders.get(duplicate.orderId);
        to("8", this.statusReport(command, live, duplicate, request, `${outcome.seq}-0`, timeMs));
        return;
      }
    }
    if (rejection === null) return;
    const text = rejectionText(rejection);
    if (command.type === "order.new") {
      to("8", rejectReport(command, request.clOrdId, rejection.code, text, `${outcome.seq}-0`, timeMs));
      return;
    }
    if (command.type === "order.amend" || command.type === "order.cancel") {
      const order = this.orders.get(command.orderId);
      to("9", cancelReject(request, command.orderId, order, rejection.code, text, timeMs));
    }
  }

  private statusReport(
    command: Extract<Command, { type: "order.new" }>,
    live: FixOrder | undefined,
    duplicate: Extract<EngineEvent, { type: "order.duplicate" }>,
    request: FixRequest,
    execId: string,
    timeMs: number,
  ): Field[] {
    const order: FixOrder = live ?? {
      orderId: command.orderId,
      account: command.account,
      instrument: command.instrument,
      side: command.side,
      orderType: command.orderType,
      tif: command.tif ?? "GTC",
      expireAtMs: command.expireAtMs ?? null,
      priceTiynPerTonne: command.price ?? null,
      orderQtyKg: command.quantity,
      cumKg: duplicate.filled,
      cumValue: 0n,
      leavesKg: duplicate.open,
      clOrdId: request.clOrdId,
      owner: request.session,
    };
    const status = duplicate.status === "cancelled" ? "4" : ordStatus(order);
    return executionReport(order, { execId, execType: "I", ordStatus: status, timeMs }, { text: "duplicate ClOrdID" });
  }
}

/** ExecutionReport rejecting a NewOrderSingle (ExecType 8). */
export function rejectReport(
  command: {
    orderId: string;
    /** Left out (tag 1) when null: a refused request that named none. */
    account: string | null;
    instrument: string;
    /** "buy" or "sell"; or, for a request refused before it was read as a command, its own Side(54) as sent. */
    side: string;
    /** "limit" or "market"; or, as `side`, the request's own OrdType(40). */
    orderType: string;
    price?: number | null;
    quantity: number;
    tif?: string;
  },
  clOrdId: string,
  code: string,
  text: string,
  execId: string,
  timeMs: number,
): Field[] {
  const fields: Field[] = [
    [37, command.orderId],
    [11, clOrdId],
    [17, execId],
    [150, "8"],
    [39, "8"],
    [103, ordRejReason(code)],
    ...(command.account === null ? [] : [[1, command.account] as Field]),
    [55, command.instrument],
    [54, SIDE[command.side] ?? command.side],
    [40, ORD_TYPE[command.orderType] ?? command.orderType],
  ];
  if (typeof command.price === "number" && Number.isSafeInteger(command.price) && command.price >= 0) {
    fields.push([44, tengeText(command.price)]);
  }
  if (Number.isSafeInteger(command.quantity) && command.quantity >= 0) {
    fields.push([38, tonnesText(command.quantity)]);
  }
  if (command.tif !== undefined) fields.push([59, TIF_TO_FIX[command.tif] ?? "1"]);
  fields.push([151, "0"], [14, "0"], [6, "0"], [60, utcTimestamp(timeMs)], [58, text]);
  return fields;
}

/** OrderCancelReject (9) for a refused F or G. */
export function cancelReject(
  request: Pick<FixRequest, "msgType" | "clOrdId" | "origClOrdId">,
  orderId: string,
  order: FixOrder | undefined,
  code: string,
  text: string,
  timeMs: number,
): Field[] {
  return [
    [37, order?.orderId ?? (orderId === "" ? "NONE" : orderId)],
    [11, request.clOrdId],
    [41, request.origClOrdId ?? order?.clOrdId ?? "NONE"],
    [39, order === undefined ? "8" : ordStatus(order)],
    [434, request.msgType === "G" ? "2" : "1"],
    [102, cxlRejReason(code)],
    [60, utcTimestamp(timeMs)],
    [58, text],
  ];
}
