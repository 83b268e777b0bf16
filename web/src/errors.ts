/**
 * API errors in plain words. The server sends a code, an English sentence and the details that fill it; the browser
 * re-renders the sentence from the code in the reader's language (i18n `errors.CODE`), with prices as tenge per tonne,
 * money as tenge and gas as tonnes instead of raw tiyn and kg. For a code the page's catalogue does not have, and for
 * one that holds free text the server translates (an action, a purpose, a reason, a rule), it makes the server's own
 * sentence from the code and details with the server's catalogue (src/domain/messages.ts), also in the reader's
 * language of the moment: nothing shown stays in the language a request was sent in. Pages keep the error (or a
 * function of the language), never its sentence. `fieldOf` says which form field an error belongs beside.
 */

import { bandClampOf } from "../../src/domain/band-clamp.ts";
import type { ErrorDetails } from "../../src/domain/errors.ts";
import { formatDurationWords, isLanguage } from "../../src/domain/locale.ts";
import { ApiError } from "./api/client.ts";
import { tengeOfTiyn, tengePerTonne, tonnes } from "./format.ts";
import type { I18n } from "./i18n/lookup.ts";

/** Detail names that hold a price in tiyn per tonne, money in tiyn, or a quantity in kg, by error code. */
const PRICE_DETAILS = new Set(["value", "low", "high", "reference", "ceiling", "floor", "tick"]);
const PRICE_CODES = new Set([
  "ORDER_PRICE_OUTSIDE_BAND",
  "ORDER_PRICE_ABOVE_CEILING",
  "ORDER_PRICE_BELOW_FLOOR",
  "ORDER_PRICE_OFF_TICK",
  "ORDER_PRICE_INVALID",
  "ORDER_PRICE_NOT_ALLOWED",
]);
const MONEY_DETAILS = new Set(["free", "required", "shortfall"]);
const KG_DETAILS = new Set(["wouldHold", "bought", "bidding", "offered", "allowed", "lot"]);
/**
 * Details in kg whose names mean something else in other codes (a quantity, a total, a maximum, a value), by code.
 * Every code whose server sentence writes a detail as a price, money or gas (`{name:price}`, `{name:money}`,
 * `{name:kg}` in src/domain/messages-ru.ts) has its words here and in the page's catalogue: English keeps the
 * registry's raw kg and tiyn (test/web/errors.test.ts lists them).
 */
const KG_DETAILS_BY_CODE: Readonly<Record<string, ReadonlySet<string>>> = {
  GAS_QUANTITY_INVALID: new Set(["value", "max"]),
  SHIPMENT_OVER_OBLIGATION: new Set(["quantity", "total", "max"]),
  EXTRA_SESSION_SELLERS_RESTING: new Set(["quantity"]),
};
/**
 * Detail names that hold a duration in ms, said in words ("longer than 1 minute", "дольше 1 минуты"): each sentence
 * that names one puts it after a comparison, which Russian says in the genitive.
 */
const DURATION_DETAILS = new Set(["timeoutMs"]);
/** Detail names that hold buyer categories as the engine lists them ("wholesaler, industrial"; "none"), by error code. */
const CATEGORY_DETAILS = new Set(["category", "eligible"]);

/** Details that are free text the server translates (src/domain/phrases.ts), not values the page can format. */
const FREE_TEXT = ["action", "purpose", "reason", "rule", "what"] as const;

function isFreeText(name: string): boolean {
  return (FREE_TEXT as readonly string[]).includes(name);
}

export type FormField = "price" | "quantity" | "expireAt" | "account" | "instrument" | "user" | "password" | "form";

/**
 * Request fields the API's schema bounds in kg or tiyn per tonne: its refusal of one (REQUEST_INVALID, keyword
 * maximum or minimum) is said in tonnes or tenge per tonne beside the field, not in the schema's raw units.
 */
const SCHEMA_QUANTITY_FIELDS = new Set(["quantity", "quantityKg", "volumeKg"]);
const SCHEMA_PRICE_FIELDS = new Set(["price", "priceTiynPerTonne"]);

function schemaBound(
  error: ApiError,
): { field: "quantity" | "price"; keyword: "maximum" | "minimum"; limit: number } | null {
  const { field, keyword, limit } = error.details;
  if (error.code !== "REQUEST_INVALID" || typeof field !== "string" || typeof limit !== "number") return null;
  const bound =
    keyword === "maximum" || keyword === "exclusiveMaximum"
      ? "maximum"
      : keyword === "minimum" || keyword === "exclusiveMinimum"
        ? "minimum"
        : null;
  if (bound === null) return null;
  if (SCHEMA_QUANTITY_FIELDS.has(field)) return { field: "quantity", keyword: bound, limit };
  if (SCHEMA_PRICE_FIELDS.has(field)) return { field: "price", keyword: bound, limit };
  return null;
}

export function fieldOf(error: unknown): FormField {
  if (!(error instanceof ApiError)) return "form";
  const bound = schemaBound(error);
  if (bound) return bound.field;
  const code = error.code;
  if (code.startsWith("ORDER_PRICE") || code === "ORDER_MARKET_BUY_NOT_COVERED") return "price";
  if (
    code.startsWith("ORDER_QUANTITY") ||
    code === "ORDER_LOTS_LIMIT" ||
    code === "ORDER_CONCENTRATION_LIMIT" ||
    code === "RISK_INSUFFICIENT_FUNDS" ||
    code === "RISK_INSUFFICIENT_VOLUME"
  ) {
    return "quantity";
  }
  if (code === "ORDER_EXPIRY_INVALID") return "expireAt";
  if (code.startsWith("ACCOUNT") || code === "FORBIDDEN_ACCOUNT" || code === "MEMBER_SUSPENDED") return "account";
  if (code.startsWith("INSTRUMENT") || code === "PHASE_CLOSED") return "instrument";
  if (code === "AUTH_FAILED") return "password";
  return "form";
}

