/**
 * The reader's language and how values are written in it: the three languages sauda speaks (English, the default;
 * Russian; Kazakh, the state language), the choice of one from an HTTP `Accept-Language` header, and the formatting
 * of the exchange's exact integers for a reader — prices in tenge per tonne, quantities in tonnes, money in tenge,
 * times and dates in exchange time (Kazakhstan, UTC+5) as `dd.MM.yyyy HH:mm`, 24-hour.
 *
 * Promises. Numbers go through `Intl.NumberFormat` in the language's conventions (ru and kk: a no-break space between
 * thousands and a comma before decimals). A value that is not a whole number (a malformed input echoed back in an
 * error) is written as given, never reformatted into something it was not. Nothing here reads a clock.
 *
 * Complexity: a header is at most `ACCEPT_LANGUAGE_LENGTH_MAX` characters, so its parse is O(1); formatters are
 * cached per language.
 */

export const LANGUAGES = ["en", "ru", "kk"] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_DEFAULT: Language = "en";

/** Longest `Accept-Language` header read; the rest is ignored (browsers send well under 100 characters). */
export const ACCEPT_LANGUAGE_LENGTH_MAX = 500;
/** Exchange time: Kazakhstan has kept one time zone, UTC+5, since 1 March 2024. */
const EXCHANGE_UTC_OFFSET_MS = 5 * 3_600_000;
const TIYN_PER_TENGE = 100n;
const KG_PER_TONNE = 1000n;

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The best of our languages for an `Accept-Language` header (RFC 9110: ranges with optional q-weights; a range
 * matches a language by its primary subtag, so `ru-KZ` is Russian and `kk-Cyrl-KZ` Kazakh). Ties keep the header's
 * order; no match, or no header, gives English.
 */
export function languageOfAcceptLanguage(header: string | undefined | null): Language {
  return chosenLanguageOfAcceptLanguage(header) ?? LANGUAGE_DEFAULT;
}

/** The language an `Accept-Language` header chooses among ours; null when it names none of them (or is absent, or `*`). */
export function chosenLanguageOfAcceptLanguage(header: string | undefined | null): Language | null {
  if (typeof header !== "string" || header.length === 0) return null;
  let best: Language | null = null;
  let bestWeight = 0;
  for (const part of header.slice(0, ACCEPT_LANGUAGE_LENGTH_MAX).split(",")) {
    const [range = "", ...params] = part.trim().split(";");
    const primary = range.trim().toLowerCase().split("-")[0] ?? "";
    let weight = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(param);
      if (match) weight = Number(match[1]);
    }
    if (isLanguage(primary) && weight > bestWeight) {
      best = primary;
      bestWeight = weight;
    }
  }
  return best;
}

/**
 * The Intl locale a language's numbers are written in: the language itself, except Kazakh where the runtime lacks its
 * data (a browser's ICU, e.g. Chromium's, names kk but writes the root locale's "1,234.5"): then ru-KZ, which writes
 * Kazakh numbers the same way (a space between thousands, a comma before decimals). Node's full ICU has kk. Judged
 * by what the runtime writes, once.
 */
let kazakhIntlLocale: string | null = null;
function intlLocaleOf(language: Language): string {
  if (language !== "kk") return language;
  if (kazakhIntlLocale === null) {
    const written = new Intl.NumberFormat("kk").format(1234.5).replace(/\s/g, " ");
    kazakhIntlLocale = written === "1 234,5" ? "kk" : "ru-KZ";
  }
  return kazakhIntlLocale;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(language: Language, fractionDigitsMin: number, fractionDigitsMax: number): Intl.NumberFormat {
  const key = `${language}|${fractionDigitsMin}|${fractionDigitsMax}`;
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(intlLocaleOf(language), {
      minimumFractionDigits: fractionDigitsMin,
      maximumFractionDigits: fractionDigitsMax,
    });
    numberFormats.set(key, format);
  }
  return format;
}

