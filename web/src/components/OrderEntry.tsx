/**
 * The order ticket. Before anything is sent it shows the instrument's tick, lot, price band and ceiling, checks the
 * price and quantity against them, and shows what the order will block: for a buy, the guarantee deposit and fee
 * (the clearing terms' rates, each rounded up per tonne, as the exchange computes them) against the account's free
 * money; for a sell, the gas at the basis. The exchange has the last word: its refusal is shown in plain words beside
 * the field it concerns.
 */

import { type FormEvent, useEffect, useId, useState } from "react";
import { invalidate, useNow } from "../api/live.ts";
import { call } from "../api/typed.ts";
import type { Account, Balance, InstrumentQuote } from "../api/types.ts";
import { describeError, type FormField, fieldOf } from "../errors.ts";
import {
  buyOrderBlockTiyn,
  percentOfBps,
  priceInputText,
  tengeOfTiyn,
  tengePerLitre,
  tengePerTonne,
  tonnes,
} from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import { haltReason, isHalted, limitsOf, limitsPublished, useDensity } from "../market.ts";
import { checkExpiry, checkPrice, checkQuantity } from "../order-checks.ts";
import { FieldError } from "./FieldError.tsx";

const TIMES_IN_FORCE = ["GTC", "DAY", "GTD", "IOC", "FOK"] as const;
const SELF_TRADE_PREVENTION = ["cancel-taker", "cancel-maker", "cancel-both"] as const;
type SelfTradePrevention = (typeof SELF_TRADE_PREVENTION)[number];
/** How often the ticket looks again whether a good-till-date expiry typed has come to pass while the form is open. */
const EXPIRY_RECHECK_MS = 5_000;

export interface Prefill {
  readonly priceTiynPerTonne: number;
  readonly side: "buy" | "sell";
  readonly nonce: number;
}

let orderCounter = 0;
/** A client order id unique in this browser: time, a counter and randomness (the server rejects reuse anyway). */
function newClientOrderId(): string {
  orderCounter++;
  const random = Math.floor(Math.random() * 36 ** 4).toString(36);
  return `w${Date.now().toString(36)}-${orderCounter}-${random}`;
}

