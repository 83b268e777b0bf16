/**
 * The accreditation state: applications and their status, exclusions with the day their bar on readmission ends, and
 * the bank statement lines booked for fees and deposits. The workflow and its rules are described in
 * accreditation.ts; here they are checked in full before anything changes (a refused command changes nothing).
 *
 * Complexity: every command O(1) but `application.submit`, O(documents + applications + members) for the BIN checks.
 */

import { type Problem, problem } from "../domain/errors.ts";
import { ID_LENGTH_MAX, ID_PATTERN_SOURCE, NAME_LENGTH_MAX, REASON_LENGTH_MAX } from "../domain/limits.ts";
import { isBin } from "../domain/vat.ts";
import {
  ACCREDITATION_FEES,
  type AccreditationCommand,
  APPLICATION_KINDS,
  APPLICATIONS_MAX,
  type ApplicationApproveCommand,
  type ApplicationDocuments,
  type ApplicationKind,
  type ApplicationStation,
  type ApplicationStatus,
  type ApplicationSubmitCommand,
  barEnd,
  DOCUMENT_LENGTH_MAX,
  EXCLUSION_BAR_YEARS,
  INSURANCE_DEPOSITS,
  type MemberExcludeCommand,
  STATIONS_PER_APPLICATION_MAX,
  STATIONS_REQUIRED_FOR,
  TARIFF_AMOUNT_MAX_TIYN,
  TARIFF_ENTRIES_MAX,
  type TariffEntry,
  type TariffSetCommand,
  tariffOn,
  VAT_YEARS_MAX,
} from "./accreditation.ts";
import { isCalendarDate } from "./calendar.ts";
import { Postings } from "./clearing.ts";
import type { ClearingHouse } from "./clearinghouse.ts";
import type { EngineEvent } from "./events.ts";
import { EXTERNAL_BANK, MONEY } from "./ledger.ts";
import { BUYER_CATEGORIES, type BuyerCategory } from "./members.ts";
import { exchangeDate } from "./vat.ts";

interface ApplicationState {
  readonly id: string;
  readonly bin: string;
  readonly kind: ApplicationKind;
  readonly company: string;
  readonly buyerCategory: BuyerCategory | null;
  readonly broker: string | null;
  status: ApplicationStatus;
}

interface Exclusion {
  readonly member: string;
  readonly bin: string | null;
  readonly barredUntil: string;
}

export interface AccreditationSnapshot {
  readonly applications: readonly ApplicationState[];
  readonly exclusions: readonly Exclusion[];
  readonly references: readonly string[];
  /** The tariff schedule by date of effect; absent when empty (snapshots made before tariffs are unchanged). */
  readonly tariffs?: readonly TariffEntry[];
}

const ID_PATTERN = new RegExp(ID_PATTERN_SOURCE);

export class Accreditation {
  private readonly applications = new Map<string, ApplicationState>();
  /** By member id. */
  private readonly exclusions = new Map<string, Exclusion>();
  /** Bank statement lines booked here (fees and deposits). */
  private readonly references = new Set<string>();
  /** Tariff entries sorted by date of effect (then kind); one per kind and date. */
  private tariffs: TariffEntry[] = [];

  get empty(): boolean {
    return this.applications.size === 0 && this.exclusions.size === 0 && this.tariffs.length === 0;
  }

  /** The tariff schedule, by date of effect. */
  tariffSchedule(): readonly TariffEntry[] {
    return this.tariffs;
  }

  isExcluded(member: string): boolean {
    return this.exclusions.has(member);
  }

  apply(command: AccreditationCommand, house: ClearingHouse, nowMs: number, out: EngineEvent[]): Problem | null {
    switch (command.type) {
      case "tariff.set":
        return this.setTariff(command, nowMs, out);
      case "application.submit":
        return this.submit(command, house, nowMs, out);
      case "application.approve":
        return this.approve(command, house, nowMs, out);
      case "application.refuse": {
        const found = this.pending(command.application);
        if ("code" in found) return found;
        const reason = checkReason(command.reason);
        if (reason) return reason;
        found.status = "refused";
        out.push({ type: "application.refused", application: found.id, reason: command.reason });
        return null;
      }
      case "member.exclude":
        // The engine checks and suspends the member first (engine.ts), then records the exclusion here.
        return null;
    }
  }

  /** Checks an exclusion in full (the engine then suspends the member unless it is suspended, and calls `exclude`). */
  checkExclude(command: MemberExcludeCommand, house: ClearingHouse): Problem | null {
    const member = typeof command.member === "string" ? house.members.member(command.member) : undefined;
    if (!member) return problem("MEMBER_NOT_FOUND", { id: String(command.member) });
    if (this.exclusions.has(member.id)) return problem("MEMBER_EXCLUDED", { member: member.id });
    return checkReason(command.reason);
  }

