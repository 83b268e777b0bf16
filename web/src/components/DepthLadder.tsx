/**
 * The depth ladder: offers above (best at the bottom), bids below (best at the top), with the quantity at each price
 * as a bar, the member's own resting quantity marked, and each level a button that copies its price into the order
 * ticket (keyboard reachable like any button).
 */

import type { Book, Order, PriceLevel } from "../api/types.ts";
import { tengePerTonne, tonnes } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";

export function DepthLadder({
  book,
  ownOrders,
  onPick,
}: {
  book: Book | undefined;
  ownOrders: readonly Order[];
  onPick: (priceTiynPerTonne: number, side: "buy" | "sell") => void;
}) {
  const { t, locale } = useI18n();
  const asks = [...(book?.asks ?? [])].reverse();
  const bids = book?.bids ?? [];
  const largest = Math.max(1, ...asks.map((l) => l.quantityKg), ...bids.map((l) => l.quantityKg));
  const own = new Map<string, number>();
  for (const order of ownOrders) {
    if (order.status !== "resting" || order.priceTiynPerTonne === null) continue;
    const key = `${order.side}|${order.priceTiynPerTonne}`;
    own.set(key, (own.get(key) ?? 0) + order.openKg);
  }
  const row = (level: PriceLevel, side: "buy" | "sell") => {
    const mine = own.get(`${side}|${level.priceTiynPerTonne}`) ?? 0;
    return (
      <tr key={`${side}-${level.priceTiynPerTonne}`} className={side === "buy" ? "bid" : "ask"}>
        <td className="num">{side === "buy" ? tonnes(level.quantityKg, locale) : ""}</td>
        <td className="num price">
          <button
            type="button"
            className="level"
            onClick={() => onPick(level.priceTiynPerTonne, side === "buy" ? "sell" : "buy")}
            title={t("ladder.pick")}
          >
            {tengePerTonne(level.priceTiynPerTonne, locale)}
          </button>
        </td>
        <td className="num">{side === "sell" ? tonnes(level.quantityKg, locale) : ""}</td>
        <td className="bar-cell" aria-hidden="true">
          <span className="bar" style={{ width: `${(100 * level.quantityKg) / largest}%` }} />
        </td>
        <td className="num small">{mine > 0 ? t("ladder.mine", { quantity: tonnes(mine, locale) }) : ""}</td>
      </tr>
    );
  };
  return (
    <table className="ladder" data-testid="ladder">
      <caption className="visually-hidden">{t("ladder.title")}</caption>
      <thead>
        <tr>
          <th scope="col" className="num">
            {t("ladder.bids")}
          </th>
          <th scope="col" className="num">
            {t("ladder.price")}
          </th>
          <th scope="col" className="num">
            {t("ladder.asks")}
          </th>
          <th scope="col">
            <span className="visually-hidden">{t("ladder.depth")}</span>
          </th>
          <th scope="col" className="num">
            {t("ladder.own")}
          </th>
        </tr>
      </thead>
      <tbody>
        {asks.map((level) => row(level, "sell"))}
        <tr className="spread">
          <td colSpan={5}>
            {asks.length === 0 && bids.length === 0
              ? t("ladder.empty")
              : book?.asks[0] && book.bids[0]
                ? t("ladder.spread", {
                    spread: tengePerTonne(book.asks[0].priceTiynPerTonne - book.bids[0].priceTiynPerTonne, locale),
                  })
                : "—"}
          </td>
        </tr>
        {bids.map((level) => row(level, "buy"))}
      </tbody>
    </table>
  );
}
