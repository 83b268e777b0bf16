/**
 * Electronic invoices (ESF, «электронный счёт-фактура»): one per delivered obligation, issued by the seller to the
 * buyer, in the XML shape docs/documents.md §3 describes and docs/einvoice.xsd defines. The element names follow the
 * fields Kazakhstan's information system for e-invoices carries (invoice number and date, turnover date, seller's and
 * buyer's BIN, the contract, delivery terms, goods code by TN VED, unit, quantity, price, value without VAT, VAT rate
 * and amount, value with VAT, totals); sauda produces the file for the member to load, it does not sign or send it.
 *
 * - Number `ESF-` + the obligation id without `OB-`; date and turnover date: the exchange date (UTC+5) on which the
 *   obligation's delivery was done.
 * - Goods code: 2711 12 for propane, 2711 13 for butanes, 2711 19 for the propane-butane mix (other liquefied
 *   gaseous hydrocarbons); an unknown product is coded 2711 19 as LPG.
 * - Unit: the tonne (code 168 of the classifier of units), quantity with three decimals; money in tenge with two.
 * - VAT: the rate in force on the trade's date (the contract's rate), computed as on the contract (src/domain/vat.ts).
 *
 * A void after the invoice: a corrected invoice (`FIXED_INVOICE`, «исправленный ЭСФ»), numbered as the original with
 * `-C1`, dated the day of the void, that refers to the original and declares quantity, value and VAT of zero
 * (`einvoicesXml`). Under today's rulebook a trade is voided only before its gas is delivered, so through the API a
 * voided trade has no invoice and none is corrected; the correction is made for whatever void reaches a delivered
 * obligation (a void the rules may widen to, or a journal that holds one).
 *
 * Destination: the instrument's delivery region, or, when an arrival of the obligation's gas was recorded as a
 * diversion outside that region, the regions of the stations it arrived at (`destination`).
 *
 * An obligation whose seller or buyer has no BIN on record cannot carry a valid invoice: it is left out and counted
 * in the root's `withoutBin` attribute, so the member sees that its BIN must be recorded.
 *
 * Promise: the same facts give the same bytes (no generation time in the file), and the output validates against
 * docs/einvoice.xsd (test/reports/documents.test.ts).
 */

import { createRequire } from "node:module";
import type * as XmlBuilder from "xmlbuilder2";
import { tengeText, tonnesText, vatTiyn } from "../domain/vat.ts";
import type { ContractFacts } from "../projections/contracts.ts";
import { localDay } from "../projections/numbers.ts";
import { contractNumber, tradeValueTiyn } from "./contract.ts";
import { productName } from "./labels.ts";

const require = createRequire(import.meta.url);
let xmlBuilderLoaded: typeof XmlBuilder | null = null;

/**
 * xmlbuilder2, loaded on the first export rather than when the server starts (it costs about 130 ms of CPU to load,
 * docs/operations.md "Restart"); a plain require keeps `einvoicesXml` synchronous.
 */
function xmlBuilder(): typeof XmlBuilder {
  xmlBuilderLoaded ??= require("xmlbuilder2") as typeof XmlBuilder;
  return xmlBuilderLoaded;
}

export const ESF_NAMESPACE = "urn:sauda:esf:1";
/** The tonne in the classifier of units of measurement. */
export const UNIT_CODE_TONNE = "168";
/** Most invoices one export holds. */
export const EINVOICES_EXPORT_MAX = 1000;

/** The TN VED code (six digits, spaced as printed) of a product. */
export function goodsCode(product: string | null): string {
  if (product === "propane") return "2711 12";
  if (product === "butane") return "2711 13";
  return "2711 19";
}

export interface EinvoiceExport {
  readonly xml: string;
  readonly invoices: number;
  readonly withoutBin: number;
}

/** The number of an obligation's invoice: `ESF-` and the obligation id without `OB-`. */
export function invoiceNumber(obligation: string): string {
  return `ESF-${obligation.replace(/^OB-/, "")}`;
}

/** Longest correction reason or destination written (the schema's Text). */
const CORRECTION_REASON_MAX = 200;

/**
 * Where the gas went: the instrument's delivery region; when an arrival was recorded as a diversion outside that
 * region, the regions the gas actually arrived in (the stations' regions, in the order of first arrival, comma
 * separated, within the schema's 200 characters).
 */
export function destination(f: ContractFacts): string {
  const diverted = f.divertedTo ?? null;
  if (diverted === null || diverted.length === 0) return f.description?.region ?? "unknown";
  const text = diverted.join(", ");
  return text.length > CORRECTION_REASON_MAX ? `${text.slice(0, CORRECTION_REASON_MAX - 1)}…` : text;
}

interface Issued {
  readonly facts: ContractFacts;
  /** The original invoice, or the corrected one a void after the original brings. */
  readonly kind: "original" | "corrected";
  /** The invoice's date (exchange time). */
  readonly date: string;
  /** The original's date: the delivery's, the turnover date of both. */
  readonly turnoverDate: string;
  readonly seq: number;
}

