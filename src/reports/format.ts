/**
 * How every document of the exchange writes its values (contracts, statements, clearing reports, the bulletin and the
 * weekly summary, in PDF and in the XLSX texts): one module, so a figure reads the same in each of them.
 *
 * - Numbers, money, tonnes, percentages, dates and times come from src/domain/locale.ts (the same functions the audit
 *   trail and the notifications use): ru and kk group thousands with a no-break space and write a decimal comma;
 *   times are exchange time (Kazakhstan, UTC+5) as `dd.MM.yyyy HH:mm`, English keeps the ISO order.
 *   Documents of record write money with both tiyn digits ("128 262,00") and tonnes with three decimals ("54,000").
 * - Products, regions and instruments are named in the document's language (the instrument's listed `name` is the
 *   operator's English text, so a Kazakh or Russian document composes the name from the listing's fields instead).
 * - A regulator's safeguard change is written as a sentence ("ценовой коридор ±10,00 %; …"), never as its JSON.
 *
 * Promise: pure functions of their arguments; nothing reads a clock. An unknown code is written as given.
 */

import {
  formatInteger,
  formatIsoTime,
  formatPercentBps,
  formatPriceTiynPerTonne,
  formatTengeFixed,
  formatTimeMs,
  formatTonnesFixed,
  type Language,
} from "../domain/locale.ts";
import { codeWord } from "../domain/phrases.ts";
import { regionName } from "./labels.ts";

export {
  formatDate,
  formatInteger,
  formatIsoTime,
  formatMoneyTiyn,
  formatPercent,
  formatPercentBps,
  formatPriceTiynPerTonne,
  formatQuantityKg,
  formatTengeFixed,
  formatTimeMs,
  formatTonnesFixed,
  type Language,
} from "../domain/locale.ts";
export { productName, regionName } from "./labels.ts";

/** Products' short names, for table columns and instrument names (the web's `products.*` words). */
const PRODUCT_SHORT: Readonly<Record<string, Readonly<Record<Language, string>>>> = {
  "propane-butane": { en: "Propane-butane", ru: "Пропан-бутан", kk: "Пропан-бутан" },
  propane: { en: "Propane", ru: "Пропан", kk: "Пропан" },
  butane: { en: "Butane", ru: "Бутан", kk: "Бутан" },
};

/** A product's short name ("Пропан-бутан"); an unknown product as its code. */
export function productShortName(product: string, language: Language): string {
  return PRODUCT_SHORT[product]?.[language] ?? product;
}

/** A delivery month `yyyy-MM` as `MM.yyyy` (en keeps `yyyy-MM`); anything else as given. */
export function formatMonth(value: string, language: Language): string {
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  return match === null || language === "en" ? value : `${match[2]}.${match[1]}`;
}

/** What documents know of an instrument's listing. */
export interface InstrumentNaming {
  readonly id: string;
  readonly product: string | null;
  readonly basis: string | null;
  readonly region: string | null;
  readonly deliveryPeriod: string | null;
}

/**
 * An instrument named in the language from its listing: "Пропан-бутан, EXW KAZGPZ, Маңғыстау облысы, 12.2026
 * (PB-KAZGPZ-2612)". Without a listing, its id.
 */
export function instrumentName(i: InstrumentNaming, language: Language): string {
  if (i.product === null) return i.id;
  const parts = [productShortName(i.product, language)];
  if (i.basis !== null) parts.push(`EXW ${i.basis}`);
  if (i.region !== null) parts.push(regionName(i.region, language));
  if (i.deliveryPeriod !== null) parts.push(formatMonth(i.deliveryPeriod, language));
  return `${parts.join(", ")} (${i.id})`;
}

/** Milliseconds as whole minutes, or seconds when shorter: 120000 → "2 мин". */
function formatDurationMs(value: unknown, language: Language): string {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) return String(value);
  const words = DURATION_UNITS[language];
  return value % 60_000 === 0 ? `${value / 60_000} ${words.minutes}` : `${value / 1000} ${words.seconds}`;
}
const DURATION_UNITS: Readonly<Record<Language, { readonly minutes: string; readonly seconds: string }>> = {
  en: { minutes: "min", seconds: "s" },
  ru: { minutes: "мин", seconds: "с" },
  kk: { minutes: "мин", seconds: "с" },
};

type SafeguardName =
  | "bandBps"
  | "breakerBps"
  | "breakerAuctionMs"
  | "ceiling"
  | "floor"
  | "ceilingPath"
  | "maxShareBps"
  | "maxActiveOrders"
  | "maxLotsPerOrder"
  | "eligibleCategories"
  | "resumptionAuctionMs";

