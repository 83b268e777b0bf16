/**
 * The public market board (no sign-in): every instrument grouped by delivery region and producing plant with its last
 * price, change, session weighted average and volume, phase and countdown, indicative auction price during order
 * collection, price band and ceiling, and halts; a candle and volume chart with the trade tape for the chosen
 * instrument (a trade the operator voided stays on it, struck through and labelled, with the void's time, rule and
 * reason in its title); the official price indices (one revised by a void after its session closed is marked);
 * producers' published outages (late ones marked); CSV downloads. Prices in tenge per tonne and tenge per litre.
 *
 * Narrow screens: at a tablet's width (about 768 px) the quotes keep the columns that matter first (instrument, plant,
 * phase, last, change, volume) and drop per-litre, weighted average, bid/ask and limits (`col-wide`); on a phone
 * (about 390 px) the list is instrument, last price and change (`col-mid` goes too), one tap away from the chart;
 * there the phase, whose column went, is said under the instrument's name (`phone-phase`): a closed market's last
 * price must not read as a live one.
 */

import { lazy, Suspense, useState } from "react";
import { useApi } from "../api/live.ts";
import type { InstrumentQuote } from "../api/types.ts";
import { BreakableId } from "../components/BreakableId.tsx";
import { DensitySetting } from "../components/DensitySetting.tsx";
import { LimitsText, regionName } from "../components/LimitsText.tsx";
import { Loading } from "../components/Loading.tsx";
import { PhaseBadge } from "../components/PhaseBadge.tsx";
import {
  calendarDate,
  calendarMonth,
  decimal,
  exchangeMinute,
  exchangeTime,
  percentOfBps,
  signedPercent,
  signedTenge,
  tengePerLitre,
  tengePerTonne,
  tonnes,
  wholeTengePerTonne,
} from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import { byRegion, isHalted, limitsOf, useDensity } from "../market.ts";

/** The chart library is large and only the chosen instrument's detail draws it: it is fetched when first needed. */
const PriceChart = lazy(() => import("../components/PriceChart.tsx").then((m) => ({ default: m.PriceChart })));

const INTERVALS = ["1m", "5m", "15m", "1h", "1d"] as const;
type Interval = (typeof INTERVALS)[number];

