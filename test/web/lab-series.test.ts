import { describe, expect, it } from "vitest";
import { axisDayText, weekMean } from "../../web/src/lab-series.ts";

describe("the Policy lab's volumes: the mean of the 7 days ending on each day", () => {
  it("turns a weekday sawtooth into its weekly level, with fewer days at the run's start", () => {
    // Five working days of 70 t and a weekend with no sessions, twice.
    const daily = [70, 70, 70, 70, 70, 0, 0, 70, 70, 70, 70, 70, 0, 0];
    expect(weekMean(daily)).toEqual([70, 70, 70, 70, 70, 350 / 6, 50, 50, 50, 50, 50, 50, 50, 50]);
  });

  it("is the day itself on the first day, and an empty run stays empty", () => {
    expect(weekMean([12.5])).toEqual([12.5]);
    expect(weekMean([])).toEqual([]);
  });
});

describe("the Policy lab's date axis in the reader's language", () => {
  it("writes a Kazakh day with figures, never with the Russian month names of the locale standing in for Kazakh", () => {
    // Chromium has no Kazakh month names: the page's Kazakh locale is ru-KZ there (i18n kazakhLocale), whose short
    // month names put "7 янв. 2022 г." on a Kazakh page.
    expect(axisDayText("2022-01-07", "kk", "ru-KZ")).toBe("07.01.2022");
    expect(axisDayText("2022-12-31", "kk", "kk-KZ")).toBe("31.12.2022");
  });

  it("keeps the short month name in Russian and English", () => {
    expect(axisDayText("2022-01-07", "ru", "ru-RU")).toBe("7 янв. 2022 г.");
    expect(axisDayText("2022-01-07", "en", "en-US")).toBe("Jan 7, 2022");
  });
});
