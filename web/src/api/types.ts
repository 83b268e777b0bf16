/**
 * The shapes of the exchange's JSON as the browser reads them: every one is the OpenAPI document's own schema
 * (schema.gen.ts, generated from the server's route declarations by `npm run api:contract`), named here for the pages.
 * Prices are integer tiyn per tonne, quantities integer kg, money integer tiyn, each field named with its unit;
 * totals that may exceed 2^53 arrive as decimal strings.
 */

import { parseOrderId } from "../../../src/domain/ids.ts";
import type { ResponseOf, Schemas } from "./typed.ts";

export type Side = "buy" | "sell";
export type InstrumentQuote = Schemas["PublicInstrument"];
export type Phase = InstrumentQuote["phase"];
export type Role = Schemas["PublicUser"]["role"];
export type User = Schemas["PublicUser"];
export type PriceLevel = Schemas["PriceLevel"];
export type LimitsInForce = Schemas["LimitsInForce"];
export type Safeguards = Schemas["Safeguards"];
export type Calendar = Schemas["Calendar"];
export type Book = Schemas["Book"];
export type TapeTrade = Schemas["TapeTrade"];
export type Candle = Schemas["Candle"];
export type SessionResult = Schemas["SessionResult"];
export type Sessions = ResponseOf<"/api/instruments/{id}/sessions">;
export type IndexRow = Schemas["IndexRow"];
export type Indices = ResponseOf<"/api/indices">;
export type SessionInfo = ResponseOf<"/api/session">;
export type Account = Schemas["AccountInfo"];
export type Balance = Schemas["Balance"];
export type Order = Schemas["Order"];
export type Fill = Schemas["Fill"];
export type Obligation = Schemas["Obligation"];
export type Member = Schemas["Member"];
export type ConsoleInstrument = Schemas["ConsoleInstrument"];
export type AuditEntry = Schemas["AuditEntry"];
export type SupplyStatus = Schemas["SupplyStatus"];

/** The client order id of an engine order id (the format is the server's own: src/domain/ids.ts). */
export function clientOrderIdOf(orderId: string): string {
  return parseOrderId(orderId).clientOrderId;
}
