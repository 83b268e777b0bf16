/**
 * The exchange contract of a trade: both parties with their BINs, the instrument, price, quantity, the value without
 * VAT, the VAT and the value with VAT, the delivery terms and the rulebook clause, as JSON and as PDF in Kazakh,
 * Russian and English (a working copy). docs/documents.md §1 is the reference for users.
 *
 * The JSON form is the document of record. Its SHA-256 is taken over its RFC 8785 canonical form (the `canonicalize`
 * package: keys sorted, no whitespace), and it is a pure function of the journal up to the trade's record
 * (`ContractFacts`, src/projections/contracts.ts): the same journal gives the same contract and the same hash on every
 * node, today and in ten years, and the journal's hash chain (docs/security.md) seals the records it comes from. That
 * is how the hash is "recorded in the journal": it is recomputed from it, never stored beside it, so there is no
 * second record that could disagree. The PDFs carry the JSON's hash in their text and are themselves deterministic
 * (src/reports/pdf.ts), so a PDF copy is checked by its own SHA-256 against `pdfSha256` too.
 *
 * Money in the JSON is whole tiyn as decimal strings (values may pass 2^53); VAT by `vatTiyn` (src/domain/vat.ts,
 * half up, once on the trade's value).
 */

import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { vatTiyn } from "../domain/vat.ts";
import type { ContractFacts, ContractParty } from "../projections/contracts.ts";
import { divideRoundHalfUp, isoUtc } from "../projections/numbers.ts";
import {
  formatIsoTime,
  formatMonth,
  formatPercentBps,
  formatTengeFixed,
  formatTonnesFixed,
  instrumentName,
  timeOrDash,
} from "./format.ts";
import { DOCUMENT_LANGUAGES, type DocumentLanguage, LABELS, productName, regionName } from "./labels.ts";
import { field, newPdf, pdfBytes } from "./pdf.ts";

export const CONTRACT_DOCUMENT = "sauda.exchange-contract";
export const CONTRACT_VERSION = 1;

export interface ContractPartyJson {
  readonly member: string;
  readonly name: string;
  readonly bin: string | null;
  readonly account: string;
  readonly client: string | null;
}

export interface ContractTransportJson {
  readonly mode: "road" | "rail";
  readonly unitKg: number;
  /** The trade's quantity in transport units (whole: a lot is whole units). */
  readonly units: number;
}

export interface ContractJson {
  readonly document: typeof CONTRACT_DOCUMENT;
  readonly version: number;
  /** `EC-` and the trade id without its `T-` prefix. */
  readonly contract: string;
  readonly trade: string;
  readonly journalSeq: number;
  readonly tradeTime: string;
  readonly tradeDate: string;
  readonly instrument: {
    readonly id: string;
    readonly product: string | null;
    readonly basis: string | null;
    readonly region: string | null;
    readonly deliveryPeriod: string | null;
    readonly name: string | null;
  };
  readonly seller: ContractPartyJson;
  readonly buyer: ContractPartyJson;
  readonly priceTiynPerTonne: number;
  readonly quantityKg: number;
  readonly valueWithoutVatTiyn: string;
  readonly vatRateBps: number;
  readonly vatTiyn: string;
  readonly valueWithVatTiyn: string;
  readonly delivery: {
    readonly terms: string;
    readonly basis: string | null;
    readonly region: string | null;
    readonly period: string | null;
    readonly paymentDue: string | null;
    readonly deliveryDue: string | null;
    /**
     * Road tank trucks or rail tank cars, the unit, and how many units this trade's quantity is. Present only when
     * the instrument states transport, so contracts of instruments listed without it keep their JSON and hash.
     */
    readonly transport?: ContractTransportJson;
  };
  readonly clearing: {
    readonly obligation: string;
    readonly collateralTiyn: number;
    readonly buyerFeeTiyn: number;
    readonly sellerFeeTiyn: number;
    readonly sellerPenaltyBps: number;
    readonly buyerDefaultCollateralTo: "seller" | "exchange";
  } | null;
  readonly rulebook: string;
}

