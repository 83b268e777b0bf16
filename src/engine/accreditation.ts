/**
 * Accreditation: how a company becomes a member (or a broker's client), and how a member is excluded.
 *
 * The workflow. An applicant submits an application (`application.submit`): the company's name and BIN, the kind of
 * membership (producer, buyer, broker, or a client of an accredited broker), and its documents by reference number —
 * the state registration certificate, the VAT registration with the years it has been a VAT payer, and, for a buyer
 * whose category the rulebook names (`STATIONS_REQUIRED_FOR`), its own filling stations or depots with their regions
 * and documents. The operator reviews it and either refuses it with the reason (`application.refuse`) or approves it
 * (`application.approve`) naming the bank statement lines on which the accreditation fee and the insurance deposit
 * arrived: the approval books both on the ledger (fee: `external/bank` → `exchange/accreditation`; deposit:
 * `external/bank` → `clearing/insurance`, held for the member), adds the member (or, for a broker's client, opens the
 * client's account under the broker) and opens its trading account. Amounts are the tariff in force on the approval's
 * date (exchange time): `ACCREDITATION_TERMS` until the operator sets another for a kind with its date of effect
 * (`tariff.set`, like `vat.set`: a date after today, so an approval already made, and an old journal's replay, never
 * changes; a later `tariff.set` for the same kind and date replaces the earlier).
 *
 * Exclusion (`member.exclude`): the operator excludes a member for a breach of the rules, with the reason. The member
 * is suspended (its orders cancelled: the engine does that as for `member.suspend`) and its BIN is barred from
 * readmission for two years: an application with that BIN dated before the same calendar day two years after the
 * exclusion (exchange time, UTC+5; 29 February bars until 1 March) is refused with `APPLICANT_EXCLUDED`; from that
 * day on it is accepted.
 *
 * Promises: validate completely, then mutate (a refused command changes nothing); an application is decided once;
 * one pending application per BIN; a BIN of an active member cannot apply again (except a client, which the broker
 * may register under more than one broker). The ledger stays balanced: every booking is a transfer.
 *
 * This file holds the commands, events and the rulebook's figures; accreditations.ts keeps the state and applies them.
 */

import type { BuyerCategory } from "./members.ts";

export const APPLICATION_KINDS = ["producer", "buyer", "broker", "client"] as const;
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];

/** Where the fees and deposits go on the ledger. */
export const ACCREDITATION_FEES = "exchange/accreditation";
export const INSURANCE_DEPOSITS = "clearing/insurance";

/**
 * The rulebook's accreditation fee and insurance deposit per kind, in tiyn (1 tenge = 100 tiyn). A broker's client
 * pays a fee and no deposit of its own: its broker's deposit stands for it.
 */
export const ACCREDITATION_TERMS: Readonly<Record<ApplicationKind, { feeTiyn: number; depositTiyn: number }>> = {
  producer: { feeTiyn: 30_000_000, depositTiyn: 500_000_000 },
  buyer: { feeTiyn: 30_000_000, depositTiyn: 100_000_000 },
  broker: { feeTiyn: 30_000_000, depositTiyn: 200_000_000 },
  client: { feeTiyn: 5_000_000, depositTiyn: 0 },
};

// The most a fee or a deposit of the tariff may be is in domain/limits.ts, where the operator's form reads it too.
export { TARIFF_AMOUNT_MAX_TIYN } from "../domain/limits.ts";
/** Entries of the tariff schedule kept (all kinds); one more is refused (`TARIFF_INVALID`). */
export const TARIFF_ENTRIES_MAX = 1000;

/** One entry of the tariff schedule: a kind's fee and deposit from a date of effect. */
export interface TariffEntry {
  readonly kind: ApplicationKind;
  readonly feeTiyn: number;
  readonly depositTiyn: number;
  /** The first exchange day (YYYY-MM-DD) the amounts apply to. */
  readonly from: string;
  readonly reason: string;
}

/** The operator sets a kind's accreditation fee and insurance deposit from a date after today. */
export interface TariffSetCommand {
  readonly type: "tariff.set";
  readonly kind: ApplicationKind;
  readonly feeTiyn: number;
  /** 0 for a broker's client (its broker's deposit stands for it). */
  readonly depositTiyn: number;
  readonly from: string;
  readonly reason: string;
}

export interface TariffSetEvent extends TariffEntry {
  readonly type: "tariff.set";
}

/**
 * The fee and deposit of `kind` in force on exchange date `date`: the entry with the latest date of effect on or
 * before it, else the rulebook's `ACCREDITATION_TERMS`. `schedule` is sorted by date of effect.
 */
