/**
 * What the order ticket and the amend row of the own-orders table check before an order is sent, said in the
 * reader's language: the price against the tick, the API's bound, today's band, the ceiling and the floor; the
 * quantity against the lot, the API's bound and the regulator's most lots per order. One owner, so the two forms
 * warn alike (and are tested in Node, without the browser).
 *
 * A refusal means the form cannot be sent (off the tick or the lot, beyond what the API or the regulator's fixed cap
 * takes); a warning only says what the exchange will refuse under limits that move (band, ceiling, floor), since the
 * exchange has the last word on them.
 */

import { ORDER_PRICE_MAX, ORDER_QUANTITY_MAX } from "../../src/domain/order.ts";
import {
  type AmountProblem,
  decimalSeparatorOf,
  exchangeMinute,
  parseAmount,
  parsePriceTenge,
  parseQuantityTonnes,
  tengePerTonne,
  tonnes,
} from "./format.ts";
import type { I18n } from "./i18n/lookup.ts";

/** The limits an order meets now (market.ts's limitsOf reads them from the listing). */
export interface ResolvedLimits {
  readonly band: { readonly low: number; readonly high: number } | null;
  readonly ceiling: number | null;
  readonly floor: number | null;
  /** The regulator's most lots in one order; null: no limit. */
  readonly maxLotsPerOrder: number | null;
}

/** The limits in force with the day's static band before the ceiling and the floor clamp it (the server's). */
export interface ShownLimits extends ResolvedLimits {
  readonly staticBand: { readonly low: number; readonly high: number } | null;
}

/**
 * Which limit leaves one price that can trade: the ceiling when it is at or below the day's static band's low (the
 * band in force is then the ceiling alone), the floor when it is at or above its high; null otherwise
 * (docs/market-rules.md, "Price limits").
 */
export function pinnedBy(limits: ShownLimits): "ceiling" | "floor" | null {
  const { band, staticBand, ceiling, floor } = limits;
  if (band === null || staticBand === null || band.low !== band.high) return null;
  if (ceiling !== null && band.high === ceiling && staticBand.high > ceiling) return "ceiling";
  if (floor !== null && band.low === floor && staticBand.low < floor) return "floor";
  return null;
}

/** The instrument's grid and limits in force, as the listing gives them (null: not published). */
export interface OrderGrid {
  readonly tickTiynPerTonne: number | null;
  readonly lotKg: number | null;
  readonly limits: ResolvedLimits;
}

type Words = Pick<I18n, "t" | "locale">;

/** Text that is written as a number (digits, a sign, separators) and so is refused for its size, not its form. */
const NUMBER_LIKE = /^[\s\u00a0\u202f]*[-\u2212+]?[\d\s\u00a0\u202f.,']*\d[\d\s\u00a0\u202f.,']*$/;

export function looksLikeNumber(text: string): boolean {
  return NUMBER_LIKE.test(text);
}

/**
 * The prices the exchange takes, said in the reader's language: from one tick (one tiyn when the tick is unknown) to
 * the API's bound (src/domain/order.ts) on the tick, and today's band when the listing has one.
 */
export function priceRangeRefusal(
  t: I18n["t"],
  locale: string,
  tick: number | null,
  band: { readonly low: number; readonly high: number } | null,
): string {
  const step = tick !== null && tick > 0 ? tick : 1;
  const min = tengePerTonne(step, locale);
  const max = tengePerTonne(ORDER_PRICE_MAX - (ORDER_PRICE_MAX % step), locale);
  if (band === null) return t("ticket.check.priceRange", { min, max });
  return t("ticket.check.priceRangeBand", {
    min,
    max,
    low: tengePerTonne(band.low, locale),
    high: tengePerTonne(band.high, locale),
  });
}

/** Why a figure typed (a sign aside) does not read as an amount with `scale` decimals; null: it reads, or is empty. */
function readingProblem(text: string, scale: number, locale: string): AmountProblem | null {
  const figure = text.replace(/^\s*[-\u2212+]/, "");
  if (figure.trim() === "") return null;
  const parsed = parseAmount(figure, scale, locale);
  return "problem" in parsed ? parsed.problem : null;
}

