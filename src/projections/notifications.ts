/**
 * Notifications per member, derived from the engine's durable events and, for deadlines, from the time the server
 * passes in (this view never reads a clock):
 * - `fill`: a trade on one of the member's accounts, from the book or a negotiated deal (`trade.negotiated`), one
 *   notification per side (a member on both sides gets two);
 * - `cancel`: an order the member did not cancel itself, cancelled by the regulator's price limits (`price-limit`), by
 *   the operator's suspension (`member-suspended`), or while its instrument was halted;
 * - `shortfall`: an order or payment refused because the account's free money did not cover the guarantee deposit
 *   (`RISK_INSUFFICIENT_FUNDS`, withdrawals excepted: the member asked for its own money);
 * - `deadline`: a payment (to the buyer) or delivery (to the seller) still open a day before its deadline, and again
 *   at the deadline; made by `advance(nowMs)`, which the server calls on its clock, and by each outcome for the
 *   deadlines its journal time has passed (so that a replay makes them too, before the outcome's own events);
 * - `default`: an obligation defaulted (to both parties);
 * - `deal`: a negotiated deal registered by a seller, to the buyer's member, whose answer it awaits;
 * - `void`: a trade the operator voided (`obligation.voided`, docs/documents.md §5), to both parties' members (once to
 *   a member on both sides), with the rule it broke and the operator's reason.
 * Also the members' settings (`notices.preferred`) and read marks (`notices.read`) from the journal.
 *
 * Ids are functions of the journal: `N-<seq>-<n>` for the n-th notification an outcome made, and
 * `D-<obligation>-<payment|delivery>-<before|due>` for deadlines, so a read mark refers to the same notification
 * after a restart. Each new notification goes to the listeners (`onNotice`) once; the server registers after it has
 * rebuilt the view from the journal, so a restart sends nothing again.
 *
 * Bounds: the newest `NOTICES_PER_MEMBER_MAX` notifications per member are kept (older ones drop off) and the newest
 * `READ_MARKS_PER_MEMBER_MAX` read marks. Complexity: O(1) per event apart from deadlines, O(log obligations) per
 * obligation created and per reminder made (a heap); listing and counting O(NOTICES_PER_MEMBER_MAX).
 */

import type { CancelReason, Side } from "../domain/order.ts";
import type { EngineEvent } from "../engine/events.ts";
import { heapPop, heapPush } from "../engine/heap.ts";
import { NOTICE_KINDS, type NoticeKind, type NoticePreferences } from "../engine/notices.ts";
import type { ProjectionOutcome } from "./outcome.ts";

export const NOTICES_PER_MEMBER_MAX = 200;
export const READ_MARKS_PER_MEMBER_MAX = 1000;
/** "A day before" the deadline. */
export const DEADLINE_NOTICE_BEFORE_MS = 24 * 3600 * 1000;

/** Until a member says otherwise: every kind in the browser, nothing by e-mail (there is no address yet). */
export const DEFAULT_NOTICE_PREFERENCES: NoticePreferences = {
  web: NOTICE_KINDS,
  mail: [],
  email: null,
  language: null,
};

