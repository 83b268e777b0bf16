/**
 * Notices on the terminal about the member's orders that the exchange itself cancelled (the regulator narrowed the
 * band or lowered the ceiling, the member was suspended, an order expired or was not filled in an auction), and about
 * a halt that freezes resting orders. Each stays until dismissed, and is said in the reader's language of the moment:
 * a notice keeps what happened, not its sentence, so a switch of language after it came says it again.
 */

import { useEffect, useRef, useState } from "react";
import { clientOrderIdOf, type InstrumentQuote, type Order } from "../api/types.ts";
import { tengePerTonne, tonnes } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import type { I18n } from "../i18n/lookup.ts";
import { haltReason, isHalted } from "../market.ts";
import { cancelledByExchange } from "../orders.ts";

interface Notice {
  readonly key: string;
  /** The notice's sentence in a language (made when it is shown). */
  readonly say: (words: Pick<I18n, "t" | "locale">) => string;
}

export function OrderNotices({
  account,
  orders,
  quote,
}: {
  account: string;
  orders: readonly Order[] | undefined;
  quote: InstrumentQuote;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [notices, setNotices] = useState<Notice[]>([]);
  const seen = useRef<{ account: string; statuses: Map<string, string> } | null>(null);
  const wasHalted = useRef<boolean | null>(null);

  useEffect(() => {
    if (orders === undefined) return;
    const before = seen.current?.account === account ? seen.current.statuses : new Map<string, string>();
    const found = cancelledByExchange(before, orders).map((order) => ({
      key: `${order.orderId}|cancelled`,
      say: ({ t, locale }: Pick<I18n, "t" | "locale">) =>
        t("notices.cancelled", {
          order: clientOrderIdOf(order.orderId),
          // The side named as the order tables name it (a noun: "Покупка"), not as the ticket's button (a verb).
          side: t(`sideNames.${order.side}`),
          quantity: tonnes(order.cancelledKg > 0 ? order.cancelledKg : order.quantityKg, locale),
          price: order.priceTiynPerTonne === null ? t("ticket.market") : tengePerTonne(order.priceTiynPerTonne, locale),
          instrument: order.instrument,
          why: t(`notices.reasons.${order.cancelReason}`),
        }),
    }));
    // Statuses kept across polls: an order leaves the list (limit) without being forgotten as resting.
    const statuses = new Map(before);
    for (const order of orders) statuses.set(order.orderId, order.status);
    seen.current = { account, statuses };
    if (found.length > 0)
      setNotices((current) => [...current, ...found.filter((n) => !current.some((c) => c.key === n.key))]);
  }, [orders, account]);

  const halted = isHalted(quote);
  const resting = (orders ?? []).filter((o) => o.status === "resting" && o.instrument === quote.instrument).length;
  useEffect(() => {
    if (wasHalted.current === false && halted && resting > 0) {
      const key = `${quote.instrument}|halt|${quote.phaseChanged?.timeMs ?? ""}`;
      const instrument = quote.instrument;
      const reason = haltReason(quote);
      const say = ({ t }: Pick<I18n, "t" | "locale">) =>
        t("notices.halted", { instrument, count: resting, reason: reason ?? t("ticket.haltNoReason") });
      setNotices((current) => (current.some((c) => c.key === key) ? current : [...current, { key, say }]));
    }
    wasHalted.current = halted;
  }, [halted, resting, quote]);

  if (notices.length === 0) return null;
  return (
    <section className="panel notices" aria-label={t("notices.title")} data-testid="order-notices">
      {notices.map((notice) => (
        <p key={notice.key} className="banner" role="alert">
          {notice.say(i18n)}{" "}
          <button
            type="button"
            className="link"
            onClick={() => setNotices((current) => current.filter((c) => c.key !== notice.key))}
          >
            {t("notices.dismiss")}
          </button>
        </p>
      ))}
    </section>
  );
}
