/**
 * The limits the engine enforces on commands and the API states in its request schemas, in one place: the engine
 * refuses a value beyond one with its registry code, and the API refuses it earlier with a 400 that names the field,
 * from the same constant, so the two can never disagree. (Order prices and quantities are in order.ts, id lengths of
 * orders and accounts there too; an instrument id's in instrument.ts.)
 */

import { BPS_PER_UNIT } from "./collateral.ts";
import { ORDER_QUANTITY_MAX } from "./order.ts";

/** The most entries one request lists of an account's obligations or fills (`?limit=`); the browser pages up to it. */
export const ACCOUNT_LIST_LIMIT_MAX = 1000;
/** The most shipments one obligation takes (the engine refuses one more); the browser asks for them all at once. */
export const SHIPMENTS_PER_OBLIGATION_MAX = 1000;

/** Ids of members, bases, instruments, regions and the like: 1 to this many printable ASCII characters. */
export const ID_LENGTH_MAX = 64;
/** Printable ASCII without spaces (keeps ids safe in logs, URLs and CSV); as JSON Schema and RegExp source. */
export const ID_PATTERN_SOURCE = "^[\\x21-\\x7e]+$";
/** A reason the audit trail shows for a change (safeguards, halts, calendars, suspensions). */
export const REASON_LENGTH_MAX = 500;
/** A name for people: a member's, a broker client's, an instrument's. */
export const NAME_LENGTH_MAX = 200;
/** The rulebook clause a trade void names (engine/clearinghouse.ts). */
export const RULE_REFERENCE_LENGTH_MAX = 200;
/** A note on a surveillance case (engine/surveillance.ts). */
export const CASE_NOTE_LENGTH_MAX = 4000;
/** A bank statement line (a deposit's or withdrawal's reference); each is booked once. */
export const REFERENCE_LENGTH_MAX = 64;
/** Most money one deposit, withdrawal or account may move at once: 10^15 tiyn, ten trillion tenge. */
export const MONEY_AMOUNT_MAX = 1_000_000_000_000_000;
/** A clearing window (time to pay or deliver after a trade): at most a year. */
export const CLEARING_WINDOW_MS_MAX = 366 * 24 * 3600 * 1000;
/** A shipment's vehicle plate or rail tank wagon number (engine/delivery.ts). */
export const VEHICLE_LENGTH_MAX = 32;
/** A shipment's waybill (consignment note) number (engine/delivery.ts). */
export const WAYBILL_LENGTH_MAX = 32;
/** The highest VAT rate the exchange accepts, 50%; a typo of 1200 as 12000 is refused rather than applied. */
export const VAT_RATE_BPS_MAX = 5000;
/** The most a fee or a deposit of the accreditation tariff may be, in tiyn: 1,000,000,000 tenge (a typo of extra
 * zeros is refused; engine/accreditation.ts). */
export const TARIFF_AMOUNT_MAX_TIYN = 100_000_000_000;
/** A password's length in characters (code points), shortest and longest (gateway/passwords.ts has the policy). */
export const PASSWORD_LENGTH_MIN = 10;
export const PASSWORD_LENGTH_MAX = 200;
/** A month's planned domestic supply of one producer: at most 10^12 kg. */
export const PLANNED_KG_MAX = ORDER_QUANTITY_MAX * 1000;

/** A session calendar: sessions per day, and dated entries (holidays, extra sessions). */
export const CALENDAR_SESSIONS_MAX = 48;
export const CALENDAR_DATES_MAX = 400;
/** Order collection before a session's opening auction, in minutes. */
export const PRE_OPEN_MINUTES_MAX = 240;

/** A band or breaker width: 1 basis point to just under 100%. */
export const BAND_BPS_MAX = BPS_PER_UNIT - 1;
/** Volatility and resumption auctions last from a second to an hour. */
export const AUCTION_MS_MIN = 1000;
export const AUCTION_MS_MAX = 3_600_000;
/** Steps of a ceiling path. */
export const CEILING_PATH_STEPS_MAX = 240;
/** The most live orders per account a regulator may allow. */
export const ACTIVE_ORDERS_LIMIT_MAX = 100_000;
/** The most lots per order a regulator may allow (an instrument's own bound is ORDER_QUANTITY_MAX / its lot). */
export const ORDER_LOTS_MAX = ORDER_QUANTITY_MAX;