export type NoticeFacts =
  | {
      readonly kind: "fill";
      readonly instrument: string;
      readonly tradeId: string;
      readonly account: string;
      readonly side: Side;
      readonly priceTiynPerTonne: number;
      readonly quantityKg: number;
    }
  | {
      readonly kind: "cancel";
      readonly instrument: string;
      readonly orderId: string;
      readonly account: string;
      readonly quantityKg: number;
      /** `halt`: cancelled (expired) while the instrument was halted. */
      readonly cause: "price-limit" | "member-suspended" | "halt";
    }
  | {
      readonly kind: "shortfall";
      readonly account: string;
      /** Tiyn, as decimal text (the engine's free money is a bigint). */
      readonly requiredTiyn: string;
      readonly freeTiyn: string;
      readonly shortfallTiyn: string;
      readonly purpose: string;
    }
  | {
      readonly kind: "deadline";
      readonly obligation: string;
      readonly tradeId: string;
      readonly instrument: string;
      readonly leg: "payment" | "delivery";
      readonly stage: "before" | "due";
      readonly dueMs: number;
      readonly valueTiyn: number;
      readonly quantityKg: number;
    }
  | {
      readonly kind: "default";
      readonly obligation: string;
      readonly tradeId: string;
      readonly instrument: string;
      readonly party: "buyer" | "seller";
      readonly forfeitedTiyn: number;
      readonly penaltyTiyn: number;
      readonly claimTiyn: number;
    }
  | {
      readonly kind: "deal";
      readonly deal: string;
      readonly instrument: string;
      /** The buyer's account, whose answer the deal awaits. */
      readonly account: string;
      readonly seller: string;
      readonly priceTiynPerTonne: number;
      readonly quantityKg: number;
    }
  | {
      readonly kind: "void";
      readonly obligation: string;
      readonly tradeId: string;
      readonly instrument: string;
      readonly buyer: string;
      readonly seller: string;
      readonly priceTiynPerTonne: number;
      readonly quantityKg: number;
      /** The rule of the rulebook the trade broke, and the operator's reason, as the operator wrote them. */
      readonly rule: string;
      readonly reason: string;
    };

export interface Notice {
  readonly id: string;
  readonly member: string;
  readonly timeMs: number;
  readonly facts: NoticeFacts;
}

/**
 * Where a notification's e-mail stands (`notices.mailed`): `delivered` once the SMTP server took it, `retrying` while an
 * attempt failed and the next is due at `nextAttemptMs`, `failed` when the last attempt failed (given up).
 */
export interface NoticeMailState {
  readonly status: "delivered" | "retrying" | "failed";
  readonly attempts: number;
  readonly lastAttemptMs: number;
  readonly lastError: string | null;
  readonly nextAttemptMs: number | null;
}

export interface NoticeView extends Notice {
  readonly read: boolean;
  /** null: no e-mail attempted (not chosen, no SMTP server, or made while no leader was sending). */
  readonly mail: NoticeMailState | null;
}

/** A notification whose e-mail waits for its next attempt. */
export interface MailRetry {
  readonly member: string;
  readonly id: string;
  readonly attempts: number;
  readonly nextAttemptMs: number;
}

interface Reminder {
  readonly atMs: number;
  readonly obligation: string;
  readonly leg: "payment" | "delivery";
  readonly stage: "before" | "due";
}

interface OpenObligation {
  readonly id: string;
  readonly tradeId: string;
  readonly instrument: string;
  readonly buyerMember: string;
  readonly sellerMember: string;
  readonly paymentDueMs: number;
  readonly deliveryDueMs: number;
  readonly valueTiyn: number;
  readonly quantityKg: number;
  paid: boolean;
  delivered: boolean;
}

const LEG_ORDER = { payment: 0, delivery: 1 } as const;
const STAGE_ORDER = { before: 0, due: 1 } as const;
/** A strict order: time, then obligation id, leg and stage (no two reminders tie). */
function earlier(a: Reminder, b: Reminder): boolean {
  if (a.atMs !== b.atMs) return a.atMs < b.atMs;
  if (a.obligation !== b.obligation) return a.obligation < b.obligation;
  if (a.leg !== b.leg) return LEG_ORDER[a.leg] < LEG_ORDER[b.leg];
  return STAGE_ORDER[a.stage] < STAGE_ORDER[b.stage];
}

const HALT_CANCELS: ReadonlySet<CancelReason> = new Set([
  "expired",
  "ioc-remainder",
  "market-remainder",
  "auction-remainder",
]);

export type NoticeListener = (notice: Notice) => void;

