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
