/**
 * The trading terminal for a member's users: choose an instrument and one of the member's accounts; see the
 * instrument's phase, limits and halts, the depth ladder, the order ticket, own orders with amend and cancel, fills,
 * balances with collateral, clearing obligations, negotiated deals (the seller registers, the buyer accepts or rejects),
 * shipments with the buyer's arrival control and the trade's documents
 * (contracts, statements), all kept live (api/live.ts). Viewers see everything but the
 * buttons that change something.
 */

import { useEffect, useState } from "react";
import { ACCOUNT_LIST_LIMIT_MAX } from "../../../src/domain/limits.ts";
import { useApi } from "../api/live.ts";
import type { User } from "../api/types.ts";
import { Balances, Fills, Obligations } from "../components/AccountPanels.tsx";
import { Deliveries } from "../components/Deliveries.tsx";
import { DepthLadder } from "../components/DepthLadder.tsx";
import { Exports } from "../components/Exports.tsx";
import { LimitsText, regionName } from "../components/LimitsText.tsx";
import { NegotiatedDeals } from "../components/NegotiatedDeals.tsx";
import { OrderEntry, type Prefill } from "../components/OrderEntry.tsx";
import { OrderNotices } from "../components/OrderNotices.tsx";
import { OwnOrders } from "../components/OwnOrders.tsx";
import { PhaseBadge } from "../components/PhaseBadge.tsx";
import { SupplyObligations } from "../components/SupplyObligations.tsx";
import { calendarMonth, signedPercent, tengePerLitre, tengePerTonne } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import { isHalted, limitsOf, useDensity } from "../market.ts";

const STORAGE_INSTRUMENT = "sauda.terminal.instrument";

