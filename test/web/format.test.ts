/** How the web application reads amounts typed by a person (web/src/format.ts), in English and in Russian. */

import { describe, expect, it } from "vitest";
import { formatTimeMs } from "../../src/domain/locale.ts";
import {
  calendarDate,
  calendarMonth,
  exchangeMinute,
  exchangeTime,
  figureText,
  parseAmount,
  parseScaled,
  wholeTengePerTonne,
} from "../../web/src/format.ts";

const tiyn = (text: string, locale: string) => parseAmount(text, 2, locale);

describe("amounts typed in the reader's locale", () => {
  it("reads a Russian decimal comma as the decimal separator", () => {
    expect(tiyn("1000000,50", "ru-RU")).toEqual({ value: 100_000_050 });
    expect(tiyn("1 000 000,50", "ru-RU")).toEqual({ value: 100_000_050 });
    expect(tiyn("1\u00a0000\u00a0000,5", "ru-RU")).toEqual({ value: 100_000_050 });
    expect(tiyn("1,500", "ru-RU")).toEqual({ value: 150 });
  });

  it("reads English grouping and decimal point", () => {
    expect(tiyn("1,000,000.50", "en-US")).toEqual({ value: 100_000_050 });
    expect(tiyn("1000000.50", "en-US")).toEqual({ value: 100_000_050 });
    expect(tiyn("1,500", "en-US")).toEqual({ value: 150_000 });
    expect(tiyn("1.500", "en-US")).toEqual({ value: 150 });
  });

  it("reads a separator that can only be a decimal one as such in either language", () => {
    expect(tiyn("1000000,50", "en-US")).toEqual({ value: 100_000_050 });
    expect(tiyn("1000000.50", "ru-RU")).toEqual({ value: 100_000_050 });
    expect(tiyn("1.000.000,50", "en-US")).toEqual({ value: 100_000_050 });
  });

  it("refuses what could mean two amounts, and what is not an amount", () => {
    expect(tiyn("1.500", "ru-RU")).toEqual({ problem: "ambiguous" });
    expect(tiyn("1,00,000", "en-US")).toEqual({ problem: "invalid" });
    expect(tiyn("12.5.0", "en-US")).toEqual({ problem: "invalid" });
    expect(tiyn("ten", "en-US")).toEqual({ problem: "invalid" });
    expect(tiyn("", "en-US")).toEqual({ problem: "invalid" });
    expect(tiyn("1.005", "en-US")).toEqual({ problem: "tooPrecise" });
    expect(tiyn("99999999999999999", "en-US")).toEqual({ problem: "tooLarge" });
  });

  it("keeps the ticket's prices and quantities exact", () => {
    expect(parseScaled("133 400,5", 2, "ru-RU")).toBe(13_340_050);
    expect(parseScaled("133,400.50", 2, "en-US")).toBe(13_340_050);
    expect(parseScaled("20", 3, "en-US")).toBe(20_000);
    expect(parseScaled("1.5", 3, "en-US")).toBe(1_500);
    expect(parseScaled("1,5", 3, "ru-RU")).toBe(1_500);
  });
});

describe("weighted averages in whole tenge", () => {
  it("rounds half a tenge up and shows no tiyn", () => {
    expect(wholeTengePerTonne(13_300_050, "en-US")).toBe("133,001");
    expect(wholeTengePerTonne(13_300_049, "en-US")).toBe("133,000");
    expect(wholeTengePerTonne(13_300_000, "en-US")).toBe("133,000");
    expect(wholeTengePerTonne(null, "en-US")).toBe("—");
  });
});

describe("figures of a form's fields in the reader's way", () => {
  it("reads a figure as the form does in the locale and groups its thousands; anything else as typed", () => {
    const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");
    expect(plain(figureText("146400", "ru-RU"))).toBe("146 400");
    expect(plain(figureText("146 400", "kk-KZ"))).toBe("146 400");
    expect(figureText("146400", "en-US")).toBe("146,400");
    // A comma groups in English and is the decimal point in Russian, as the form reads it.
    expect(figureText("146,400", "en-US")).toBe("146,400");
    expect(figureText("7,5", "ru-RU")).toBe("7,5");
    expect(figureText("7.5", "en-US")).toBe("7.5");
    expect(plain(figureText("1000000,25", "ru-RU"))).toBe("1 000 000,25");
    // Ambiguous ("1.500" in Russian) or not a number: as typed.
    expect(figureText("1.500", "ru-RU")).toBe("1.500");
    expect(figureText("abc", "en-US")).toBe("abc");
    expect(figureText("", "en-US")).toBe("");
  });
});

describe("calendar days in the reader's way", () => {
  it("writes yyyy-MM-dd day first with the year in Kazakh and Russian, and anything else as given", () => {
    expect(calendarDate("2026-01-14", "kk-KZ")).toBe("14.01.2026");
    expect(calendarDate("2026-01-14", "ru-KZ")).toBe("14.01.2026");
    expect(calendarDate("2026-12-31", "ru-RU")).toBe("31.12.2026");
    expect(calendarDate("2026-01-14", "en-US")).toBe("01/14/2026");
    expect(calendarDate("2026-01", "kk-KZ")).toBe("2026-01");
    expect(calendarDate(null, "kk-KZ")).toBe("—");
  });
});

describe("months in the reader's way", () => {
  it("writes yyyy-MM as month.year in Kazakh and Russian, as their days, and anything else as given", () => {
    expect(calendarMonth("2026-12", "kk-KZ")).toBe("12.2026");
    expect(calendarMonth("2026-01", "ru-KZ")).toBe("01.2026");
    expect(calendarMonth("2026-01", "en-US")).toBe("01/2026");
    expect(calendarMonth("2026-13-01", "ru-KZ")).toBe("2026-13-01");
    expect(calendarMonth(undefined, "kk-KZ")).toBe("—");
  });
});

describe("times in exchange time", () => {
  it("says an instant at UTC+5 before 1 March 2024 too, as the ticket reads a typed expiry and the server says it", () => {
    // 10:00 on 1 January 2020 in Kazakhstan (UTC+5) is 05:00 UTC; Asia/Almaty then said UTC+6 (11:00).
    expect(exchangeTime(Date.UTC(2020, 0, 1, 5, 0), "ru", true)).toBe("01.01.2020, 10:00:00");
    expect(exchangeTime(Date.UTC(2024, 1, 29, 23, 30), "kk")).toBe("04:30:00");
    expect(exchangeTime(Date.UTC(2026, 0, 5, 6, 30), "en")).toBe("11:30:00");
  });

  it("writes an instant to the minute as the server writes it (formatTimeMs), in en, ru and kk", () => {
    const at = Date.UTC(2026, 0, 5, 5, 0, 59, 999); // 10:00:59.999 on 5 January in exchange time
    for (const [locale, language] of [
      ["en-US", "en"],
      ["ru-RU", "ru"],
      ["kk-KZ", "kk"],
    ] as const) {
      expect(exchangeMinute(at, locale)).toBe(formatTimeMs(at, language));
    }
    expect(exchangeMinute(at, "ru-RU")).toBe("05.01.2026 10:00");
    expect(exchangeMinute(at, "en-US")).toBe("2026-01-05 10:00");
    expect(exchangeMinute(Date.UTC(2020, 0, 1, 5, 0), "kk-KZ")).toBe("01.01.2020 10:00");
  });
});