/** A whole number given as a number, a bigint or decimal digits; null for anything else. */
function wholeOf(value: unknown): bigint | null {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?\d{1,30}$/.test(value)) return BigInt(value);
  return null;
}

/**
 * `whole / unit` written exactly (the unit is a power of ten). Tenge keep both tiyn digits when there are tiyn
 * ("1 500,50"), as money is written; tonnes drop trailing zeros ("12,5").
 */
function decimal(whole: bigint, unit: bigint, trimZeros: boolean, language: Language): string {
  const negative = whole < 0n;
  const magnitude = negative ? -whole : whole;
  const integerText = numberFormat(language, 0, 0).format(magnitude / unit);
  const fraction = magnitude % unit;
  const width = unit.toString().length - 1;
  const digits = fraction.toString().padStart(width, "0");
  const fractionText = fraction === 0n ? "" : trimZeros ? digits.replace(/0+$/, "") : digits;
  const separator = language === "en" ? "." : ",";
  const body = fractionText.length > 0 ? `${integerText}${separator}${fractionText}` : integerText;
  return negative ? `−${body}` : body;
}

/** Units in each language. */
const UNITS: Readonly<Record<Language, { readonly tonne: string; readonly tenge: string; readonly perTonne: string }>> =
  {
    en: { tonne: "t", tenge: "₸", perTonne: "₸/t" },
    ru: { tonne: "т", tenge: "₸", perTonne: "₸/т" },
    kk: { tonne: "т", tenge: "₸", perTonne: "₸/т" },
  };

/** A whole number with the language's grouping, e.g. 12500 → "12 500" in kk. */
export function formatInteger(value: unknown, language: Language): string {
  const whole = wholeOf(value);
  return whole === null ? String(value) : numberFormat(language, 0, 0).format(whole);
}

/** Any finite number with the language's grouping and decimal comma (up to 6 decimals): 0.01 → "0,01" in kk. */
export function formatNumber(value: unknown, language: Language): string {
  return typeof value === "number" && Number.isFinite(value)
    ? numberFormat(language, 0, 6).format(value)
    : String(value);
}

/** Tiyn per tonne as tenge per tonne with its unit: 11234100 → "112 341 ₸/т", 11234150 → "112 341,50 ₸/т". */
export function formatPriceTiynPerTonne(value: unknown, language: Language): string {
  const whole = wholeOf(value);
  if (whole === null) {
    // A refused price with a part of a tiyn (133000.5) is still said in tenge per tonne, every digit it had.
    const part = fractionOf(value);
    return part === null
      ? String(value)
      : `${decimal(part.scaled, TIYN_PER_TENGE * part.unit, true, language)} ${UNITS[language].perTonne}`;
  }
  return `${decimal(whole, TIYN_PER_TENGE, false, language)} ${UNITS[language].perTonne}`;
}

/** A number with a few decimal digits (133000.5) as a whole number of its last digit's unit (1330005 of 10). */
function fractionOf(value: unknown): { scaled: bigint; unit: bigint } | null {
  if (typeof value !== "number" || !Number.isFinite(value)) return null;
  const match = /^(-?)(\d{1,15})\.(\d{1,6})$/.exec(String(value));
  if (match === null) return null;
  return { scaled: BigInt(`${match[1]}${match[2]}${match[3]}`), unit: 10n ** BigInt(match[3]!.length) };
}

/** Money in tiyn as tenge: 150000 → "1 500 ₸". */
export function formatMoneyTiyn(value: unknown, language: Language): string {
  const whole = wholeOf(value);
  return whole === null ? String(value) : `${decimal(whole, TIYN_PER_TENGE, false, language)} ${UNITS[language].tenge}`;
}