export function tariffOn(
  schedule: readonly TariffEntry[],
  kind: ApplicationKind,
  date: string,
): { feeTiyn: number; depositTiyn: number } {
  for (let i = schedule.length - 1; i >= 0; i--) {
    const entry = schedule[i]!;
    if (entry.kind === kind && entry.from <= date) return { feeTiyn: entry.feeTiyn, depositTiyn: entry.depositTiyn };
  }
  return ACCREDITATION_TERMS[kind];
}

/** Buyer categories whose applicants must list their own stations or depots (the rulebook asks for them). */
export const STATIONS_REQUIRED_FOR: readonly BuyerCategory[] = ["filling-station-network", "gas-distribution"];
export const STATIONS_PER_APPLICATION_MAX = 50;
/** Years a member's BIN is barred after its exclusion. */
export const EXCLUSION_BAR_YEARS = 2;
export const DOCUMENT_LENGTH_MAX = 200;
export const VAT_YEARS_MAX = 100;
/** Applications kept, decided or not: each is a record of the exchange. */
export const APPLICATIONS_MAX = 100_000;

export interface ApplicationStation {
  readonly name: string;
  readonly region: string;
  /** The ownership or lease document's reference. */
  readonly document: string;
}

export interface ApplicationDocuments {
  /** The state registration certificate's number. */
  readonly registration: string;
  /** The VAT registration certificate and how many full years the applicant has been a VAT payer; null: not one. */
  readonly vat: { readonly certificate: string; readonly years: number } | null;
  readonly stations: readonly ApplicationStation[];
}

export interface ApplicationSubmitCommand {
  readonly type: "application.submit";
  readonly application: string;
  readonly company: string;
  readonly bin: string;
  readonly kind: ApplicationKind;
  /** For a buyer, or a client who buys. */
  readonly buyerCategory?: BuyerCategory | null;
  /** For a client: the accredited broker it trades through. */
  readonly broker?: string | null;
  readonly documents: ApplicationDocuments;
}

export interface ApplicationApproveCommand {
  readonly type: "application.approve";
  readonly application: string;
  /** The new member's id (for a client: unused, give the broker's). */
  readonly member: string;
  /** The trading account to open (a broker opens none of its own: its clients' accounts). */
  readonly account: string | null;
  /** Bank statement lines on which the fee and the deposit arrived (each booked once). */
  readonly feeReference: string;
  readonly depositReference: string | null;
  readonly reason: string;
}

export interface ApplicationRefuseCommand {
  readonly type: "application.refuse";
  readonly application: string;
  readonly reason: string;
}

export interface MemberExcludeCommand {
  readonly type: "member.exclude";
  readonly member: string;
  readonly reason: string;
}

export type AccreditationCommand =
  | TariffSetCommand
  | ApplicationSubmitCommand
  | ApplicationApproveCommand
  | ApplicationRefuseCommand
  | MemberExcludeCommand;

export const ACCREDITATION_COMMAND_TYPES = [
  "tariff.set",
  "application.submit",
  "application.approve",
  "application.refuse",
  "member.exclude",
] as const satisfies readonly AccreditationCommand["type"][];

export type ApplicationStatus = "pending" | "approved" | "refused";

export interface ApplicationSubmittedEvent {
  readonly type: "application.submitted";
  readonly application: string;
  readonly company: string;
  readonly bin: string;
  readonly kind: ApplicationKind;
  readonly buyerCategory: BuyerCategory | null;
  readonly broker: string | null;
  readonly documents: ApplicationDocuments;
}

export interface ApplicationApprovedEvent {
  readonly type: "application.approved";
  readonly application: string;
  readonly member: string;
  readonly account: string | null;
  readonly feeTiyn: number;
  readonly depositTiyn: number;
  readonly reason: string;
}

export interface ApplicationRefusedEvent {
  readonly type: "application.refused";
  readonly application: string;
  readonly reason: string;
}

export interface MemberExcludedEvent {
  readonly type: "member.excluded";
  readonly member: string;
  readonly bin: string | null;
  /** The first day (YYYY-MM-DD, exchange time) an application with the BIN is accepted again. */
  readonly barredUntil: string;
  readonly reason: string;
}

export type AccreditationEvent =
  | TariffSetEvent
  | ApplicationSubmittedEvent
  | ApplicationApprovedEvent
  | ApplicationRefusedEvent
  | MemberExcludedEvent;

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** The same calendar day (YYYY-MM-DD) `years` later; 29 February becomes 1 March in a common year. */
export function barEnd(date: string, years: number): string {
  const year = Number(date.slice(0, 4)) + years;
  const monthDay = date.slice(5);
  return `${String(year).padStart(4, "0")}-${monthDay === "02-29" && !isLeapYear(year) ? "03-01" : monthDay}`;
}