export function Terminal({ user }: { user: User }) {
  const { t, locale } = useI18n();
  const density = useDensity();
  const listing = useApi("/api/instruments");
  const accounts = useApi("/api/accounts");
  const quotes = listing.data?.instruments ?? [];
  const [instrumentId, setInstrumentId] = useState<string | null>(() => localStorage.getItem(STORAGE_INSTRUMENT));
  const [accountId, setAccountId] = useState<string | null>(null);
  const [prefill, setPrefill] = useState<Prefill | null>(null);

  const quote = quotes.find((q) => q.instrument === instrumentId) ?? quotes[0] ?? null;
  const accountList = accounts.data?.accounts ?? [];
  const account = accountList.find((a) => a.account === accountId) ?? accountList[0] ?? null;

  useEffect(() => {
    if (quote) localStorage.setItem(STORAGE_INSTRUMENT, quote.instrument);
  }, [quote]);

  const instrumentParams = quote ? { path: { id: quote.instrument } } : null;
  const accountParams = account ? { path: { account: account.account } } : null;
  const book = useApi("/api/instruments/{id}/book", instrumentParams && { ...instrumentParams, query: { depth: 12 } });
  const orders = useApi(
    "/api/accounts/{account}/orders",
    accountParams && quote && { ...accountParams, query: { instrument: quote.instrument, limit: 50 } },
  );
  const balances = useApi("/api/accounts/{account}/balances", accountParams);
  // The open obligations, all of them up to the API's longest list (not a first page): the dispatch form offers those
  // the seller has to ship. The obligations table pages its own query; the balances panel's deposit comes summed from
  // the balances answer, which covers every open purchase, past that list's limit.
  const openObligations = useApi(
    "/api/accounts/{account}/obligations",
    accountParams && { ...accountParams, query: { status: "open", limit: ACCOUNT_LIST_LIMIT_MAX } },
  );
  const canTrade = user.role === "trader";
  const halted = quotes.filter(isHalted);

  return (
    <div className="terminal">
      <section className="panel terminal-head" aria-labelledby="terminal-title">
        <h1 id="terminal-title" className="visually-hidden">
          {t("terminal.title")}
        </h1>
        <div className="pickers">
          <label>
            {t("terminal.instrument")}
            <select
              value={quote?.instrument ?? ""}
              onChange={(event) => setInstrumentId(event.target.value)}
              data-testid="instrument-picker"
            >
              {quotes.map((q) => (
                <option key={q.instrument} value={q.instrument}>
                  {q.instrument}
                  {isHalted(q) ? ` — ${t("phases.halted")}` : ""}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("terminal.account")}
            <select
              value={account?.account ?? ""}
              onChange={(event) => setAccountId(event.target.value)}
              data-testid="account-picker"
            >
              {accountList.map((a) => (
                <option key={a.account} value={a.account}>
                  {a.account}
                  {a.client ? ` (${a.client})` : ""}
                </option>
              ))}
            </select>
          </label>
        </div>
        {quote ? (
          <dl className="facts wide">
            <div>
              <dt>{t("terminal.plantRegion")}</dt>
              <dd>
                {quote.info
                  ? `${quote.info.basis} → ${regionName(t, quote.info.region)}, ${calendarMonth(quote.info.deliveryPeriod, locale)}`
                  : "—"}
              </dd>
            </div>
            <div>
              <dt>{t("terminal.phase")}</dt>
              <dd>
                <PhaseBadge quote={quote} />
              </dd>
            </div>
            <div>
              <dt>{t("terminal.last")}</dt>
              <dd className="strong" data-testid="terminal-last">
                {tengePerTonne(quote.lastPriceTiynPerTonne, locale)} {t("units.perTonne")} ·{" "}
                {tengePerLitre(quote.lastPriceTiynPerTonne, density, locale)} {t("units.perLitre")}{" "}
                <span className="small">{signedPercent(quote.changeBps, locale)}</span>
              </dd>
            </div>
            <div>
              <dt>{t("terminal.reference")}</dt>
              <dd>{tengePerTonne(quote.referencePriceTiynPerTonne, locale)}</dd>
            </div>
            <div>
              <dt>{t("terminal.limits")}</dt>
              <dd>
                <LimitsText quote={quote} limits={limitsOf(quote)} />
              </dd>
            </div>
          </dl>
        ) : null}
        {halted.length > 0 ? (
          <p className="banner banner-halt" role="alert" data-testid="terminal-halt-banner">
            {t("terminal.haltBanner", {
              list: halted
                .map((q) => (q.info ? `${q.instrument} (${regionName(t, q.info.region)})` : q.instrument))
                .join(", "),
            })}
          </p>
        ) : null}
        {account && quote ? (
          <OrderNotices account={account.account} orders={orders.data?.orders} quote={quote} />
        ) : null}
        {listing.error && !listing.data ? <p className="field-error">{t("app.unreachable")}</p> : null}
        {accounts.data && accountList.length === 0 ? <p className="muted">{t("terminal.noAccounts")}</p> : null}
      </section>
      {quote ? (
        <div className="terminal-grid">
          <section className="panel" aria-labelledby="ladder-title">
            <h2 id="ladder-title">{t("ladder.title")}</h2>
            <DepthLadder
              book={book.data}
              ownOrders={orders.data?.orders ?? []}
              onPick={(priceTiynPerTonne, side) => setPrefill({ priceTiynPerTonne, side, nonce: Date.now() })}
            />
          </section>
          <section className="panel">
            <OrderEntry
              key={`${quote.instrument}|${account?.account ?? ""}`}
              quote={quote}
              account={account}
              balances={balances.data?.balances ?? []}
              canTrade={canTrade}
              prefill={prefill}
            />
          </section>
        </div>
      ) : null}
      {account && quote ? (
        <>
          <OwnOrders
            account={account.account}
            instrument={quote.instrument}
            orders={orders.data?.orders ?? []}
            canTrade={canTrade}
            grid={{ tickTiynPerTonne: quote.tickSizeTiynPerTonne, lotKg: quote.lotSizeKg, limits: limitsOf(quote) }}
          />
          <Balances balances={balances.data?.balances ?? []} held={balances.data ?? null} />
          <Fills key={account.account} account={account.account} />
          <Obligations key={account.account} account={account.account} />
          <SupplyObligations key={`supply-${account.account}`} account={account.account} />
          <NegotiatedDeals
            key={account.account}
            account={account}
            instruments={quotes.map((q) => q.instrument)}
            instrument={quote.instrument}
            canTrade={canTrade}
          />
          <Deliveries
            key={account.account}
            account={account.account}
            client={account.client ?? null}
            statementsFrom={account.statementsFrom}
            obligations={openObligations.data?.obligations ?? []}
            canTrade={canTrade}
          />
          <Exports account={account.account} />
        </>
      ) : null}
    </div>
  );
}
