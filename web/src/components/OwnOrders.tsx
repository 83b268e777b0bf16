/**
 * The member's own orders on an account: resting ones with amend (new price and/or open quantity) and cancel, then
 * the most recent finished ones; a mass cancel for the instrument. Amend semantics are the exchange's: a price change
 * or a quantity increase loses time priority, a decrease keeps it.
 */

import { type FormEvent, useId, useRef, useState } from "react";
import { ORDER_QUANTITY_MAX } from "../../../src/domain/order.ts";
import { invalidate } from "../api/live.ts";
import { call } from "../api/typed.ts";
import { clientOrderIdOf, type Order } from "../api/types.ts";
import { describeError } from "../errors.ts";
import { exchangeMinute, priceInputText, quantityInputText, tengePerTonne, tonnes } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import { amendUnchanged, checkPrice, checkQuantity, type OrderGrid, priceRangeRefusal } from "../order-checks.ts";
import { BreakableId } from "./BreakableId.tsx";
import { FieldError } from "./FieldError.tsx";

const FINISHED_SHOWN_MAX = 15;

export function OwnOrders({
  account,
  instrument,
  orders,
  canTrade,
  grid,
}: {
  account: string;
  instrument: string;
  orders: readonly Order[];
  canTrade: boolean;
  /** The instrument's tick, lot and limits in force, for the amend row's checks (the ticket's). */
  grid: OrderGrid;
}) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<{ orderId: string; caught: unknown } | null>(null);
  const resting = orders.filter((o) => o.status === "resting");
  const finished = orders.filter((o) => o.status !== "resting").slice(0, FINISHED_SHOWN_MAX);
  const base = `/api/accounts/${encodeURIComponent(account)}`;

  // One request at a time from this list: a double click on "send amendment" or "cancel" sent it twice (the second
  // amend was accepted again, counting two amendments). The ref stops the second click before the page re-renders;
  // the state turns the buttons off meanwhile.
  const inFlight = useRef(false);
  const [sending, setSending] = useState<string | null>(null);
  const act = async (orderId: string, action: () => Promise<unknown>) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setSending(orderId);
    setError(null);
    try {
      await action();
      setEditing(null);
    } catch (caught) {
      setError({ orderId, caught });
    } finally {
      inFlight.current = false;
      setSending(null);
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
              if (!window.confirm(t("orders.massCancelConfirm", { count: resting.length, account, instrument })))
                return;
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
                  grid={grid}
                  sending={sending !== null}
                  error={error?.orderId === order.orderId ? describeError(error.caught, i18n) : null}
                  onEdited={() => setError((now) => (now?.orderId === order.orderId ? null : now))}
                  onCancel={() => {
                    setEditing(null);
                    setError((now) => (now?.orderId === order.orderId ? null : now));
                  }}
                  onSubmit={(changes) =>
                    act(order.orderId, () =>
                      call("patch", "/api/accounts/{account}/orders/{clientOrderId}", orderParams(order), changes),
                    )
                  }
                />
              ) : (
                <tr
                  key={order.orderId}
                  className={order.status === "resting" ? "" : "finished"}
                  data-order={order.orderId}
                >
                  <td className="mono small">
                    <BreakableId id={clientOrderIdOf(order.orderId)} />
                  </td>
                  <td className={order.side}>{t(`sideNames.${order.side}`)}</td>
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
                  <td className="small order-updated">{exchangeMinute(order.updatedMs, locale)}</td>
                  <td className="actions">
                    {canTrade && order.status === "resting" ? (
                      <>
                        <button type="button" className="small-button" onClick={() => setEditing(order.orderId)}>
                          {t("orders.amend")}
                        </button>
                        <button
                          type="button"
                          className="small-button danger"
                          disabled={sending !== null}
                          onClick={() => void cancel(order)}
                        >
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
  grid,
  sending,
  error,
  onSubmit,
  onEdited,
  onCancel,
}: {
  order: Order;
  grid: OrderGrid;
  /** A request from the list is on its way: the amendment is not sent again. */
  sending: boolean;
  error: string | null;
  onSubmit: (changes: { price?: number; quantity?: number }) => void;
  /** A field changed: the exchange's refusal of what was sent before no longer speaks of what the fields hold. */
  onEdited: () => void;
  onCancel: () => void;
}) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const ids = useId();
  // A field the trader has not typed in follows the order as it stands (null here): an order that fills while the row
  // is open shows its new open quantity, so an amend never sends back the figure it had when the row was opened (which
  // would add to the order again and lose its time priority). A typed field keeps what was typed; the note below says
  // the order changed and by how much, and warns when what was typed is now more than is open.
  const [priceTyped, setPriceTyped] = useState<string | null>(null);
  const [quantityTyped, setQuantityTyped] = useState<string | null>(null);
  const [openedOpenKg] = useState(order.openKg);
  const priceText = priceTyped ?? (order.priceTiynPerTonne === null ? "" : priceInputText(order.priceTiynPerTonne));
  const quantityText = quantityTyped ?? quantityInputText(order.openKg);
  // The ticket's checks (web/src/order-checks.ts), said at the field they concern: a refusal keeps the button off, a
  // warning (band, ceiling, floor) says what the exchange will refuse under today's limits.
  const priceCheck = checkPrice(i18n, priceText, grid);
  const quantityCheck = checkQuantity(i18n, quantityText, order.side, grid);
  const { price } = priceCheck;
  const { quantity } = quantityCheck;
  // The ticket says nothing of an empty field until something is typed; here both fields start filled, so an emptied
  // one is said: the prices the exchange takes, and the open quantity in whole lots of the instrument.
  const priceRefusals =
    priceText.trim() === ""
      ? [priceRangeRefusal(t, locale, grid.tickTiynPerTonne, grid.limits.band)]
      : priceCheck.refusals;
  const lot = grid.lotKg !== null && grid.lotKg > 0 ? grid.lotKg : 1;
  const quantityRefusals =
    quantityText.trim() === ""
      ? [
          t("orders.check.quantity", {
            lot: tonnes(lot, locale),
            max: tonnes(ORDER_QUANTITY_MAX - (ORDER_QUANTITY_MAX % lot), locale),
          }),
        ]
      : quantityCheck.refusals;
  // Both fields as the order stands: the exchange would refuse the amend as changing nothing (ORDER_AMEND_EMPTY).
  const unchanged =
    priceRefusals.length === 0 && quantityRefusals.length === 0 ? amendUnchanged(i18n, order, price, quantity) : null;
  const stillOpen = order.status === "resting";
  const changed = !stillOpen
    ? t("orders.changed.finished", { status: t(`orderStatus.${order.status}`) })
    : order.openKg !== openedOpenKg
      ? t(quantityTyped === null ? "orders.changed.followed" : "orders.changed.typed", {
          was: tonnes(openedOpenKg, locale),
          open: tonnes(order.openKg, locale),
        })
      : null;
  // Typed while more was open, the quantity may now be more than is open: an increase the trader did not mean.
  const grows =
    stillOpen && order.openKg !== openedOpenKg && quantityTyped !== null && quantity !== null && quantity > order.openKg
      ? t("orders.changed.grows", { typed: tonnes(quantity, locale), open: tonnes(order.openKg, locale) })
      : null;
  const refused = !stillOpen || priceRefusals.length > 0 || quantityRefusals.length > 0 || unchanged !== null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (refused || sending) return;
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
              onChange={(event) => {
                setPriceTyped(event.target.value);
                onEdited();
              }}
              aria-invalid={priceRefusals.length > 0 || priceCheck.warnings.length > 0}
              aria-describedby={`${ids}-price`}
            />
          </label>
          <span id={`${ids}-price`} className="amend-notes">
            {priceRefusals.map((problem) => (
              <span key={problem} className="field-error small" role="alert" data-testid="amend-price-refusal">
                {problem}
              </span>
            ))}
            {priceCheck.warnings.map((problem) => (
              <span key={problem} className="field-warning small" data-testid="amend-price-warning">
                {problem}
              </span>
            ))}
          </span>
          <label>
            {t("orders.newQuantity")}
            <input
              name="amend-quantity"
              inputMode="decimal"
              value={quantityText}
              onChange={(event) => {
                setQuantityTyped(event.target.value);
                onEdited();
              }}
              aria-invalid={quantityRefusals.length > 0}
              aria-describedby={`${ids}-quantity`}
            />
          </label>
          <span id={`${ids}-quantity`} className="amend-notes">
            {quantityRefusals.map((problem) => (
              <span key={problem} className="field-error small" role="alert" data-testid="amend-quantity-refusal">
                {problem}
              </span>
            ))}
          </span>
          {changed !== null ? (
            <span id={`${ids}-changed`} className="field-warning small" role="status" data-testid="amend-changed">
              {changed}
              {grows !== null ? ` ${grows}` : null}
            </span>
          ) : null}
          {unchanged !== null ? (
            <span id={`${ids}-unchanged`} className="small muted" data-testid="amend-unchanged">
              {unchanged}
            </span>
          ) : null}
          <button
            type="submit"
            disabled={refused || sending}
            aria-describedby={
              refused
                ? `${ids}-price ${ids}-quantity${unchanged !== null ? ` ${ids}-unchanged` : ""}${changed !== null ? ` ${ids}-changed` : ""}`
                : undefined
            }
          >
            {t("orders.sendAmend")}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            {t("orders.keep")}
          </button>
          <span className="small muted">{t("orders.priorityNote")}</span>
          <FieldError message={error} />
        </form>
      </td>
    </tr>
  );
}