/** The safeguards' names in each language (docs/market-rules.md describes each). */
const SAFEGUARD_WORDS: Readonly<Record<Language, Readonly<Record<SafeguardName | "removed" | "from", string>>>> = {
  en: {
    bandBps: "price band",
    breakerBps: "circuit breaker",
    breakerAuctionMs: "auction after the breaker",
    ceiling: "price ceiling",
    floor: "price floor",
    ceilingPath: "ceiling steps",
    maxShareBps: "largest share of the offer per buyer",
    maxActiveOrders: "active orders per account at most",
    maxLotsPerOrder: "lots per order at most",
    eligibleCategories: "buyers admitted",
    resumptionAuctionMs: "auction on resumption",
    removed: "removed",
    from: "from",
  },
  ru: {
    bandBps: "ценовой коридор",
    breakerBps: "порог приостановки торгов",
    breakerAuctionMs: "аукцион после приостановки",
    ceiling: "предельная цена",
    floor: "минимальная цена",
    ceilingPath: "ступени предельной цены",
    maxShareBps: "наибольшая доля предложения на покупателя",
    maxActiveOrders: "активных заявок на счёт не более",
    maxLotsPerOrder: "лотов в заявке не более",
    eligibleCategories: "допущенные покупатели",
    resumptionAuctionMs: "аукцион при возобновлении",
    removed: "снято",
    from: "с",
  },
  kk: {
    bandBps: "баға дәлізі",
    breakerBps: "сауданы тоқтата тұру шегі",
    breakerAuctionMs: "тоқтатудан кейінгі аукцион",
    ceiling: "шекті баға",
    floor: "ең төменгі баға",
    ceilingPath: "шекті баға сатылары",
    maxShareBps: "бір сатып алушыға ұсыныстың ең үлкен үлесі",
    maxActiveOrders: "шотқа белсенді өтінімдер ең көбі",
    maxLotsPerOrder: "өтінімдегі лоттар ең көбі",
    eligibleCategories: "жіберілген сатып алушылар",
    resumptionAuctionMs: "қайта бастаудағы аукцион",
    removed: "алынып тасталды",
    from: "бастап",
  },
};

function safeguardValue(name: SafeguardName, value: unknown, language: Language): string {
  const w = SAFEGUARD_WORDS[language];
  if (value === null) return w.removed;
  switch (name) {
    case "bandBps":
      return `±${formatPercentBps(value, language)}`;
    case "breakerBps":
    case "maxShareBps":
      return formatPercentBps(value, language);
    case "breakerAuctionMs":
    case "resumptionAuctionMs":
      return formatDurationMs(value, language);
    case "ceiling":
    case "floor":
      return formatPriceTiynPerTonne(value, language);
    case "maxActiveOrders":
    case "maxLotsPerOrder":
      return formatInteger(value, language);
    case "eligibleCategories":
      return Array.isArray(value) ? value.map((c) => codeWord(String(c), language)).join(", ") : String(value);
    case "ceilingPath":
      if (!Array.isArray(value)) return String(value);
      if (value.length === 0) return w.removed;
      return value
        .map((step: { effectiveFromMs?: unknown; ceiling?: unknown }) =>
          language === "kk"
            ? `${formatTimeMs(step.effectiveFromMs, language)} ${w.from} ${formatPriceTiynPerTonne(step.ceiling, language)}`
            : `${formatPriceTiynPerTonne(step.ceiling, language)} ${w.from} ${formatTimeMs(step.effectiveFromMs, language)}`,
        )
        .join(", ");
  }
}

/**
 * A safeguard change (`safeguards.set`'s `changes`) as text: "ценовой коридор ±10,00 %; порог приостановки торгов
 * 3,00 %". Fields are listed in the order the regulator sent them; an unknown field is written as `name value`.
 */
export function safeguardChangesText(changes: unknown, language: Language): string {
  if (changes === null || typeof changes !== "object" || Array.isArray(changes)) return String(changes);
  const words = SAFEGUARD_WORDS[language];
  return Object.entries(changes)
    .map(([name, value]) =>
      Object.hasOwn(words, name) && name !== "removed" && name !== "from"
        ? `${words[name as SafeguardName]} ${safeguardValue(name as SafeguardName, value, language)}`
        : `${name} ${JSON.stringify(value) ?? "?"}`,
    )
    .join("; ");
}

/** Money with its unit word for documents of record: "128 262,00 теңге" (the unit is the labels' `tenge`). */
export function tengeWithUnit(tiyn: unknown, language: Language, unit: string): string {
  return `${formatTengeFixed(tiyn, language)} ${unit}`;
}

/** A stored ISO time as the reader's exchange time (`—` for none). */
export function timeOrDash(iso: string | null, language: Language): string {
  return iso === null ? "—" : formatIsoTime(iso, language);
}
/** Tonnes with their unit word: "54,000 т". */
export function tonnesWithUnit(kg: unknown, language: Language, unit: string): string {
  return `${formatTonnesFixed(kg, language)} ${unit}`;
}
