/**
 * The response shapes the published OpenAPI document names as components, so that each is written once and clients
 * get one type per concept (`components["schemas"]["Order"]`). The routes embed these schemas directly (the server
 * checks responses against them); the published document then refers to the component wherever a route's schema
 * holds one of them unchanged (contract.ts, `publishedDocument`).
 */

import { ACCOUNT_INFO, BALANCE, FILL, OBLIGATION, ORDER } from "./accounts.ts";
import { CHANGE, HEALTH } from "./base.ts";
import {
  API_KEY,
  AUDIT_ENTRY,
  CALENDAR,
  CLEARING_TERMS,
  CONSOLE_INSTRUMENT,
  DESCRIPTION,
  MEMBER,
  OVERVIEW,
  PUBLIC_USER,
  SAFEGUARDS,
  SUPPLY_STATUS,
  USER,
  WEEKLY_SUMMARY,
} from "./console.ts";
import { LAB_RUN, LAB_RUN_VIEW, LAB_SCENARIOS } from "./lab.ts";
import {
  AUCTION_RESULT,
  BOOK,
  BULLETIN_CONTROL,
  BULLETIN_SESSION,
  CALENDAR_CHANGE,
  CANDLE,
  CEILING_STEP,
  INDEX_ROW,
  INDEX_WEIGHT,
  INDICATIVE,
  INSTRUMENT_INFO,
  LIMITS_IN_FORCE,
  NEXT_PHASE,
  PARTICIPATION_ROW,
  PRICE_LEVEL,
  PUBLIC_CALENDAR,
  PUBLIC_INSTRUMENT,
  QUOTE,
  SESSION_RESULT,
  TAPE_TRADE,
} from "./market.ts";

/** Larger shapes first: a schema is replaced by its name before the smaller ones inside it are looked at. */
export const NAMED_SCHEMAS: Readonly<Record<string, object>> = {
  PublicInstrument: PUBLIC_INSTRUMENT,
  PublicCalendar: PUBLIC_CALENDAR,
  WeeklySummary: WEEKLY_SUMMARY,
  CalendarChange: CALENDAR_CHANGE,
  ConsoleInstrument: CONSOLE_INSTRUMENT,
  MarketOverview: OVERVIEW,
  LabScenarios: LAB_SCENARIOS,
  LabRun: LAB_RUN,
  LabRunView: LAB_RUN_VIEW,
  Quote: QUOTE,
  Book: BOOK,
  Order: ORDER,
  Fill: FILL,
  Balance: BALANCE,
  Obligation: OBLIGATION,
  AccountInfo: ACCOUNT_INFO,
  Member: MEMBER,
  User: USER,
  PublicUser: PUBLIC_USER,
  ApiKey: API_KEY,
  AuditEntry: AUDIT_ENTRY,
  SupplyStatus: SUPPLY_STATUS,
  Safeguards: SAFEGUARDS,
  LimitsInForce: LIMITS_IN_FORCE,
  Calendar: CALENDAR,
  ClearingTerms: CLEARING_TERMS,
  InstrumentDescription: DESCRIPTION,
  InstrumentInfo: INSTRUMENT_INFO,
  SessionResult: SESSION_RESULT,
  Candle: CANDLE,
  TapeTrade: TAPE_TRADE,
  BulletinControl: BULLETIN_CONTROL,
  BulletinSession: BULLETIN_SESSION,
  IndexRow: INDEX_ROW,
  ParticipationRow: PARTICIPATION_ROW,
  IndexWeight: INDEX_WEIGHT,
  Indicative: INDICATIVE,
  AuctionResult: AUCTION_RESULT,
  NextPhase: NEXT_PHASE,
  CeilingStep: CEILING_STEP,
  PriceLevel: PRICE_LEVEL,
  Change: CHANGE,
  Health: HEALTH,
};
