/**
 * Forms of value a request's schema asks for with a pattern (a month, a day), named in words: a refusal says "a month
 * as YYYY-MM" where the validator would show the regular expression. The gateway's schemas take their patterns from
 * here (gateway/routes/console.ts: MONTH, DATE), so a pattern and its words cannot drift apart; a pattern not here
 * is shown as written.
 *
 * An id's form has a length too (each schema bounds it: 64 for most ids, less for an account or a client's order id), so
 * its words name the most characters when the refusal gives it (`formWords`): a person fixing the characters then does
 * not meet a second refusal for the length.
 *
 * Promise: `formOfPattern(p)` is the form whose pattern is exactly `p`, else null; every form has words in en/ru/kk.
 */

import { ID_PATTERN_SOURCE } from "./limits.ts";
import type { Language } from "./locale.ts";

/** Years a month or date may name (the engine's calendar range). */
const YEAR = "(19\\d\\d|2[01]\\d\\d)";
export const MONTH_PATTERN_TEXT = `^${YEAR}-(0[1-9]|1[0-2])$`;
export const DATE_PATTERN_TEXT = `^${YEAR}-\\d\\d-\\d\\d$`;
/** A name a person chooses (a user, an account): Latin letters, digits and . _ - only. */
export const NAME_ID_PATTERN_TEXT = "^[A-Za-z0-9_.-]+$";
/** A client's order id: as a name, and ':' too. */
export const CLIENT_ORDER_ID_PATTERN_TEXT = "^[A-Za-z0-9_.:-]+$";

export type ValueForm = "month" | "date" | "nameId" | "clientOrderId" | "printableId";

const FORMS: ReadonlyMap<string, ValueForm> = new Map([
  [MONTH_PATTERN_TEXT, "month"],
  [DATE_PATTERN_TEXT, "date"],
  [NAME_ID_PATTERN_TEXT, "nameId"],
  [CLIENT_ORDER_ID_PATTERN_TEXT, "clientOrderId"],
  [ID_PATTERN_SOURCE, "printableId"],
]);

/** "text without spaces": the end of every id form's Kazakh words, after which its length is said. */
const KK_TEXT = "бос орынсыз мәтін";

/** What a value of each form is, as the end of "… must be {words}" / "ожидается {words}" / "{words} күтіледі". */
export const VALUE_FORM_WORDS: Readonly<Record<ValueForm, Readonly<Record<Language, string>>>> = {
  month: { en: "a month as YYYY-MM", ru: "месяц в виде ГГГГ-ММ", kk: "ЖЖЖЖ-АА түріндегі ай" },
  date: { en: "a day as YYYY-MM-DD", ru: "день в виде ГГГГ-ММ-ДД", kk: "ЖЖЖЖ-АА-КК түріндегі күн" },
  nameId: {
    en: "written with Latin letters, digits and the signs . _ - only, without spaces",
    ru: "текст из латинских букв, цифр и знаков . _ - без пробелов",
    kk: `латын әріптерінен, цифрлардан және . _ - таңбаларынан тұратын ${KK_TEXT}`,
  },
  clientOrderId: {
    en: "written with Latin letters, digits and the signs . _ : - only, without spaces",
    ru: "текст из латинских букв, цифр и знаков . _ : - без пробелов",
    kk: `латын әріптерінен, цифрлардан және . _ : - таңбаларынан тұратын ${KK_TEXT}`,
  },
  printableId: {
    en: "written with Latin letters, digits and punctuation signs only, without spaces",
    ru: "текст из латинских букв, цифр и знаков препинания без пробелов",
    kk: `латын әріптерінен, цифрлардан және тыныс белгілерінен тұратын ${KK_TEXT}`,
  },
};

const ID_FORMS: ReadonlySet<ValueForm> = new Set(["nameId", "clientOrderId", "printableId"]);

/**
 * The words of a form, with the most characters an id of that form may have when `lengthMax` is given: "written with
 * …, without spaces, at most 64 characters" / "… без пробелов, не длиннее 64 символов" / "…, 64 таңбадан аспайтын бос
 * орынсыз мәтін". A month or a day has its length in its form already.
 */
export function formWords(form: ValueForm, language: Language, lengthMax?: number): string {
  const words = VALUE_FORM_WORDS[form][language];
  if (lengthMax === undefined || !ID_FORMS.has(form)) return words;
  if (language === "en") return `${words}, at most ${lengthMax} ${lengthMax === 1 ? "character" : "characters"}`;
  if (language === "ru") {
    const one = lengthMax % 10 === 1 && lengthMax % 100 !== 11;
    return `${words}, не длиннее ${lengthMax} ${one ? "символа" : "символов"}`;
  }
  return `${words.slice(0, -KK_TEXT.length - 1)}, ${lengthMax} таңбадан аспайтын ${KK_TEXT}`;
}

export function formOfPattern(pattern: unknown): ValueForm | null {
  return typeof pattern === "string" ? (FORMS.get(pattern) ?? null) : null;
}