export function Board() {
  const { t } = useI18n();
  const listing = useApi("/api/instruments");
  const quotes = listing.data?.instruments ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const selected = quotes.find((q) => q.instrument === chosen) ?? quotes[0] ?? null;
  const halted = quotes.filter(isHalted);

  return (
    <div className="board">
      <section className="panel" aria-labelledby="board-title">
        <div className="panel-head">
          <h1 id="board-title">{t("board.title")}</h1>
          <DensitySetting />
        </div>
        {halted.length > 0 ? (
          <p className="banner banner-halt" role="status" data-testid="board-halt-banner">
            {t("board.haltBanner", { list: halted.map((q) => q.instrument).join(", ") })}
          </p>
        ) : null}
        {listing.error && !listing.data ? <p className="field-error">{t("app.unreachable")}</p> : null}
        {quotes.length === 0 && listing.data ? <p className="muted">{t("board.noInstruments")}</p> : null}
        <div className="table-scroll">
          <table className="quotes" data-testid="quotes">
            <caption className="visually-hidden">{t("board.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("board.col.instrument")}</th>
                <th scope="col" className="col-mid">
                  {t("board.col.plant")}
                </th>
                <th scope="col" className="col-mid">
                  {t("board.col.phase")}
                </th>
                <th scope="col" className="num">
                  {t("board.col.last")}
                </th>
                <th scope="col" className="num col-wide">
                  {t("board.col.perLitre")}
                </th>
                <th scope="col" className="num">
                  {t("board.col.change")}
                </th>
                <th scope="col" className="num col-wide">
                  {t("board.col.vwap")}
                </th>
                <th scope="col" className="num col-mid">
                  {t("board.col.volume")}
                </th>
                <th scope="col" className="num col-wide">
                  {t("board.col.bidAsk")}
                </th>
                <th scope="col" className="col-wide">
                  {t("board.col.limits")}
                </th>
              </tr>
            </thead>
            {byRegion(quotes).map(([region, list]) => (
              <tbody key={region}>
                <tr className="group">
                  <th scope="rowgroup" colSpan={10}>
                    {t("board.region", { region: regionName(t, region) })}
                  </th>
                </tr>
                {list.map((quote) => (
                  <QuoteRow
                    key={quote.instrument}
                    quote={quote}
                    selected={quote.instrument === selected?.instrument}
                    onSelect={() => setChosen(quote.instrument)}
                  />
                ))}
              </tbody>
            ))}
          </table>
        </div>
        <p className="muted small">{t("board.notes")}</p>
      </section>
      {selected ? <InstrumentDetail quote={selected} /> : null}
      <OutagesPanel />
      <IndicesPanel />
      <ParticipationPanel />
    </div>
  );
}

function QuoteRow({ quote, selected, onSelect }: { quote: InstrumentQuote; selected: boolean; onSelect: () => void }) {
  const { t, locale } = useI18n();
  const density = useDensity();
  const sessions = useApi("/api/instruments/{id}/sessions", { path: { id: quote.instrument }, query: { limit: 1 } });
  const current = sessions.data?.current ?? null;
  const limits = limitsOf(quote);
  const phase = isHalted(quote) ? "halted" : quote.phase;
  const direction = (quote.changeTiynPerTonne ?? 0) > 0 ? "up" : (quote.changeTiynPerTonne ?? 0) < 0 ? "down" : "flat";
  return (
    <tr
      className={`${selected ? "selected" : ""} ${isHalted(quote) ? "halted" : ""}`}
      data-instrument={quote.instrument}
    >
      <th scope="row">
        <button type="button" className="link" onClick={onSelect} aria-pressed={selected}>
          <BreakableId id={quote.instrument} />
        </button>
        <div className="muted small">
          {quote.info
            ? `${t(`products.${quote.info.product}`)} · ${calendarMonth(quote.info.deliveryPeriod, locale)}`
            : ""}
        </div>
        <div className="phone-phase" data-testid="phone-phase">
          <span className={`badge phase-${phase}`}>{t(`phases.${phase}`)}</span>
        </div>
      </th>
      <td className="col-mid">{quote.info?.basis ?? "—"}</td>
      <td className="col-mid">
        <PhaseBadge quote={quote} />
      </td>
      <td className="num strong" data-testid="last">
        {tengePerTonne(quote.lastPriceTiynPerTonne, locale)}
        {quote.phase === "collection" && quote.indicative ? (
          <div className="small indicative" data-testid="indicative">
            {quote.indicative.priceTiynPerTonne === null
              ? t("board.noIndicative")
              : t("board.indicative", {
                  price: tengePerTonne(quote.indicative.priceTiynPerTonne, locale),
                  volume: tonnes(quote.indicative.volumeKg, locale),
                })}
          </div>
        ) : null}
      </td>
      <td className="num col-wide">{tengePerLitre(quote.lastPriceTiynPerTonne, density, locale)}</td>
      <td className={`num ${direction}`} data-testid="change">
        {signedTenge(quote.changeTiynPerTonne, locale)}
        <div className="small">{signedPercent(quote.changeBps, locale)}</div>
      </td>
      <td className="num col-wide">{wholeTengePerTonne(current?.vwapTiynPerTonne ?? null, locale)}</td>
      <td className="num col-mid">{current ? tonnes(current.volumeKg, locale) : "—"}</td>
      <td className="num col-wide">
        {tengePerTonne(quote.bestBid?.priceTiynPerTonne ?? null, locale)} /{" "}
        {tengePerTonne(quote.bestAsk?.priceTiynPerTonne ?? null, locale)}
      </td>
      <td className="small col-wide">
        <LimitsText quote={quote} limits={limits} />
      </td>
    </tr>
  );
}

function InstrumentDetail({ quote }: { quote: InstrumentQuote }) {
  const { t, locale } = useI18n();
  const [interval, setChartInterval] = useState<Interval>("1m");
  const id = quote.instrument;
  const candles = useApi("/api/instruments/{id}/candles", { path: { id }, query: { interval, limit: 500 } });
  const trades = useApi("/api/instruments/{id}/trades", { path: { id }, query: { limit: 20 } });
  return (
    <section className="panel detail" aria-labelledby="detail-title">
      <div className="panel-head">
        <h2 id="detail-title">{t("board.chartTitle", { instrument: quote.instrument })}</h2>
        <fieldset className="segmented">
          <legend className="visually-hidden">{t("board.interval")}</legend>
          {INTERVALS.map((value) => (
            <label key={value} className={value === interval ? "on" : ""}>
              <input
                type="radio"
                name="interval"
                value={value}
                checked={value === interval}
                onChange={() => setChartInterval(value)}
              />
              {t(`board.intervals.${value}`)}
            </label>
          ))}
        </fieldset>
      </div>
      <div className="detail-grid">
        <div>
          <Suspense fallback={<Loading error={null} />}>
            <PriceChart
              candles={candles.data?.candles ?? []}
              locale={locale}
              label={t("board.chartLabel", { instrument: quote.instrument })}
            />
          </Suspense>
          <p className="small muted">{t("board.chartNote")}</p>
          <DeliveryTermsText quote={quote} />
          <p className="downloads">
            <span>{t("board.downloads")}</span>{" "}
            <a href={`/api/instruments/${encodeURIComponent(id)}/trades?format=csv&limit=1000`}>
              {t("board.csvTrades")}
            </a>{" "}
            <a href={`/api/instruments/${encodeURIComponent(id)}/candles?format=csv&interval=${interval}&limit=2000`}>
              {t("board.csvCandles", { interval: t(`board.intervals.${interval}`) })}
            </a>{" "}
            <a href={`/api/instruments/${encodeURIComponent(id)}/sessions?format=csv&limit=1000`}>
              {t("board.csvSessions")}
            </a>
          </p>
        </div>
        <div>
          <h3>{t("board.tape")}</h3>
          <table className="tape" data-testid="tape">
            <thead>
              <tr>
                <th scope="col">{t("board.col.time")}</th>
                <th scope="col" className="num">
                  {t("board.col.price")}
                </th>
                <th scope="col" className="num">
                  {t("board.col.quantity")}
                </th>
              </tr>
            </thead>
            <tbody>
              {(trades.data?.trades ?? []).map((trade) => {
                // A voided trade stays on the tape, struck through and labelled; its price and quantity count nowhere.
                const voided = trade.voided;
                const title = voided
                  ? t("board.voidedTitle", {
                      time: exchangeTime(voided.timeMs, locale),
                      rule: voided.rule,
                      reason: voided.reason,
                    })
                  : undefined;
                return (
                  <tr
                    key={trade.tradeId}
                    data-trade={trade.tradeId}
                    className={`${trade.aggressor ?? ""}${voided ? " voided" : ""}`}
                    title={title}
                  >
                    <td>
                      {exchangeTime(trade.timeMs, locale)}
                      {voided ? (
                        <span className="badge badge-voided" data-testid="voided">
                          {t("board.voided")}
                        </span>
                      ) : null}
                    </td>
                    <td className="num">
                      {voided ? (
                        <s>{tengePerTonne(trade.priceTiynPerTonne, locale)}</s>
                      ) : (
                        tengePerTonne(trade.priceTiynPerTonne, locale)
                      )}
                    </td>
                    <td className="num">
                      {voided ? <s>{tonnes(trade.quantityKg, locale)}</s> : tonnes(trade.quantityKg, locale)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {trades.data && trades.data.trades.length === 0 ? <p className="muted">{t("board.noTrades")}</p> : null}
          <CalendarNotice instrument={id} />
        </div>
      </div>
    </section>
  );
}

/** The published calendar's short-notice changes (inside the notice window), with their reasons. */
function CalendarNotice({ instrument }: { instrument: string }) {
  const { t, locale } = useI18n();
  const calendar = useApi("/api/instruments/{id}/calendar", { path: { id: instrument }, query: { days: 14 } });
  const urgent = (calendar.data?.changes ?? []).filter((change) => change.shortNotice);
  if (!calendar.data) return null;
  return (
    <div data-testid="calendar-notice">
      <h3>{t("calendar.title")}</h3>
      <p className="small muted">
        {t("calendar.window", {
          days: calendar.data.noticeWorkingDays,
          end: calendarDate(calendar.data.noticeWindowEnd, locale),
        })}
      </p>
      {urgent.length === 0 ? <p className="small muted">{t("calendar.noShortNotice")}</p> : null}
      <ul className="small">
        {urgent.map((change) => (
          <li key={change.seq} data-testid="short-notice">
            {t("calendar.shortNotice", {
              dates: change.shortNoticeDates.map((day) => calendarDate(day, locale)).join(", "),
              time: exchangeMinute(change.timeMs, locale),
              reason: change.reason ?? "—",
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Producers' outages and output changes whose period has not ended, as published; late ones marked. */
function OutagesPanel() {
  const { t, locale } = useI18n();
  const outages = useApi("/api/outages", { query: { upcoming: true, limit: 50 } });
  const list = outages.data?.outages ?? [];
  return (
    <section className="panel" aria-labelledby="outages-title">
      <div className="panel-head">
        <h2 id="outages-title">{t("outages.title")}</h2>
      </div>
      {outages.data && list.length === 0 ? <p className="muted">{t("outages.none")}</p> : null}
      {list.length > 0 ? (
        <div className="table-scroll">
          <table data-testid="outages">
            <thead>
              <tr>
                <th scope="col">{t("outages.plant")}</th>
                <th scope="col">{t("outages.kind")}</th>
                <th scope="col">{t("outages.period")}</th>
                <th scope="col" className="num">
                  {t("outages.volume")}
                </th>
                <th scope="col">{t("outages.reason")}</th>
                <th scope="col">{t("outages.published")}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((outage) => (
                <tr key={outage.outage} data-outage={outage.outage} className={outage.late ? "late" : ""}>
                  <td>
                    {outage.basis}
                    <div className="muted small">{outage.producer}</div>
                  </td>
                  <td>{t(`outages.kinds.${outage.kind}`)}</td>
                  <td className="small">
                    {exchangeMinute(outage.fromMs, locale)} – {exchangeMinute(outage.toMs, locale)}
                  </td>
                  <td className="num">{tonnes(outage.volumeKg, locale)}</td>
                  <td>{outage.reason}</td>
                  <td className="small">
                    {exchangeMinute(outage.publishedMs, locale)}
                    {outage.late ? (
                      <span className="badge badge-late" data-testid="late">
                        {t("outages.late")}
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <p className="muted small">{t("outages.note")}</p>
    </section>
  );
}

/** Where an index row is for: a region (or the nation) by its name; a plant-to-region pair ("KAZGPZ/MANGYSTAU") as the plant and the region's name. */
function indexPlace(t: (key: string) => string, scope: string, key: string): string {
  if (scope === "region" || scope === "national") return regionName(t, key);
  const slash = key.indexOf("/");
  if (scope === "basis-region" && slash > 0) return `${key.slice(0, slash)} / ${regionName(t, key.slice(slash + 1))}`;
  return key;
}

function IndicesPanel() {
  const { t, locale, language } = useI18n();
  const density = useDensity();
  const [day, setDay] = useState<string | null>(null);
  const indices = useApi("/api/indices", day ? { query: { day } } : {});
  const data = indices.data;
  const shownDay = data?.day ?? null;
  return (
    <section className="panel" aria-labelledby="indices-title">
      <div className="panel-head">
        <h2 id="indices-title">{t("indices.title")}</h2>
        {data && data.days.length > 0 ? (
          <label className="inline">
            {t("indices.day")}
            <select value={shownDay ?? ""} onChange={(event) => setDay(event.target.value)}>
              {data.days.map((d) => (
                <option key={d} value={d}>
                  {calendarDate(d, locale)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {data && data.indices.length === 0 ? <p className="muted">{t("indices.none")}</p> : null}
      {data && data.indices.length > 0 ? (
        <div className="table-scroll">
          <table data-testid="indices">
            <thead>
              <tr>
                <th scope="col">{t("indices.product")}</th>
                <th scope="col">{t("indices.scope")}</th>
                <th scope="col">{t("indices.key")}</th>
                <th scope="col" className="num">
                  {t("indices.price")}
                </th>
                <th scope="col" className="num">
                  {t("board.col.perLitre")}
                </th>
                <th scope="col" className="num">
                  {t("indices.volume")}
                </th>
                <th scope="col" className="num">
                  {t("indices.sessions")}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.indices.map((row) => (
                <tr key={`${row.product}|${row.scope}|${row.key}`}>
                  <td>{t(`products.${row.product}`)}</td>
                  <td>{t(`indices.scopes.${row.scope}`)}</td>
                  <td>{indexPlace(t, row.scope, row.key)}</td>
                  <td className="num strong">
                    {row.revisedMs !== undefined ? (
                      <>
                        <span
                          className="badge badge-voided"
                          data-testid="revised"
                          title={t("indices.revisedTitle", { time: exchangeMinute(row.revisedMs, locale) })}
                        >
                          {t("indices.revised")}
                        </span>{" "}
                      </>
                    ) : null}
                    {tengePerTonne(row.priceTiynPerTonne, locale)}
                  </td>
                  <td className="num">{tengePerLitre(row.priceTiynPerTonne, density, locale)}</td>
                  <td className="num">{tonnes(String(row.volumeKg), locale)}</td>
                  <td className="num">{row.sessions}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data ? (
        <details className="small" data-testid="indices-method">
          <summary>{t("indices.method.title")}</summary>
          <p>{t("indices.method.keys")}</p>
          <p>
            {t("indices.method.national", {
              weights: data.weights
                .filter((w) => w.weight > 0)
                .map((w) => `${w.basis} ${tonnes(w.weight * 1000, locale)}`)
                .join(", "),
            })}
          </p>
          <p>{t("indices.method.recompute")}</p>
        </details>
      ) : null}
      <p className="downloads">
        <a href={`/api/indices?format=csv${shownDay ? `&day=${shownDay}` : ""}`}>{t("indices.csv")}</a>
      </p>
      <p className="downloads" data-testid="bulletin-downloads">
        <span>{t("bulletin.downloads")}</span>{" "}
        {(["pdf", "xlsx", "csv"] as const).map((format) => (
          <a
            key={format}
            href={`/api/bulletin?format=${format}&lang=${language}${shownDay ? `&day=${shownDay}` : ""}`}
            data-format={format}
          >
            {t(`bulletin.${format}`)}
          </a>
        ))}
      </p>
    </section>
  );
}

/**
 * Participation and concentration per instrument and month (GET /api/participation, the disclosure README promises):
 * how many members bought and sold, the five largest's share and the HHI of each side, naming no one.
 */
function ParticipationPanel() {
  const { t, locale } = useI18n();
  const [month, setMonth] = useState<string | null>(null);
  const participation = useApi("/api/participation", month ? { query: { month } } : {});
  const data = participation.data;
  const shown = data?.month ?? null;
  return (
    <section className="panel" aria-labelledby="participation-title">
      <div className="panel-head">
        <h2 id="participation-title">{t("participation.title")}</h2>
        {data && data.months.length > 0 ? (
          <label className="inline">
            {t("participation.month")}
            <select value={shown ?? ""} onChange={(event) => setMonth(event.target.value)}>
              {data.months.map((m) => (
                <option key={m} value={m}>
                  {calendarMonth(m, locale)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {data && data.instruments.length === 0 ? <p className="muted">{t("participation.none")}</p> : null}
      {data && data.instruments.length > 0 ? (
        <div className="table-scroll">
          <table data-testid="participation">
            <thead>
              <tr>
                <th scope="col">{t("participation.instrument")}</th>
                <th scope="col" className="num">
                  {t("participation.trades")}
                </th>
                <th scope="col" className="num">
                  {t("participation.volume")}
                </th>
                <th scope="col" className="num">
                  {t("participation.buyers")}
                </th>
                <th scope="col" className="num">
                  {t("participation.buyersTop5")}
                </th>
                <th scope="col" className="num">
                  {t("participation.buyersHhi")}
                </th>
                <th scope="col" className="num">
                  {t("participation.sellers")}
                </th>
                <th scope="col" className="num">
                  {t("participation.sellersTop5")}
                </th>
                <th scope="col" className="num">
                  {t("participation.sellersHhi")}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.instruments.map((row) => (
                <tr key={row.instrument}>
                  <td className="mono small">{row.instrument}</td>
                  <td className="num">{decimal(row.trades, locale)}</td>
                  <td className="num">{tonnes(String(row.volumeKg), locale)}</td>
                  <td className="num">{decimal(row.buyers.participants, locale)}</td>
                  <td className="num">{percentOfBps(row.buyers.top5ShareBps, locale)}</td>
                  <td className="num">{decimal(row.buyers.hhi, locale)}</td>
                  <td className="num">{decimal(row.sellers.participants, locale)}</td>
                  <td className="num">{percentOfBps(row.sellers.top5ShareBps, locale)}</td>
                  <td className="num">{decimal(row.sellers.hhi, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <p className="muted small">{t("participation.note")}</p>
      <p className="downloads">
        <a href={`/api/participation?format=csv${shown ? `&month=${shown}` : ""}`} data-testid="participation-csv">
          {t("participation.csv")}
        </a>
      </p>
    </section>
  );
}

/** The instrument's delivery terms (docs/delivery.md §7): EXW plant, region, month, window and transport. */
function DeliveryTermsText({ quote }: { quote: InstrumentQuote }) {
  const { t, locale } = useI18n();
  const terms = quote.deliveryTerms;
  if (!terms) return null;
  const windowMs = terms.deliveryWindowMs;
  const window =
    windowMs === null
      ? t("board.deliveryWindowUnknown")
      : t("board.deliveryWindowDays", {
          days: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(windowMs / 86_400_000),
        });
  const transport = terms.transport
    ? t(terms.transport.mode === "rail" ? "board.transportRail" : "board.transportRoad", {
        unit: tonnes(terms.transport.unitKg, locale),
        units: terms.transport.unitsPerLot ?? "—",
      })
    : t("board.transportNotStated");
  return (
    <p className="small" data-testid="delivery-terms">
      {t("board.deliveryTerms", {
        basis: terms.basis,
        region: regionName(t, terms.region),
        period: calendarMonth(terms.deliveryPeriod, locale),
        window,
        transport,
      })}
    </p>
  );
}
