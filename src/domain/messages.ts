/**
 * Message catalogues: the sentence of every error code in each language the server speaks, rendered with the
 * reader's conventions. English is the registry itself (errors.ts), left exactly as published, so clients that read
 * English sentences see no change; Russian and Kazakh come from messages-ru.ts and messages-kk.ts.
 *
 * Placeholders. `{name}` writes the value as given; `{name:kind}` formats it for the reader: `price` (tiyn per tonne →
 * "112 341 ₸/т"), `money` (tiyn → "1 500 ₸"), `kg` (kilograms → "12,5 т"), `int` (grouped whole number), `pct`
 * (a percentage), `time` (ms since the epoch → "dd.MM.yyyy HH:mm", exchange time), `date` (yyyy-MM-dd →
 * "dd.MM.yyyy"), `phase` and `status` (a trading phase or order status, named in the language), `duration` (ms → words:
 * "2 минуты", "2 минут"), `durationGenitive` (the same after a comparison, Russian's genitive: "дольше 2 минут"), `categories` (buyer categories as the engine lists them, "wholesaler, industrial" or "none", as
 * words: "оптовые покупатели, промышленные потребители"), `noticeKinds` (kinds of notification, "fill, default", as the
 * settings form names them: «исполнение», «неисполнение»). A value that does not fit its kind (a malformed input echoed
 * back) is written as given.
 *
 * Free text. An `{action}` (what a refused caller wanted to do, written by code in English), a `{purpose}`,
 * `{reason}`, `{rule}` or `{what}`, and a `{role}` are translated from the phrase catalogue (phrases.ts) when it knows
 * them (a reason a person typed is shown as typed); the details on the wire keep the English.
 *
 * Schema validation. A REQUEST_INVALID whose details carry the validator's `keyword` takes its reason from
 * messages-validation.ts in ru and kk (English keeps the validator's sentence); for the rules a person meets in a form
 * (missing, empty, too long, too small, wrong kind, not a choice) on a field, the whole message in every language is
 * one sentence naming the field (`fieldSentence`).
 *
 * Promise: `localize(code, details, language)` yields a sentence for every code in every language; a missing
 * placeholder shows as `?`, never silently vanishes.
 */

import { type BandClamp, bandClampOf } from "./band-clamp.ts";
import { describe, type ErrorCode, type ErrorDetails } from "./errors.ts";
import {
  formatDate,
  formatDurationWords,
  formatInteger,
  formatMoneyTiyn,
  formatPercent,
  formatPriceTiynPerTonne,
  formatQuantityKg,
  formatTimeMs,
  LANGUAGE_DEFAULT,
  type Language,
} from "./locale.ts";
import { ERRORS_KK } from "./messages-kk.ts";
import { ERRORS_RU } from "./messages-ru.ts";
import { exchangeTimeText, fieldInSentence, fieldSentence, validationReason } from "./messages-validation.ts";
import { codeWord, phraseForReader, roleWord, translatePhrase } from "./phrases.ts";

export const PLACEHOLDER_KINDS = [
  "price",
  "money",
  "kg",
  "int",
  "pct",
  "time",
  "date",
  "phase",
  "status",
  "phases",
  "duration",
  "durationGenitive",
  "categories",
  "noticeKinds",
  "window",
  "party",
  "month",
] as const;
export type PlaceholderKind = (typeof PLACEHOLDER_KINDS)[number];

/** The catalogues of the translated languages; English is the registry. */
export const ERROR_CATALOGUES: Readonly<Record<Exclude<Language, "en">, Readonly<Record<ErrorCode, string>>>> = {
  ru: ERRORS_RU,
  kk: ERRORS_KK,
};

