/**
 * An account's money and gas, collateral, fills and clearing obligations. Money is tenge (from tiyn), gas tonnes
 * (from kg); "blocked for orders" is what live orders hold (a buy's guarantee deposit and fee, a sell's gas) and
 * "blocked for obligations" what open trades hold until they settle.
 */

import { Fragment } from "react";
import { useApi } from "../api/live.ts";
import type { Balance } from "../api/types.ts";
import { exchangeMinute, tengeOfTiyn, tengePerTonne, tonnes } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import { BreakableId } from "./BreakableId.tsx";
import { ShowMore, usePaging } from "./ShowMore.tsx";

/** Obligations listed at first, and added by "show more", as the documents list pages its contracts. */
export const OBLIGATIONS_PAGE = 20;
/** Fills listed at first, and added by "show more", as the obligations table pages. */
export const FILLS_PAGE = 20;

/** The deposit the account's open purchases hold, as GET …/balances gives it: all of them, summed by the exchange. */
export interface HeldDeposit {
  readonly openPurchases: number;
  readonly collateralTiyn: string;
}

export function Balances({
  balances,
  held,
}: {
  balances: readonly Balance[];
  /**
   * From the balances answer, not summed here from the obligations list: that list stops at the API's longest
   * (ACCOUNT_LIST_LIMIT_MAX), the exchange's figure covers every open purchase. Null until the answer comes.
   */
  held: HeldDeposit | null;
}) {
  const { t, locale } = useI18n();
  const amount = (balance: Balance, value: string) =>
    balance.unit === "tiyn" ? `${tengeOfTiyn(value, locale)} ₸` : `${tonnes(value, locale)} ${t("units.tonnes")}`;
  return (
    <section className="panel" aria-labelledby="balances-title">
      <h2 id="balances-title">{t("balances.title")}</h2>
      <div className="table-scroll">
        <table data-testid="balances">
          <thead>
            <tr>
              <th scope="col">{t("balances.asset")}</th>
              <th scope="col" className="num">
                {t("balances.free")}
              </th>
              <th scope="col" className="num" title={t("balances.ordersHelp")}>
                {t("balances.orders")}
              </th>
              <th scope="col" className="num" title={t("balances.obligationsHelp")}>
                {t("balances.obligations")}
              </th>
              <th scope="col" className="num">
                {t("balances.total")}
              </th>
            </tr>
          </thead>
          <tbody>
            {balances.map((balance) => (
              <tr key={balance.asset}>
                <th scope="row">
                  {balance.asset === "KZT"
                    ? t("balances.money")
                    : t("balances.gas", { basis: balance.asset.replace(/^GAS:/, "") })}
                </th>
                <td className="num strong">{amount(balance, balance.free)}</td>
                <td className="num">{amount(balance, balance.blockedForOrders)}</td>
                <td className="num">{amount(balance, balance.blockedForObligations)}</td>
                <td className="num">{amount(balance, balance.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {balances.length === 0 ? <p className="muted">{t("balances.none")}</p> : null}
      {held ? (
        <p className="small" data-testid="collateral">
          {t("balances.collateral", {
            count: String(held.openPurchases),
            amount: tengeOfTiyn(held.collateralTiyn, locale),
          })}
        </p>
      ) : null}
      <p className="small muted" data-testid="balances-explain">
        {t("balances.explain")}
      </p>
    </section>
  );
}

/** The fills table's columns on a phone, where the time and the instrument are a line above each fill. */
const FILL_COLUMNS_ON_PHONE = 4;

/** The account's fills newest first, a page at a time (its own query; key it by the account). */
export function Fills({ account }: { account: string }) {
  const { t, locale } = useI18n();
  const paging = usePaging(FILLS_PAGE);
  const listed = useApi("/api/accounts/{account}/fills", { path: { account }, query: { limit: paging.limit } });
  const fills = listed.data?.fills ?? [];
  return (
    <section className="panel" aria-labelledby="fills-title">
      <h2 id="fills-title">{t("fills.title")}</h2>
      <div className="table-scroll">
        {/* On a phone (styles.css, max-width 520px) the time's and the instrument's columns give way to a line of their
            own above each fill, the whole table's width: a long id ("PB-PAVLODAR_REFINERY-NORTH_KAZAKHSTAN-2026-01")
            then takes one or two lines instead of five, and the other columns, liquidity the last, stay on a 390 px
            screen in every language. On a wider screen that line is not shown and both are columns as before. */}
        <table data-testid="fills" className="fills">
          <thead>
            <tr>
              <th scope="col" className="fill-time">
                {t("fills.time")}
              </th>
              <th scope="col" className="fill-instrument">
                {t("fills.instrument")}
              </th>
              <th scope="col">{t("fills.side")}</th>
              {/* The quantity before the price ("Buy 3 t at 133,000"): on a phone it stays within the screen. */}
              <th scope="col" className="num">
                {t("fills.quantity")}
              </th>
              <th scope="col" className="num">
                {t("fills.price")}
              </th>
              <th scope="col">{t("fills.liquidity")}</th>
            </tr>
          </thead>
          <tbody>
            {fills.map((fill) => (
              <Fragment key={`${fill.tradeId}-${fill.orderId}`}>
                <tr className="fill-instrument-row">
                  <td colSpan={FILL_COLUMNS_ON_PHONE} className="small">
                    {exchangeMinute(fill.timeMs, locale)} · <BreakableId id={fill.instrument} />
                  </td>
                </tr>
                <tr className="fill" data-fill={fill.tradeId}>
                  <td className="small fill-time">{exchangeMinute(fill.timeMs, locale)}</td>
                  <td className="small fill-instrument">
                    <BreakableId id={fill.instrument} />
                  </td>
                  <td className={fill.side}>{t(`sideNames.${fill.side}`)}</td>
                  <td className="num">{tonnes(fill.quantityKg, locale)}</td>
                  <td className="num">{tengePerTonne(fill.priceTiynPerTonne, locale)}</td>
                  <td className="small">{t(`fills.liquidityKinds.${fill.liquidity}`)}</td>
                </tr>
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      <ShowMore
        paging={paging}
        shown={fills.length}
        testId="fills"
        words={{ all: "fills.shown", some: "fills.shownMore", more: "fills.more", limit: "fills.limit" }}
      />
      {listed.data && fills.length === 0 ? <p className="muted">{t("fills.none")}</p> : null}
    </section>
  );
}

/**
 * The obligations table's columns on a phone (quantity, value, collateral, status), where the id and the role are a
 * line above and the payment and delivery a line below.
 */
const OBLIGATION_COLUMNS_ON_PHONE = 4;

/** The account's obligations newest first, a page at a time (its own query; key it by the account). */
export function Obligations({ account }: { account: string }) {
  const { t, locale } = useI18n();
  const paging = usePaging(OBLIGATIONS_PAGE);
  const listed = useApi("/api/accounts/{account}/obligations", { path: { account }, query: { limit: paging.limit } });
  const obligations = listed.data?.obligations ?? [];
  return (
    <section className="panel" aria-labelledby="obligations-title">
      <h2 id="obligations-title">{t("obligations.title")}</h2>
      <div className="table-scroll">
        {/* On a phone (styles.css, max-width 520px) the obligation's id and role are a line of their own above its
            figures and its payment and delivery terms a line below them, the whole table's width: the id then takes one
            or two lines instead of five, and the quantity, value, collateral and status stay on a 390 px screen in kk
            and ru: there its figures and status are in the small type (a settled obligation of 20 million tenge,
            "есеп айырысылды", was 24 px too wide; one of 100 million and more may still scroll inside the table's box).
            On a wider screen those lines are not shown and the id, role, payment and delivery are columns. */}
        <table data-testid="obligations" className="obligations">
          <thead>
            <tr>
              <th scope="col" className="obligation-id">
                {t("obligations.trade")}
              </th>
              <th scope="col" className="obligation-role">
                {t("obligations.role")}
              </th>
              <th scope="col" className="num">
                {t("obligations.quantity")}
              </th>
              <th scope="col" className="num">
                {t("obligations.value")}
              </th>
              <th scope="col" className="num">
                {t("obligations.collateral")}
              </th>
              <th scope="col" className="obligation-term">
                {t("obligations.payment")}
              </th>
              <th scope="col" className="obligation-term">
                {t("obligations.delivery")}
              </th>
              <th scope="col">{t("obligations.status")}</th>
            </tr>
          </thead>
          <tbody>
            {obligations.map((o) => {
              const buyer = o.buyer === account;
              const role = t(buyer ? "obligations.buyer" : "obligations.seller");
              const payment = o.paid
                ? t("obligations.done")
                : o.status === "open"
                  ? t("obligations.due", { at: exchangeMinute(o.paymentDueMs, locale) })
                  : "—";
              const delivery = o.delivered
                ? t("obligations.done")
                : o.status === "open"
                  ? t("obligations.due", { at: exchangeMinute(o.deliveryDueMs, locale) })
                  : "—";
              return (
                <Fragment key={o.id}>
                  <tr className="obligation-line">
                    <td colSpan={OBLIGATION_COLUMNS_ON_PHONE} className="small">
                      <span className="mono">
                        <BreakableId id={o.id} />
                      </span>{" "}
                      · {role}
                    </td>
                  </tr>
                  <tr className="obligation" data-obligation={o.id}>
                    <td className="mono small obligation-id">
                      <BreakableId id={o.id} />
                    </td>
                    <td className="obligation-role">{role}</td>
                    <td className="num">{tonnes(o.quantityKg, locale)}</td>
                    <td className="num">{tengeOfTiyn(o.valueTiyn, locale)}</td>
                    <td className="num">{buyer ? tengeOfTiyn(o.collateralTiyn, locale) : "—"}</td>
                    <td className="small obligation-term">{payment}</td>
                    <td className="small obligation-term">{delivery}</td>
                    <td>{t(`obligations.statuses.${o.status}`)}</td>
                  </tr>
                  <tr className="obligation-line obligation-terms">
                    <td colSpan={OBLIGATION_COLUMNS_ON_PHONE} className="small">
                      {t("obligations.payment")}: {payment} · {t("obligations.delivery")}: {delivery}
                    </td>
                  </tr>
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      <ShowMore
        paging={paging}
        shown={obligations.length}
        testId="obligations"
        words={{
          all: "obligations.shown",
          some: "obligations.shownMore",
          more: "obligations.more",
          limit: "obligations.limit",
        }}
      />
      {listed.data && obligations.length === 0 ? <p className="muted">{t("obligations.none")}</p> : null}
    </section>
  );
}
