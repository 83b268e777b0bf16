/**
 * The browser's sentences for API errors (web/src/errors.ts), made from the page's catalogues (web/src/i18n/*.json):
 * values the server sends as codes or raw counts are said in words in the reader's language.
 */

import { describe, expect, it } from "vitest";
import { ERRORS, type ErrorCode } from "../../src/domain/errors.ts";
import { ERROR_CATALOGUES, placeholdersOf } from "../../src/domain/messages.ts";
import { codeWord } from "../../src/domain/phrases.ts";
import { BUYER_CATEGORIES } from "../../src/engine/members.ts";
import { ApiError } from "../../web/src/api/client.ts";
import { describeError, loadServerCatalogue } from "../../web/src/errors.ts";
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

  it("writes the prices in a refused safeguard's reason in tenge per tonne in English too, as ru and kk do", async () => {
    await loadServerCatalogue();
    const refused = new ApiError(0, "SAFEGUARDS_INVALID", "Safeguards are not valid: floor 12000000 is above …", {
      reason: "floor 12000000 is above the ceiling 10000000",
    });
    expect(describeError(refused, i18nOf("en"))).toBe(
      "Safeguards are not valid: floor 120,000 ₸/t is above the ceiling 100,000 ₸/t.",
    );
    const ru = describeError(refused, i18nOf("ru"));
    expect(ru).toMatch(
      /^Ограничительные меры недействительны: минимальная цена 120\s000 ₸\/т выше предельной цены 100\s000 ₸\/т\.$/u,
    );
    // A reason without prices stays as written.
    const other = new ApiError(0, "SAFEGUARDS_INVALID", "…", {
      reason: "ceilingPath must be a list of at most 30 steps",
    });
    expect(describeError(other, i18nOf("en"))).toBe(
      "Safeguards are not valid: ceilingPath must be a list of at most 30 steps.",
    );
  });

  it("says a band the price ceiling clamped as the ceiling's, not as ±5% around the reference", () => {
    // Band ±5% around 120,000 ₸/t is 114,000–126,000; a ceiling of 110,000 leaves one price.
    const band = { value: 10_900_000, low: 11_000_000, high: 11_000_000, reference: 12_000_000, bandPercent: 5 };
    const only = new ApiError(422, "ORDER_PRICE_OUTSIDE_BAND", "Price 10900000 is outside …", band);
    expect(describeError(only, i18nOf("en"))).toBe(
      "Price 109,000 ₸/t is outside today's band: orders trade only at 110,000 ₸/t, the price ceiling, which caps the band of ±5% around the reference price 120,000 ₸/t.",
    );
    expect(describeError(only, i18nOf("kk")).replace(/\s/gu, " ")).toBe(
      "109 000 ₸/т бағасы бүгінгі баға дәлізінен тыс: мәмілелер тек 110 000 ₸/т бағамен жасалады — бұл жоғарғы шек анықтамалық баға 120 000 ₸/т айналасындағы ±5% дәлізді шектейді.",
    );
    // A ceiling inside the band moves its high end only; a floor its low end.
    const capped = new ApiError(422, "ORDER_PRICE_OUTSIDE_BAND", "…", {
      ...band,
      value: 12_300_000,
      low: 11_400_000,
      high: 12_200_000,
    });
    expect(describeError(capped, i18nOf("ru")).replace(/\s/gu, " ")).toBe(
      "Цена 123 000 ₸/т вне ценового коридора на сегодня 114 000–122 000 ₸/т: предельная цена 122 000 ₸/т ограничивает коридор ±5% от референтной цены 120 000 ₸/т.",
    );
    const lifted = new ApiError(422, "ORDER_PRICE_OUTSIDE_BAND", "…", {
      ...band,
      value: 11_700_000,
      low: 11_800_000,
      high: 12_600_000,
    });
    expect(describeError(lifted, i18nOf("en"))).toBe(
      "Price 117,000 ₸/t is outside today's price band 118,000–126,000 ₸/t: the price floor 118,000 ₸/t lifts the band of ±5% around the reference price 120,000 ₸/t.",
    );
    // The day's band as it is (its ends rounded inward to the tick) keeps the band's sentence.
    const plain = new ApiError(422, "ORDER_PRICE_OUTSIDE_BAND", "…", {
      ...band,
      value: 13_000_000,
      low: 11_400_000,
      high: 12_600_000,
    });
    expect(describeError(plain, i18nOf("en"))).toBe(
      "Price 130,000 ₸/t is outside today's price band 114,000–126,000 ₸/t (±5% around the reference price 120,000 ₸/t).",
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

/**
 * Codes whose details carry gas in kg, a price in tiyn per tonne or money in tiyn: those whose server sentence in
 * Russian or Kazakh writes a detail as `{name:kg}`, `{name:price}` or `{name:money}`. The English sentence is the
 * registry's, stored as published with the raw units ("Shipping 999999000 kg …"), so the page needs its own words.
 */
function codesWithUnits(): Map<ErrorCode, Map<string, "kg" | "price" | "money">> {
  const found = new Map<ErrorCode, Map<string, "kg" | "price" | "money">>();
  for (const code of Object.keys(ERRORS) as ErrorCode[]) {
    for (const catalogue of Object.values(ERROR_CATALOGUES)) {
      for (const { name, kind } of placeholdersOf(catalogue[code])) {
        if (kind !== "kg" && kind !== "price" && kind !== "money") continue;
        const units = found.get(code) ?? new Map<string, "kg" | "price" | "money">();
        units.set(name, kind);
        found.set(code, units);
      }
    }
  }
  return found;
}

describe("refusals that carry kg or tiyn have the page's words", () => {
  const codes = codesWithUnits();

  it("finds the codes (the dispatch over an obligation among them)", () => {
    expect(codes.get("SHIPMENT_OVER_OBLIGATION")).toEqual(
      new Map([
        ["quantity", "kg"],
        ["total", "kg"],
        ["max", "kg"],
      ]),
    );
    expect(codes.size).toBeGreaterThanOrEqual(11);
  });

  it("says each in tonnes, tenge per tonne or tenge in en, ru and kk, never the raw count", () => {
    const missing: string[] = [];
    for (const [code, units] of codes) {
      for (const language of ["en", "ru", "kk"] as const) {
        if (lookup(CATALOGUES[language], `errors.${code}`) === undefined) missing.push(`${language} ${code}`);
      }
      const details: Record<string, string | number> = {};
      for (const { name } of placeholdersOf(ERRORS[code].template)) details[name] = `x-${name}`;
      for (const [name, kind] of units) details[name] = kind === "kg" ? 999_999_000 : 12_345_600;
      const said = describeError(new ApiError(0, code, ERRORS[code].template, details), i18nOf("en"));
      for (const [name, kind] of units) {
        expect(said, `${code} ${name}`).not.toContain(kind === "kg" ? "999999000" : "12345600");
        expect(said, `${code} ${name}`).toContain(kind === "kg" ? "999,999" : "123,456");
      }
      expect(said, code).not.toMatch(/\bkg\b|\btiyn\b|[{}]/);
    }
    expect(missing).toEqual([]);
  });

  it("says a dispatch over the obligation in tonnes, grouped the reader's way", () => {
    const refused = new ApiError(0, "SHIPMENT_OVER_OBLIGATION", "Shipping 999999000 kg …", {
      quantity: 999_999_000,
      obligation: "OB-7",
      total: 1_000_011_500,
      max: 3000,
    });
    expect(describeError(refused, i18nOf("en"))).toBe(
      "Shipping 999,999 t would bring obligation OB-7 to 1,000,011.5 t dispatched, over its 3 t.",
    );
    expect(describeError(refused, i18nOf("ru"))).toMatch(
      /^Отгрузка 999\s999 т довела бы отгруженное по обязательству OB-7 до 1\s000\s011,5 т, больше его 3 т\.$/,
    );
    expect(describeError(refused, i18nOf("kk"))).toMatch(
      /^999\s999 т жөнелту OB-7 міндеттемесі бойынша жөнелтілгенді 1\s000\s011,5 т етер еді, бұл оның 3 т көлемінен көп\.$/,
    );
  });
});