/** Trading phases (engine/phases.ts) and order statuses as words, for sentences that name them. */
const WORDS: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  en: {},
  ru: {
    closed: "закрыт",
    collection: "сбор заявок",
    uncross: "определение цены аукциона",
    continuous: "непрерывные торги",
    halted: "приостановлен",
    resting: "стоит в книге",
    filled: "исполнена",
    cancelled: "снята",
    open: "открыто",
    settled: "исполнено",
    defaulted: "не исполнено",
    voided: "аннулировано",
    delivered: "газ поставлен",
  },
  kk: {
    closed: "жабық",
    collection: "өтінімдер жинау",
    uncross: "аукцион бағасын анықтау",
    continuous: "үздіксіз сауда",
    halted: "тоқтатылған",
    resting: "кітапта тұр",
    filled: "орындалды",
    cancelled: "жойылды",
    open: "ашық",
    settled: "есеп айырысылды",
    defaulted: "орындалмады",
    voided: "күші жойылды",
    delivered: "газ жеткізілді",
  },
};

/** The parties to an obligation or a negotiated deal, as the sentences name them (ru and kk: nominative). */
const PARTIES: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  en: {},
  ru: { buyer: "покупатель", seller: "продавец", "buyer or seller": "сторона" },
  kk: { buyer: "сатып алушы", seller: "сатушы", "buyer or seller": "тарап" },
};

/** A rate limit's window ("at most 200 per second"): ru after "за", kk before "ішінде". */
const RATE_WINDOWS: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  en: {},
  ru: { minute: "минуту", second: "секунду" },
  kk: { minute: "бір минут", second: "бір секунд" },
};

/** Details that hold free text code wrote in English, translated from the phrase catalogue. */
const FREE_TEXT_DETAILS = new Set(["action", "context", "purpose", "reason", "rule", "what"]);

const PLACEHOLDER = /\{(\w+)(?::(\w+))?\}/g;

function formatValue(value: unknown, kind: string | undefined, language: Language): string {
  switch (kind as PlaceholderKind | undefined) {
    case "price":
      return formatPriceTiynPerTonne(value, language);
    case "money":
      return formatMoneyTiyn(value, language);
    case "kg":
      return formatQuantityKg(value, language);
    case "int":
      return formatInteger(value, language);
    case "pct":
      return formatPercent(value, language);
    case "time":
      return formatTimeMs(value, language);
    case "date":
      return formatDate(value, language);
    case "phase":
    case "status":
      return typeof value === "string" ? (WORDS[language][value] ?? value) : String(value);
    case "phases":
      return phasesText(value, language);
    case "duration":
      return formatDurationWords(value, language, "nominative");
    case "durationGenitive":
      return formatDurationWords(value, language, "genitive");
    case "categories":
      return categoriesText(value, language);
    case "month": {
      // A month as YYYY-MM, written as the pages write it ("12.2026" in ru and kk).
      const match = typeof value === "string" ? /^(\d{4})-(\d{2})$/.exec(value) : null;
      return match === null || language === "en" ? String(value) : `${match[2]}.${match[1]}`;
    }
    case "party":
      // A party to an obligation or a deal as the engine names it ("buyer", "seller", "buyer or seller").
      return typeof value === "string" ? (PARTIES[language][value] ?? value) : String(value);
    case "window":
      // A rate limit's window as the server names it ("minute", "second"), in the sentence's case.
      return typeof value === "string" ? (RATE_WINDOWS[language][value] ?? value) : String(value);
    case "noticeKinds":
      // Kinds of notification as the engine lists them ("fill, default"), named as the settings form names them.
      return typeof value === "string"
        ? value
            .split(", ")
            .map((kind) => (language === "en" ? kind : `«${codeWord(kind, language, "noticeKind")}»`))
            .join(", ")
        : String(value);
    default:
      return typeof value === "string" ? value : JSON.stringify(value);
  }
}

/**
 * A list of phases as the engine writes it ("collection, closed", "none"), perhaps followed by why in parentheses,
 * or a sentence instead of a list ("an extra session opens from closed"): the phases as words, the rest from the
 * phrase catalogue.
 */
function phasesText(value: unknown, language: Language): string {
  if (typeof value !== "string") return String(value);
  const match = /^([a-z]+(?:, [a-z]+)*)(?: \((.+)\))?$/.exec(value);
  const words = match?.[1]?.split(", ") ?? [];
  if (match === null || !words.every((word) => word === "none" || WORDS.ru[word] !== undefined)) {
    return translatePhrase(value, language);
  }
  const list = words.map((word) =>
    word === "none" ? translatePhrase("none", language) : (WORDS[language][word] ?? word),
  );
  const why = match[2] === undefined ? "" : ` (${translatePhrase(match[2], language)})`;
  return `${list.join(", ")}${why}`;
}