/**
 * The member's e-invoices (as seller or buyer) among `facts`, whose date in exchange time lies in [from, to]
 * (YYYY-MM-DD, either may be null), in the order they were issued (journal order): for each delivered obligation its
 * invoice, dated the day of delivery; for each of those whose trade was voided afterwards, a corrected invoice
 * (`FIXED_INVOICE`) dated the day of the void, with the original's turnover date, a reference to the original
 * (`relatedInvoice`), the void's rule and reason, and quantity and amounts of zero: a void makes the trade void from
 * the start, so the turnover the original declared is corrected to nothing (docs/documents.md §3).
 */
export function einvoicesXml(
  member: string,
  facts: readonly ContractFacts[],
  range: { from: string | null; to: string | null },
  utcOffsetMs: number,
): EinvoiceExport {
  const issued: Issued[] = [];
  for (const f of facts) {
    if (f.clearing === null || f.deliveredMs === null || f.deliveredSeq === null) continue;
    if (f.seller.member !== member && f.buyer.member !== member) continue;
    const turnoverDate = localDay(f.deliveredMs, utcOffsetMs);
    issued.push({ facts: f, kind: "original", date: turnoverDate, turnoverDate, seq: f.deliveredSeq });
    const voided = f.voided ?? null;
    if (voided !== null && voided.seq > f.deliveredSeq) {
      const date = localDay(voided.timeMs, utcOffsetMs);
      issued.push({ facts: f, kind: "corrected", date, turnoverDate, seq: voided.seq });
    }
  }
  const listed = issued
    .filter((d) => (range.from === null || d.date >= range.from) && (range.to === null || d.date <= range.to))
    .sort(
      (a, b) =>
        a.seq - b.seq ||
        (a.facts.tradeId < b.facts.tradeId ? -1 : a.facts.tradeId > b.facts.tradeId ? 1 : 0) ||
        (a.kind === b.kind ? 0 : a.kind === "original" ? -1 : 1),
    )
    .slice(0, EINVOICES_EXPORT_MAX);
  const withBin = listed.filter((d) => d.facts.seller.bin !== null && d.facts.buyer.bin !== null);
  const { create } = xmlBuilder();
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele(ESF_NAMESPACE, "invoices", {
    member,
    count: String(withBin.length),
    withoutBin: String(listed.length - withBin.length),
  });
  for (const { facts: f, kind, date, turnoverDate } of withBin) {
    const clearing = f.clearing!;
    const corrected = kind === "corrected";
    const kg = corrected ? 0 : f.quantityKg;
    const value = tradeValueTiyn(f.priceTiynPerTonne, kg);
    const vat = vatTiyn(value, f.vatRateBps);
    const invoice = root.ele("invoice");
    const original = invoiceNumber(clearing.obligation);
    invoice.ele("num").txt(corrected ? `${original}-C1` : original);
    invoice.ele("date").txt(date);
    invoice.ele("turnoverDate").txt(turnoverDate);
    invoice.ele("invoiceType").txt(corrected ? "FIXED_INVOICE" : "ORDINARY_INVOICE");
    if (corrected) {
      const related = invoice.ele("relatedInvoice");
      related.ele("num").txt(original);
      related.ele("date").txt(turnoverDate);
      const voided = f.voided!;
      const reason = `Сделка признана недействительной (${voided.rule}): ${voided.reason}`;
      invoice
        .ele("correctionReason")
        .txt(reason.length > CORRECTION_REASON_MAX ? `${reason.slice(0, CORRECTION_REASON_MAX - 1)}…` : reason);
    }
    const seller = invoice.ele("seller");
    seller.ele("tin").txt(f.seller.bin!);
    seller.ele("name").txt(f.seller.name);
    seller.ele("account").txt(f.seller.account);
    const customer = invoice.ele("customer");
    customer.ele("tin").txt(f.buyer.bin!);
    customer.ele("name").txt(f.buyer.name);
    customer.ele("account").txt(f.buyer.account);
    const term = invoice.ele("deliveryTerm");
    term.ele("contractNum").txt(contractNumber(f.tradeId));
    term.ele("contractDate").txt(f.date);
    term.ele("term").txt(`EXW ${clearing.basis}`);
    term.ele("destination").txt(destination(f));
    term.ele("obligation").txt(clearing.obligation);
    const products = invoice.ele("products", { currencyCode: "KZT" });
    const product = products.ele("product");
    product.ele("description").txt(productName(f.description?.product ?? "propane-butane", "ru"));
    product.ele("tnvedCode").txt(goodsCode(f.description?.product ?? null));
    product.ele("unitCode").txt(UNIT_CODE_TONNE);
    product.ele("unitNomenclature").txt("т");
    product.ele("quantity").txt(tonnesText(kg));
    product.ele("unitPrice").txt(tengeText(f.priceTiynPerTonne));
    product.ele("priceWithoutTax").txt(tengeText(value));
    product.ele("ndsRate").txt((f.vatRateBps / 100).toFixed(2));
    product.ele("ndsAmount").txt(tengeText(vat));
    product.ele("priceWithTax").txt(tengeText(value + vat));
    products.ele("totalPriceWithoutTax").txt(tengeText(value));
    products.ele("totalNdsAmount").txt(tengeText(vat));
    products.ele("totalPriceWithTax").txt(tengeText(value + vat));
  }
  return {
    xml: root.end({ prettyPrint: true }),
    invoices: withBin.length,
    withoutBin: listed.length - withBin.length,
  };
}