export class NotificationViews {
  private readonly memberOfAccount = new Map<string, string>();
  private readonly halted = new Set<string>();
  private readonly byMember = new Map<string, Notice[]>();
  private readonly readMarks = new Map<string, Map<string, true>>();
  /** E-mail attempts by notification id, for the notifications kept. */
  private readonly mailStates = new Map<string, NoticeMailState>();
  /** The notifications whose e-mail waits for a retry, by id. */
  private readonly retries = new Map<string, MailRetry>();
  private readonly preferences = new Map<string, NoticePreferences>();
  private readonly open = new Map<string, OpenObligation>();
  private readonly reminders: Reminder[] = [];
  /**
   * Who is told of new ones: wiring made by the server after the start, not state, so kept in a private field, which
   * the read models' snapshot does not capture (gateway/view-snapshots.ts) and its restore leaves as it is.
   */
  readonly #listeners: NoticeListener[] = [];
  /** The outcome being applied (its seq and time) and how many notifications it made so far. */
  private outcomeSeq = 0;
  private outcomeTimeMs = 0;
  private madeInOutcome = 0;

  /** Tells `listener` of every notification made from now on (not those already made). */
  onNotice(listener: NoticeListener): void {
    this.#listeners.push(listener);
  }

  apply(outcome: ProjectionOutcome): void {
    // Deadlines passed by the journal's own time come first (the server's clock usually made them already): so a
    // replay of the journal makes the same deadline notifications, in the same place, as the running server did.
    this.advance(outcome.timeMs);
    this.outcomeSeq = outcome.seq;
    this.outcomeTimeMs = outcome.timeMs;
    this.madeInOutcome = 0;
    for (const event of outcome.events) this.applyEvent(event);
  }

  /** A notification made by the outcome being applied: its id is the outcome's seq and how many it made so far. */
  private made(member: string, facts: NoticeFacts): void {
    this.madeInOutcome += 1;
    this.add({ id: `N-${this.outcomeSeq}-${this.madeInOutcome}`, member, timeMs: this.outcomeTimeMs, facts });
  }