/** A figure written past the smallest unit (the tiyn, the kilogram) or so that it reads two ways, said so. */
function unreadableRefusal(
  t: I18n["t"],
  locale: string,
  text: string,
  problem: "tooPrecise" | "ambiguous",
  field: "price" | "quantity",
): string {
  const key = problem === "tooPrecise" ? `${field}TooPrecise` : `${field}Ambiguous`;
  return t(`ticket.check.${key}`, { text: text.trim(), decimal: decimalSeparatorOf(locale) });
}

export interface PriceCheck {
  /** The price typed, in tiyn per tonne (null: empty or not a number). */
  readonly price: number | null;
  /** Why it cannot be sent. */
  readonly refusals: string[];
  /** What the exchange will refuse under today's limits (band, ceiling, floor). */
  readonly warnings: string[];
}

/**
 * A price as typed, read (tiyn per tonne; null: empty or not a number) with what makes it one no price field of the
 * exchange takes, whatever the tick and today's limits: not a number, past the tiyn, read two ways, not above zero,
 * beyond the API's bound (src/domain/order.ts). The order ticket and the regulator's ceiling and floor forms say
 * these alike. An empty field is not refused: the form says nothing yet.
 */
export function readPriceTyped(
  { t, locale }: Words,
  text: string,
  tick: number | null,
  band: { readonly low: number; readonly high: number } | null = null,
): { readonly price: number | null; readonly refusals: string[] } {
  const price = parsePriceTenge(text, locale);
  const refusals: string[] = [];
  const unreadable = price === null ? readingProblem(text, 2, locale) : null;
  if (unreadable === "tooPrecise" || unreadable === "ambiguous") {
    // A number the exchange might take, written past the tiyn or so that it reads two ways: said so, not the range.
    refusals.push(unreadableRefusal(t, locale, text, unreadable, "price"));
  } else if (text !== "" && (price === null || price === 0)) {
    // A minus sign, a zero or a figure too large is a number, only not one the exchange takes: the range is said.
    refusals.push(looksLikeNumber(text) ? priceRangeRefusal(t, locale, tick, band) : t("ticket.check.priceNumber"));
  }
  if (price !== null && price > ORDER_PRICE_MAX) {
    refusals.push(t("ticket.check.priceMax", { max: tengePerTonne(ORDER_PRICE_MAX, locale) }));
  }
  return { price, refusals };
}

/** A limit price as typed. An empty field is neither refused nor warned about: the form says nothing yet. */
export function checkPrice(words: Words, text: string, grid: OrderGrid): PriceCheck {
  const { t, locale } = words;
  const { tickTiynPerTonne: tick, lotKg: lot, limits } = grid;
  const { price, refusals } = readPriceTyped(words, text, tick, limits.band);
  const warnings: string[] = [];
  if (price !== null && price > 0) {
    if (tick !== null && price % tick !== 0) {
      refusals.push(
        t("ticket.check.tick", {
          price: tengePerTonne(price, locale),
          tick: tengePerTonne(tick, locale),
          lot: lot === null ? "—" : tonnes(lot, locale),
        }),
      );
    }
    if (limits.band && (price < limits.band.low || price > limits.band.high)) {
      warnings.push(
        t("ticket.check.band", {
          low: tengePerTonne(limits.band.low, locale),
          high: tengePerTonne(limits.band.high, locale),
        }),
      );
    }
    if (limits.ceiling !== null && price > limits.ceiling)
      warnings.push(t("ticket.check.ceiling", { ceiling: tengePerTonne(limits.ceiling, locale) }));
    if (limits.floor !== null && price < limits.floor)
      warnings.push(t("ticket.check.floor", { floor: tengePerTonne(limits.floor, locale) }));
  }
  return { price, refusals, warnings };
}

export interface QuantityCheck {
  /** The quantity typed, in kg (null: empty or not a number). */
  readonly quantity: number | null;
  readonly refusals: string[];
}

/**
 * A quantity as typed, for an order on `side`. The regulator's most lots per order binds buy orders only, as the
 * exchange applies it (src/engine/market.ts, checkBuyerLimits). An empty field is not refused: the form says nothing yet.
 */
