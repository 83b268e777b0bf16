/**
 * The member's own orders on an account: resting ones with amend (new price and/or open quantity) and cancel, then
 * the most recent finished ones; a mass cancel for the instrument. Amend semantics are the exchange's: a price change
 * or a quantity increase loses time priority, a decrease keeps it.
 */

import { type FormEvent, useState } from "react";
import { ORDER_PRICE_MAX, ORDER_QUANTITY_MAX } from "../../../src/domain/order.ts";
import { invalidate } from "../api/live.ts";
import { call } from "../api/typed.ts";
import { clientOrderIdOf, type Order } from "../api/types.ts";
import { describeError } from "../errors.ts";
import {
  exchangeTime,
  parsePriceTenge,
  parseQuantityTonnes,
  priceInputText,
  quantityInputText,
  tengePerTonne,
  tonnes,
} from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import { FieldError } from "./FieldError.tsx";
import { looksLikeNumber, priceRangeRefusal } from "./OrderEntry.tsx";

const FINISHED_SHOWN_MAX = 15;

export function OwnOrders({
  account,
  instrument,
  orders,
  canTrade,
  lotKg = null,
  tickTiynPerTonne = null,
}: {
  account: string;
  instrument: string;
  orders: readonly Order[];
  canTrade: boolean;
  /** The instrument's lot and tick, for the amend row's checks (null when the listing does not say). */
  lotKg?: number | null;
  tickTiynPerTonne?: number | null;
}) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<{ orderId: string; caught: unknown } | null>(null);
  const resting = orders.filter((o) => o.status === "resting");
  const finished = orders.filter((o) => o.status !== "resting").slice(0, FINISHED_SHOWN_MAX);
  const base = `/api/accounts/${encodeURIComponent(account)}`;

  const act = async (orderId: string, action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      setEditing(null);
    } catch (caught) {
      setError({ orderId, caught });
    } finally {
      invalidate(base, "/api/instruments");
    }
  };

  const orderParams = (order: Order) => ({ path: { account, clientOrderId: clientOrderIdOf(order.orderId) } });
  const cancel = (order: Order) =>
    act(order.orderId, () => call("delete", "/api/accounts/{account}/orders/{clientOrderId}", orderParams(order), {}));

  return (
    <section className="panel own-orders" aria-labelledby="orders-title">
      <div className="panel-head">
        <h2 id="orders-title">{t("orders.title")}</h2>
        {canTrade && resting.length > 0 ? (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              if (!window.confirm(t("orders.massCancelConfirm", { count: resting.length, instrument }))) return;
              void act("*", () =>
                call("post", "/api/accounts/{account}/mass-cancel", { path: { account } }, { instrument }),
              );
            }}
          >
            {t("orders.massCancel")}
          </button>
        ) : null}
      </div>
      {error?.orderId === "*" ? <FieldError message={describeError(error.caught, i18n)} /> : null}
      <div className="table-scroll">
        <table data-testid="own-orders">
          <thead>
            <tr>
              <th scope="col">{t("orders.id")}</th>
              <th scope="col">{t("orders.side")}</th>
              <th scope="col" className="num">
                {t("orders.price")}
              </th>
              <th scope="col" className="num">
                {t("orders.open")}
              </th>
              <th scope="col" className="num">
                {t("orders.filled")}
              </th>
              <th scope="col">{t("orders.status")}</th>
              <th scope="col">{t("orders.time")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("orders.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...resting, ...finished].map((order) =>
              editing === order.orderId ? (
                <AmendRow
                  key={order.orderId}
                  order={order}
                  lotKg={lotKg}
                  tickTiynPerTonne={tickTiynPerTonne}
                  error={error?.orderId === order.orderId ? describeError(error.caught, i18n) : null}
                  onCancel={() => setEditing(null)}
                  onSubmit={(changes) =>
                    act(order.orderId, () =>
                      call("patch", "/api/accounts/{account}/orders/{clientOrderId}", orderParams(order), changes),
                    )
                  }
                />
              ) : (
                <tr key={order.orderId} className={order.status === "resting" ? "" : "finished"}>
                  <td className="mono small">{clientOrderIdOf(order.orderId)}</td>
                  <td className={order.side}>{t(`sides.${order.side}`)}</td>
                  <td className="num">
                    {order.priceTiynPerTonne === null
                      ? t("ticket.market")
                      : tengePerTonne(order.priceTiynPerTonne, locale)}
                  </td>
                  <td className="num">{tonnes(order.openKg, locale)}</td>
                  <td className="num">{tonnes(order.filledKg, locale)}</td>
                  <td>
                    {t(`orderStatus.${order.status}`)}
                    {order.cancelReason ? (
                      <span className="small muted"> ({t(`orders.cancelReasons.${order.cancelReason}`)})</span>
                    ) : null}
                    {error?.orderId === order.orderId ? (
                      <FieldError message={describeError(error.caught, i18n)} />
                    ) : null}
                  </td>
                  <td className="small">{exchangeTime(order.updatedMs, locale)}</td>
                  <td className="actions">
                    {canTrade && order.status === "resting" ? (
                      <>
                        <button type="button" className="small-button" onClick={() => setEditing(order.orderId)}>
                          {t("orders.amend")}
                        </button>
                        <button type="button" className="small-button danger" onClick={() => void cancel(order)}>
                          {t("orders.cancel")}
                        </button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
      {orders.length === 0 ? <p className="muted">{t("orders.none")}</p> : null}
    </section>
  );
}

function AmendRow({
  order,
  lotKg,
  tickTiynPerTonne,
  error,
  onSubmit,
  onCancel,
}: {
  order: Order;
  lotKg: number | null;
  tickTiynPerTonne: number | null;
  error: string | null;
  onSubmit: (changes: { price?: number; quantity?: number }) => void;
  onCancel: () => void;
}) {
  const { t, locale } = useI18n();
  const [priceText, setPriceText] = useState(
    order.priceTiynPerTonne === null ? "" : priceInputText(order.priceTiynPerTonne),
  );
  const [quantityText, setQuantityText] = useState(quantityInputText(order.openKg));
  const price = parsePriceTenge(priceText, locale);
  const quantity = parseQuantityTonnes(quantityText, locale);
  // Why the amend cannot be sent, said beside the button: the prices the exchange takes, and the open quantity in
  // whole lots of the instrument (a zero is refused here, naming the lot, not by the API's bound in kg).
  const refusals: string[] = [];
  if (price === null || price === 0) {
    refusals.push(
      priceText.trim() === "" || looksLikeNumber(priceText)
        ? priceRangeRefusal(t, locale, tickTiynPerTonne, null)
        : t("ticket.check.priceNumber"),
    );
  } else if (tickTiynPerTonne !== null && tickTiynPerTonne > 0 && price % tickTiynPerTonne !== 0) {
    const tick = tengePerTonne(tickTiynPerTonne, locale);
    const lot = lotKg === null ? "—" : tonnes(lotKg, locale);
    refusals.push(t("ticket.check.tick", { price: tengePerTonne(price, locale), tick, lot }));
  } else if (price > ORDER_PRICE_MAX) {
    refusals.push(priceRangeRefusal(t, locale, tickTiynPerTonne, null));
  }
  const lot = lotKg !== null && lotKg > 0 ? lotKg : 1;
  const quantityMax = ORDER_QUANTITY_MAX - (ORDER_QUANTITY_MAX % lot);
  if (quantity === null || quantity === 0 || quantity % lot !== 0 || quantity > quantityMax) {
    refusals.push(
      quantityText.trim() === "" || looksLikeNumber(quantityText)
        ? t("orders.check.quantity", { lot: tonnes(lot, locale), max: tonnes(quantityMax, locale) })
        : t("ticket.check.quantityNumber"),
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const changes: { price?: number; quantity?: number } = {};
    if (price !== null && price !== order.priceTiynPerTonne) changes.price = price;
    if (quantity !== null && quantity !== order.openKg) changes.quantity = quantity;
    onSubmit(changes);
  };
  return (
    <tr className="amending">
      <td colSpan={8}>
        <form className="amend" onSubmit={submit} onKeyDown={(event) => event.key === "Escape" && onCancel()}>
          <span className="mono small">{clientOrderIdOf(order.orderId)}</span>
          <label>
            {t("orders.newPrice")}
            <input
              name="amend-price"
              inputMode="decimal"
              value={priceText}
              onChange={(event) => setPriceText(event.target.value)}
            />
          </label>
          <label>
            {t("orders.newQuantity")}
            <input
              name="amend-quantity"
              inputMode="decimal"
              value={quantityText}
              onChange={(event) => setQuantityText(event.target.value)}
            />
          </label>
          <button type="submit" disabled={refusals.length > 0}>
            {t("orders.sendAmend")}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            {t("orders.keep")}
          </button>
          <span className="small muted">{t("orders.priorityNote")}</span>
          {refusals.map((problem) => (
            <p key={problem} className="field-error small" role="alert" data-testid="amend-refusal">
              {problem}
            </p>
          ))}
          <FieldError message={error} />
        </form>
      </td>
    </tr>
  );
}
