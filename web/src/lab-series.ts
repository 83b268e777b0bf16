/** Series the Policy lab page draws, derived from a run's daily figures. */

/**
 * A day's figure as the mean of the 7 days ending on it (fewer at the run's start): sessions run on working days, so
 * daily volumes draw a weekday sawtooth that hides the trend; the mean keeps the axis in days and the unit t/day.
 */
export function weekMean(values: readonly number[]): number[] {
  let sum = 0;
  return values.map((value, i) => {
    sum += value - (i >= 7 ? values[i - 7]! : 0);
    return sum / Math.min(i + 1, 7);
  });
}

/**
 * A day of the lab's date axis ("yyyy-MM-dd") in the reader's language: "7 янв. 2022 г." in Russian, "Jan 7, 2022" in
 * English, and "07.01.2022" in Kazakh, written with figures as the pages write Kazakh days: Chromium's own ICU data has
 * no Kazakh month names, and the Russian locale that stands in for Kazakh numbers and dates (i18n `kazakhLocale`)
 * would put Russian ones ("янв.") on a Kazakh page.
 */
export function axisDayText(day: string, language: string, locale: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (language === "kk") {
    return new Intl.DateTimeFormat(locale, { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" })
      .format(date)
      .replace(/\//g, ".");
  }
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(
    date,
  );
}
