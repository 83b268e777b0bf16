/**
 * The member's own records as CSV files: orders, fills and obligations of the chosen account (up to the API's 1,000
 * most recent of each), fetched when asked for and written by the browser (csv.ts).
 */

import { useState } from "react";
import { fetchOnce } from "../api/typed.ts";
import { clientOrderIdOf } from "../api/types.ts";
import { csvOf, isoOf } from "../csv.ts";
import { describeError } from "../errors.ts";
import { useI18n } from "../i18n/index.tsx";
import { FieldError } from "./FieldError.tsx";

const EXPORT_LIMIT = 1000;

type Kind = "orders" | "fills" | "obligations";

async function csvFor(kind: Kind, account: string): Promise<string> {
  const params = { path: { account }, query: { limit: EXPORT_LIMIT } };
  if (kind === "orders") {
    const { orders } = await fetchOnce("/api/accounts/{account}/orders", params);
    return csvOf(
      [
        "orderId",
        "clientOrderId",
        "instrument",
        "side",
        "orderType",
        "tif",
        "expireAt",
        "priceTiynPerTonne",
        "quantityKg",
        "filledKg",
        "openKg",
        "cancelledKg",
        "averageFillPriceTiynPerTonne",
        "status",
        "cancelReason",
        "accepted",
        "updated",
      ],
      orders.map((o) => [
        o.orderId,
        clientOrderIdOf(o.orderId),
        o.instrument,
        o.side,
        o.orderType,
        o.tif,
        isoOf(o.expireAtMs),
        o.priceTiynPerTonne,
        o.quantityKg,
        o.filledKg,
        o.openKg,
        o.cancelledKg,
        o.averageFillPriceTiynPerTonne,
        o.status,
        o.cancelReason,
        isoOf(o.acceptedMs),
        isoOf(o.updatedMs),
      ]),
    );
  }
  if (kind === "fills") {
    const { fills } = await fetchOnce("/api/accounts/{account}/fills", params);
    return csvOf(
      ["time", "tradeId", "orderId", "instrument", "side", "priceTiynPerTonne", "quantityKg", "liquidity"],
      fills.map((f) => [
        isoOf(f.timeMs),
        f.tradeId,
        f.orderId,
        f.instrument,
        f.side,
        f.priceTiynPerTonne,
        f.quantityKg,
        f.liquidity,
      ]),
    );
  }
  const { obligations } = await fetchOnce("/api/accounts/{account}/obligations", params);
  return csvOf(
    [
      "id",
      "tradeId",
      "instrument",
      "basis",
      "buyer",
      "seller",
      "priceTiynPerTonne",
      "quantityKg",
      "valueTiyn",
      "collateralTiyn",
      "buyerFeeTiyn",
      "sellerFeeTiyn",
      "tradeTime",
      "paymentDue",
      "deliveryDue",
      "paid",
      "delivered",
      "status",
    ],
    obligations.map((o) => [
      o.id,
      o.tradeId,
      o.instrument,
      o.basis,
      o.buyer,
      o.seller,
      o.priceTiynPerTonne,
      o.quantityKg,
      o.valueTiyn,
      o.collateralTiyn,
      o.buyerFeeTiyn,
      o.sellerFeeTiyn,
      isoOf(o.tradeTimeMs),
      isoOf(o.paymentDueMs),
      isoOf(o.deliveryDueMs),
      o.paid,
      o.delivered,
      o.status,
    ]),
  );
}

export function Exports({ account }: { account: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [problem, setProblem] = useState<{ caught: unknown } | null>(null);
  const download = async (kind: Kind) => {
    setProblem(null);
    try {
      const text = await csvFor(kind, account);
      const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = `${account}-${kind}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      setProblem({ caught: error });
    }
  };
  return (
    <section className="panel" aria-labelledby="exports-title" data-testid="exports">
      <h2 id="exports-title">{t("exports.title")}</h2>
      <p className="small muted">{t("exports.note", { limit: EXPORT_LIMIT })}</p>
      <p className="downloads">
        {(["orders", "fills", "obligations"] as const).map((kind) => (
          <button key={kind} type="button" className="secondary" onClick={() => void download(kind)}>
            {t(`exports.${kind}`)}
          </button>
        ))}
      </p>
      <FieldError message={problem ? describeError(problem.caught, i18n) : null} />
    </section>
  );
}
