/**
 * The browser's sentences for API errors (web/src/errors.ts), made from the page's catalogues (web/src/i18n/*.json):
 * values the server sends as codes or raw counts are said in words in the reader's language.
 */

import { describe, expect, it } from "vitest";
import { codeWord } from "../../src/domain/phrases.ts";
import { BUYER_CATEGORIES } from "../../src/engine/members.ts";
import { ApiError } from "../../web/src/api/client.ts";
import { describeError } from "../../web/src/errors.ts";
import en from "../../web/src/i18n/en.json" with { type: "json" };
import kk from "../../web/src/i18n/kk.json" with { type: "json" };
import { type I18n, interpolate, lookup } from "../../web/src/i18n/lookup.ts";
import ru from "../../web/src/i18n/ru.json" with { type: "json" };

const CATALOGUES: Readonly<Record<string, unknown>> = { en, ru, kk };

/** The page's I18n for a language, as web/src/i18n/index.tsx builds it (English where a key is missing). */
function i18nOf(language: "en" | "ru" | "kk"): I18n {
  const find = (key: string) => lookup(CATALOGUES[language], key) ?? lookup(en, key);
  return {
    language,
    locale: { en: "en-US", ru: "ru-RU", kk: "kk-KZ" }[language],
    setLanguage: () => undefined,
    t: (key, params) => interpolate(find(key) ?? key, params),
    has: (key) => find(key) !== undefined,
  };
}

describe("API errors in the browser's words", () => {
  it("says how long a policy-lab run may take in words, not as a count of milliseconds", () => {
    const timeout = new ApiError(0, "LAB_RUN_TIMEOUT", "The simulation ran longer than 120000 ms …", {
      timeoutMs: 120_000,
      doneDays: 3,
      days: 366,
    });
    expect(describeError(timeout, i18nOf("en"))).toBe(
      "The simulation took longer than 2 minutes and was stopped after 3 of 366 days; try fewer days.",
    );
    expect(describeError(timeout, i18nOf("ru"))).toBe(
      "Моделирование длилось дольше 2 минут и остановлено после 3 из 366 дней; уменьшите число дней.",
    );
    expect(describeError(timeout, i18nOf("kk"))).toBe(
      "Модельдеу 2 минут ішінде аяқталмай, 366 күннің 3-інен кейін тоқтатылды; күндерді азайтыңыз.",
    );
  });

  it("names the buyer categories an instrument admits in words, not by their wire codes", () => {
    const refused = new ApiError(0, "ACCOUNT_NOT_ELIGIBLE", "Account 'A1' …", {
      account: "A1",
      category: "none",
      instrument: "LPG",
      eligible: "filling-station-network, wholesaler",
    });
    expect(describeError(refused, i18nOf("en"))).toBe(
      "Account A1 (buyer category: none) may not buy here; eligible: filling-station networks, wholesalers.",
    );
    expect(describeError(refused, i18nOf("ru"))).toBe(
      "Счёт A1 (категория покупателя: нет) не может покупать здесь; допущены: сети АЗС, оптовые покупатели.",
    );
    expect(describeError(refused, i18nOf("kk"))).toBe(
      "A1 шоты (сатып алушы санаты: жоқ) мұнда сатып ала алмайды; рұқсат етілгендер: ЖҚС желілері, көтерме сатып алушылар.",
    );
  });

  it("has a word for every buyer category, the same as the server's in ru and kk", () => {
    for (const category of BUYER_CATEGORIES) {
      expect(lookup(en, `buyerCategories.${category}`), category).toBeDefined();
      for (const language of ["ru", "kk"] as const) {
        expect(lookup(CATALOGUES[language], `buyerCategories.${category}`)).toBe(codeWord(category, language));
      }
    }
  });
});
