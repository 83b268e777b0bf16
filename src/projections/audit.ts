/**
 * The audit trail: one entry per sequenced command, saying who asked (actor, role, source, request id from the
 * command's meta), when (the sequencer's time, as UTC ISO text), what (command type, instrument, account and a short
 * human summary) and what came of it (accepted, or rejected with the registry code and sentence). The regulator and
 * the operator read it; every safeguard change (reference price, halts, clearing terms, suspensions) appears here with
 * its reason.
 *
 * Commands are read defensively: a malformed command was rejected by the engine and is still audited, so the summary
 * shows whatever fields it had without trusting their types.
 *
 * Limits. The newest `AUDIT_ENTRIES_MAX` entries are kept in memory; older ones remain in the journal, which holds
 * the same facts. A query returns at most `AUDIT_QUERY_LIMIT_MAX` entries, newest first, and pages with `beforeSeq`.
 *
 * Complexity. Per outcome O(events) to find the rejection and follow live orders (for the instrument and account of
 * an amend or cancel, which name only the order id); a query scans kept entries newest first
 * and stops when it has `limit` matches or passes `fromMs`: O(entries scanned).
 */

import type { ErrorCode, ErrorDetails } from "../domain/errors.ts";
import type { Language } from "../domain/locale.ts";
import { localize, rejectionMessage } from "../domain/messages.ts";
import { safeguardChangesText } from "../domain/safeguard-words.ts";
import { summaryIn } from "./audit-summaries.ts";
import { isoUtc } from "./numbers.ts";
import type { ProjectionOutcome } from "./outcome.ts";
import { Ring } from "./ring.ts";

export const AUDIT_ENTRIES_MAX = 100_000;
export const AUDIT_QUERY_LIMIT_MAX = 1000;
export const AUDIT_QUERY_LIMIT_DEFAULT = 100;
/** Longest summary text; longer ones are cut with an ellipsis. */
export const AUDIT_SUMMARY_LENGTH_MAX = 300;
const FIELD_TEXT_LENGTH_MAX = 64;
const REASON_TEXT_LENGTH_MAX = 160;

export type AuditOutcome = "accepted" | "rejected";

/**
 * What an entry is about, so the regulator can keep or hide whole kinds (for example the back office's routine
 * settlement confirmations): the traders' orders, the regulator's controls, the operator's listing and calendars,
 * members, accounts, users and keys, money and gas, settlement, the regulator's surveillance (its configuration and
 * cases), and the system's own ticks.
 */
