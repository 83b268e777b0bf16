/**
 * How every document of the exchange writes its values (contracts, statements, clearing reports, the bulletin and the
 * weekly summary, in PDF and in the XLSX texts): one module, so a figure reads the same in each of them.
 *
 * - Numbers, money, tonnes, percentages, dates and times come from src/domain/locale.ts (the same functions the audit
 *   trail and the notifications use): ru and kk group thousands with a no-break space and write a decimal comma;
 *   times are exchange time (Kazakhstan, UTC+5) as `dd.MM.yyyy HH:mm`, English keeps the ISO order.
 *   Documents of record write money with both tiyn digits ("128 262,00") and tonnes with three decimals ("54,000").
 * - Products, regions and instruments are named in the document's language (the instrument's listed `name` is the
 *   operator's English text, so a Kazakh or Russian document composes the name from the listing's fields instead).
 * - A regulator's safeguard change is written as a sentence ("ценовой коридор ±10,00 %; …"), never as its JSON.
 *
 * Promise: pure functions of their arguments; nothing reads a clock. An unknown code is written as given.
 */

import { formatIsoTime, formatTengeFixed, formatTonnesFixed, type Language } from "../domain/locale.ts";
import { regionName } from "./labels.ts";

export {
  formatDate,
  formatInteger,
  formatIsoTime,
  formatMoneyTiyn,
  formatPercent,
  formatPercentBps,
  formatPriceTiynPerTonne,
  formatQuantityKg,
  formatTengeFixed,
  formatTimeMs,
  formatTonnesFixed,
  type Language,
} from "../domain/locale.ts";
export { safeguardChangesText } from "../domain/safeguard-words.ts";
export { productName, regionName } from "./labels.ts";

/** Products' short names, for table columns and instrument names (the web's `products.*` words). */
const PRODUCT_SHORT: Readonly<Record<string, Readonly<Record<Language, string>>>> = {
  "propane-butane": { en: "Propane-butane", ru: "Пропан-бутан", kk: "Пропан-бутан" },
  propane: { en: "Propane", ru: "Пропан", kk: "Пропан" },
  butane: { en: "Butane", ru: "Бутан", kk: "Бутан" },
};

/** A product's short name ("Пропан-бутан"); an unknown product as its code. */
export function productShortName(product: string, language: Language): string {
  return PRODUCT_SHORT[product]?.[language] ?? product;
}

/** A delivery month `yyyy-MM` as `MM.yyyy` (en keeps `yyyy-MM`); anything else as given. */
export function formatMonth(value: string, language: Language): string {
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  return match === null || language === "en" ? value : `${match[2]}.${match[1]}`;
}

/** What documents know of an instrument's listing. */
export interface InstrumentNaming {
  readonly id: string;
  readonly product: string | null;
  readonly basis: string | null;
  readonly region: string | null;
  readonly deliveryPeriod: string | null;
}

/**
 * An instrument named in the language from its listing: "Пропан-бутан, EXW KAZGPZ, Маңғыстау облысы, 12.2026
 * (PB-KAZGPZ-2612)". Without a listing, its id.
 */
export function instrumentName(i: InstrumentNaming, language: Language): string {
  if (i.product === null) return i.id;
  const parts = [productShortName(i.product, language)];
  if (i.basis !== null) parts.push(`EXW ${i.basis}`);
  if (i.region !== null) parts.push(regionName(i.region, language));
  if (i.deliveryPeriod !== null) parts.push(formatMonth(i.deliveryPeriod, language));
  return `${parts.join(", ")} (${i.id})`;
}

/** Money with its unit word for documents of record: "128 262,00 теңге" (the unit is the labels' `tenge`). */
export function tengeWithUnit(tiyn: unknown, language: Language, unit: string): string {
  return `${formatTengeFixed(tiyn, language)} ${unit}`;
}

/** A stored ISO time as the reader's exchange time (`—` for none). */
export function timeOrDash(iso: string | null, language: Language): string {
  return iso === null ? "—" : formatIsoTime(iso, language);
}
/** Tonnes with their unit word: "54,000 т". */
export function tonnesWithUnit(kg: unknown, language: Language, unit: string): string {
  return `${formatTonnesFixed(kg, language)} ${unit}`;
}