/** The rulebook clause every contract cites (its text in each language is in labels.ts). */
export const RULEBOOK_CLAUSE = "sauda rulebook: docs/market-rules.md; docs/delivery.md §1–§4; docs/documents.md §1–§2";

/** The contract's number for a trade id. */
export function contractNumber(tradeId: string): string {
  return `EC-${tradeId.startsWith("T-") ? tradeId.slice(2) : tradeId}`;
}

/** The value of a trade without VAT in whole tiyn: exact on whole tonnes, else rounded half up. */
export function tradeValueTiyn(priceTiynPerTonne: number, quantityKg: number): bigint {
  return divideRoundHalfUp(BigInt(priceTiynPerTonne) * BigInt(quantityKg), 1000n);
}

function partyJson(party: ContractParty): ContractPartyJson {
  return { member: party.member, name: party.name, bin: party.bin, account: party.account, client: party.client };
}

/** The contract's JSON form, from the trade's facts alone. */
export function buildContract(facts: ContractFacts): ContractJson {
  const value = tradeValueTiyn(facts.priceTiynPerTonne, facts.quantityKg);
  const vat = vatTiyn(value, facts.vatRateBps);
  const d = facts.description;
  const c = facts.clearing;
  const basis = c?.basis ?? d?.basis ?? null;
  return {
    document: CONTRACT_DOCUMENT,
    version: CONTRACT_VERSION,
    contract: contractNumber(facts.tradeId),
    trade: facts.tradeId,
    journalSeq: facts.seq,
    tradeTime: isoUtc(facts.timeMs),
    tradeDate: facts.date,
    instrument: {
      id: facts.instrument,
      product: d?.product ?? null,
      basis: d?.basis ?? null,
      region: d?.region ?? null,
      deliveryPeriod: d?.deliveryPeriod ?? null,
      name: d?.name ?? null,
    },
    seller: partyJson(facts.seller),
    buyer: partyJson(facts.buyer),
    priceTiynPerTonne: facts.priceTiynPerTonne,
    quantityKg: facts.quantityKg,
    valueWithoutVatTiyn: value.toString(),
    vatRateBps: facts.vatRateBps,
    vatTiyn: vat.toString(),
    valueWithVatTiyn: (value + vat).toString(),
    delivery: {
      terms: basis === null ? "EXW" : `EXW ${basis}`,
      basis,
      region: d?.region ?? null,
      period: d?.deliveryPeriod ?? null,
      paymentDue: c === null ? null : isoUtc(c.paymentDueMs),
      deliveryDue: c === null ? null : isoUtc(c.deliveryDueMs),
      ...(d?.transport === undefined
        ? {}
        : {
            transport: {
              mode: d.transport.mode,
              unitKg: d.transport.unitKg,
              units: Math.floor(facts.quantityKg / d.transport.unitKg),
            },
          }),
    },
    clearing:
      c === null
        ? null
        : {
            obligation: c.obligation,
            collateralTiyn: c.collateralTiyn,
            buyerFeeTiyn: c.buyerFeeTiyn,
            sellerFeeTiyn: c.sellerFeeTiyn,
            sellerPenaltyBps: c.sellerPenaltyBps,
            buyerDefaultCollateralTo: c.buyerDefaultCollateralTo,
          },
    rulebook: RULEBOOK_CLAUSE,
  };
}

/** The canonical text (RFC 8785) the hash is taken over. */
export function canonicalContract(contract: ContractJson): string {
  const text = canonicalize(contract);
  if (text === undefined) throw new Error("invariant: a contract has a canonical form");
  return text;
}

