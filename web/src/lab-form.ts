/**
 * The Policy lab form's values as a person types them and back: shares in percent (the API takes basis points),
 * the ceiling in whole tenge per tonne, the elasticity as a signed decimal, the controls that can be switched off left
 * empty for "off". Parsing goes through `parseScaled` (no floating point), in the reader's locale, and checks the
 * range the server publishes for each parameter; an error is an i18n key with its parameters.
 */

import type { LabParameterInfo, LabParameterName, LabParameters, LabScenarioInfo, ParameterValue } from "./api/lab.ts";
import { parseAmount, parseScaled } from "./format.ts";

export type FieldText = string | boolean;
export type FormValues = Readonly<Record<LabParameterName, FieldText>>;

export interface FieldProblem {
  readonly key: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

/** Decimal places a person may type: hundredths of a percent (= basis points), whole tenge, 1/10 000 of elasticity. */
const ELASTICITY_SCALE = 4;
const BPS_PER_PERCENT = 100;

export function isShare(info: LabParameterInfo): boolean {
  return info.unit === "bps";
}

function plain(value: number, locale: string, fractionDigits: number): string {
  return new Intl.NumberFormat(locale, { useGrouping: false, maximumFractionDigits: fractionDigits }).format(value);
}

/** The text of a field for a value of the scenario. */
export function fieldText(info: LabParameterInfo, value: ParameterValue, locale: string): FieldText {
  if (info.kind === "boolean") return value === true;
  if (value === null || typeof value === "boolean") return "";
  if (isShare(info)) return plain(value / BPS_PER_PERCENT, locale, 2);
  return plain(value, locale, info.kind === "integer" ? 0 : ELASTICITY_SCALE);
}

export function formValues(
  parameters: readonly LabParameterInfo[],
  scenario: LabScenarioInfo,
  locale: string,
): Record<LabParameterName, FieldText> {
  const values = {} as Record<LabParameterName, FieldText>;
  for (const info of parameters) values[info.name] = fieldText(info, scenario.parameters[info.name].value, locale);
  return values;
}

/** How a limit is shown in an error: percent for shares, else the number, thousands grouped the reader's way. */
function shown(info: LabParameterInfo, limit: number | null, locale: string): string {
  if (limit === null) return "";
  const value = isShare(info) ? limit / BPS_PER_PERCENT : limit;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: isShare(info) ? 2 : ELASTICITY_SCALE }).format(value);
}

/** Whether `typed` is a number with more decimals than `scale` (not text that is no number). */
function tooPrecise(typed: string, scale: number, locale: string): boolean {
  const parsed = parseAmount(typed, scale, locale);
  return "problem" in parsed && parsed.problem === "tooPrecise";
}

/** The value a field stands for, or the problem with it. */
export function parseField(
  info: LabParameterInfo,
  text: FieldText,
  locale: string,
): { value: ParameterValue } | { problem: FieldProblem } {
  if (info.kind === "boolean") return { value: text === true };
  const typed = String(text).trim();
  if (typed === "") return info.nullable ? { value: null } : { problem: { key: "lab.form.required" } };
  let value: number | null;
  if (info.kind === "number") {
    const negative = /^[-−]/.test(typed);
    const magnitude = parseScaled(typed.replace(/^[-−+]/, ""), ELASTICITY_SCALE, locale);
    value = magnitude === null ? null : ((negative ? -1 : 1) * magnitude) / 10 ** ELASTICITY_SCALE;
  } else {
    value = parseScaled(typed, isShare(info) ? 2 : 0, locale);
  }
  const range = { min: shown(info, info.minimum, locale), max: shown(info, info.maximum, locale) };
  // A number with more decimals than the field takes ("100000,5" for whole tenge) is told so, not "not a number".
  if (value === null && info.kind !== "number" && tooPrecise(typed, isShare(info) ? 2 : 0, locale)) {
    return { problem: { key: isShare(info) ? "lab.form.twoDecimals" : "lab.form.whole", params: range } };
  }
  if (value === null) return { problem: { key: "lab.form.notNumber", params: range } };
  if ((info.minimum !== null && value < info.minimum) || (info.maximum !== null && value > info.maximum)) {
    return { problem: { key: "lab.form.outOfRange", params: range } };
  }
  return { value };
}

/** The parameters that differ from the scenario's, or the fields' problems. */
export function overridesOf(
  parameters: readonly LabParameterInfo[],
  scenario: LabScenarioInfo,
  values: FormValues,
  locale: string,
): { overrides: Partial<LabParameters>; problems: Partial<Record<LabParameterName, FieldProblem>> } {
  const overrides: Partial<Record<LabParameterName, ParameterValue>> = {};
  const problems: Partial<Record<LabParameterName, FieldProblem>> = {};
  for (const info of parameters) {
    const parsed = parseField(info, values[info.name], locale);
    if ("problem" in parsed) problems[info.name] = parsed.problem;
    else if (parsed.value !== scenario.parameters[info.name].value) overrides[info.name] = parsed.value;
  }
  return { overrides, problems };
}

/** A whole number typed in a field, within bounds; null if it is not one. */
export function parseWhole(text: string, min: number, max: number, locale: string): number | null {
  const value = parseScaled(text.trim(), 0, locale);
  return value === null || value < min || value > max ? null : value;
}

/** The last value carried over days without one (a wholesale price holds until the next trade). */
export function carried(values: readonly (number | null)[]): (number | null)[] {
  let last: number | null = null;
  return values.map((value) => {
    if (value !== null) last = value;
    return last;
  });
}