  private applyEvent(event: EngineEvent): void {
    switch (event.type) {
      case "account.opened":
        this.memberOfAccount.set(event.id, event.member);
        break;
      case "phase.changed":
        if (event.to === "halted") this.halted.add(event.instrument);
        else this.halted.delete(event.instrument);
        break;
      case "trade":
      case "trade.negotiated":
        this.fill(event, "buy", event.buyAccount);
        this.fill(event, "sell", event.sellAccount);
        break;
      case "negotiated.submitted": {
        const deal = event.deal;
        this.made(this.memberOf(deal.buyer), {
          kind: "deal",
          deal: deal.id,
          instrument: deal.instrument,
          account: deal.buyer,
          seller: deal.seller,
          priceTiynPerTonne: deal.price,
          quantityKg: deal.quantity,
        });
        break;
      }
      case "order.cancelled": {
        const cause =
          event.reason === "price-limit" || event.reason === "member-suspended"
            ? event.reason
            : this.halted.has(event.instrument) && HALT_CANCELS.has(event.reason)
              ? "halt"
              : null;
        if (cause === null) break;
        this.made(this.memberOf(event.account), {
          kind: "cancel",
          instrument: event.instrument,
          orderId: event.orderId,
          account: event.account,
          quantityKg: event.quantity,
          cause,
        });
        break;
      }
      case "rejected": {
        if (event.code !== "RISK_INSUFFICIENT_FUNDS") break;
        const details = event.details as Readonly<Record<string, unknown>>;
        const account = details.account;
        if (typeof account !== "string" || details.purpose === "the withdrawal") break;
        this.made(this.memberOf(account), {
          kind: "shortfall",
          account,
          requiredTiyn: String(details.required ?? ""),
          freeTiyn: String(details.free ?? ""),
          shortfallTiyn: String(details.shortfall ?? ""),
          purpose: String(details.purpose ?? ""),
        });
        break;
      }
      case "obligation.created": {
        const o = event.obligation;
        const open: OpenObligation = {
          id: o.id,
          tradeId: o.tradeId,
          instrument: o.instrument,
          buyerMember: this.memberOf(o.buyer),
          sellerMember: this.memberOf(o.seller),
          paymentDueMs: o.paymentDueMs,
          deliveryDueMs: o.deliveryDueMs,
          valueTiyn: o.value,
          quantityKg: o.quantity,
          paid: o.paid,
          delivered: o.delivered,
        };
        this.open.set(o.id, open);
        for (const leg of ["payment", "delivery"] as const) {
          const dueMs = leg === "payment" ? o.paymentDueMs : o.deliveryDueMs;
          // A window shorter than a day has no "day before" notice: the trade itself was the notice.
          if (dueMs - DEADLINE_NOTICE_BEFORE_MS > o.tradeTimeMs) {
            heapPush(
              this.reminders,
              { atMs: dueMs - DEADLINE_NOTICE_BEFORE_MS, obligation: o.id, leg, stage: "before" },
              earlier,
            );
          }
          heapPush(this.reminders, { atMs: dueMs, obligation: o.id, leg, stage: "due" }, earlier);
        }
        break;
      }
      case "obligation.paid":
      case "obligation.delivered": {
        const open = this.open.get(event.obligation.id);
        if (open === undefined) break;
        open.paid = event.obligation.paid;
        open.delivered = event.obligation.delivered;
        break;
      }
      case "obligation.settled":
        this.open.delete(event.obligation.id);
        break;
      case "obligation.voided": {
        const o = event.obligation;
        this.open.delete(o.id);
        const facts = {
          kind: "void",
          obligation: o.id,
          tradeId: o.tradeId,
          instrument: o.instrument,
          buyer: o.buyer,
          seller: o.seller,
          priceTiynPerTonne: o.price,
          quantityKg: o.quantity,
          rule: event.rule ?? "",
          reason: event.reason ?? "",
        } as const;
        const buyer = this.memberOf(o.buyer);
        const seller = this.memberOf(o.seller);
        this.made(buyer, facts);
        if (seller !== buyer) this.made(seller, facts);
        break;
      }
      case "obligation.defaulted": {
        const o = event.obligation;
        this.open.delete(o.id);
        const party = o.defaultedParty ?? "buyer";
        const facts = {
          kind: "default",
          obligation: o.id,
          tradeId: o.tradeId,
          instrument: o.instrument,
          party,
          forfeitedTiyn: event.forfeitedTiyn ?? 0,
          penaltyTiyn: event.penaltyTiyn ?? 0,
          claimTiyn: event.claimTiyn ?? 0,
        } as const;
        const buyer = this.memberOf(o.buyer);
        const seller = this.memberOf(o.seller);
        this.made(buyer, facts);
        if (seller !== buyer) this.made(seller, facts);
        break;
      }
      case "notices.preferred":
        this.preferences.set(event.member, {
          web: [...event.web],
          mail: [...event.mail],
          email: event.email,
          language: event.language,
        });
        break;
      case "notices.mailed": {
        if (!this.has(event.member, event.id)) break;
        const status = event.error === null ? "delivered" : event.nextAttemptMs === null ? "failed" : "retrying";
        this.mailStates.set(event.id, {
          status,
          attempts: event.attempt,
          lastAttemptMs: event.atMs,
          lastError: event.error,
          nextAttemptMs: event.nextAttemptMs,
        });
        if (status === "retrying" && event.nextAttemptMs !== null) {
          const retry = {
            member: event.member,
            id: event.id,
            attempts: event.attempt,
            nextAttemptMs: event.nextAttemptMs,
          };
          this.retries.set(event.id, retry);
        } else {
          this.retries.delete(event.id);
        }
        break;
      }
      case "notices.read": {
        let marks = this.readMarks.get(event.member);
        if (marks === undefined) {
          marks = new Map();
          this.readMarks.set(event.member, marks);
        }
        for (const id of event.ids) {
          marks.delete(id);
          marks.set(id, true);
        }
        while (marks.size > READ_MARKS_PER_MEMBER_MAX) marks.delete(marks.keys().next().value as string);
        break;
      }
      default:
        break;
    }
  }