export const AUDIT_KINDS = [
  "trading",
  "controls",
  "listing",
  "membership",
  "funds",
  "settlement",
  "surveillance",
  "system",
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

const KIND_OF_COMMAND: Readonly<Record<string, AuditKind>> = {
  "safeguards.set": "controls",
  halt: "controls",
  resume: "controls",
  "supply.plan": "controls",
  "calendar.set": "listing",
  "phase.set": "listing",
  "reference.set": "listing",
  "vat.set": "settlement",
  "tariff.set": "membership",
  "trade.void": "settlement",
  "session.extra": "listing",
  // The notifier's record of an e-mail attempt: the system's own, not a member's act.
  "notices.mail": "system",
};
const KIND_OF_PREFIX: Readonly<Record<string, AuditKind>> = {
  order: "trading",
  negotiated: "trading",
  instrument: "listing",
  member: "membership",
  account: "membership",
  application: "membership",
  group: "membership",
  user: "membership",
  key: "membership",
  money: "funds",
  gas: "funds",
  obligation: "settlement",
  // A producer's outage disclosure is a market fact the regulator watches with the controls.
  outage: "controls",
  shipment: "settlement",
  station: "membership",
  notices: "membership",
  surveillance: "surveillance",
  case: "surveillance",
};

/** At most this many command types are remembered with their kind: a malformed command's type is any text. */
const KINDS_REMEMBERED_MAX = 256;
const kindOfType = new Map<string, AuditKind>();

/** The kind of a command type; a type no table names is the system's. */
export function auditKindOf(commandType: string): AuditKind {
  // Remembered: every order would otherwise split its type into a new array and string.
  const remembered = kindOfType.get(commandType);
  if (remembered !== undefined) return remembered;
  const kind = KIND_OF_COMMAND[commandType] ?? KIND_OF_PREFIX[commandType.split(".")[0] ?? ""] ?? "system";
  if (kindOfType.size < KINDS_REMEMBERED_MAX) kindOfType.set(commandType, kind);
  return kind;
}

export interface AuditEntry {
  readonly seq: number;
  readonly timeMs: number;
  /** UTC, ISO 8601. */
  readonly time: string;
  readonly actor: string | null;
  readonly role: string | null;
  readonly source: string | null;
  readonly requestId: string | null;
  /** The command's type as sent (`unknown` if it had none). */
  readonly commandType: string;
  readonly kind: AuditKind;
  /** The instrument the command or its events concern, if any. */
  readonly instrument: string | null;
  readonly account: string | null;
  readonly summary: string;
  readonly outcome: AuditOutcome;
  /** For a rejected command: the registry code and the sentence. */
  readonly code: string | null;
  readonly message: string | null;
  /** Events the command produced (a rejection counts as one). */
  readonly events: number;
}

export interface AuditFilter {
  readonly actor?: string;
  /** Matched whatever its case: ids are upper case by convention, and "pb-tco" typed by a person means "PB-TCO". */
  readonly instrument?: string;
  readonly account?: string;
  readonly commandType?: string;
  /** Only entries of these kinds. */
  readonly kinds?: readonly AuditKind[];
  readonly outcome?: AuditOutcome;
  /** Inclusive. */
  readonly fromMs?: number;
  /** Exclusive. */
  readonly toMs?: number;
  /** Only entries with a smaller seq (paging backwards). */
  readonly beforeSeq?: number;
  readonly limit?: number;
}

/**
 * An entry as kept: what it was made from (the command's fields and the rejection's details, so that it can be told
 * again in another language) instead of its texts. Its UTC time text and its summary are written when it is read
 * (`told`): both are functions of what is kept, so an entry reads the same whenever it is read, and the per-record
 * cost of the trail (every durable record, on the leader and on the snapshot thread) has no text to build.
 */
interface KeptEntry extends Omit<AuditEntry, "time" | "summary"> {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly details: ErrorDetails;
}

/** A kept entry as readers see it (in English), its fields in the order `AuditEntry` lists them. */
function told(kept: KeptEntry): AuditEntry {
  return {
    seq: kept.seq,
    timeMs: kept.timeMs,
    time: isoUtc(kept.timeMs),
    actor: kept.actor,
    role: kept.role,
    source: kept.source,
    requestId: kept.requestId,
    commandType: kept.commandType,
    kind: kept.kind,
    instrument: kept.instrument,
    account: kept.account,
    summary: summarise(kept.fields as Record<string, unknown>),
    outcome: kept.outcome,
    code: kept.code,
    message: kept.message,
    events: kept.events,
  };
}

export class AuditTrail {
  /**
   * The details of an accepted command's entry: one object for all of them (read only), not an empty object kept
   * with each of the newest `AUDIT_ENTRIES_MAX` entries. A field, not a module's constant: the read models' snapshot
   * carries it, so after a restart the restored entries and the new ones share one object, as before it.
   */
  private readonly noDetails: ErrorDetails = {};
  /**
   * The newest entries as kept, with what each was made from (a plain record, not a WeakMap keyed by the entry: the
   * read models' snapshot carries it, and after a restart the entries from before the snapshot are told in every
   * language as before).
   */
  private readonly entries = new Ring<KeptEntry>(AUDIT_ENTRIES_MAX);
  /** Whether the ring has made room by dropping its oldest entry. */
  private dropped = false;
  /**
   * Live orders' instrument and account, so an amend or cancel (which name only the order) can be filtered too: the
   * fields of the command that placed the order when they name the same two (kept with its entry anyway, so a live
   * order costs the map's slot only), else an object of the two.
   */
  private readonly liveOrders = new Map<string, { readonly instrument?: unknown; readonly account?: unknown }>();

  /** Records the outcome's entry and returns it as readers see it (`record` without building the entry's texts). */
  apply(outcome: ProjectionOutcome): AuditEntry {
    return told(this.keep(outcome));
  }

  /** Records the outcome's entry (what the read models do for each outcome). */
  record(outcome: ProjectionOutcome): void {
    this.keep(outcome);
  }

  private keep(outcome: ProjectionOutcome): KeptEntry {
    const command = outcome.command as unknown;
    const fields = (typeof command === "object" && command !== null ? command : {}) as Record<string, unknown>;
    const commandType = typeof fields.type === "string" ? text(fields.type) : "unknown";
    let instrument = typeof fields.instrument === "string" ? fields.instrument : null;
    let account = typeof fields.account === "string" ? fields.account : null;
    const target = typeof fields.orderId === "string" ? this.liveOrders.get(fields.orderId) : undefined;
    if (target !== undefined) {
      instrument ??= target.instrument as string;
      account ??= target.account as string;
    }
    let code: string | null = null;
    let message: string | null = null;
    let details: ErrorDetails = this.noDetails;
    for (const event of outcome.events) {
      switch (event.type) {
        case "rejected":
          code = event.code;
          message = rejectionMessage(event.code, event.message, event.details);
          details = event.details;
          break;
        case "order.accepted":
          this.liveOrders.set(
            event.orderId,
            fields.instrument === event.instrument && fields.account === event.account
              ? fields
              : { instrument: event.instrument, account: event.account },
          );
          break;
        case "order.cancelled":
          this.liveOrders.delete(event.orderId);
          break;
        case "trade":
          if (event.buyOpen === 0) this.liveOrders.delete(event.buyOrderId);
          if (event.sellOpen === 0) this.liveOrders.delete(event.sellOrderId);
          break;
        case "shipment.dispatched":
        case "shipment.arrived":
          // A shipment command names its obligation or shipment only; the event says which instrument it concerns.
          instrument ??= event.shipment.instrument;
          break;
        default:
          if (
            event.type.startsWith("obligation.") &&
            "obligation" in event &&
            typeof event.obligation === "object" &&
            event.obligation.id === fields.obligation
          ) {
            instrument ??= event.obligation.instrument;
          }
      }
    }
    const meta = outcome.meta;
    const entry: KeptEntry = {
      seq: outcome.seq,
      timeMs: outcome.timeMs,
      actor: meta.actor ?? null,
      role: meta.role ?? null,
      source: meta.source ?? null,
      requestId: meta.requestId ?? null,
      commandType,
      kind: auditKindOf(commandType),
      instrument,
      account,
      outcome: code === null ? "accepted" : "rejected",
      code,
      message,
      events: outcome.events.length,
      fields,
      details,
    };
    if (this.entries.push(entry) !== undefined) this.dropped = true;
    return entry;
  }

  /**
   * An entry told in a language: its summary and its rejection sentence from the catalogues, with values written
   * for the reader. English is the entry as kept. Codes, ids and everything else are the same in every language.
   */
  inLanguage(entry: AuditEntry, language: Language): AuditEntry {
    const source = this.kept(entry.seq);
    if (language === "en" || source === null) return entry;
    return {
      ...entry,
      summary: cut(summaryIn(source.fields, language)),
      message: entry.code === null ? entry.message : localize(entry.code as ErrorCode, source.details, language),
    };
  }

  /**
   * An entry's summary in a language, whole: the trail's line is cut at `AUDIT_SUMMARY_LENGTH_MAX` characters, which
   * cut the bulletin's controls in the middle of a price ("…ступени предельной цены 161..."). The trail's own
   * (cut) summary for an entry no longer kept.
   */
  wholeSummaryIn(entry: AuditEntry, language: Language): string {
    const source = this.kept(entry.seq);
    if (source === null) return entry.summary;
    const fields = source.fields as Record<string, unknown>;
    return language === "en" ? wholeSummary(fields) : summaryIn(fields, language);
  }

  /** The command fields a kept entry was made from (documents write them out); null for an entry not kept. */
  fieldsOf(entry: AuditEntry): Readonly<Record<string, unknown>> | null {
    return this.kept(entry.seq)?.fields ?? null;
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * Since when the trail is whole: null while it has dropped no entry (it holds every command since the first),
   * else the time of the oldest entry it still keeps (older ones are in the journal only).
   */
  wholeSinceMs(): number | null {
    return this.dropped ? (this.entries.oldest()?.timeMs ?? null) : null;
  }

  /** Matching entries, newest first. */
  query(filter: AuditFilter = {}): AuditEntry[] {
    const limit = Math.max(0, Math.min(Math.floor(filter.limit ?? AUDIT_QUERY_LIMIT_DEFAULT), AUDIT_QUERY_LIMIT_MAX));
    const out: AuditEntry[] = [];
    if (limit === 0) return out;
    const instrument = filter.instrument?.toUpperCase();
    this.entries.scanNewestFirst((entry) => {
      if (filter.fromMs !== undefined && entry.timeMs < filter.fromMs) return false;
      if (matches(entry, filter, instrument)) out.push(told(entry));
      return out.length < limit;
    });
    return out;
  }

  /** The entry of one seq, if still kept: O(1), as kept entries have consecutive seqs. */
  get(seq: number): AuditEntry | null {
    const kept = this.kept(seq);
    return kept === null ? null : told(kept);
  }

  private kept(seq: number): KeptEntry | null {
    const newest = this.entries.newest();
    if (newest === undefined) return null;
    const entry = this.entries.newestAt(newest.seq - seq);
    return entry !== undefined && entry.seq === seq ? entry : null;
  }
}

/**
 * `instrument` is the filter's instrument in upper case, compared with the entry's in upper case: the whole id, or its
 * leading part up to a hyphen ("PB-TCO" finds "PB-TCO-ATYRAU-2026-12", not "PB-TCOX-…").
 */
function matches(entry: KeptEntry, filter: AuditFilter, instrument: string | undefined): boolean {
  return (
    (filter.beforeSeq === undefined || entry.seq < filter.beforeSeq) &&
    (filter.toMs === undefined || entry.timeMs < filter.toMs) &&
    (filter.actor === undefined || entry.actor === filter.actor) &&
    (instrument === undefined || (entry.instrument !== null && instrumentMatches(entry.instrument, instrument))) &&
    (filter.account === undefined || entry.account === filter.account) &&
    (filter.commandType === undefined || entry.commandType === filter.commandType) &&
    (filter.kinds === undefined || filter.kinds.includes(entry.kind)) &&
    (filter.outcome === undefined || entry.outcome === filter.outcome)
  );
}

function instrumentMatches(id: string, wanted: string): boolean {
  // The length first: most entries of other instruments are told apart without an upper-case copy.
  if (id.length === wanted.length) return id === wanted || id.toUpperCase() === wanted;
  return id.length > wanted.length && id[wanted.length] === "-" && id.slice(0, wanted.length).toUpperCase() === wanted;
}

/** A short human sentence for a command. Quantities in tonnes, prices in tenge per tonne. */
/** The trail's one-line summary of a command, cut to `AUDIT_SUMMARY_LENGTH_MAX` characters. */
function summarise(fields: Record<string, unknown>): string {
  return cut(wholeSummary(fields));
}

function cut(summary: string): string {
  return summary.length > AUDIT_SUMMARY_LENGTH_MAX ? `${summary.slice(0, AUDIT_SUMMARY_LENGTH_MAX - 3)}...` : summary;
}

/** A command's summary in English, whole (a ceiling path's steps can run past the trail's line). */
function wholeSummary(fields: Record<string, unknown>): string {
  const f = (name: string) => text(fields[name]);
  let summary: string;
  const type = fields.type;
  switch (type) {
    case "order.new": {
      const price = fields.orderType === "market" ? "at market" : `at ${tenge(fields.price)}/t`;
      const extras = [
        typeof fields.tif === "string" ? fields.tif : null,
        fields.postOnly === true ? "post-only" : null,
        typeof fields.expireAtMs === "number" ? `expires ${isoUtc(fields.expireAtMs)}` : null,
      ].filter((x) => x !== null);
      summary = `${f("side")} ${tonnes(fields.quantity)} ${f("instrument")} ${price} (${f("orderType")}${extras.length > 0 ? `, ${extras.join(", ")}` : ""}), order ${f("orderId")}, account ${f("account")}`;
      break;
    }
    case "order.amend": {
      const changes = [
        fields.price != null ? `price ${tenge(fields.price)}/t` : null,
        fields.quantity != null ? `open ${tonnes(fields.quantity)}` : null,
      ].filter((x) => x !== null);
      summary = `amend order ${f("orderId")}: ${changes.join(", ") || "nothing"}`;
      break;
    }
    case "order.cancel":
      summary = `cancel order ${f("orderId")}`;
      break;
    case "order.massCancel":
      summary = `cancel all orders of account ${f("account")}${typeof fields.instrument === "string" ? ` on ${fields.instrument}` : ""}`;
      break;
    case "instrument.list":
      summary = `list ${f("instrument")} (${f("mode")}, tick ${tenge(fields.tickSize)}, lot ${tonnes(fields.lotSize)}${fields.referencePrice != null ? `, reference ${tenge(fields.referencePrice)}/t` : ""}${fields.clearing != null ? ", cleared" : ""})`;
      break;
    case "instrument.update":
      summary = `change clearing terms of ${f("instrument")}: ${text(JSON.stringify(fields.clearing ?? null))}; reason: ${f("reason")}`;
      break;
    case "instrument.suspend":
      summary = `halt ${f("instrument")}; reason: ${f("reason")}`;
      break;
    case "phase.set":
      summary = `set ${f("instrument")} phase to ${f("phase")}`;
      break;
    case "reference.set":
      summary = `set ${f("instrument")} reference price to ${fields.price === null ? "none" : `${tenge(fields.price)}/t`}`;
      break;
    case "member.add":
      summary = `add member ${f("member")} (${f("name")}) as ${Array.isArray(fields.roles) ? fields.roles.map(text).join(", ") : "?"}`;
      break;
    case "member.suspend":
    case "member.reinstate":
      summary = `${type === "member.suspend" ? "suspend" : "reinstate"} member ${f("member")}; reason: ${f("reason")}`;
      break;
    case "member.group":
      summary = `${fields.group === null ? "record no group for" : `record group ${f("group")} for`} member ${f("member")}, evidence ${f("evidence")}; reason: ${reasonText(fields.reason)}`;
      break;
    case "account.open":
      summary = `open account ${f("account")} for member ${f("member")}${typeof fields.client === "string" ? ` (client ${fields.client})` : ""}`;
      break;
    case "money.deposit":
    case "money.withdraw":
      summary = `${type === "money.deposit" ? "deposit" : "withdraw"} ${tenge(fields.amount)} ${type === "money.deposit" ? "to" : "from"} account ${f("account")}, reference ${f("reference")}`;
      break;
    case "gas.declare":
    case "gas.withdraw":
      summary = `${type === "gas.declare" ? "declare" : "withdraw"} ${tonnes(fields.quantity)} at ${f("basis")} for account ${f("account")}`;
      break;
    case "outage.publish":
      summary = `publish ${f("kind")} outage of ${f("producer")} at ${f("basis")}: ${tonnes(fields.volumeKg)} from ${typeof fields.fromMs === "number" ? isoUtc(fields.fromMs) : f("fromMs")} to ${typeof fields.toMs === "number" ? isoUtc(fields.toMs) : f("toMs")}; reason: ${reasonText(fields.reason)}`;
      break;
    case "safeguards.set":
      // In words, as the Russian and Kazakh summaries and the bulletin write a change (domain/safeguard-words.ts):
      // prices in tenge per tonne and dates, not the command's JSON in tiyn and milliseconds.
      summary = `set safeguards of ${f("instrument")}: ${safeguardChangesText(fields.changes ?? null, "en")}; reason: ${reasonText(fields.reason)}`;
      break;
    case "halt":
    case "resume": {
      const scope =
        fields.scope === "market"
          ? "the market"
          : fields.scope === "region"
            ? `region ${f("region")}`
            : fields.scope === "instrument"
              ? `instrument ${f("instrument")}`
              : `scope ${f("scope")}`;
      summary = `${type} ${scope}; reason: ${reasonText(fields.reason)}`;
      break;
    }
    case "supply.plan":
      summary = `plan supply of ${tonnes(fields.plannedKg)} at ${f("basis")} by ${f("producer")} in ${f("month")}; reason: ${reasonText(fields.reason)}`;
      break;
    case "calendar.set": {
      const calendar = (
        typeof fields.calendar === "object" && fields.calendar !== null ? fields.calendar : {}
      ) as Record<string, unknown>;
      const sessions = Array.isArray(calendar.sessions)
        ? calendar.sessions.map((s: { open?: unknown; close?: unknown }) => `${text(s?.open)}–${text(s?.close)}`)
        : [];
      summary = `set trading calendar of ${f("instrument")}: sessions ${text(sessions.join(", ") || "none")}; reason: ${reasonText(fields.reason)}`;
      break;
    }
    case "obligation.confirmPayment":
    case "obligation.confirmDelivery":
      summary = `confirm ${type === "obligation.confirmPayment" ? "payment" : "delivery"} of obligation ${f("obligation")}`;
      break;
    case "station.register":
      summary = `register station ${f("station")} (${f("name")}) of member ${f("member")} in region ${f("region")}; document: ${f("document")}`;
      break;
    case "shipment.dispatch":
      summary = `dispatch ${f("quantity")} kg on obligation ${f("obligation")}: vehicle ${f("vehicle")}, waybill ${f("waybill")}, ${f("date")}`;
      break;
    case "shipment.arrive":
      summary = `arrival of shipment ${f("shipment")} at station ${f("station")}`;
      break;
    case "time.tick":
      summary = "time tick";
      break;
    case "trade.void":
      summary = `void trade ${f("trade")} under ${f("rule")}; reason: ${reasonText(fields.reason)}`;
      break;
    case "notices.prefer":
      summary = `set the notifications of member ${f("member")}: browser ${text(JSON.stringify(fields.web ?? null))}, e-mail ${text(JSON.stringify(fields.mail ?? null))}`;
      break;
    case "notices.read":
      summary = `mark notifications of member ${f("member")} read: ${text(JSON.stringify(fields.ids ?? null))}`;
      break;
    case "notices.mail":
      summary = `e-mail notification ${f("id")} of member ${f("member")}, attempt ${f("attempt")}: ${fields.error === null ? "delivered" : `failed (${text(String(fields.error))})${fields.nextAttemptMs === null ? ", given up" : ""}`}`;
      break;
    case "session.extra":
      summary = `open an extra session on ${f("instrument")} for re-offered volume; reason: ${reasonText(fields.reason)}`;
      break;
    case "negotiated.submit":
      summary = `register a negotiated deal on ${f("instrument")}: seller ${f("seller")}, buyer ${f("buyer")}, ${tonnes(fields.quantity)} at ${tenge(fields.price)}/t`;
      break;
    case "negotiated.accept":
    case "negotiated.reject":
      summary = `${type === "negotiated.accept" ? "accept" : "reject"} negotiated deal ${f("deal")} (account ${f("account")})`;
      break;
    case "application.submit":
      summary = `submit accreditation application ${f("application")}: ${f("company")}, BIN ${f("bin")}, as ${f("kind")}`;
      break;
    case "application.approve":
      summary = `approve application ${f("application")}: member ${f("member")}, fee on ${f("feeReference")}, deposit on ${f("depositReference")}; reason: ${reasonText(fields.reason)}`;
      break;
    case "application.refuse":
      summary = `refuse application ${f("application")}; reason: ${reasonText(fields.reason)}`;
      break;
    case "member.exclude":
      summary = `exclude member ${f("member")}, barred from readmission for two years; reason: ${reasonText(fields.reason)}`;
      break;
    case "vat.set":
      summary = `set VAT to ${f("rateBps")} bps from ${f("from")}; reason: ${reasonText(fields.reason)}`;
      break;
    case "tariff.set":
      summary = `set the accreditation tariff of ${f("kind")} from ${f("from")}: fee ${f("feeTiyn")} tiyn, deposit ${f("depositTiyn")} tiyn; reason: ${reasonText(fields.reason)}`;
      break;
    case "surveillance.configure":
      summary = `change surveillance configuration: ${text(JSON.stringify(fields.changes ?? null))}; reason: ${reasonText(fields.reason)}`;
      break;
    case "case.open":
      summary = `open a surveillance case on alert ${f("alert")}; reason: ${reasonText(fields.reason)}`;
      break;
    case "case.join":
      summary = `add alert ${f("alert")} to case ${f("caseId")}; reason: ${reasonText(fields.reason)}`;
      break;
    case "case.review":
      summary = `take case ${f("caseId")} under review; reason: ${reasonText(fields.reason)}`;
      break;
    case "case.close":
      summary = `close case ${f("caseId")} with outcome ${f("outcome")}; reason: ${reasonText(fields.reason)}`;
      break;
    case "case.note":
      summary = `add a note to case ${f("caseId")}: ${reasonText(fields.note)}`;
      break;
    // Access: never the password hash or the sealed secret, only who and why.
    case "user.create":
      summary = `create user ${f("user")} (${f("name")}) as ${f("role")}${typeof fields.member === "string" ? ` of member ${fields.member}` : ""}; reason: ${reasonText(fields.reason)}`;
      break;
    case "user.disable":
    case "user.enable":
      summary = `${type === "user.disable" ? "disable" : "enable"} user ${f("user")}; reason: ${reasonText(fields.reason)}`;
      break;
    case "user.password":
      summary = `set a new password for user ${f("user")}; reason: ${reasonText(fields.reason)}`;
      break;
    case "user.secondFactor":
      summary = `${fields.secretSealed === null ? "remove the second factor of" : "set up a second factor (TOTP) for"} user ${f("user")}; reason: ${reasonText(fields.reason)}`;
      break;
    case "user.language":
      summary =
        fields.language === null
          ? `let the request's Accept-Language choose the language of user ${f("user")}`
          : `save language ${f("language")} for user ${f("user")}`;
      break;
    case "apiKey.create":
      summary = `create API key ${f("key")} for user ${f("user")} with scopes ${Array.isArray(fields.scopes) ? fields.scopes.map(text).join(", ") : "?"}`;
      break;
    case "apiKey.revoke":
      summary = `revoke API key ${f("key")}; reason: ${reasonText(fields.reason)}`;
      break;
    default:
      summary = `command ${f("type")}`;
  }
  return summary;
}

/** Any value as short text. */
function text(value: unknown): string {
  const shown = typeof value === "string" ? value : value === undefined ? "?" : (JSON.stringify(value) ?? "?");
  return shown.length > FIELD_TEXT_LENGTH_MAX ? `${shown.slice(0, FIELD_TEXT_LENGTH_MAX - 3)}...` : shown;
}

/** A change's reason: longer than other fields may be, as it is the "why" of the trail. */
function reasonText(value: unknown): string {
  const shown = typeof value === "string" ? value : text(value);
  return shown.length > REASON_TEXT_LENGTH_MAX ? `${shown.slice(0, REASON_TEXT_LENGTH_MAX - 3)}...` : shown;
}

/** Tiyn as tenge with two decimals, e.g. 13312600 → "133126.00 KZT"; anything else shown as it is. */
function tenge(value: unknown): string {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) return text(value);
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(value);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")} KZT`;
}

/** Kilograms as tonnes, e.g. 1500 → "1.5 t"; anything else shown as it is. */
function tonnes(value: unknown): string {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) return text(value);
  const whole = Math.floor(value / 1000);
  const rest = value % 1000;
  return rest === 0 ? `${whole} t` : `${whole}.${String(rest).padStart(3, "0").replace(/0+$/, "")} t`;
}