  exclude(command: MemberExcludeCommand, house: ClearingHouse, nowMs: number, out: EngineEvent[]): void {
    const bin = house.members.member(command.member)?.bin ?? null;
    const barredUntil = barEnd(exchangeDate(nowMs), EXCLUSION_BAR_YEARS);
    this.exclusions.set(command.member, { member: command.member, bin, barredUntil });
    out.push({ type: "member.excluded", member: command.member, bin, barredUntil, reason: command.reason });
  }

  private submit(command: ApplicationSubmitCommand, house: ClearingHouse, nowMs: number, out: EngineEvent[]) {
    const c = command as Partial<Record<keyof ApplicationSubmitCommand, unknown>>;
    if (typeof c.application !== "string" || c.application.length > ID_LENGTH_MAX || !ID_PATTERN.test(c.application)) {
      return invalid("application", c.application, `an id of 1 to ${ID_LENGTH_MAX} printable characters`);
    }
    if (this.applications.has(c.application)) return problem("APPLICATION_EXISTS", { id: c.application });
    if (this.applications.size >= APPLICATIONS_MAX) {
      return invalid("application", c.application, `at most ${APPLICATIONS_MAX} applications are kept`);
    }
    if (!isText(c.company, NAME_LENGTH_MAX)) return invalid("company", c.company, `1 to ${NAME_LENGTH_MAX} characters`);
    if (typeof c.bin !== "string" || !isBin(c.bin)) return invalid("bin", c.bin, "exactly 12 digits");
    if (!(APPLICATION_KINDS as readonly unknown[]).includes(c.kind)) {
      return invalid("kind", c.kind, `one of ${APPLICATION_KINDS.join(", ")}`);
    }
    const kind = c.kind as ApplicationKind;
    const buyerCategory = (c.buyerCategory ?? null) as BuyerCategory | null;
    if (buyerCategory !== null && !(BUYER_CATEGORIES as readonly unknown[]).includes(buyerCategory)) {
      return invalid("buyerCategory", buyerCategory, `one of ${BUYER_CATEGORIES.join(", ")}`);
    }
    if (kind === "buyer" && buyerCategory === null) return invalid("buyerCategory", null, "a buyer names its category");
    if ((kind === "producer" || kind === "broker") && buyerCategory !== null) {
      return invalid("buyerCategory", buyerCategory, `a ${kind} has no buyer category`);
    }
    const broker = (c.broker ?? null) as string | null;
    if (kind === "client") {
      const found = typeof broker === "string" ? house.members.member(broker) : undefined;
      if (found === undefined || !found.roles.includes("broker")) {
        return invalid("broker", broker, "a client names the accredited broker it trades through");
      }
      if (found.suspended) return problem("MEMBER_SUSPENDED", { member: found.id });
    } else if (broker !== null) {
      return invalid("broker", broker, "only a broker's client names a broker");
    }
    const documents = checkDocuments(c.documents, kind, buyerCategory);
    if ("code" in documents) return documents;
    // The bar on readmission, then one application and one membership per BIN.
    const today = exchangeDate(nowMs);
    for (const exclusion of this.exclusions.values()) {
      if (exclusion.bin === c.bin && today < exclusion.barredUntil) {
        return problem("APPLICANT_EXCLUDED", { bin: c.bin, member: exclusion.member, until: exclusion.barredUntil });
      }
    }
    for (const application of this.applications.values()) {
      if (application.bin === c.bin && application.status === "pending") {
        return problem("APPLICATION_PENDING", { bin: c.bin, id: application.id });
      }
    }
    if (kind !== "client") {
      const member = house.members.allMembers().find((m) => m.bin === c.bin && !this.exclusions.has(m.id));
      if (member) return problem("MEMBER_EXISTS", { id: member.id });
    }
    this.applications.set(c.application, {
      id: c.application,
      bin: c.bin,
      kind,
      company: c.company as string,
      buyerCategory,
      broker,
      status: "pending",
    });
    out.push({
      type: "application.submitted",
      application: c.application,
      company: c.company as string,
      bin: c.bin,
      kind,
      buyerCategory,
      broker,
      documents,
    });
    return null;
  }