export function OrderEntry({
  quote,
  account,
  balances,
  canTrade,
  prefill,
}: {
  quote: InstrumentQuote;
  account: Account | null;
  balances: readonly Balance[];
  canTrade: boolean;
  prefill: Prefill | null;
}) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const density = useDensity();
  const nowMs = useNow(EXPIRY_RECHECK_MS);
  const ids = useId();
  const [side, setSide] = useState<"buy" | "sell">(account?.canSell && !account.canBuy ? "sell" : "buy");
  const [orderType, setOrderType] = useState<"limit" | "market">("limit");
  const [priceText, setPriceText] = useState("");
  const [quantityText, setQuantityText] = useState("");
  const [tif, setTif] = useState<(typeof TIMES_IN_FORCE)[number]>("GTC");
  const [expireText, setExpireText] = useState("");
  const [postOnly, setPostOnly] = useState(false);
  const [stp, setStp] = useState<SelfTradePrevention>("cancel-taker");
  /** The exchange's refusal and what the ticket said when it was sent (it stands only while that is unchanged). */
  const [error, setError] = useState<{ caught: unknown; inputs: string } | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!prefill) return;
    setPriceText(priceInputText(prefill.priceTiynPerTonne));
    setSide(prefill.side);
    setOrderType("limit");
  }, [prefill]);

  useEffect(() => {
    if (account && !account.canBuy && account.canSell) setSide("sell");
    if (account?.canBuy && !account.canSell) setSide("buy");
  }, [account]);

  const limits = limitsOf(quote);
  const tick = quote.tickSizeTiynPerTonne;
  const lot = quote.lotSizeKg;
  const clearing = quote.clearing ?? null;
  const grid = { tickTiynPerTonne: tick, lotKg: lot, limits };
  // Off the tick or the lot, the order cannot be sent (and nothing is sized from it); outside the band or the ceiling
  // it is only warned about: the exchange has the last word on limits that move (web/src/order-checks.ts).
  const priceCheck = orderType === "limit" ? checkPrice(i18n, priceText, grid) : null;
  const price = priceCheck?.price ?? null;
  const priceRefusals = priceCheck?.refusals ?? [];
  const priceProblems = priceCheck?.warnings ?? [];
  const { quantity, refusals: quantityRefusals } = checkQuantity(i18n, quantityText, side, grid);
  const onGrid = priceRefusals.length === 0 && quantityRefusals.length === 0;

  const money = balances.find((b) => b.asset === "KZT");
  const gas = balances.find((b) => quote.info !== null && b.asset === `GAS:${quote.info.basis}`);
  let blockText: string;
  let short = false;
  if (quantity === null || quantity === 0) {
    blockText = t("ticket.block.enter");
  } else if (!onGrid) {
    blockText = t("ticket.block.fix");
  } else if (side === "sell") {
    blockText = t("ticket.block.gas", { quantity: tonnes(quantity, locale), basis: quote.info?.basis ?? "—" });
    if (gas && BigInt(gas.free) < BigInt(quantity)) short = true;
  } else if (!clearing) {
    blockText = t("ticket.block.unknownRates");
  } else {
    const sizingPrice = price ?? limits.ceiling;
    if (sizingPrice === null) blockText = t("ticket.block.marketNoCeiling");
    else {
      const block = buyOrderBlockTiyn(sizingPrice, quantity, clearing);
      blockText = t("ticket.block.money", {
        collateral: tengeOfTiyn(block.collateralTiyn, locale),
        collateralRate: percentOfBps(clearing.collateralBps, locale),
        fee: tengeOfTiyn(block.feeTiyn, locale),
        feeRate: percentOfBps(clearing.feeBps, locale),
        total: tengeOfTiyn(block.totalTiyn, locale),
      });
      if (money && BigInt(money.free) < BigInt(block.totalTiyn)) short = true;
    }
  }

  // Good till date: the instant it expires, typed in exchange time; it must lie ahead (web/src/order-checks.ts).
  const expiryCheck = tif === "GTD" ? checkExpiry(i18n, expireText, nowMs) : null;
  const expireAtMs = expiryCheck?.expireAtMs ?? null;
  const expireRefusals = orderType === "limit" ? (expiryCheck?.refusals ?? []) : [];
  const postOnlyOff = orderType === "market" || tif === "IOC" || tif === "FOK";

  const halted = isHalted(quote);
  const orderable = quote.phase === "continuous" || quote.phase === "collection";
  const complete =
    onGrid &&
    expireRefusals.length === 0 &&
    quantity !== null &&
    quantity > 0 &&
    (orderType === "market" || (price !== null && price > 0)) &&
    account !== null;

  // A refusal about the price stands while the price is unchanged, one about the quantity while the quantity is; any
  // other refusal while nothing in the ticket changed.
  const inputsOf = (field: FormField) =>
    field === "price"
      ? `${orderType}|${priceText}`
      : field === "quantity"
        ? `${side}|${quantityText}`
        : field === "expireAt"
          ? `${orderType}|${tif}|${expireText}`
          : `${side}|${orderType}|${priceText}|${quantityText}|${tif}|${expireText}|${postOnly}|${stp}|${account?.account ?? ""}`;
  const sentField: FormField | null = error ? fieldOf(error.caught) : null;
  const current = error !== null && sentField !== null && error.inputs === inputsOf(sentField) ? error.caught : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!complete || !account || quantity === null) return;
    // The expiry may have come to pass since the ticket last looked: checked again at the moment of sending.
    if (orderType === "limit" && tif === "GTD" && checkExpiry(i18n, expireText, Date.now()).refusals.length > 0) return;
    setBusy(true);
    setError(null);
    // What the ticket held for each field when it was sent: a refusal stands while its field is unchanged.
    const inputs = new Map<FormField, string>(
      (["price", "quantity", "expireAt", "form"] as const).map((f) => [f, inputsOf(f)]),
    );
    setResult(null);
    try {
      const response = await call(
        "post",
        "/api/orders",
        {},
        {
          instrument: quote.instrument,
          account: account.account,
          clientOrderId: newClientOrderId(),
          side,
          type: orderType,
          ...(orderType === "limit" && price !== null ? { price } : {}),
          quantity,
          tif: orderType === "market" && (tif === "GTC" || tif === "DAY" || tif === "GTD") ? "IOC" : tif,
          ...(orderType === "limit" && tif === "GTD" && expireAtMs !== null ? { expireAt: expireAtMs } : {}),
          ...(postOnly && !postOnlyOff ? { postOnly: true } : {}),
          stp,
        },
      );
      const traded = response.trades.reduce((sum, trade) => sum + trade.quantityKg, 0);
      setResult(
        t("ticket.accepted", {
          status: t(`orderStatus.${response.order?.status ?? "accepted"}`),
          traded: tonnes(traded, locale),
        }),
      );
      invalidate(`/api/accounts/${account.account}`, "/api/instruments");
    } catch (caught) {
      const field = fieldOf(caught);
      setError({ caught, inputs: inputs.get(field) ?? inputs.get("form") ?? "" });
    } finally {
      setBusy(false);
    }
  };

  const errorField: FormField | null = current ? fieldOf(current) : null;
  const errorText = current ? describeError(current, i18n) : null;
  const at = (field: FormField) => (errorField === field ? errorText : null);

  return (
    <form
      className="ticket"
      onSubmit={submit}
      aria-labelledby={`${ids}-title`}
      aria-describedby={canTrade ? undefined : `${ids}-view-only`}
      noValidate
    >
      <h2 id={`${ids}-title`}>{t("ticket.title")}</h2>
      {canTrade ? null : (
        // Said before the controls it explains, as the notification settings say theirs, not under the whole ticket.
        <p className="banner" role="note" id={`${ids}-view-only`} data-testid="ticket-view-only">
          {t("ticket.viewOnly")}
        </p>
      )}
      <dl className="facts" data-testid="ticket-facts">
        <div>
          <dt>{t("ticket.tick")}</dt>
          <dd>{tick === null ? t("ticket.unpublished") : `${tengePerTonne(tick, locale)} ${t("units.perTonne")}`}</dd>
        </div>
        <div>
          <dt>{t("ticket.lot")}</dt>
          <dd>{lot === null ? t("ticket.unpublished") : `${tonnes(lot, locale)} ${t("units.tonnes")}`}</dd>
        </div>
        <div>
          <dt>{t("ticket.band")}</dt>
          <dd data-testid="ticket-band">
            {limits.band
              ? `${tengePerTonne(limits.band.low, locale)}–${tengePerTonne(limits.band.high, locale)}`
              : limitsPublished(quote)
                ? t("limits.none")
                : t("ticket.unpublished")}
          </dd>
        </div>
        <div>
          <dt>{t("ticket.ceiling")}</dt>
          <dd>
            {limits.ceiling !== null
              ? tengePerTonne(limits.ceiling, locale)
              : limitsPublished(quote)
                ? t("limits.none")
                : t("ticket.unpublished")}
          </dd>
        </div>
      </dl>
      {halted ? (
        <p className="banner banner-halt" role="status" data-testid="ticket-halt">
          {t("ticket.halted", { reason: haltReason(quote) ?? t("ticket.haltNoReason") })}
        </p>
      ) : !orderable ? (
        <p className="banner" role="status">
          {t("ticket.notOrderable", { phase: t(`phases.${quote.phase}`) })}
        </p>
      ) : null}
      <fieldset className="segmented sides">
        <legend className="visually-hidden">{t("ticket.side")}</legend>
        {(["buy", "sell"] as const).map((value) => (
          <label key={value} className={`${value} ${side === value ? "on" : ""}`}>
            <input
              type="radio"
              name={`${ids}-side`}
              value={value}
              checked={side === value}
              disabled={account !== null && (value === "buy" ? !account.canBuy : !account.canSell)}
              onChange={() => setSide(value)}
            />
            {t(`sides.${value}`)}
          </label>
        ))}
      </fieldset>
      {account && account.canBuy !== account.canSell ? (
        // A broker's client account may be a buyer's only (or a seller's only): say why the other side is off.
        <p className="small muted" data-testid="side-note">
          {t(account.canBuy ? "ticket.buyOnly" : "ticket.sellOnly", { account: account.account })}
        </p>
      ) : null}
      <div className="row2">
        <label>
          {t("ticket.type")}
          <select value={orderType} onChange={(event) => setOrderType(event.target.value as "limit" | "market")}>
            <option value="limit">{t("ticket.limit")}</option>
            <option value="market">{t("ticket.market")}</option>
          </select>
        </label>
        <label>
          {t("ticket.tif")}
          <select value={tif} onChange={(event) => setTif(event.target.value as (typeof TIMES_IN_FORCE)[number])}>
            {TIMES_IN_FORCE.map((value) => (
              <option key={value} value={value}>
                {t(`tif.${value}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {tif === "GTD" ? (
        <label>
          {t("ticket.expireAt")}
          <input
            name="expireAt"
            type="datetime-local"
            value={expireText}
            onChange={(event) => setExpireText(event.target.value)}
            aria-invalid={expireRefusals.length > 0 || errorField === "expireAt"}
            aria-describedby={`${ids}-expire-error`}
          />
        </label>
      ) : null}
      {expireRefusals.map((problem) => (
        <p key={problem} className="field-error small" role="alert" data-testid="expire-refusal">
          {problem}
        </p>
      ))}
      {/* Only while there is one: the ticket's first error paragraph stays the price's (as pages and tests read it). */}
      {at("expireAt") ? <FieldError id={`${ids}-expire-error`} message={at("expireAt")} /> : null}
      <div className="row2">
        <label className="inline">
          <input
            type="checkbox"
            name="postOnly"
            checked={postOnly && !postOnlyOff}
            disabled={postOnlyOff}
            onChange={(event) => setPostOnly(event.target.checked)}
          />{" "}
          {t("ticket.postOnly")}
        </label>
        <label>
          {t("ticket.stp")}
          <select name="stp" value={stp} onChange={(event) => setStp(event.target.value as SelfTradePrevention)}>
            {SELF_TRADE_PREVENTION.map((value) => (
              <option key={value} value={value}>
                {t(`ticket.stpModes.${value}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="small muted">{t("ticket.optionsHelp")}</p>
      <label>
        {t("ticket.price")}
        <input
          name="price"
          inputMode="decimal"
          autoComplete="off"
          disabled={orderType === "market"}
          value={orderType === "market" ? "" : priceText}
          placeholder={orderType === "market" ? t("ticket.marketPrice") : "133400"}
          onChange={(event) => setPriceText(event.target.value)}
          aria-invalid={priceRefusals.length > 0 || priceProblems.length > 0 || errorField === "price"}
          aria-describedby={`${ids}-price-help ${ids}-price-error`}
        />
      </label>
      <p id={`${ids}-price-help`} className="small muted" data-testid="per-litre">
        {price !== null && price > 0
          ? t("ticket.perLitre", {
              price: tengePerLitre(price, density, locale),
              density: new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(density),
            })
          : "\u00a0"}
      </p>
      {priceRefusals.map((problem) => (
        <p key={problem} className="field-error small" role="alert" data-testid="price-refusal">
          {problem}
        </p>
      ))}
      {priceProblems.map((problem) => (
        <p key={problem} className="field-warning small" data-testid="price-warning">
          {problem}
        </p>
      ))}
      <FieldError id={`${ids}-price-error`} message={at("price")} />
      <label>
        {t("ticket.quantity")}
        <input
          name="quantity"
          inputMode="decimal"
          autoComplete="off"
          value={quantityText}
          placeholder="20"
          onChange={(event) => setQuantityText(event.target.value)}
          aria-invalid={quantityRefusals.length > 0 || errorField === "quantity"}
          aria-describedby={`${ids}-quantity-error`}
        />
      </label>
      {quantityRefusals.map((problem) => (
        <p key={problem} className="field-error small" role="alert" data-testid="quantity-refusal">
          {problem}
        </p>
      ))}
      <FieldError id={`${ids}-quantity-error`} message={at("quantity")} />
      <div className={`block-preview ${short ? "short" : ""}`} data-testid="block-preview" aria-live="polite">
        <strong>{t("ticket.willBlock")}</strong> {blockText}
        {side === "buy" && money ? (
          <div className="small muted">{t("ticket.freeMoney", { free: tengeOfTiyn(money.free, locale) })}</div>
        ) : null}
        {side === "sell" && gas ? (
          <div className="small muted">{t("ticket.freeGas", { free: tonnes(gas.free, locale) })}</div>
        ) : null}
        {short ? <div className="small">{t("ticket.short")}</div> : null}
      </div>
      <FieldError message={at("account") ?? at("instrument") ?? at("form")} />
      {result ? (
        <p className="ok" role="status" data-testid="ticket-result">
          {result}
        </p>
      ) : null}
      {canTrade ? (
        <button type="submit" className={`submit ${side}`} disabled={busy || !complete}>
          {t(side === "buy" ? "ticket.submitBuy" : "ticket.submitSell", {
            quantity: quantity ? tonnes(quantity, locale) : "…",
            price: orderType === "market" ? t("ticket.atMarket") : price ? tengePerTonne(price, locale) : "…",
          })}
        </button>
      ) : null}
    </form>
  );
}
