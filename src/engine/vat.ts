/**
 * The VAT rate through the journal: the operator sets a rate with the date it takes effect from (`vat.set`), so every
 * document that shows VAT (contracts, statements, e-invoices: src/reports) reads the rate in force at its trade's
 * date from the journal, and every change is audited with who, when and why.
 *
 * A rate takes effect at 00:00 exchange time (UTC+5) of its date, and that date must be after today's (in exchange
 * time, at the command's time): a rate never changes for a trade already made, so a contract's VAT, and with it its
 * SHA-256, never changes after the trade. A later `vat.set` for the same date replaces the earlier one. The engine keeps
 * no state for it: the check needs only the command and the time; the schedule is a read model
 * (src/projections/contracts.ts).
 */

import { type Problem, problem } from "../domain/errors.ts";
import { REASON_LENGTH_MAX } from "../domain/limits.ts";
import { VAT_RATE_BPS_MAX } from "../domain/vat.ts";
import { EXCHANGE_UTC_OFFSET_MS, isCalendarDate, isoDateOfDay } from "./calendar.ts";

export interface VatSetCommand {
  readonly type: "vat.set";
  /** The rate in basis points of the value without VAT: 1200 = 12%. */
  readonly rateBps: number;
  /** The first exchange day (YYYY-MM-DD) the rate applies to. */
  readonly from: string;
  readonly reason: string;
}

export interface VatSetEvent {
  readonly type: "vat.set";
  readonly rateBps: number;
  readonly from: string;
  readonly reason: string;
}

/** Today's date in exchange time at `nowMs`. */
export function exchangeDate(nowMs: number): string {
  return isoDateOfDay(Math.floor((nowMs + EXCHANGE_UTC_OFFSET_MS) / 86_400_000));
}

/** Checks the command in full; on success appends its event. */
export function setVat(
  command: VatSetCommand,
  nowMs: number,
  out: { push(event: VatSetEvent): unknown },
): Problem | null {
  const { rateBps, from, reason } = command;
  if (typeof rateBps !== "number" || !Number.isInteger(rateBps) || rateBps < 0 || rateBps > VAT_RATE_BPS_MAX) {
    return problem("VAT_INVALID", {
      value: JSON.stringify(rateBps ?? null),
      rule: `the rate is a whole number of basis points from 0 to ${VAT_RATE_BPS_MAX} (1200 = 12%)`,
    });
  }
  const today = exchangeDate(nowMs);
  if (typeof from !== "string" || !isCalendarDate(from) || from <= today) {
    return problem("VAT_INVALID", {
      value: JSON.stringify(from ?? null),
      rule: `the date of effect is a real date (YYYY-MM-DD) after today, ${today}: a rate never changes for trades already made`,
    });
  }
  if (typeof reason !== "string" || reason.trim() === "" || reason.length > REASON_LENGTH_MAX) {
    return problem("FIELD_INVALID", {
      field: "reason",
      value: JSON.stringify(reason ?? null),
      rule: `every such change needs a reason of 1 to ${REASON_LENGTH_MAX} characters`,
    });
  }
  out.push({ type: "vat.set", rateBps, from, reason } satisfies VatSetEvent);
  return null;
}