/** An account without a buyer category (the engine writes "none"). */
const NO_CATEGORY: Readonly<Record<Language, string>> = { en: "none", ru: "нет", kk: "жоқ" };

/** Buyer categories as the engine lists them ("wholesaler, industrial"; "none") as words of the language. */
function categoriesText(value: unknown, language: Language): string {
  if (typeof value !== "string") return String(value);
  return value
    .split(", ")
    .map((category) => (category === "none" ? NO_CATEGORY[language] : codeWord(category, language)))
    .join(", ");
}

/** Fills a catalogue template with formatted values. */
export function render(template: string, details: ErrorDetails, language: Language): string {
  return template.replace(PLACEHOLDER, (_, name: string, kind: string | undefined) => {
    const value = details[name];
    if (value === undefined) return "?";
    // Free text code wrote in English (what the caller wanted to do, a role): from the phrase catalogue.
    if (kind === undefined && typeof value === "string") {
      if (FREE_TEXT_DETAILS.has(name)) return translatePhrase(value, language);
      if (name === "role") return roleWord(value, language);
      // The field of a command a rule refused, named in the reader's language.
      if (name === "field") return fieldInSentence(value, language);
    }
    return formatValue(value, kind, language);
  });
}

/** The names a template uses (without their kinds), for the catalogue test. */
export function placeholdersOf(template: string): { readonly name: string; readonly kind: string | null }[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => ({ name: match[1] ?? "", kind: match[2] ?? null }));
}

/**
 * Details the engine wrote already quoted, for templates that quote them themselves: the engine's INSTRUMENT_NOT_FOUND
 * carries `id: "'NOPE'"` (its `show`, cut to 80 characters with "..."), and "No instrument '{id}' is listed." quotes
 * again. The engine's events are journaled and compared on replay, so they keep those bytes; the sentence and the
 * details a client reads carry the bare id. Applied by `localize` and by the gateway's error builder.
 */