/** Kilograms as tonnes: 12500 → "12,5 т". */
export function formatQuantityKg(value: unknown, language: Language): string {
  const whole = wholeOf(value);
  if (whole === null) {
    // A refused quantity with part of a kilogram (1000.5) is still said in tonnes, every digit it had.
    const part = fractionOf(value);
    return part === null
      ? String(value)
      : `${decimal(part.scaled, KG_PER_TONNE * part.unit, true, language)} ${UNITS[language].tonne}`;
  }
  return `${decimal(whole, KG_PER_TONNE, true, language)} ${UNITS[language].tonne}`;
}

/**
 * Tiyn as tenge with both tiyn digits always written, no unit: 12826200 → "128 262,00" (ru, kk), "128,262.00" (en).
 * Documents of record (contracts, statements, clearing reports) write money this way; the unit is their label's.
 */
export function formatTengeFixed(value: unknown, language: Language): string {
  const whole = wholeOf(value);
  if (whole === null) return String(value);
  const text = decimal(whole, TIYN_PER_TENGE, false, language);
  const separator = language === "en" ? "." : ",";
  return text.includes(separator) ? text : `${text}${separator}00`;
}

/** Kilograms as tonnes with all three decimals, no unit: 54000 → "54,000" (ru, kk), "54.000" (en). */
export function formatTonnesFixed(value: unknown, language: Language): string {
  const whole = wholeOf(value);
  if (whole === null) return String(value);
  const negative = whole < 0n;
  const magnitude = negative ? -whole : whole;
  const separator = language === "en" ? "." : ",";
  const body = `${numberFormat(language, 0, 0).format(magnitude / KG_PER_TONNE)}${separator}${(magnitude % KG_PER_TONNE).toString().padStart(3, "0")}`;
  return negative ? `−${body}` : body;
}

/**
 * Basis points as a percentage with two decimals: 1200 → "12,00 %" (ru, kk: a no-break space before the sign, as
 * Russian and Kazakh typography have it), "12.00%" (en).
 */
export function formatPercentBps(value: unknown, language: Language): string {
  const whole = wholeOf(value);
  if (whole === null) return String(value);
  const negative = whole < 0n;
  const magnitude = negative ? -whole : whole;
  const separator = language === "en" ? "." : ",";
  const body = `${numberFormat(language, 0, 0).format(magnitude / 100n)}${separator}${(magnitude % 100n).toString().padStart(2, "0")}`;
  return `${negative ? "−" : ""}${body}${language === "en" ? "%" : "\u00a0%"}`;
}

/** The units a duration is said in, largest first: Intl's name and the unit's length in ms. */
const DURATION_UNITS = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1000],
  ["millisecond", 1],
] as const;
type DurationUnit = (typeof DURATION_UNITS)[number][0];
/**
 * Kazakh's unit words, written here rather than by Intl, whose Kazakh a browser's ICU may lack (see intlLocaleOf):
 * a Kazakh noun after a numeral keeps its one form ("1 күн", "366 күн").
 */
const KAZAKH_DURATION_WORDS: Readonly<Record<DurationUnit, string>> = {
  day: "күн",
  hour: "сағат",
  minute: "минут",
  second: "секунд",
  millisecond: "миллисекунд",
};
/**
 * Russian's unit words in the genitive, as a comparison takes them ("не меньше 1 секунды", "не больше 366 дней"):
 * the singular after a count ending in 1 (not 11) or a fraction, else the plural.
 */