export function describeError(error: unknown, i18n: I18n): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const bound = schemaBound(error);
  if (bound) {
    const value =
      bound.field === "quantity" ? tonnes(bound.limit, i18n.locale) : tengePerTonne(bound.limit, i18n.locale);
    return i18n.t(`fieldLimits.${bound.field}${bound.keyword === "maximum" ? "Maximum" : "Minimum"}`, {
      max: value,
      min: value,
    });
  }
  // A band a price ceiling or floor clamped is said as such, not as ±N% around the reference (src/domain/band-clamp.ts).
  const clamp = error.code === "ORDER_PRICE_OUTSIDE_BAND" ? bandClampOf(error.details) : null;
  const key = clamp === null ? `errors.${error.code}` : `bandClamped.${clamp}`;
  if (!i18n.has(key)) return serverSentence(error, i18n);
  // What the caller wanted to do is free text the server's phrase catalogue translates: the server's sentence, made
  // here in the reader's language now (not the one the request was sent in).
  const template = i18n.t(key);
  if (
    i18n.language !== "en" &&
    FREE_TEXT.some((name) => typeof error.details[name] === "string" && template.includes(`{${name}}`))
  ) {
    return serverSentence(error, i18n);
  }
  const params: Record<string, string | number> = {};
  const { code, details } = error;
  for (const [name, raw] of Object.entries(details)) {
    if (typeof raw !== "number" && typeof raw !== "string") {
      if (raw !== null && raw !== undefined) params[name] = JSON.stringify(raw);
      continue;
    }
    const numeric = typeof raw === "number" || /^-?\d+$/.test(raw);
    if (typeof raw === "string" && isFreeText(name) && serverCatalogue !== null && isLanguage(i18n.language)) {
      // English (the other languages took the server's sentence above): the phrase as written, its prices in tenge.
      params[name] = serverCatalogue.phraseForReader(raw, i18n.language);
    } else if (name === "phase" && typeof raw === "string" && i18n.has(`phases.${raw}`)) {
      params[name] = i18n.t(`phases.${raw}`);
    } else if (numeric && PRICE_CODES.has(code) && PRICE_DETAILS.has(name)) {
      params[name] = tengePerTonne(Number(raw), i18n.locale);
    } else if (typeof raw === "string" && code === "ACCOUNT_NOT_ELIGIBLE" && CATEGORY_DETAILS.has(name)) {
      params[name] = raw
        .split(", ")
        .map((category) => (i18n.has(`buyerCategories.${category}`) ? i18n.t(`buyerCategories.${category}`) : category))
        .join(", ");
    } else if (typeof raw === "number" && DURATION_DETAILS.has(name) && isLanguage(i18n.language)) {
      params[name] = formatDurationWords(raw, i18n.language, "genitive");
    } else if (numeric && code === "RISK_INSUFFICIENT_FUNDS" && MONEY_DETAILS.has(name)) {
      params[name] = tengeOfTiyn(raw, i18n.locale);
    } else if (
      numeric &&
      (KG_DETAILS.has(name) ||
        KG_DETAILS_BY_CODE[code]?.has(name) === true ||
        (code.startsWith("ORDER_QUANTITY") && name === "value") ||
        (code === "RISK_INSUFFICIENT_VOLUME" && MONEY_DETAILS.has(name)))
    ) {
      params[name] = tonnes(raw, i18n.locale);
    } else {
      params[name] = raw;
    }
  }
  return i18n.t(key, params);
}

/** The server's catalogue of sentences (src/domain/messages.ts), loaded beside the page once it has started. */
type ServerCatalogue = typeof import("../../src/domain/catalogue.ts");
let serverCatalogue: ServerCatalogue | null = null;

/**
 * Loads the server's catalogue in its own file, after the page's (a sixth of the application's size, needed only once
 * something is refused); until it is here a refusal shows the sentence it came with.
 */
export function loadServerCatalogue(): Promise<void> {
  return import("../../src/domain/catalogue.ts").then(
    (catalogue) => {
      serverCatalogue = catalogue;
    },
    () => undefined,
  );
}

/**
 * The server's own sentence for an error, made in the browser from its code and details with the server's catalogue
 * (pure and shared), in the reader's language of the moment: a refusal shown before the reader switches language
 * follows the switch. A code the catalogue does not know (the browser's own, e.g. NETWORK) keeps the sentence it
 * came with.
 */
function serverSentence(error: ApiError, i18n: I18n): string {
  const catalogue = serverCatalogue;
  if (catalogue === null || !catalogue.isErrorCode(error.code) || !catalogue.isLanguage(i18n.language)) {
    return error.message;
  }
  const details: Record<string, string | number | boolean | null> = {};
  for (const [name, value] of Object.entries(error.details)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null) {
      details[name] = value;
    }
  }
  return catalogue.localize(error.code, details satisfies ErrorDetails, i18n.language);
}