const QUOTED_BY_ENGINE: Readonly<Partial<Record<ErrorCode, string>>> = {
  INSTRUMENT_NOT_FOUND: "id",
  BASIS_UNKNOWN: "basis",
};
const ENGINE_QUOTED = /^'([^']*)'$|^'([^']*\.\.\.)$/;

export function unquotedDetails(code: ErrorCode, details: ErrorDetails): ErrorDetails {
  const name = QUOTED_BY_ENGINE[code];
  if (name === undefined) return details;
  const value = details[name];
  const match = typeof value === "string" ? ENGINE_QUOTED.exec(value) : null;
  if (match === null) return details;
  return { ...details, [name]: match[1] ?? match[2] ?? "" };
}

/**
 * The English sentence of an engine's rejection as clients read it: the engine's own message, or for a code whose
 * details the engine quoted (`unquotedDetails`) the sentence made again from the bare details, so the id is quoted
 * once ("No instrument 'NOPE' is listed.", not "''NOPE''").
 */
export function rejectionMessage(code: ErrorCode, message: string, details: ErrorDetails): string {
  const reader = englishForReader(code, details);
  if (reader !== null) return reader;
  const bare = unquotedDetails(code, details);
  return bare === details ? message : describe(code, bare);
}

/**
 * Command fields the API's requests name otherwise (an order's `expireAtMs` is the request's `expireAt`): a refusal's
 * English sentence names the field the caller sent; its details keep the engine's name.
 */
const REQUEST_FIELD_NAMES: Readonly<Record<string, string>> = { expireAtMs: "expireAt" };

function wireFieldNames(code: ErrorCode, details: ErrorDetails): ErrorDetails {
  if (code !== "FIELD_INVALID" || typeof details.field !== "string") return details;
  const named = REQUEST_FIELD_NAMES[details.field];
  return named === undefined ? details : { ...details, field: named };
}

/**
 * A GTD order sent without an expiry: the engine's template (journaled) says "Expiry null is not valid"; a reader is
 * told the expiry is missing, and the field to give it in.
 */
const MISSING_EXPIRY: Readonly<Record<Language, string>> = {
  en: "A GTD order needs an expiry (expireAt) after the current time {now:time} (Kazakhstan time).",
  ru: "Заявке GTD нужен срок истечения (expireAt) позже текущего времени {now:time}.",
  kk: "GTD өтініміне ағымдағы уақыттан ({now:time}) кейінгі аяқталу мерзімі (expireAt) керек.",
};

/**
 * Engine sentences written for the first command that used the code, which later commands share: the journaled
 * template (errors.ts) speaks of declaring gas, of outages only, or of confirming only; a reader is told what holds
 * for all of them (gas declared, an outage notice, a supply plan; a confirmation, a dispatch).
 */
const GENERAL_ENGLISH: Readonly<Partial<Record<ErrorCode, string>>> = {
  BASIS_UNKNOWN: "No listed instrument delivers at basis '{basis}'; name the basis of a listed instrument.",
  MEMBER_NOT_PRODUCER: "Member '{member}' is not a producer; outage notices and supply plans are a producer's.",
  OBLIGATION_NOT_OPEN: "Obligation '{id}' is {status}; only an open obligation is confirmed or shipped against.",
};

/**
 * A CSRF token missing or wrong on the stream (`via: "stream"`): a socket sends no headers after it opens, so it is told
 * where a socket gives the token (docs/api.md, "Streams"), not the X-CSRF-Token header.
 */
const STREAM_CSRF: Readonly<Record<Language, string>> = {
  en: 'The CSRF token is missing or wrong: give the csrfToken from GET /api/session in the first message ({"op":"session","csrf":…}) or in the stream\'s address (?csrf=).',
  ru: 'CSRF-токен отсутствует или неверен: передайте csrfToken из GET /api/session в первом сообщении ({"op":"session","csrf":…}) или в адресе потока (?csrf=).',
  kk: 'CSRF токені жоқ немесе қате: GET /api/session жауабындағы csrfToken мәнін бірінші хабарламада ({"op":"session","csrf":…}) немесе ағын мекенжайында (?csrf=) жіберіңіз.',
};

/** An account not the member's that is one of its own in another letter case (`ownAccount`): said, ids being exact. */
const OWN_ACCOUNT_OTHER_CASE: Readonly<Record<Language, string>> = {
  en: "Account '{account}' does not belong to your member; account ids are case-sensitive: did you mean '{ownAccount}'?",
  ru: "Счёт '{account}' не принадлежит вашему участнику; в идентификаторах счетов важен регистр букв: возможно, имелся в виду '{ownAccount}'?",
  kk: "'{account}' шоты сіздің қатысушыңызға тиесілі емес; шот идентификаторларында әріптің бас не кіші болуы маңызды: '{ownAccount}' шоты айтылған болар?",
};

function missingExpiry(code: ErrorCode, details: ErrorDetails): boolean {
  return (
    code === "ORDER_EXPIRY_INVALID" &&
    (details.value === undefined || details.value === null || details.value === "null")
  );
}

/**
 * An English sentence that reads better than the engine's template for some details, or null. A resume refused for one
 * instrument: the template (journaled, src/engine/engine.ts) says "No instrument in instrument PB-X is halted.", a
 * reader is told "Instrument PB-X is not halted."; the market and a region keep the template's sentence.
 */
function englishForReader(code: ErrorCode, details: ErrorDetails): string | null {
  if (missingExpiry(code, details)) return render(MISSING_EXPIRY.en, details, "en");
  const general = GENERAL_ENGLISH[code];
  if (general !== undefined) return render(general, details, "en");
  const clamped = clampedBand(code, details, "en");
  if (clamped !== null) return clamped;
  if (code !== "NOTHING_TO_RESUME" || typeof details.scope !== "string") return null;
  const instrument = /^instrument (.+)$/.exec(details.scope);
  return instrument === null ? null : `Instrument ${instrument[1]} is not halted.`;
}

/**
 * English details with their free text (a reason, a rule) as a person reads it: a price a phrase names in tiyn per
 * tonne in tenge per tonne ("floor 160,000 ₸/t is above the ceiling 150,000 ₸/t"), as the other languages write it.
 */
function pricesForReader(details: ErrorDetails): ErrorDetails {
  let changed: Record<string, ErrorDetails[string]> | null = null;
  for (const name of FREE_TEXT_DETAILS) {
    const value = details[name];
    if (typeof value !== "string") continue;
    const read = phraseForReader(value, "en");
    if (read === value) continue;
    changed ??= { ...details };
    changed[name] = read;
  }
  return changed ?? details;
}

/**
 * A price outside a band that a price ceiling or floor has clamped (`bandClampOf`): the engine's template (journaled)
 * says "outside today's price band 110000–110000 (±5% around the reference price 120000)", which a band of ±5% around
 * 120,000 is not; a reader is told the ceiling (or floor) is why, and when the band is one price that orders trade only
 * there (market-rules.md §2).
 */
const CLAMPED_BAND: Readonly<Record<Language, Readonly<Record<BandClamp, string>>>> = {
  en: {
    ceilingOnly:
      "Price {value} is outside today's band: orders trade only at {high}, the price ceiling, which caps the band of ±{bandPercent}% around the reference price {reference}.",
    floorOnly:
      "Price {value} is outside today's band: orders trade only at {low}, the price floor, which lifts the band of ±{bandPercent}% around the reference price {reference}.",
    ceiling:
      "Price {value} is outside today's price band {low}–{high}: the price ceiling {high} caps the band of ±{bandPercent}% around the reference price {reference}.",
    floor:
      "Price {value} is outside today's price band {low}–{high}: the price floor {low} lifts the band of ±{bandPercent}% around the reference price {reference}.",
  },
  ru: {
    ceilingOnly:
      "Цена {value:price} вне ценового коридора на сегодня: сделки возможны только по {high:price} — предельной цене, которая ограничивает коридор ±{bandPercent:pct} от референтной цены {reference:price}.",
    floorOnly:
      "Цена {value:price} вне ценового коридора на сегодня: сделки возможны только по {low:price} — минимальной цене, которая поднимает коридор ±{bandPercent:pct} от референтной цены {reference:price}.",
    ceiling:
      "Цена {value:price} вне ценового коридора на сегодня {low:price}–{high:price}: предельная цена {high:price} ограничивает коридор ±{bandPercent:pct} от референтной цены {reference:price}.",
    floor:
      "Цена {value:price} вне ценового коридора на сегодня {low:price}–{high:price}: минимальная цена {low:price} поднимает коридор ±{bandPercent:pct} от референтной цены {reference:price}.",
  },
  kk: {
    ceilingOnly:
      "{value:price} бағасы бүгінгі баға дәлізінен тыс: мәмілелер тек {high:price} бағамен жасалады — бұл жоғарғы шек анықтамалық баға {reference:price} айналасындағы ±{bandPercent:pct} дәлізді шектейді.",
    floorOnly:
      "{value:price} бағасы бүгінгі баға дәлізінен тыс: мәмілелер тек {low:price} бағамен жасалады — бұл төменгі шек анықтамалық баға {reference:price} айналасындағы ±{bandPercent:pct} дәлізді көтереді.",
    ceiling:
      "{value:price} бағасы бүгінгі баға дәлізінен тыс: {low:price}–{high:price}; жоғарғы шек {high:price} анықтамалық баға {reference:price} айналасындағы ±{bandPercent:pct} дәлізді шектейді.",
    floor:
      "{value:price} бағасы бүгінгі баға дәлізінен тыс: {low:price}–{high:price}; төменгі шек {low:price} анықтамалық баға {reference:price} айналасындағы ±{bandPercent:pct} дәлізді көтереді.",
  },
};

function clampedBand(code: ErrorCode, details: ErrorDetails, language: Language): string | null {
  const clamp = code === "ORDER_PRICE_OUTSIDE_BAND" ? bandClampOf(details) : null;
  return clamp === null ? null : render(CLAMPED_BAND[language][clamp], details, language);
}

/** The sentence for an error code in a language. */
export function localize(code: ErrorCode, given: ErrorDetails, language: Language = LANGUAGE_DEFAULT): string {
  if (missingExpiry(code, given)) return render(MISSING_EXPIRY[language], given, language);
  const clamped = clampedBand(code, given, language);
  if (clamped !== null) return clamped;
  if (code === "AUTH_CSRF" && given.via === "stream") return STREAM_CSRF[language];
  if (code === "FORBIDDEN_ACCOUNT" && typeof given.ownAccount === "string") {
    return render(OWN_ACCOUNT_OTHER_CASE[language], given, language);
  }
  const shown = withScope(code, withTimes(code, unquotedDetails(code, given), language), language);
  // English names the field as the request does; Russian and Kazakh name it in words (validation-messages.ts).
  const details = language === "en" ? wireFieldNames(code, shown) : shown;
  // A refused request shape, for the rules a person meets in a form: one sentence naming the field.
  if (code === "REQUEST_INVALID") {
    const sentence = fieldSentence(details, language);
    if (sentence !== null) return sentence;
  }
  if (language === "en") return englishForReader(code, details) ?? describe(code, pricesForReader(details));
  // A refused request shape: the reason from the validation catalogue, by the validator's keyword.
  if (code === "REQUEST_INVALID" && typeof details.keyword === "string") {
    return render(
      ERROR_CATALOGUES[language][code],
      { ...details, reason: validationReason(details, language) },
      language,
    );
  }
  return sentenceCase(render(ERROR_CATALOGUES[language][code], details, language));
}

/** The fields of a command that hold a time in ms since the epoch (an order's expiry, an outage's start and end). */
const TIME_FIELD = /AtMs$|^fromMs$|^toMs$/;

/**
 * Details whose value is a time in ms (a refused expiry: the engine writes it as it came, "1") with that time as the
 * reader writes it in exchange time, so the sentence does not show a raw count of milliseconds; the details sent on
 * the wire keep the raw value.
 */
function withTimes(code: ErrorCode, details: ErrorDetails, language: Language): ErrorDetails {
  const timeValue =
    code === "ORDER_EXPIRY_INVALID" ||
    (code === "FIELD_INVALID" && typeof details.field === "string" && TIME_FIELD.test(details.field));
  if (!timeValue) return details;
  const shown: Record<string, ErrorDetails[string]> = { ...details };
  const ms = typeof details.value === "string" && /^-?\d{1,16}$/.test(details.value) ? Number(details.value) : null;
  if (ms !== null && Number.isSafeInteger(ms)) shown.value = exchangeTimeText(ms, language);
  // English's template (errors.ts, kept as it is journaled) has the current time raw; ru and kk format it themselves.
  if (language === "en" && code === "ORDER_EXPIRY_INVALID" && typeof details.now === "number") {
    shown.now = exchangeTimeText(details.now, language);
  }
  return shown;
}

/**
 * A resume refused for want of a halt names where it looked as the engine writes it in English ("the market",
 * "region ASTANA", "instrument PB-…": src/engine/engine.ts, journaled, so kept as it is); the sentence in Russian or
 * Kazakh names it in that language, with the region's or instrument's code as given. The wire's details keep the
 * English label.
 */
const RESUME_SCOPES: Readonly<Record<"ru" | "kk", { market: string; region: string; instrument: string }>> = {
  ru: { market: "весь рынок", region: "регион {0}", instrument: "инструмент {0}" },
  kk: { market: "бүкіл нарық", region: "{0} өңірі", instrument: "{0} құралы" },
};

function withScope(code: ErrorCode, details: ErrorDetails, language: Language): ErrorDetails {
  if (code !== "NOTHING_TO_RESUME" || language === "en" || typeof details.scope !== "string") return details;
  const words = RESUME_SCOPES[language];
  const match = /^(region|instrument) (.+)$/.exec(details.scope);
  const scope =
    details.scope === "the market"
      ? words.market
      : match !== null
        ? words[match[1] as "region" | "instrument"].replace("{0}", match[2] ?? "")
        : details.scope;
  return { ...details, scope };
}

/** A sentence that opens with a quoted word (a field's name, lower case inside a sentence) opens with a capital. */
function sentenceCase(sentence: string): string {
  return sentence.startsWith("«") ? `«${sentence.charAt(1).toUpperCase()}${sentence.slice(2)}` : sentence;
}
