/**
 * Display conversions, the only place in the browser where exact integers become text and back:
 * tiyn per tonne ↔ tenge per tonne (1 tenge = 100 tiyn), tenge per litre at a density (kg per litre), kg ↔ tonnes,
 * tiyn ↔ tenge for money. Parsing never goes through floating point: "133 400.5" tenge becomes 13 340 050 tiyn by
 * string arithmetic, so what a trader types is exactly what is sent.
 */

export const TIYN_PER_TENGE = 100;
export const KG_PER_TONNE = 1000;
/** Liquefied petroleum gas as a rule of thumb (propane 0.498, butane 0.578 at 20 °C). */
export const DENSITY_KG_PER_LITRE_DEFAULT = 0.55;

const formatters = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, minimumFractionDigits: number, maximumFractionDigits: number) {
  const key = `${locale}|${minimumFractionDigits}|${maximumFractionDigits}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { minimumFractionDigits, maximumFractionDigits });
    formatters.set(key, format);
  }
  return format;
}

/** Tenge per tonne from tiyn per tonne, e.g. 13 340 000 → "133,400". Tiyn shown only when there are some. */
export function tengePerTonne(priceTiynPerTonne: number | null | undefined, locale: string): string {
  if (priceTiynPerTonne === null || priceTiynPerTonne === undefined) return "—";
  const fractional = priceTiynPerTonne % TIYN_PER_TENGE !== 0;
  return numberFormat(locale, fractional ? 2 : 0, 2).format(priceTiynPerTonne / TIYN_PER_TENGE);
}

/**
 * A weighted average price in whole tenge per tonne (prices are whole tenge on every listed tick, so an average's
 * fraction says nothing): half a tenge rounds up, e.g. 13 300 050 → "133,001".
 */
export function wholeTengePerTonne(priceTiynPerTonne: number | null | undefined, locale: string): string {
  if (priceTiynPerTonne === null || priceTiynPerTonne === undefined) return "—";
  return numberFormat(locale, 0, 0).format(Math.floor((priceTiynPerTonne + TIYN_PER_TENGE / 2) / TIYN_PER_TENGE));
}

/** Tenge per litre: tenge per tonne × density (kg/l) ÷ 1000, two decimals. */
export function tengePerLitre(
  priceTiynPerTonne: number | null | undefined,
  densityKgPerLitre: number,
  locale: string,
): string {
  if (priceTiynPerTonne === null || priceTiynPerTonne === undefined) return "—";
  const tengePerLitreValue = (priceTiynPerTonne / TIYN_PER_TENGE) * (densityKgPerLitre / KG_PER_TONNE);
  return numberFormat(locale, 2, 2).format(tengePerLitreValue);
}

/** A signed change in tenge per tonne, e.g. "+400". */
export function signedTenge(changeTiyn: number | null | undefined, locale: string): string {
  if (changeTiyn === null || changeTiyn === undefined) return "—";
  const text = tengePerTonne(Math.abs(changeTiyn), locale);
  return changeTiyn > 0 ? `+${text}` : changeTiyn < 0 ? `−${text}` : text;
}

/** Basis points as a signed percentage, e.g. 30 → "+0.30%". */
export function signedPercent(bps: number | null | undefined, locale: string): string {
  if (bps === null || bps === undefined) return "—";
  const text = numberFormat(locale, 2, 2).format(Math.abs(bps) / 100);
  return `${bps > 0 ? "+" : bps < 0 ? "−" : ""}${text}%`;
}

export function percentOfBps(bps: number, locale: string): string {
  return `${numberFormat(locale, 0, 2).format(bps / 100)}%`;
}

/** Tonnes from kg (up to three decimals), e.g. 20 000 → "20". Accepts decimal strings for large totals. */
export function tonnes(quantityKg: number | string | null | undefined, locale: string): string {
  if (quantityKg === null || quantityKg === undefined) return "—";
  const kg = typeof quantityKg === "string" ? BigInt(quantityKg) : BigInt(Math.trunc(quantityKg));
  const whole = kg / 1000n;
  const rest = kg % 1000n;
  const wholeText = numberFormat(locale, 0, 0).format(whole);
  if (rest === 0n) return wholeText;
  const separator = numberFormat(locale, 1, 1).format(1.5).charAt(1);
  return `${wholeText}${separator}${(rest < 0n ? -rest : rest).toString().padStart(3, "0").replace(/0+$/, "")}`;
}

/** Tenge from tiyn, exact for any size (decimal strings from the server), e.g. "49966377100" → "499,663,771.00". */
export function tengeOfTiyn(amountTiyn: bigint | number | string | null | undefined, locale: string): string {
  if (amountTiyn === null || amountTiyn === undefined) return "—";
  const tiyn = BigInt(amountTiyn);
  const negative = tiyn < 0n;
  const absolute = negative ? -tiyn : tiyn;
  const whole = numberFormat(locale, 0, 0).format(absolute / 100n);
  const separator = numberFormat(locale, 1, 1).format(1.5).charAt(1);
  return `${negative ? "−" : ""}${whole}${separator}${(absolute % 100n).toString().padStart(2, "0")}`;
}

/** Why a typed amount was not taken. */
export type AmountProblem = "invalid" | "ambiguous" | "tooPrecise" | "tooLarge";
export type ParsedAmount = { readonly value: number } | { readonly problem: AmountProblem };

/** The locale's decimal separator ("." in English, "," in Russian). */
export function decimalSeparatorOf(locale: string): "." | "," {
  return numberFormat(locale, 1, 1).format(1.5).charAt(1) === "," ? "," : ".";
}

const GROUPED = /^\d{1,3}(?:G\d{3})+$/;
const groupedBy = (digits: string, separator: string) =>
  new RegExp(GROUPED.source.replace("G", separator === "." ? "\\." : separator)).test(digits);

/**
 * Reads a non-negative decimal written by a person into an integer count of 10^-scale units, in the reader's locale,
 * and refuses what could mean two different amounts rather than guess:
 * - spaces (also no-break and thin ones) and apostrophes group digits and are dropped;
 * - with both "," and ".", the last one is the decimal separator and the other must group digits by three
 *   ("1,000,000.50", "1.000.000,50");
 * - one separator used more than once groups digits by three ("1,000,000" or "1.000.000");
 * - one separator used once is the decimal separator unless exactly three digits follow it; with three digits it is
 *   read in the locale ("1,500" is 1500 in English, 1.5 in Russian) if it is the locale's decimal separator or
 *   grouping comma, and refused as ambiguous otherwise ("1.500" in Russian).
 * So "1000000,50" is 1,000,000.50 in either language, never 100,000,050.
 */
export function parseAmount(text: string, scale: number, locale: string): ParsedAmount {
  const decimal = decimalSeparatorOf(locale);
  const cleaned = text.replace(/[\s\u00a0\u202f']/g, "");
  if (!/^[\d.,]+$/.test(cleaned) || !/\d/.test(cleaned)) return { problem: "invalid" };
  const commas = cleaned.split(",").length - 1;
  const dots = cleaned.split(".").length - 1;
  let whole = cleaned;
  let fraction = "";
  if (commas > 0 && dots > 0) {
    const point = cleaned.lastIndexOf(",") > cleaned.lastIndexOf(".") ? "," : ".";
    const group = point === "," ? "." : ",";
    if (cleaned.split(point).length - 1 !== 1) return { problem: "invalid" };
    const at = cleaned.lastIndexOf(point);
    whole = cleaned.slice(0, at);
    fraction = cleaned.slice(at + 1);
    if (!groupedBy(whole, group) && !/^\d+$/.test(whole)) return { problem: "invalid" };
    if (!/^\d*$/.test(fraction)) return { problem: "invalid" };
    whole = whole.split(group).join("");
  } else if (commas + dots > 1) {
    const separator = commas > 0 ? "," : ".";
    if (!groupedBy(cleaned, separator)) return { problem: "invalid" };
    whole = cleaned.split(separator).join("");
  } else if (commas + dots === 1) {
    const separator = commas > 0 ? "," : ".";
    const [left = "", right = ""] = cleaned.split(separator);
    if (right.length === 3 && left !== "" && left !== "0") {
      if (separator === decimal) fraction = right;
      else if (separator === ",") fraction = "";
      else return { problem: "ambiguous" };
      whole = separator === decimal ? left : `${left}${right}`;
      if (left.length > 3 && separator !== decimal) return { problem: "invalid" };
    } else {
      whole = left;
      fraction = right;
    }
  }
  if (whole === "") whole = "0";
  if (fraction.length > scale) fraction = fraction.replace(/0+$/, "");
  if (fraction.length > scale) return { problem: "tooPrecise" };
  const units = BigInt(whole) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, "0") || "0");
  return units > BigInt(Number.MAX_SAFE_INTEGER) ? { problem: "tooLarge" } : { value: Number(units) };
}

/** Decimals `figureText` reads (more than any field of the consoles takes). */
const FIGURE_SCALE = 6;

/**
 * A number typed or loaded into a field, read as the form reads it in the reader's locale (parseAmount: "146,400" is
 * 146400 in English, "7,5" is 7.5 in Russian), written back with its thousands grouped the reader's way ("146 400");
 * text that is no such number, or could be read two ways, as given.
 */
export function figureText(text: string, locale: string): string {
  const parsed = parseAmount(text, FIGURE_SCALE, locale);
  if (!("value" in parsed)) return text;
  const one = 10n ** BigInt(FIGURE_SCALE);
  const units = BigInt(parsed.value);
  const fraction = (units % one).toString().padStart(FIGURE_SCALE, "0").replace(/0+$/, "");
  const whole = new Intl.NumberFormat(locale).format(units / one);
  return fraction === "" ? whole : `${whole}${decimalSeparatorOf(locale)}${fraction}`;
}

/**
 * Parses a decimal written by a person ("133 400", "133400.5", "133,400.50" in English, "133 400,50" in Russian)
 * into an integer count of 10^-scale units; null when it is not a non-negative number with at most `scale` decimals
 * or could be read two ways (see parseAmount).
 */
export function parseScaled(text: string, scale: number, locale: string): number | null {
  const parsed = parseAmount(text, scale, locale);
  return "value" in parsed ? parsed.value : null;
}

/** Tiyn per tonne from a price typed in tenge per tonne. */
export function parsePriceTenge(text: string, locale: string): number | null {
  return parseScaled(text, 2, locale);
}

/** Kg from a quantity typed in tonnes. */
export function parseQuantityTonnes(text: string, locale: string): number | null {
  return parseScaled(text, 3, locale);
}

/** Text for an input field holding a price in tenge (no grouping, so it parses back). */
export function priceInputText(priceTiynPerTonne: number): string {
  const whole = Math.trunc(priceTiynPerTonne / TIYN_PER_TENGE);
  const rest = priceTiynPerTonne % TIYN_PER_TENGE;
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, "0")}`;
}