export function checkQuantity(
  { t, locale }: Words,
  text: string,
  side: "buy" | "sell",
  grid: OrderGrid,
): QuantityCheck {
  const quantity = parseQuantityTonnes(text, locale);
  const { tickTiynPerTonne: tick, lotKg: lot, limits } = grid;
  const refusals: string[] = [];
  // A minus sign or a zero is a number, only not one the exchange takes: said so, not "enter a number".
  const negative =
    /^\s*[-\u2212]/.test(text) && parseQuantityTonnes(text.replace(/^\s*[-\u2212]/, ""), locale) !== null;
  const unreadable = quantity === null && !negative ? readingProblem(text, 3, locale) : null;
  // The most one order may hold (the API's schema bound, src/domain/order.ts), in whole lots.
  const quantityMax = lot !== null && lot > 0 ? ORDER_QUANTITY_MAX - (ORDER_QUANTITY_MAX % lot) : ORDER_QUANTITY_MAX;
  if (quantity === 0 || negative) refusals.push(t("ticket.check.quantityPositive"));
  else if (unreadable === "tooPrecise" || unreadable === "ambiguous") {
    refusals.push(unreadableRefusal(t, locale, text, unreadable, "quantity"));
  } else if (unreadable === "tooLarge") {
    // A number too large to hold exactly is still a number: the most an order may hold is what to say.
    refusals.push(t("ticket.check.quantityMax", { max: tonnes(quantityMax, locale) }));
  } else if (text !== "" && quantity === null) refusals.push(t("ticket.check.quantityNumber"));
  if (quantity !== null && quantity > quantityMax) {
    refusals.push(t("ticket.check.quantityMax", { max: tonnes(quantityMax, locale) }));
  } else if (quantity !== null && quantity > 0 && lot !== null && quantity % lot !== 0) {
    refusals.push(
      t("ticket.check.lot", {
        quantity: tonnes(quantity, locale),
        lot: tonnes(lot, locale),
        tick: tick === null ? "—" : tengePerTonne(tick, locale),
      }),
    );
  } else if (
    side === "buy" &&
    quantity !== null &&
    lot !== null &&
    lot > 0 &&
    limits.maxLotsPerOrder !== null &&
    quantity / lot > limits.maxLotsPerOrder
  ) {
    // The regulator's per-order cap (safeguards' maxLotsPerOrder): the exchange refuses more, so the form does too.
    refusals.push(
      t("ticket.check.maxLots", {
        quantity: tonnes(quantity, locale),
        lots: quantity / lot,
        maxLots: limits.maxLotsPerOrder,
        max: tonnes(limits.maxLotsPerOrder * lot, locale),
      }),
    );
  }
  return { quantity, refusals };
}

/** Exchange time is UTC+5 all year (Kazakhstan has no daylight saving time). */
const EXCHANGE_OFFSET = "+05:00";

/** The instant of a datetime-local value ("2026-01-05T18:00", seconds optional) read in exchange time; null: none. */
export function exchangeInstant(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(text)) return null;
  const ms = Date.parse(`${text.length === 16 ? `${text}:00` : text}${EXCHANGE_OFFSET}`);
  return Number.isNaN(ms) ? null : ms;
}

export interface ExpiryCheck {
  /** The instant typed (null: empty or not a date and time). */
  readonly expireAtMs: number | null;
  readonly refusals: string[];
}

/**
 * A good-till-date order's expiry as typed (a datetime-local value in exchange time), at `nowMs`: it is needed, and
 * it must lie ahead, since the exchange refuses an expiry at or before its own time (ORDER_EXPIRY_INVALID). The
 * reader's clock stands for the exchange's here; the exchange has the last word on an expiry a few seconds ahead.
 */
export function checkExpiry({ t, locale }: Words, text: string, nowMs: number): ExpiryCheck {
  const expireAtMs = exchangeInstant(text);
  if (expireAtMs === null) return { expireAtMs, refusals: [t("ticket.check.expire")] };
  if (expireAtMs <= nowMs) {
    return {
      expireAtMs,
      refusals: [t("ticket.check.expirePast", { at: exchangeMinute(expireAtMs, locale) })],
    };
  }
  return { expireAtMs, refusals: [] };
}

/**
 * An amend whose price and open quantity are the order's own changes nothing, and the exchange refuses it
 * (ORDER_AMEND_EMPTY): said before it is sent. Null when either field is not read (its own refusal says why) or one
 * of them differs.
 */
export function amendUnchanged(
  { t }: Words,
  order: { readonly priceTiynPerTonne: number | null; readonly openKg: number },
  price: number | null,
  quantity: number | null,
): string | null {
  if (price === null || quantity === null) return null;
  if (price !== order.priceTiynPerTonne || quantity !== order.openKg) return null;
  return t("orders.check.unchanged");
}