  private setTariff(command: TariffSetCommand, nowMs: number, out: EngineEvent[]): Problem | null {
    const { kind, feeTiyn, depositTiyn, from, reason } = command;
    const bad = (field: string, value: unknown, rule: string) =>
      problem("TARIFF_INVALID", { field, value: JSON.stringify(value ?? null) ?? "null", rule });
    if (!APPLICATION_KINDS.includes(kind)) return bad("kind", kind, `one of ${APPLICATION_KINDS.join(", ")}`);
    for (const [field, value] of [
      ["feeTiyn", feeTiyn],
      ["depositTiyn", depositTiyn],
    ] as const) {
      if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > TARIFF_AMOUNT_MAX_TIYN) {
        return bad(field, value, `a whole number of tiyn from 0 to ${TARIFF_AMOUNT_MAX_TIYN}`);
      }
    }
    if (kind === "client" && depositTiyn !== 0) {
      return bad("depositTiyn", depositTiyn, "a broker's client pays no deposit of its own: 0");
    }
    const today = exchangeDate(nowMs);
    if (typeof from !== "string" || !isCalendarDate(from) || from <= today) {
      return bad(
        "from",
        from,
        `a real date (YYYY-MM-DD) after today, ${today}: an approval already made never changes`,
      );
    }
    const checked = checkReason(reason);
    if (checked) return checked;
    const replaced = this.tariffs.findIndex((e) => e.kind === kind && e.from === from);
    if (replaced < 0 && this.tariffs.length >= TARIFF_ENTRIES_MAX) {
      return bad("from", from, `the schedule holds at most ${TARIFF_ENTRIES_MAX} entries`);
    }
    const entry: TariffEntry = { kind, feeTiyn, depositTiyn, from, reason };
    if (replaced >= 0) this.tariffs.splice(replaced, 1);
    this.tariffs.push(entry);
    this.tariffs.sort(byDateThenKind);
    out.push({ type: "tariff.set", ...entry });
    return null;
  }

  private approve(
    command: ApplicationApproveCommand,
    house: ClearingHouse,
    nowMs: number,
    out: EngineEvent[],
  ): Problem | null {
    const application = this.pending(command.application);
    if ("code" in application) return application;
    const terms = tariffOn(this.tariffs, application.kind, exchangeDate(nowMs));
    const reason = checkReason(command.reason);
    if (reason) return reason;
    const references = [command.feeReference, ...(terms.depositTiyn > 0 ? [command.depositReference] : [])];
    for (const reference of references) {
      if (typeof reference !== "string" || reference.length > 64 || !ID_PATTERN.test(reference)) {
        return problem("REFERENCE_INVALID", { value: JSON.stringify(reference ?? null) });
      }
      if (this.references.has(reference)) return problem("REFERENCE_DUPLICATE", { reference });
    }
    if (references[0] === references[1]) return problem("REFERENCE_DUPLICATE", { reference: references[0] as string });
    // Dry-run the member and the account on the clearing house's own checks: nothing changes unless both pass.
    const added: EngineEvent[] = [];
    const member = application.kind === "client" ? (application.broker as string) : command.member;
    if (application.kind !== "client") {
      if (typeof member !== "string" || house.members.hasMember(member)) {
        return house.members.hasMember(String(member))
          ? problem("MEMBER_EXISTS", { id: String(member) })
          : invalid("member", member, "the new member's id");
      }
    }
    const account = command.account;
    if (application.kind === "broker") {
      if (account !== null) return invalid("account", account, "a broker opens no account of its own: null");
    } else if (typeof account !== "string" || account.length > ID_LENGTH_MAX || !ID_PATTERN.test(account)) {
      return invalid("account", account, `the trading account to open: 1 to ${ID_LENGTH_MAX} printable characters`);
    } else if (house.members.hasAccount(account)) {
      return problem("ACCOUNT_EXISTS", { id: account });
    }
    // From here every check has passed: the clearing house's own checks below cannot refuse what was checked above.
    if (application.kind !== "client") {
      const refusal = house.addMember(
        {
          type: "member.add",
          member,
          name: application.company,
          roles: [application.kind],
          buyerCategory: application.buyerCategory,
          bin: application.bin,
        },
        added,
      );
      if (refusal) return refusal;
    }
    if (account !== null) {
      const refusal = house.openAccount(
        application.kind === "client"
          ? {
              type: "account.open",
              account,
              member,
              client: application.company,
              canBuy: application.buyerCategory !== null,
              canSell: application.buyerCategory === null,
              buyerCategory: application.buyerCategory,
            }
          : { type: "account.open", account, member },
        added,
      );
      if (refusal) throw new Error(`invariant: a checked account failed to open: ${refusal.message}`);
    }
    const postings = new Postings(house.ledger, "accreditation", application.id);
    postings.move(EXTERNAL_BANK, ACCREDITATION_FEES, MONEY, terms.feeTiyn);
    if (terms.depositTiyn > 0) postings.move(EXTERNAL_BANK, INSURANCE_DEPOSITS, MONEY, terms.depositTiyn);
    for (const reference of references) this.references.add(reference as string);
    application.status = "approved";
    out.push({
      type: "application.approved",
      application: application.id,
      member,
      account,
      feeTiyn: terms.feeTiyn,
      depositTiyn: terms.depositTiyn,
      reason: command.reason,
    });
    out.push(...added);
    postings.flush(out);
    return null;
  }

  private pending(id: unknown): ApplicationState | Problem {
    const found = typeof id === "string" ? this.applications.get(id) : undefined;
    if (!found) return problem("APPLICATION_NOT_FOUND", { id: String(id) });
    if (found.status !== "pending") return problem("APPLICATION_DECIDED", { id: found.id, status: found.status });
    return found;
  }

  snapshot(): AccreditationSnapshot {
    const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return {
      applications: [...this.applications.values()].map((a) => ({ ...a })).sort(byId),
      exclusions: [...this.exclusions.values()]
        .map((e) => ({ ...e }))
        .sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : 0)),
      references: [...this.references].sort(),
      ...(this.tariffs.length === 0 ? {} : { tariffs: this.tariffs.map((e) => ({ ...e })) }),
    };
  }

  static restore(snapshot: AccreditationSnapshot | undefined): Accreditation {
    const accreditation = new Accreditation();
    for (const a of snapshot?.applications ?? []) accreditation.applications.set(a.id, { ...a });
    for (const e of snapshot?.exclusions ?? []) accreditation.exclusions.set(e.member, { ...e });
    for (const r of snapshot?.references ?? []) accreditation.references.add(r);
    accreditation.tariffs = (snapshot?.tariffs ?? []).map((e) => ({ ...e })).sort(byDateThenKind);
    return accreditation;
  }
}