const RUSSIAN_GENITIVE_DURATION_WORDS: Readonly<Record<DurationUnit, readonly [string, string]>> = {
  day: ["дня", "дней"],
  hour: ["часа", "часов"],
  minute: ["минуты", "минут"],
  second: ["секунды", "секунд"],
  millisecond: ["миллисекунды", "миллисекунд"],
};
/** How a duration stands in its sentence: on its own (the nominative), or after a comparison (ru: the genitive). */
export type DurationCase = "nominative" | "genitive";
const durationFormats = new Map<string, Intl.NumberFormat>();
function countOfUnit(count: number, unit: DurationUnit, language: Language, grammaticalCase: DurationCase): string {
  if (language === "kk") return `${formatNumber(count, language)} ${KAZAKH_DURATION_WORDS[unit]}`;
  if (language === "ru" && grammaticalCase === "genitive") {
    const [singular, plural] = RUSSIAN_GENITIVE_DURATION_WORDS[unit];
    const one = !Number.isInteger(count) || (count % 10 === 1 && count % 100 !== 11);
    return `${formatNumber(count, language)} ${one ? singular : plural}`;
  }
  const key = `${language}|${unit}`;
  let format = durationFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(language, { style: "unit", unit, unitDisplay: "long", maximumFractionDigits: 6 });
    durationFormats.set(key, format);
  }
  return format.format(count);
}

/**
 * A duration given in ms, in words of the language, from its largest whole unit down, the units that are not zero:
 * 86400000 → "1 day" / "1 день" / "1 күн"; 90000000 → "1 день 1 час"; 1000 → "1 секунда". A count that is not a
 * whole number of ms (a refused 1.5) is said in ms; anything that is not a number, as given. `genitive` for a
 * duration after a comparison ("не больше 366 дней").
 */
export function formatDurationWords(
  valueMs: unknown,
  language: Language,
  grammaticalCase: DurationCase = "nominative",
): string {
  if (typeof valueMs !== "number" || !Number.isFinite(valueMs)) return String(valueMs);
  if (!Number.isSafeInteger(valueMs)) return countOfUnit(valueMs, "millisecond", language, grammaticalCase);
  if (valueMs < 0) return `−${formatDurationWords(-valueMs, language, grammaticalCase)}`;
  if (valueMs === 0) return countOfUnit(0, "millisecond", language, grammaticalCase);
  const parts: string[] = [];
  let rest = valueMs;
  for (const [unit, unitMs] of DURATION_UNITS) {
    const count = Math.floor(rest / unitMs);
    rest -= count * unitMs;
    if (count > 0) parts.push(countOfUnit(count, unit, language, grammaticalCase));
  }
  return parts.join(" ");
}

/** An ISO instant (`2026-12-08T04:47:54.188Z`) as `dd.MM.yyyy HH:mm` in exchange time; anything else as given. */
export function formatIsoTime(value: unknown, language: Language): string {
  if (typeof value !== "string") return String(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(value) ? value : formatTimeMs(ms, language);
}

/** A percentage given in percent (5 → "5%", 2.5 → "2,5%" in kk). */
export function formatPercent(value: unknown, language: Language): string {
  return typeof value === "number" && Number.isFinite(value)
    ? `${numberFormat(language, 0, 2).format(value)}%`
    : String(value);
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

/** A time in ms since the epoch as `dd.MM.yyyy HH:mm` in exchange time (24-hour; English keeps ISO order). */
export function formatTimeMs(value: unknown, language: Language): string {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) return String(value);
  const local = new Date(value + EXCHANGE_UTC_OFFSET_MS);
  if (Number.isNaN(local.getTime())) return String(value);
  const date = formatDate(local.toISOString().slice(0, 10), language);
  return `${date} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

/** An ISO calendar date `yyyy-MM-dd` as `dd.MM.yyyy` (English keeps the ISO form); anything else as given. */
export function formatDate(value: unknown, language: Language): string {
  if (typeof value !== "string") return String(value);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null || language === "en") return value;
  return `${match[3]}.${match[2]}.${match[1]}`;
}

/** The name of exchange time in each language, said once beside a time. */
export const EXCHANGE_TIME_NAME: Readonly<Record<Language, string>> = {
  en: "Kazakhstan time",
  ru: "время Казахстана",
  kk: "Қазақстан уақыты",
};

/** The units of a language, for documents that label columns. */
export function unitsOf(language: Language): {
  readonly tonne: string;
  readonly tenge: string;
  readonly perTonne: string;
} {
  return UNITS[language];
}
