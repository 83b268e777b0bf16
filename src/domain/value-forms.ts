/**
 * Forms of value a request's schema asks for with a pattern (a month, a day), named in words: a refusal says "a month
 * as YYYY-MM" where the validator would show the regular expression. The gateway's schemas take their patterns from
 * here (gateway/routes/console.ts: MONTH, DATE), so a pattern and its words cannot drift apart; a pattern not here
 * is shown as written.
 *
 * Promise: `formOfPattern(p)` is the form whose pattern is exactly `p`, else null; every form has words in en/ru/kk.
 */

import type { Language } from "./locale.ts";

/** Years a month or date may name (the engine's calendar range). */
const YEAR = "(19\\d\\d|2[01]\\d\\d)";
export const MONTH_PATTERN_TEXT = `^${YEAR}-(0[1-9]|1[0-2])$`;
export const DATE_PATTERN_TEXT = `^${YEAR}-\\d\\d-\\d\\d$`;

export type ValueForm = "month" | "date";

const FORMS: ReadonlyMap<string, ValueForm> = new Map([
  [MONTH_PATTERN_TEXT, "month"],
  [DATE_PATTERN_TEXT, "date"],
]);

/** What a value of each form is, as the end of "… must be {words}" / "ожидается {words}" / "{words} күтіледі". */
export const VALUE_FORM_WORDS: Readonly<Record<ValueForm, Readonly<Record<Language, string>>>> = {
  month: { en: "a month as YYYY-MM", ru: "месяц в виде ГГГГ-ММ", kk: "ЖЖЖЖ-АА түріндегі ай" },
  date: { en: "a day as YYYY-MM-DD", ru: "день в виде ГГГГ-ММ-ДД", kk: "ЖЖЖЖ-АА-КК түріндегі күн" },
};

export function formOfPattern(pattern: unknown): ValueForm | null {
  return typeof pattern === "string" ? (FORMS.get(pattern) ?? null) : null;
}