export function sha256Hex(bytes: string | Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** SHA-256 (hex) of the contract's canonical JSON. */
export function contractSha256(contract: ContractJson): string {
  return sha256Hex(canonicalContract(contract));
}

function partyLine(party: ContractPartyJson, language: DocumentLanguage): string {
  const l = LABELS[language];
  const client = party.client === null ? "" : `; ${l.client}: ${party.client}`;
  return `${party.name} (${party.member}); ${l.bin}: ${party.bin ?? l.binMissing}; ${l.account}: ${party.account}${client}`;
}

/** The contract as a PDF in one language; the same contract and language give the same bytes. */
export async function contractPdf(contract: ContractJson, language: DocumentLanguage): Promise<Buffer> {
  const l = LABELS[language];
  const createdMs = Date.parse(contract.tradeTime);
  const doc = await newPdf(`${l.contractTitle} ${contract.contract}`, createdMs, language);
  doc.font("bold").fontSize(16).text(`${l.contractTitle} № ${contract.contract}`);
  if (l.workingCopy !== "") doc.font("regular").fontSize(9).text(l.workingCopy);
  doc.moveDown();
  field(doc, l.trade, `${contract.trade}; ${l.journalRecord} ${contract.journalSeq}`);
  const tenge = (tiyn: bigint | number | string) => `${formatTengeFixed(tiyn, language)} ${l.tenge}`;
  const tonnes = (kg: number) => `${formatTonnesFixed(kg, language)} ${l.tonnes}`;
  field(doc, l.tradeTime, formatIsoTime(contract.tradeTime, language));
  field(doc, l.seller, partyLine(contract.seller, language));
  field(doc, l.buyer, partyLine(contract.buyer, language));
  doc.moveDown(0.5);
  const i = contract.instrument;
  // The listed name is the operator's English text: the document names the instrument from its listing instead.
  field(doc, l.instrument, i.product === null ? (i.name ?? i.id) : instrumentName(i, language));
  field(doc, l.product, i.product === null ? "—" : productName(i.product, language));
  field(doc, l.price, `${formatTengeFixed(contract.priceTiynPerTonne, language)} ${l.perTonne}`);
  field(doc, l.quantity, tonnes(contract.quantityKg));
  field(doc, l.valueWithoutVat, tenge(contract.valueWithoutVatTiyn));
  field(doc, l.vatRate, formatPercentBps(contract.vatRateBps, language));
  field(doc, l.vat, tenge(contract.vatTiyn));
  field(doc, l.valueWithVat, tenge(contract.valueWithVatTiyn));
  doc.moveDown(0.5);
  const delivery = contract.delivery;
  field(
    doc,
    l.deliveryTerms,
    l.deliveryTermsText(
      delivery.basis ?? "—",
      delivery.region === null ? "—" : regionName(delivery.region, language),
      delivery.period === null ? "—" : formatMonth(delivery.period, language),
    ),
  );
  if (delivery.transport !== undefined) {
    const t = delivery.transport;
    field(doc, l.transport, l.transportText(t.mode, formatTonnesFixed(t.unitKg, language), t.units));
  }
  const c = contract.clearing;
  if (c === null) {
    field(doc, l.paymentDue, l.notCleared);
  } else {
    field(doc, l.paymentDue, timeOrDash(delivery.paymentDue, language));
    field(doc, l.deliveryDue, timeOrDash(delivery.deliveryDue, language));
    field(doc, l.collateral, tenge(c.collateralTiyn));
    field(
      doc,
      l.fees,
      `${formatTengeFixed(c.sellerFeeTiyn, language)} / ${formatTengeFixed(c.buyerFeeTiyn, language)} ${l.tenge}`,
    );
    field(doc, l.penalty, formatPercentBps(c.sellerPenaltyBps, language));
  }
  doc.moveDown(0.5);
  field(doc, l.rulebook, l.rulebookText);
  doc.moveDown();
  doc.font("regular").fontSize(8).text(`${l.hashNote}:`);
  doc
    .font("regular")
    .fontSize(8)
    .text(`SHA-256 ${contractSha256(contract)}`);
  return pdfBytes(doc);
}

export interface ContractCopies {
  readonly contract: ContractJson;
  readonly sha256: string;
  readonly pdfSha256: Readonly<Record<DocumentLanguage, string>>;
}

/** The contract with the hash of its JSON and of each PDF. */
export async function contractCopies(contract: ContractJson): Promise<ContractCopies> {
  const pdfSha256 = {} as Record<DocumentLanguage, string>;
  for (const language of DOCUMENT_LANGUAGES) pdfSha256[language] = sha256Hex(await contractPdf(contract, language));
  return { contract, sha256: contractSha256(contract), pdfSha256 };
}
