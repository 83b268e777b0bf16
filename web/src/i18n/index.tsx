/**
 * Languages of the web application. Every sentence and label lives in a JSON file beside this one (en.json, ru.json, kk.json),
 * keyed by a dotted path; components ask for keys and never hold text. English is complete and is the fallback for a
 * key another language lacks. Kazakh (kk.json) is the state language; Russian and English follow.
 *
 * Placeholders are `{name}`; numbers and prices are formatted by the caller (format.ts) in the language's locale.
 * The choice is kept in localStorage and sets <html lang>.
 */

import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { setRequestLanguage } from "../api/client.ts";
import { languageChanged } from "../api/live.ts";
import en from "./en.json";
import kk from "./kk.json";
import { type I18n, interpolate, lookup } from "./lookup.ts";
import ru from "./ru.json";

export type Messages = typeof en;

interface Language {
  readonly code: string;
  /** The language's own name, shown in the switch. */
  readonly name: string;
  /** Locale for numbers and dates. */
  readonly locale: string;
  readonly messages: unknown;
}

/**
 * The locale Kazakh numbers and dates are written in: kk-KZ where the browser has its data; else ru-KZ, which writes
 * them the same way (a space between thousands, a comma before decimals, dd.MM.yyyy, 24-hour) — Chromium's own ICU
 * data lacks Kazakh (though `supportedLocalesOf` names it) and writes the root locale's "133,000" and "2026-01-06".
 */
function kazakhLocale(): string {
  try {
    // Chromium says it supports kk-KZ but writes "1,234.5" and "1970-01-01": judged by what it writes.
    const number = new Intl.NumberFormat("kk-KZ").format(1234.5).replace(/\s/g, " ");
    const date = new Intl.DateTimeFormat("kk-KZ", { timeZone: "UTC" }).format(new Date(0));
    return number === "1 234,5" && date === "01.01.1970" ? "kk-KZ" : "ru-KZ";
  } catch {
    return "ru-KZ";
  }
}

export const LANGUAGES: readonly Language[] = [
  { code: "en", name: "English", locale: "en-US", messages: en },
  { code: "ru", name: "Русский", locale: "ru-RU", messages: ru },
  { code: "kk", name: "Қазақша", locale: kazakhLocale(), messages: kk },
];

const STORAGE_KEY = "sauda.language";

export type { I18n };
export { interpolate };

function initialLanguage(): string {
  const stored = typeof localStorage === "undefined" ? null : localStorage.getItem(STORAGE_KEY);
  if (stored && LANGUAGES.some((l) => l.code === stored)) return stored;
  const preferred = typeof navigator === "undefined" ? "en" : navigator.language.slice(0, 2);
  return LANGUAGES.some((l) => l.code === preferred) ? preferred : "en";
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState(initialLanguage);
  const setLanguage = useCallback((code: string) => {
    if (!LANGUAGES.some((l) => l.code === code)) return;
    localStorage.setItem(STORAGE_KEY, code);
    setLanguageState(code);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  // Set while rendering, not in an effect, so the first requests the pages make already carry the language.
  setRequestLanguage(language);
  // What the exchange wrote in the language shown before is fetched again in this one (live.ts).
  const shownIn = useRef(language);
  useEffect(() => {
    if (shownIn.current === language) return;
    shownIn.current = language;
    languageChanged();
  }, [language]);
  const value = useMemo<I18n>(() => {
    const current = LANGUAGES.find((l) => l.code === language) ?? LANGUAGES[0]!;
    return {
      language: current.code,
      locale: current.locale,
      setLanguage,
      has: (key) => lookup(current.messages, key) !== undefined || lookup(en, key) !== undefined,
      t: (key, params) => interpolate(lookup(current.messages, key) ?? lookup(en, key) ?? key, params),
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