  /**
   * Makes the deadline notifications due at `nowMs` (the server's clock): each reminder once, for a leg still open.
   * Returns how many were made.
   */
  advance(nowMs: number): number {
    let made = 0;
    while (this.reminders.length > 0 && this.reminders[0]!.atMs <= nowMs) {
      const reminder = heapPop(this.reminders, earlier);
      const open = this.open.get(reminder.obligation);
      if (open === undefined) continue;
      if (reminder.leg === "payment" ? open.paid : open.delivered) continue;
      const dueMs = reminder.leg === "payment" ? open.paymentDueMs : open.deliveryDueMs;
      this.add({
        id: `D-${open.id}-${reminder.leg}-${reminder.stage}`,
        member: reminder.leg === "payment" ? open.buyerMember : open.sellerMember,
        timeMs: reminder.atMs,
        facts: {
          kind: "deadline",
          obligation: open.id,
          tradeId: open.tradeId,
          instrument: open.instrument,
          leg: reminder.leg,
          stage: reminder.stage,
          dueMs,
          valueTiyn: open.valueTiyn,
          quantityKg: open.quantityKg,
        },
      });
      made += 1;
    }
    return made;
  }

  /** When `advance` next has something to do, or null. */
  get nextReminderMs(): number | null {
    return this.reminders[0]?.atMs ?? null;
  }

  preferencesOf(member: string): NoticePreferences {
    return this.preferences.get(member) ?? DEFAULT_NOTICE_PREFERENCES;
  }

  /** Whether the member has marked this notification read. */
  isRead(member: string, id: string): boolean {
    return this.readMarks.get(member)?.has(id) === true;
  }

  /** The member's notifications of the kinds it sees in the browser, newest first. */
  list(member: string, options: { readonly unreadOnly?: boolean; readonly limit?: number } = {}): NoticeView[] {
    const web = new Set<NoticeKind>(this.preferencesOf(member).web);
    const notices = this.byMember.get(member) ?? [];
    const out: NoticeView[] = [];
    const limit = options.limit ?? NOTICES_PER_MEMBER_MAX;
    for (let i = notices.length - 1; i >= 0 && out.length < limit; i--) {
      const notice = notices[i]!;
      if (!web.has(notice.facts.kind)) continue;
      const read = this.isRead(member, notice.id);
      if (options.unreadOnly && read) continue;
      out.push({ ...notice, read, mail: this.mailStates.get(notice.id) ?? null });
    }
    return out;
  }

  /** How many of the member's browser notifications are unread. */
  unreadCount(member: string): number {
    return this.list(member, { unreadOnly: true }).length;
  }

  /** A notification of the member's by id (among those kept), or null. */
  notice(member: string, id: string): Notice | null {
    return (this.byMember.get(member) ?? []).find((notice) => notice.id === id) ?? null;
  }

  /** Where the notification's e-mail stands, or null when none was attempted. */
  mailState(id: string): NoticeMailState | null {
    return this.mailStates.get(id) ?? null;
  }

  /** The e-mails waiting for a retry, in no particular order (at most one per notification kept). */
  mailRetries(): IterableIterator<MailRetry> {
    return this.retries.values();
  }

  /** Whether the member has a notification with this id (among those kept). */
  has(member: string, id: string): boolean {
    return (this.byMember.get(member) ?? []).some((notice) => notice.id === id);
  }

  /** A fill notice of a book or negotiated trade, for one side of it. */
  private fill(
    event: { readonly instrument: string; readonly tradeId: string; readonly price: number; readonly quantity: number },
    side: "buy" | "sell",
    account: string,
  ): void {
    this.made(this.memberOf(account), {
      kind: "fill",
      instrument: event.instrument,
      tradeId: event.tradeId,
      account,
      side,
      priceTiynPerTonne: event.price,
      quantityKg: event.quantity,
    });
  }

  private add(notice: Notice): void {
    let notices = this.byMember.get(notice.member);
    if (notices === undefined) {
      notices = [];
      this.byMember.set(notice.member, notices);
    }
    notices.push(notice);
    if (notices.length > NOTICES_PER_MEMBER_MAX) {
      const dropped = notices.shift()!;
      this.mailStates.delete(dropped.id);
      this.retries.delete(dropped.id);
    }
    for (const listener of this.#listeners) listener(notice);
  }

  private memberOf(account: string): string {
    return this.memberOfAccount.get(account) ?? account;
  }
}
