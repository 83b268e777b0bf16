/**
 * A regulator's safeguard change (`safeguards.set`'s `changes`) written out in words in each language: "ценовой
 * коридор ±10,00 %; предельная цена 145 000 ₸/т", never as its JSON. One owner for these words: the bulletin and the
 * other documents (src/reports/format.ts re-exports it) and the audit trail's Russian and Kazakh summaries
 * (src/projections/audit-summaries.ts) write a change alike.
 *
 * Promise: pure functions of their arguments; an unknown field is written as `name value` so nothing is dropped.
 */

import { formatInteger, formatPercentBps, formatPriceTiynPerTonne, formatTimeMs, type Language } from "./locale.ts";
import { codeWord } from "./phrases.ts";

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

/**
 * The buyer categories (engine/members.ts) in English, plural as a safeguard's admitted buyers name them; Russian and
 * Kazakh come from `codeWord`. The API's English error sentences keep the codes, which a program may match.
 */
const CATEGORY_WORDS_EN: Readonly<Record<string, string>> = {
  "filling-station-network": "filling-station networks",
  "gas-distribution": "gas distribution companies",
  wholesaler: "wholesalers",
  industrial: "industrial consumers",
  other: "other buyers",
};

function categoryWord(code: string, language: Language): string {
  return language === "en" ? (CATEGORY_WORDS_EN[code] ?? code) : codeWord(code, language);
}

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
const SAFEGUARD_WORDS: Readonly<Record<Language, Readonly<Record<SafeguardName | "from", string>>>> = {
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
    from: "бастап",
  },
};

/**
 * A lifted safeguard as a whole phrase in each language, its verb agreeing with its noun: "ограничение числа лотов в
 * заявке снято", never the value word pasted after a name that reads as a limit ("лотов в заявке не более снято").
 */
const REMOVED_WORDS: Readonly<Record<Language, Readonly<Record<SafeguardName, string>>>> = {
  en: {
    bandBps: "price band removed",
    breakerBps: "circuit breaker removed",
    breakerAuctionMs: "auction after the breaker removed",
    ceiling: "price ceiling removed",
    floor: "price floor removed",
    ceilingPath: "ceiling steps removed",
    maxShareBps: "limit on the share of the offer per buyer removed",
    maxActiveOrders: "limit on active orders per account removed",
    maxLotsPerOrder: "limit on lots per order removed",
    eligibleCategories: "limit on the buyers admitted removed",
    resumptionAuctionMs: "auction on resumption removed",
  },
  ru: {
    bandBps: "ценовой коридор снят",
    breakerBps: "порог приостановки торгов снят",
    breakerAuctionMs: "аукцион после приостановки отменён",
    ceiling: "предельная цена снята",
    floor: "минимальная цена снята",
    ceilingPath: "ступени предельной цены сняты",
    maxShareBps: "ограничение доли предложения на покупателя снято",
    maxActiveOrders: "ограничение числа активных заявок на счёт снято",
    maxLotsPerOrder: "ограничение числа лотов в заявке снято",
    eligibleCategories: "ограничение круга допущенных покупателей снято",
    resumptionAuctionMs: "аукцион при возобновлении отменён",
  },
  kk: {
    bandBps: "баға дәлізі алынып тасталды",
    breakerBps: "сауданы тоқтата тұру шегі алынып тасталды",
    breakerAuctionMs: "тоқтатудан кейінгі аукцион алынып тасталды",
    ceiling: "шекті баға алынып тасталды",
    floor: "ең төменгі баға алынып тасталды",
    ceilingPath: "шекті баға сатылары алынып тасталды",
    maxShareBps: "бір сатып алушыға ұсыныс үлесінің шегі алынып тасталды",
    maxActiveOrders: "шоттағы белсенді өтінімдер санының шегі алынып тасталды",
    maxLotsPerOrder: "өтінімдегі лоттар санының шегі алынып тасталды",
    eligibleCategories: "жіберілетін сатып алушылар шектеуі алынып тасталды",
    resumptionAuctionMs: "қайта бастаудағы аукцион алынып тасталды",
  },
};

/** Whether a change's value lifts the safeguard: null, or an empty list of ceiling steps. */
function lifts(name: SafeguardName, value: unknown): boolean {
  return value === null || (name === "ceilingPath" && Array.isArray(value) && value.length === 0);
}

function safeguardValue(name: SafeguardName, value: unknown, language: Language): string {
  const w = SAFEGUARD_WORDS[language];
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
      return Array.isArray(value) ? value.map((c) => categoryWord(String(c), language)).join(", ") : String(value);
    case "ceilingPath":
      if (!Array.isArray(value)) return String(value);
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
      Object.hasOwn(REMOVED_WORDS[language], name)
        ? lifts(name as SafeguardName, value)
          ? REMOVED_WORDS[language][name as SafeguardName]
          : `${words[name as SafeguardName]} ${safeguardValue(name as SafeguardName, value, language)}`
        : `${name} ${JSON.stringify(value) ?? "?"}`,
    )
    .join("; ");
}
