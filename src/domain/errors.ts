/**
 * The error registry: every rejection and API error sauda can produce, each with a stable code, an HTTP status and a
 * sentence template. Clients branch on the code; people read the sentence. Codes are never renamed or reused once
 * published; a new situation gets a new code.
 *
 * Promise: `describe(code, details)` always yields a sentence that names the offending value and, where there is one,
 * the allowed range.
 */

export interface ErrorSpec {
  readonly httpStatus: number;
  /** A sentence template; `{name}` is replaced by `details.name`. */
  readonly template: string;
}

export const ERRORS = {
  // Input shape (any command).
  COMMAND_INVALID: { httpStatus: 400, template: "Command is not valid: {reason}." },
  COMMAND_UNKNOWN: { httpStatus: 400, template: "Unknown command '{op}'; expected one of {allowed}." },
  FIELD_INVALID: { httpStatus: 400, template: "Field '{field}' has value {value}; {rule}." },

  // Orders.
  ORDER_ID_INVALID: { httpStatus: 400, template: "Order id {value} is not valid; {rule}." },
  ORDER_ID_DUPLICATE: { httpStatus: 409, template: "Order id '{id}' is already in use; every order needs a new id." },
  ORDER_SIDE_INVALID: { httpStatus: 400, template: "Side {value} is not valid; expected 'buy' or 'sell'." },
  ORDER_TYPE_INVALID: { httpStatus: 400, template: "Order type {value} is not valid; expected 'limit' or 'market'." },
  ORDER_PRICE_INVALID: {
    httpStatus: 400,
    template: "Price {value} is not valid; a price is a whole number of tiyn from 1 to {max}.",
  },
  ORDER_PRICE_REQUIRED: { httpStatus: 400, template: "A limit order needs a price." },
  ORDER_PRICE_NOT_ALLOWED: { httpStatus: 400, template: "A market order takes no price, but {value} was given." },
  ORDER_PRICE_OFF_TICK: {
    httpStatus: 400,
    template: "Price {value} is not a multiple of the tick size {tick}.",
  },
  ORDER_QUANTITY_INVALID: {
    httpStatus: 400,
    template: "Quantity {value} is not valid; a quantity is a whole number from 1 to {max}.",
  },
  ORDER_QUANTITY_OFF_LOT: { httpStatus: 400, template: "Quantity {value} is not a multiple of the lot size {lot}." },
  ORDER_TIF_INVALID: {
    httpStatus: 400,
    template: "Time in force {value} is not valid; expected one of {allowed}.",
  },
  ORDER_TIF_NOT_ALLOWED: {
    httpStatus: 400,
    template: "Time in force {tif} is not allowed for {context}.",
  },
  ORDER_EXPIRY_INVALID: {
    httpStatus: 400,
    template: "Expiry {value} is not valid; a GTD order needs an expiry after the current time {now}.",
  },
  ORDER_STP_INVALID: {
    httpStatus: 400,
    template: "Self-trade prevention mode {value} is not valid; expected one of {allowed}.",
  },
  ORDER_POST_ONLY_INVALID: {
    httpStatus: 400,
    template: "Post-only is only for limit orders that may rest; it was given with {context}.",
  },
  ORDER_PRICE_OUTSIDE_BAND: {
    httpStatus: 422,
    template:
      "Price {value} is outside today's price band {low}–{high} (±{bandPercent}% around the reference price {reference}).",
  },
  ORDER_PRICE_ABOVE_CEILING: { httpStatus: 422, template: "Price {value} is above the price ceiling {ceiling}." },
  ORDER_PRICE_BELOW_FLOOR: { httpStatus: 422, template: "Price {value} is below the price floor {floor}." },
  ORDER_LOTS_LIMIT: {
    httpStatus: 422,
    template: "The order is {lots} lots; at most {max} lots per order are allowed on '{instrument}'.",
  },
  ORDER_ACTIVE_LIMIT: {
    httpStatus: 422,
    template: "Account '{account}' has {active} active orders on '{instrument}', the most allowed is {max}.",
  },
  ORDER_CONCENTRATION_LIMIT: {
    httpStatus: 422,
    template:
      "Account '{account}' would hold {wouldHold} kg (bought {bought}, bidding {bidding}), more than {percent}% of the {offered} kg offered this session (at most {allowed} kg).",
  },
  ACCOUNT_NOT_ELIGIBLE: {
    httpStatus: 403,
    template:
      "Account '{account}' (buyer category {category}) may not buy on '{instrument}'; eligible categories: {eligible}.",
  },
  ORDER_NOT_FOUND: { httpStatus: 404, template: "No order with id '{id}' is known." },
  ORDER_NOT_RESTING: {
    httpStatus: 409,
    template:
      "Order '{id}' is not resting in the book (it is {status}); only resting orders can be amended or cancelled.",
  },
  ORDER_AMEND_EMPTY: {
    httpStatus: 400,
    template: "An amend of order '{id}' needs a new price, a new quantity or both.",
  },
  ORDER_LIMIT_REACHED: {
    httpStatus: 429,
    template: "The book holds {count} orders, the most it may hold is {max}.",
  },
  ORDER_ID_REUSED: {
    httpStatus: 409,
    template: "Order id '{id}' was already used for a different order; a retry must repeat the original exactly.",
  },
  ORDER_MARKET_BUY_NOT_COVERED: {
    httpStatus: 422,
    template:
      "A market buy order on '{instrument}' cannot be covered: the instrument has no price ceiling to size its guarantee deposit. Send a limit order.",
  },
  ACCOUNT_INVALID: { httpStatus: 400, template: "Account {value} is not valid; {rule}." },
  ACCOUNT_NOT_FOUND: { httpStatus: 404, template: "No account '{id}' is open." },
  ACCOUNT_EXISTS: { httpStatus: 409, template: "Account '{id}' is already open." },
  ACCOUNT_ROLE_FORBIDDEN: {
    httpStatus: 403,
    template: "Account '{account}' may not {action}: {reason}.",
  },
  TARIFF_INVALID: { httpStatus: 400, template: "Tariff setting {field} = {value} is not valid; {rule}." },
  VAT_INVALID: { httpStatus: 400, template: "VAT setting {value} is not valid; {rule}." },
  MEMBER_INVALID: { httpStatus: 400, template: "Member definition is not valid: {reason}." },
  MEMBER_NOT_FOUND: { httpStatus: 404, template: "No member '{id}' is accredited." },
  NOTIFICATION_NOT_FOUND: {
    httpStatus: 404,
    template: "Member '{member}' has no notification '{id}' (kept: the newest 200).",
  },
  NOTICE_EMAIL_REQUIRED: {
    httpStatus: 400,
    template:
      "E-mail is chosen for notifications ({kinds}), but no address is given: give the address in email, or leave mail empty.",
  },
  MEMBER_EXISTS: { httpStatus: 409, template: "Member '{id}' is already accredited." },
  MEMBER_SUSPENDED: {
    httpStatus: 403,
    template: "Member '{member}' is suspended; it cannot enter or change orders until the operator reinstates it.",
  },
  MEMBER_ALREADY_SUSPENDED: { httpStatus: 409, template: "Member '{member}' is already suspended." },
  MEMBER_NOT_SUSPENDED: { httpStatus: 409, template: "Member '{member}' is not suspended." },
  MEMBER_EXCLUDED: {
    httpStatus: 409,
    template: "Member '{member}' is excluded; it returns only through a new application after the bar on readmission.",
  },
  // Accreditation (engine/accreditation.ts).
  APPLICATION_INVALID: { httpStatus: 400, template: "Application field '{field}' has value {value}; expected {rule}." },
  APPLICATION_EXISTS: { httpStatus: 409, template: "Application '{id}' already exists." },
  APPLICATION_NOT_FOUND: { httpStatus: 404, template: "No application '{id}'." },
  APPLICATION_DECIDED: { httpStatus: 409, template: "Application '{id}' is already {status}; it is decided once." },
  APPLICATION_PENDING: {
    httpStatus: 409,
    template: "BIN {bin} already has a pending application '{id}'; wait for its decision.",
  },
  APPLICANT_EXCLUDED: {
    httpStatus: 403,
    template:
      "BIN {bin} belongs to member '{member}', excluded from the exchange; an application is accepted from {until}.",
  },
  GROUP_INVALID: { httpStatus: 400, template: "Group {value} is not valid; {rule}." },
  GROUP_EVIDENCE_INVALID: { httpStatus: 400, template: "Evidence reference {value} is not valid; {rule}." },
  GROUP_UNCHANGED: { httpStatus: 409, template: "Member '{member}' {state}; recording that changes nothing." },

  // Users and API keys (engine/access.ts).
  USER_EXISTS: { httpStatus: 409, template: "User '{id}' already exists." },
  USER_NOT_FOUND: { httpStatus: 404, template: "No user '{id}'." },
  USER_DISABLED: { httpStatus: 409, template: "User '{id}' is disabled; enable the user first." },
  API_KEY_EXISTS: { httpStatus: 409, template: "API key '{id}' already exists." },
  API_KEY_NOT_FOUND: { httpStatus: 404, template: "No API key '{id}'." },
  API_KEY_SCOPE_NOT_FOR_ROLE: {
    httpStatus: 400,
    template:
      "User '{user}' is a viewer and may only look: its API key may have the '{allowed}' scope only, not '{scope}'.",
  },
  API_KEY_ALREADY_REVOKED: { httpStatus: 409, template: "API key '{id}' of user '{user}' is already revoked." },
  API_KEYS_LIMIT: {
    httpStatus: 409,
    template: "User '{user}' already has {count} API keys, the most allowed is {max} (revoked ones count).",
  },

  // Money and gas.
  AMOUNT_INVALID: {
    httpStatus: 400,
    template: "Amount {value} is not valid; an amount is a whole number from 1 to {max}.",
  },
  REFERENCE_INVALID: {
    httpStatus: 400,
    template: "Reference {value} is not valid; a bank reference is 1 to 64 printable characters.",
  },
  REFERENCE_DUPLICATE: {
    httpStatus: 409,
    template: "Bank reference '{reference}' was already booked; each statement line is booked once.",
  },
  RISK_INSUFFICIENT_FUNDS: {
    httpStatus: 422,
    template:
      "Account '{account}' has {free} tiyn free but {purpose} needs {required} tiyn (short by {shortfall} tiyn).",
  },
  RISK_INSUFFICIENT_VOLUME: {
    httpStatus: 422,
    template:
      "Account '{account}' has {free} kg free at basis {basis} but {purpose} needs {required} kg (short by {shortfall} kg).",
  },
  GAS_QUANTITY_INVALID: {
    httpStatus: 400,
    template:
      "Gas quantity {value} kg is not valid; it must be whole tonnes (a multiple of 1000 kg) from 1000 to {max} kg.",
  },
  REPORT_DAY_NOT_OVER: {
    httpStatus: 409,
    template: "The report of {day} is made once that day is over in Kazakhstan time; today is {today}.",
  },
  MEMBER_NOT_PRODUCER: {
    httpStatus: 403,
    template: "Member '{member}' is not a producer; only producers publish outages of their plants.",
  },
  OUTAGE_BASIS_NOT_OWN: {
    httpStatus: 403,
    template:
      "Basis {basis} is not a plant of member '{member}': no supply plan names it there and none of its accounts holds gas there; a producer publishes outages of its own plants only.",
  },
  BASIS_INVALID: { httpStatus: 400, template: "Basis {value} is not valid; {rule}." },
  BASIS_UNKNOWN: {
    httpStatus: 404,
    template: "No listed instrument delivers at basis {basis}; gas is declared at the basis of a listed instrument.",
  },

  // Clearing.
  OBLIGATION_NOT_FOUND: { httpStatus: 404, template: "No obligation '{id}' exists." },
  OBLIGATION_NOT_OPEN: {
    httpStatus: 409,
    template: "Obligation '{id}' is {status}; only open obligations can be confirmed.",
  },
  OBLIGATION_ALREADY_CONFIRMED: { httpStatus: 409, template: "The {leg} of obligation '{id}' is already confirmed." },
  TRADE_NOT_FOUND: { httpStatus: 404, template: "No cleared trade '{trade}' is known." },
  TRADE_NOT_VOIDABLE: {
    httpStatus: 409,
    template:
      "Trade '{trade}' cannot be voided: its obligation is {status}; only a trade whose obligation is open and whose gas is not yet delivered can be voided.",
  },

  // Delivery: stations, shipments, arrivals (engine/delivery.ts).
  STATION_INVALID: { httpStatus: 400, template: "Station {field} {value} is not valid; {rule}." },
  STATION_EXISTS: { httpStatus: 409, template: "Station '{id}' is already registered." },
  CONTRACT_NOT_FOUND: {
    httpStatus: 404,
    template:
      "No contract of trade '{trade}' for account '{account}': the account is not a party to it, or the trade is unknown or older than the records kept.",
  },
  STATION_NOT_FOUND: { httpStatus: 404, template: "No station '{id}' is registered." },
  STATION_NOT_OWN: {
    httpStatus: 409,
    template: "Station '{station}' is registered to member '{owner}', not to the buyer '{member}'.",
  },
  STATION_MEMBER_NOT_BUYER: {
    httpStatus: 409,
    template: "Member '{member}' is not a buyer or broker; stations are registered for those who buy.",
  },
  STATIONS_LIMIT: {
    httpStatus: 409,
    template: "Member '{member}' already has {count} stations, the most allowed is {max}.",
  },
  SHIPMENT_INVALID: { httpStatus: 400, template: "Shipment {field} {value} is not valid; {rule}." },
  SHIPMENT_NOT_FOUND: { httpStatus: 404, template: "No shipment '{id}' is known." },
  SHIPMENT_NOT_PARTY: {
    httpStatus: 403,
    template: "Account '{account}' is not the {party} of obligation '{obligation}'; only the {party} may do that.",
  },
  SHIPMENT_OVER_OBLIGATION: {
    httpStatus: 409,
    template:
      "Shipping {quantity} kg would bring obligation '{obligation}' to {total} kg dispatched, over its {max} kg.",
  },
  SHIPMENT_WAYBILL_DUPLICATE: {
    httpStatus: 409,
    template: "Waybill '{waybill}' of account '{account}' is already recorded on shipment '{shipment}'.",
  },
  SHIPMENTS_LIMIT: {
    httpStatus: 409,
    template: "Obligation '{obligation}' already has {count} shipments, the most allowed is {max}.",
  },

  // The rulebook's remedies: re-offer in an extra session, negotiated deals (engine/remedies.ts).
  EXTRA_SESSION_SELL_FORBIDDEN: {
    httpStatus: 409,
    template:
      "Instrument '{instrument}' is in an extra session that sells only the re-offered volume; sell orders and negotiated deals wait until it closes.",
  },
  EXTRA_SESSION_SELLERS_RESTING: {
    httpStatus: 409,
    template:
      "Instrument '{instrument}' has {quantity} kg of sell orders in the book; an extra session sells only the re-offered volume, so it opens on a book without sell orders.",
  },
  EXTRA_SESSION_NOT_CLOSED: {
    httpStatus: 409,
    template:
      "An extra session of '{instrument}' can be opened only after its session has closed; it is now in phase {phase}.",
  },
  REOFFER_NONE: {
    httpStatus: 409,
    template: "Instrument '{instrument}' has no re-offered volume waiting for an extra session.",
  },
  REOFFER_ORDER_LOCKED: {
    httpStatus: 409,
    template: "Order '{id}' sells re-offered volume in an extra session; it cannot be amended or cancelled.",
  },
  NEGOTIATED_NOT_FOUND: { httpStatus: 404, template: "No pending negotiated deal '{id}' exists." },
  NEGOTIATED_NOT_PARTY: {
    httpStatus: 403,
    template: "Account '{account}' is not the {party} of negotiated deal '{id}'; only the {party} may do that.",
  },
  NEGOTIATED_SAME_ACCOUNT: {
    httpStatus: 409,
    template: "A negotiated deal is between two accounts; account '{account}' cannot be both seller and buyer.",
  },
  NEGOTIATED_PENDING_LIMIT: {
    httpStatus: 409,
    template: "Account '{account}' already has {count} pending negotiated deals, the most allowed is {max}.",
  },
  SHIPMENT_ALREADY_ARRIVED: {
    httpStatus: 409,
    template: "Shipment '{id}' already arrived at station '{station}'.",
  },

  // Instruments and phases.
  INSTRUMENT_NOT_FOUND: { httpStatus: 404, template: "No instrument '{id}' is listed." },
  INSTRUMENT_EXISTS: { httpStatus: 409, template: "Instrument '{id}' is already listed." },
  INSTRUMENT_INVALID: { httpStatus: 400, template: "Instrument definition is not valid: {reason}." },
  INSTRUMENT_NOT_CLEARED: {
    httpStatus: 409,
    template: "Instrument '{id}' has no clearing terms; {what} applies only to cleared instruments.",
  },
  TRANSPORT_UNIT_INVALID: {
    httpStatus: 400,
    template: "Transport unit {value} kg is not valid; a transport unit is a whole number of kg from {min} to {max}.",
  },
  LOT_NOT_TRANSPORT_UNITS: {
    httpStatus: 400,
    template:
      "Lot size {lotSize} kg is not a whole number of transport units of {unitKg} kg; a lot is made of whole tank trucks or tank cars.",
  },
  PHASE_CLOSED: { httpStatus: 409, template: "Instrument '{instrument}' is {phase}; orders are not accepted now." },
  PHASE_TRANSITION_INVALID: {
    httpStatus: 409,
    template: "Instrument '{instrument}' cannot go from {from} to {to}; allowed next phases: {allowed}.",
  },
  AUCTION_REFERENCE_PRICE_REQUIRED: {
    httpStatus: 409,
    template:
      "The auction price cannot be determined without a reference price: {reason}. Give a reference price to decide.",
  },
  CALENDAR_INVALID: { httpStatus: 400, template: "Trading calendar is not valid: {reason}." },
  SAFEGUARDS_INVALID: { httpStatus: 400, template: "Safeguards are not valid: {reason}." },
  HALT_SCOPE_INVALID: { httpStatus: 400, template: "Halt scope is not valid: {reason}." },
  NOTHING_TO_RESUME: { httpStatus: 409, template: "No instrument in {scope} is halted." },
  TIME_NOT_MONOTONIC: {
    httpStatus: 400,
    template: "Command time {value} is before the engine's current time {now}; time never moves backwards.",
  },

  // Surveillance: the regulator's configuration of the rules and its cases (engine/surveillance.ts).
  SURVEILLANCE_CONFIG_INVALID: { httpStatus: 400, template: "Surveillance configuration is not valid: {reason}." },
  SURVEILLANCE_CONFIG_UNCHANGED: {
    httpStatus: 409,
    template: "The surveillance configuration already has these values; recording that changes nothing.",
  },
  SURVEILLANCE_UNAVAILABLE: {
    httpStatus: 503,
    template: "Surveillance stopped at journal record {seq} ({reason}); trading goes on, and a restart rebuilds it.",
  },
  ALERT_NOT_FOUND: { httpStatus: 404, template: "No surveillance alert '{id}' stands." },
  ALERT_INVALID: { httpStatus: 400, template: "Alert id {value} is not valid; {rule}." },
  CASE_NOT_FOUND: { httpStatus: 404, template: "No surveillance case '{id}' is {where}." },
  CASE_ALERT_TAKEN: {
    httpStatus: 409,
    template:
      "Alert '{alert}' already belongs to case '{caseId}', which is {status}; an alert is in one case at a time.",
  },
  CASE_TRANSITION_INVALID: {
    httpStatus: 409,
    template: "Case '{caseId}' is {status}; it cannot {action} (cases go open → under review → closed).",
  },
  CASE_OUTCOME_INVALID: { httpStatus: 400, template: "Case outcome {value} is not valid; expected one of {allowed}." },
  CASE_NOTE_INVALID: { httpStatus: 400, template: "Case note {value} is not valid; {rule}." },
  CASES_LIMIT: {
    httpStatus: 409,
    template: "{count} cases are open or under review, the most allowed ({max}); close some before opening more.",
  },
  CASE_ALERTS_LIMIT: { httpStatus: 409, template: "Case '{caseId}' already holds {max} alerts, the most allowed." },

  // At the edge (the gateway): request shape, authentication and access, rate limits, users and keys, the policy lab.
  REQUEST_INVALID: { httpStatus: 400, template: "The request is not valid: {reason}." },
  REQUEST_TOO_LARGE: { httpStatus: 413, template: "The request body is larger than {max} bytes." },
  REQUEST_MEDIA_TYPE: {
    httpStatus: 415,
    template: "The request body must be JSON, sent with the header Content-Type: application/json.",
  },
  NOT_FOUND: { httpStatus: 404, template: "No route {method} {url}." },
  AUTH_REQUIRED: { httpStatus: 401, template: "Sign in or sign the request with an API key to {action}." },
  AUTH_FAILED: { httpStatus: 401, template: "The user name or password is wrong." },
  AUTH_SIGNATURE_INVALID: { httpStatus: 401, template: "The request signature is not valid: {reason}." },
  AUTH_BACKOFF: {
    httpStatus: 429,
    template:
      "Too many failed sign-ins for this user name: wait {retryAfterSeconds} s before the next attempt (the operator has been told).",
  },
  AUTH_ORIGIN: {
    httpStatus: 403,
    template: "Requests from origin {origin} are not accepted; this exchange accepts {allowed}.",
  },
  PASSWORD_WEAK: { httpStatus: 400, template: "The password is not accepted: {reason}." },
  SECOND_FACTOR_REQUIRED: {
    httpStatus: 401,
    template: "This user signs in with a second factor: send the 6-digit code from the authenticator app as 'code'.",
  },
  SECOND_FACTOR_INVALID: {
    httpStatus: 401,
    template: "The code is wrong, too old or already used; send the code the authenticator app shows now.",
  },
  SECOND_FACTOR_CODE_FORMAT: {
    httpStatus: 400,
    template: "A second-factor code is {digits} digits, as the authenticator app shows it; this one is not.",
  },
  SECOND_FACTOR_NOT_PENDING: {
    httpStatus: 409,
    template: "No second-factor setup is pending for you (none was begun, or it is over 10 minutes old); begin again.",
  },
  SECOND_FACTOR_ALREADY_SET: {
    httpStatus: 409,
    template: "You already sign in with a second factor; remove it (with a current code) before setting up another.",
  },
  SECOND_FACTOR_NOT_SET: { httpStatus: 409, template: "User '{id}' signs in without a second factor." },
  AUTH_CSRF: {
    httpStatus: 403,
    template: "The CSRF token is missing or wrong; send the X-CSRF-Token header from GET /api/session.",
  },
  FORBIDDEN: { httpStatus: 403, template: "Your role ({role}) may not {action}." },
  FORBIDDEN_SCOPE: { httpStatus: 403, template: "This API key lacks the '{scope}' scope needed to {action}." },
  FORBIDDEN_ACCOUNT: { httpStatus: 403, template: "Account '{account}' does not belong to your member." },
  RATE_LIMITED: {
    httpStatus: 429,
    template: "Too many requests: at most {max} per {window}; retry after {retryAfterSeconds} s.",
  },
  UNAVAILABLE: { httpStatus: 503, template: "The exchange is {state}; try again shortly." },
  VIEWS_LOADING: {
    httpStatus: 503,
    template:
      "The exchange's views (accounts, users, market data, audit) are loading after a restart: record {seq} of {head}; what needs them is refused until they are ready, try again shortly.",
  },
  NOT_LEADER: {
    httpStatus: 503,
    template: "This node follows the journal and takes no changes; send them to the leader at {leader}.",
  },
  LEADER_UNAVAILABLE: {
    httpStatus: 503,
    template:
      "This node could not pass the change on to the leader ({leader}): {reason}; try again shortly (an order sent again with the same client order id is not placed twice).",
  },
  FORWARDING_INVALID: {
    httpStatus: 403,
    template: "The request's X-Sauda-Forwarded mark is not valid: {reason}; only the exchange's own nodes may send it.",
  },
  SUBSCRIPTIONS_LIMIT: {
    httpStatus: 429,
    template: "This connection has {count} subscriptions, the most allowed is {max}; unsubscribe first.",
  },
  CANCEL_ON_DISCONNECT_LIMIT: {
    httpStatus: 429,
    template:
      "This connection guards {live} live orders with cancel-on-disconnect, the most allowed is {max}; cancel some or open another connection.",
  },
  LAB_SCENARIO_NOT_FOUND: { httpStatus: 404, template: "The policy lab has no scenario '{name}'; it has {known}." },
  LAB_SCENARIO_INVALID: {
    httpStatus: 400,
    template: "Scenario '{name}' with these settings is not valid: {reason}.",
  },
  LAB_RUNS_DAYS_LIMIT: {
    httpStatus: 400,
    template:
      "{runs} runs of {days} days are too much for the policy lab: with {runs} runs a run may last at most {daysMax} days ({totalMax} days in all).",
  },
  LAB_RUN_NOT_FOUND: {
    httpStatus: 404,
    template:
      "No policy lab run '{id}': it never existed or was dropped to make room (the lab keeps the last {kept} finished runs); start it again.",
  },
  BULLETIN_DAY_FUTURE: {
    httpStatus: 409,
    template: "There is no bulletin for {day} yet: that day is after today, {today}, in Kazakhstan time.",
  },
  INDICES_DAY_FUTURE: {
    httpStatus: 409,
    template: "There are no indices for {day} yet: that day is after today, {today}, in Kazakhstan time.",
  },
  PARTICIPATION_MONTH_FUTURE: {
    httpStatus: 409,
    template:
      "There are no participation figures for {month} yet: that month is after this one, {current}, in Kazakhstan time.",
  },
  EINVOICE_PERIOD_REVERSED: {
    httpStatus: 400,
    template: "The e-invoice period starts on {from}, after it ends on {to}: 'from' must be on or before 'to'.",
  },
  STATEMENT_DAY_FUTURE: {
    httpStatus: 409,
    template: "There is no statement for {date} yet: that day is after today, {today}, in Kazakhstan time.",
  },
  STATEMENT_DAY_BEFORE_MEMBER: {
    httpStatus: 409,
    template:
      "There is no statement for {date}: member '{member}' was admitted to the exchange on {since}, in Kazakhstan time; its first statement is for that day.",
  },
  CLEARING_REPORT_DAY_FUTURE: {
    httpStatus: 409,
    template: "There is no clearing report for {date} yet: that day is after today, {today}, in Kazakhstan time.",
  },
  CLEARING_REPORT_DAY_BEFORE_MEMBER: {
    httpStatus: 409,
    template:
      "There is no clearing report for {date}: member '{member}' was admitted to the exchange on {since}, in Kazakhstan time; its first clearing report is for that day.",
  },
  DOCUMENTS_BUSY: {
    httpStatus: 503,
    template:
      "Past days' documents are being rebuilt from the journal: {pending} days are waiting, the most allowed is {max}; retry after {retryAfterSeconds} s.",
  },
  LAB_BUSY: {
    httpStatus: 503,
    template:
      "The policy lab is busy: {queued} runs are waiting, the most allowed is {max}; retry after {retryAfterSeconds} s.",
  },
  LAB_RUNS_PER_CALLER_LIMIT: {
    httpStatus: 429,
    template:
      "You have {active} policy lab runs waiting or running, the most allowed is {max}; wait for one to finish.",
  },
  LAB_RUN_TIMEOUT: {
    httpStatus: 504,
    template: "The simulation ran longer than {timeoutMs} ms and was stopped after {doneDays} of {days} days.",
  },
  LAB_RUN_FAILED: { httpStatus: 500, template: "The simulation failed: {reason}." },
  LAB_STOPPED: { httpStatus: 503, template: "The simulation was stopped because the server is shutting down." },
  INTERNAL: {
    httpStatus: 500,
    template:
      "Something went wrong on the exchange's side (reference {reference}); nothing was changed by this request unless its outcome says so.",
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export type ErrorDetails = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** A template cut at its placeholders: `texts` has one more entry than `names`, and they alternate from `texts[0]`. */
interface CutTemplate {
  readonly texts: readonly string[];
  readonly names: readonly string[];
}

/** Each code's template, cut once: the engine describes every rejection it replays or applies (tens of thousands). */
const cutTemplates = new Map<ErrorCode, CutTemplate>();

function cutTemplate(code: ErrorCode): CutTemplate {
  let cut = cutTemplates.get(code);
  if (cut === undefined) {
    const template = ERRORS[code].template;
    const texts: string[] = [];
    const names: string[] = [];
    const placeholder = /\{(\w+)\}/g;
    let from = 0;
    for (let found = placeholder.exec(template); found !== null; found = placeholder.exec(template)) {
      texts.push(template.slice(from, found.index));
      names.push(found[1]!);
      from = found.index + found[0].length;
    }
    texts.push(template.slice(from));
    cut = { texts, names };
    cutTemplates.set(code, cut);
  }
  return cut;
}

/** Renders the human sentence for a code; missing placeholders are shown as `?` rather than hidden. */
export function describe(code: ErrorCode, details: ErrorDetails = {}): string {
  const { texts, names } = cutTemplate(code);
  let sentence = texts[0]!;
  for (let i = 0; i < names.length; i++) {
    const value = details[names[i]!];
    sentence += value === undefined ? "?" : typeof value === "string" ? value : JSON.stringify(value);
    sentence += texts[i + 1]!;
  }
  return sentence;
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERRORS, value);
}

/** A rejection or API error as a value: what the engine emits and what the gateway sends. */
export interface Problem {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: ErrorDetails;
}

export function problem(code: ErrorCode, details: ErrorDetails = {}): Problem {
  return { code, message: describe(code, details), details };
}

/**
 * An exception that carries a registry code. Used where a caller cannot continue (bad CLI input, a broken
 * invariant is NOT one of these: invariants throw `InvariantError`).
 */
export class SaudaError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  constructor(code: ErrorCode, details: ErrorDetails = {}) {
    super(describe(code, details));
    this.name = "SaudaError";
    this.code = code;
    this.details = details;
  }
}

/** A broken internal invariant: never caused by input, always a bug. Stopping beats running wrong. */
export class InvariantError extends Error {
  constructor(message: string) {
    super(`invariant: ${message}`);
    this.name = "InvariantError";
  }
}

export function invariant(condition: boolean, message: string | (() => string)): asserts condition {
  if (!condition) throw new InvariantError(typeof message === "string" ? message : message());
}