function byDateThenKind(a: TariffEntry, b: TariffEntry): number {
  return a.from < b.from ? -1 : a.from > b.from ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}

function isText(value: unknown, lengthMax: number): value is string {
  return typeof value === "string" && value.trim() !== "" && value.length <= lengthMax && !/\p{Cc}/u.test(value);
}

function invalid(field: string, value: unknown, rule: string): Problem {
  const text = JSON.stringify(value ?? null) ?? "null";
  return problem("APPLICATION_INVALID", { field, value: text.length > 80 ? `${text.slice(0, 77)}...` : text, rule });
}

function checkReason(reason: unknown): Problem | null {
  return isText(reason, REASON_LENGTH_MAX) ? null : invalid("reason", reason, `1 to ${REASON_LENGTH_MAX} characters`);
}

/** The documents, checked in full and copied (so the event carries exactly the fields the rulebook names). */
function checkDocuments(
  value: unknown,
  kind: ApplicationKind,
  buyerCategory: BuyerCategory | null,
): ApplicationDocuments | Problem {
  if (typeof value !== "object" || value === null) return invalid("documents", value, "the application's documents");
  const d = value as Partial<Record<keyof ApplicationDocuments, unknown>>;
  if (!isText(d.registration, DOCUMENT_LENGTH_MAX)) {
    return invalid("documents.registration", d.registration, "the state registration certificate's number");
  }
  let vat: ApplicationDocuments["vat"] = null;
  if (d.vat !== null && d.vat !== undefined) {
    const v = d.vat as { certificate?: unknown; years?: unknown };
    if (!isText(v.certificate, DOCUMENT_LENGTH_MAX)) {
      return invalid("documents.vat.certificate", v.certificate, "the VAT registration certificate's number");
    }
    if (!Number.isInteger(v.years) || (v.years as number) < 0 || (v.years as number) > VAT_YEARS_MAX) {
      return invalid("documents.vat.years", v.years, `whole years as a VAT payer, 0 to ${VAT_YEARS_MAX}`);
    }
    vat = { certificate: v.certificate, years: v.years as number };
  }
  if (kind !== "client" && vat === null) {
    return invalid("documents.vat", null, "a member is registered for VAT: name the certificate and its years");
  }
  const stations = d.stations ?? [];
  if (!Array.isArray(stations) || stations.length > STATIONS_PER_APPLICATION_MAX) {
    return invalid("documents.stations", stations, `a list of at most ${STATIONS_PER_APPLICATION_MAX} stations`);
  }
  const checked: ApplicationStation[] = [];
  for (const [i, station] of stations.entries()) {
    const s = (station ?? {}) as Partial<Record<keyof ApplicationStation, unknown>>;
    if (
      !isText(s.name, NAME_LENGTH_MAX) ||
      !isText(s.region, ID_LENGTH_MAX) ||
      !isText(s.document, DOCUMENT_LENGTH_MAX)
    ) {
      return invalid(`documents.stations[${i}]`, station, "a station's name, region and document reference");
    }
    checked.push({ name: s.name, region: s.region, document: s.document });
  }
  if (buyerCategory !== null && STATIONS_REQUIRED_FOR.includes(buyerCategory) && checked.length === 0) {
    return invalid(
      "documents.stations",
      [],
      `a buyer of category ${buyerCategory} lists at least one own station or depot with its document`,
    );
  }
  return { registration: d.registration, vat, stations: checked };
}