export function quantityInputText(quantityKg: number): string {
  const whole = Math.trunc(quantityKg / KG_PER_TONNE);
  const rest = quantityKg % KG_PER_TONNE;
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(3, "0").replace(/0+$/, "")}`;
}

/** Exchange time is UTC+5 at every instant, as the server says it (src/domain/locale.ts) and the ticket reads it. */
const EXCHANGE_OFFSET_MS = 5 * 3_600_000;

/**
 * Exchange local time (Kazakhstan, UTC+5) of an epoch-ms instant to the second, e.g. "11:05:00", or with the date
 * "05.01.2026, 11:05:00": only where the seconds tell something — the trade tape (several trades a minute, in order),
 * the regulator's audit trail and surveillance evidence (orders placed and cancelled seconds apart), how long ago the
 * exchange last answered. Every other exchange time a reader reads (orders, fills, obligations' terms, notices) is
 * written to the minute as the exchange writes it: `exchangeMinute`. The offset is fixed rather
 * than the browser's "Asia/Almaty" zone, which says UTC+6 before 1 March 2024 (and at every instant in a browser whose
 * time-zone data predates that change), an hour later than the exchange and the ticket that read the same instant.
 */
export function exchangeTime(timeMs: number | null | undefined, locale: string, withDate = false): string {
  if (timeMs === null || timeMs === undefined) return "—";
  return new Intl.DateTimeFormat(locale, {
    timeZone: "UTC",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
    ...(withDate ? { day: "2-digit", month: "2-digit", year: "numeric" } : {}),
  }).format(new Date(timeMs + EXCHANGE_OFFSET_MS));
}

/** A calendar day "yyyy-MM-dd" in the reader's way ("14.01.2026" in kk and ru); anything else as given. */
export function calendarDate(day: string | null | undefined, locale: string): string {
  if (day === null || day === undefined) return "—";
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null) return day;
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", day: "2-digit", month: "2-digit", year: "numeric" }).format(
    new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))),
  );
}

/**
 * A calendar day "yyyy-MM-dd" as the reader types one into a form: "21.03.2027" in kk and ru (how they write a day),
 * "2027-03-21" in English (whose "03/21/2027" could be read two ways); `parseDayInput` reads either form back.
 */
export function dayInputText(day: string, locale: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null || locale.startsWith("en")) return day;
  return `${match[3]}.${match[2]}.${match[1]}`;
}

/** A day typed as "21.03.2027" (kk and ru) or "2027-03-21": "2027-03-21", or null when it is no day of the calendar. */
export function parseDayInput(text: string): string | null {
  const match = /^(?:(\d{4})-(\d{2})-(\d{2})|(\d{1,2})\.(\d{1,2})\.(\d{4}))$/.exec(text.trim());
  if (match === null) return null;
  const year = match[1] ?? match[6] ?? "";
  const month = (match[2] ?? match[5] ?? "").padStart(2, "0");
  const dayOfMonth = (match[3] ?? match[4] ?? "").padStart(2, "0");
  const day = `${year}-${month}-${dayOfMonth}`;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day ? null : day;
}

/** A month "yyyy-MM" in the reader's way ("01.2026" in kk and ru, like their days); anything else as given. */
export function calendarMonth(month: string | null | undefined, locale: string): string {
  if (month === null || month === undefined) return "—";
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (match === null) return month;
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", month: "2-digit", year: "numeric" }).format(
    new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)),
  );
}

/**
 * An instant to the minute in exchange time as the exchange itself writes one in its messages (src/domain/locale.ts
 * `formatTimeMs`): "05.01.2026 10:00" in kk and ru, "2026-01-05 10:00" in English; always with the day (orders,
 * fills and obligations run across days and the turn of a year). The pages write their exchange times this way —
 * orders, fills, obligations' terms, notices, deliveries — so a time on a page reads as the same time in the
 * exchange's refusals and notices beside it.
 */
export function exchangeMinute(timeMs: number | null | undefined, locale: string): string {
  if (timeMs === null || timeMs === undefined) return "—";
  const iso = new Date(timeMs + EXCHANGE_OFFSET_MS).toISOString();
  return `${dayInputText(iso.slice(0, 10), locale)} ${iso.slice(11, 16)}`;
}

/** A countdown such as "1:05:09" or "4:09" from a number of milliseconds. */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = hours > 0 ? String(minutes).padStart(2, "0") : String(minutes);
  return `${hours > 0 ? `${hours}:` : ""}${mm}:${String(seconds).padStart(2, "0")}`;
}

/**
 * What a buy order blocks: the engine's own rule (src/domain/collateral.ts, a pure module with no imports; the one
 * piece of server code the web application uses, so the ticket shows exactly what the order will block).
 */
export { buyOrderBlockTiyn } from "../../src/domain/collateral.ts";

/** A plain number with the locale's grouping, e.g. 133126 → "133,126"; "—" for null. */
export function decimal(value: number | null | undefined, locale: string, fractionDigits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return numberFormat(locale, fractionDigits, fractionDigits).format(value);
}

/** A signed difference, e.g. +1,250 or −3.20; "—" when either side is missing. */
export function signedDecimal(value: number | null | undefined, locale: string, fractionDigits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const rounded = Number(value.toFixed(fractionDigits));
  const text = numberFormat(locale, fractionDigits, fractionDigits).format(Math.abs(rounded));
  return rounded > 0 ? `+${text}` : rounded < 0 ? `−${text}` : text;
}
