/**
 * The regulator's console, with the January 2022 question in mind: where is the price rising fastest, and who is
 * short on supply obligations. Prices and volumes by region at a glance (from public market data), supply obligations
 * by producer, the controls (price band, circuit breaker, ceiling and floor, ceiling path, buyer limits, halts and
 * resumption) each with a reason and a confirmation, and the audit trail with filters.
 *
 * The regulator's own API is under /api/regulator, typed from the API document (api/typed.ts); a part whose route the server does not have
 * yet says so in place.
 */

import { useState } from "react";
import { isMissingRoute } from "../api/client.ts";
import { useApi, useNow } from "../api/live.ts";
import { apiPath, type BodyOf, mutation, type QueryOf, type ResponseOf } from "../api/typed.ts";
import type { AuditEntry, InstrumentQuote, Safeguards } from "../api/types.ts";
import { ControlForm, FieldProblem, type LoadedSettings } from "../components/ControlForm.tsx";
import { FieldError } from "../components/FieldError.tsx";
import { LimitsText, regionName } from "../components/LimitsText.tsx";
import { PhaseBadge } from "../components/PhaseBadge.tsx";
import { SupplyFigureHeads, SupplyFigures } from "../components/SupplyObligations.tsx";
import { describeError } from "../errors.ts";
import {
  calendarMonth,
  exchangeTime,
  priceInputText,
  signedPercent,
  tengePerLitre,
  tengePerTonne,
  tonnes,
  wholeTengePerTonne,
} from "../format.ts";
import { type I18n, useI18n } from "../i18n/index.tsx";
import { byRegion, isHalted, limitsOf, useDensity } from "../market.ts";
import { readPriceTyped } from "../order-checks.ts";

type RegionRow = ResponseOf<"/api/regulator/overview">["regions"][number];

export function Regulator() {
  const { t } = useI18n();
  const listing = useApi("/api/instruments");
  const safeguards = useApi("/api/regulator/safeguards");
  const overview = useApi("/api/regulator/overview");
  const inForce = new Map((safeguards.data?.instruments ?? []).map((view) => [view.instrument, view]));
  // The listing is public; the regulator's view adds the limits in force and the halt's reason.
  const quotes = (listing.data?.instruments ?? []).map((quote) => {
    const view = inForce.get(quote.instrument);
    return view ? { ...quote, limits: view.limits, phaseChanged: view.phaseChanged } : quote;
  });
  return (
    <div className="console">
      <h1>{t("regulator.title")}</h1>
      <RegionOverview quotes={quotes} regions={overview.data?.regions ?? null} />
      <SupplyPanel />
      <section className="panel" aria-labelledby="controls-title">
        <h2 id="controls-title">{t("regulator.controls")}</h2>
        <p className="muted small">{t("regulator.controlsNote")}</p>
        <div className="controls-grid">
          <HaltControls quotes={quotes} />
          <SafeguardControls
            quotes={quotes}
            inForce={new Map((safeguards.data?.instruments ?? []).map((view) => [view.instrument, view.safeguards]))}
          />
        </div>
      </section>
      <AuditPanel />
    </div>
  );
}

interface RegionSummary {
  readonly region: string;
  readonly quotes: InstrumentQuote[];
}

function RegionOverview({
  quotes,
  regions,
}: {
  quotes: readonly InstrumentQuote[];
  regions: readonly RegionRow[] | null;
}) {
  const { t, locale } = useI18n();
  const groups: RegionSummary[] = byRegion(quotes).map(([region, list]) => ({ region, quotes: list }));
  // The fastest rise first: the server's order (GET /api/regulator/overview), else the largest change here.
  const order = new Map((regions ?? []).map((row, index) => [row.region, index]));
  const rise = (g: RegionSummary) => Math.max(...g.quotes.map((q) => q.changeBps ?? Number.NEGATIVE_INFINITY));
  groups.sort((a, b) => (order.get(a.region) ?? 1e9) - (order.get(b.region) ?? 1e9) || rise(b) - rise(a));
  const summary = new Map((regions ?? []).map((row) => [row.region, row]));
  return (
    <section className="panel" aria-labelledby="overview-title">
      <h2 id="overview-title">{t("regulator.overview")}</h2>
      <p className="muted small">{t("regulator.overviewNote")}</p>
      <div className="table-scroll">
        <table data-testid="region-overview">
          <thead>
            <tr>
              <th scope="col">{t("regulator.col.region")}</th>
              <th scope="col">{t("regulator.col.instrument")}</th>
              <th scope="col">{t("board.col.phase")}</th>
              <th scope="col" className="num">
                {t("board.col.last")}
              </th>
              <th scope="col" className="num">
                {t("board.col.perLitre")}
              </th>
              <th scope="col" className="num">
                {t("board.col.change")}
              </th>
              <th scope="col" className="num">
                {t("board.col.vwap")}
              </th>
              <th scope="col" className="num">
                {t("regulator.col.offeredBought")}
              </th>
              <th scope="col">{t("board.col.limits")}</th>
            </tr>
          </thead>
          {groups.map((group) => (
            <tbody key={group.region}>
              {summary.has(group.region) ? (
                <tr className="group">
                  <th scope="rowgroup" colSpan={9}>
                    {t("regulator.regionSummary", {
                      region: regionName(t, group.region),
                      volume: tonnes(String(summary.get(group.region)?.volumeKg ?? 0), locale),
                      vwap: wholeTengePerTonne(summary.get(group.region)?.vwapTiynPerTonne ?? null, locale),
                      fastest: summary.get(group.region)?.risingFastest?.instrument ?? "—",
                    })}
                  </th>
                </tr>
              ) : null}
              {group.quotes.map((quote, index) => (
                <OverviewRow key={quote.instrument} quote={quote} region={index === 0 ? group.region : null} />
              ))}
            </tbody>
          ))}
        </table>
      </div>
    </section>
  );
}

function OverviewRow({ quote, region }: { quote: InstrumentQuote; region: string | null }) {
  const { t, locale } = useI18n();
  const density = useDensity();
  const sessions = useApi("/api/instruments/{id}/sessions", { path: { id: quote.instrument }, query: { limit: 1 } });
  const current = sessions.data?.current ?? null;
  const change = quote.changeBps ?? 0;
  return (
    <tr className={isHalted(quote) ? "halted" : ""}>
      <th scope="row">{region ? regionName(t, region) : ""}</th>
      <td>
        {quote.instrument}
        <div className="small muted">{quote.info?.basis}</div>
      </td>
      <td>
        <PhaseBadge quote={quote} />
      </td>
      <td className="num strong">{tengePerTonne(quote.lastPriceTiynPerTonne, locale)}</td>
      <td className="num">{tengePerLitre(quote.lastPriceTiynPerTonne, density, locale)}</td>
      <td className={`num ${change > 0 ? "up" : change < 0 ? "down" : ""} ${change >= 500 ? "alarm" : ""}`}>
        {signedPercent(quote.changeBps, locale)}
      </td>
      <td className="num">{wholeTengePerTonne(current?.vwapTiynPerTonne ?? null, locale)}</td>
      <td className="num">
        {current ? `${tonnes(current.offeredKg, locale)} / ${tonnes(current.volumeKg, locale)}` : "—"}
      </td>
      <td className="small">
        <LimitsText quote={quote} limits={limitsOf(quote)} published />
      </td>
    </tr>
  );
}

function SupplyPanel() {
  const { t, locale } = useI18n();
  const supply = useApi("/api/regulator/supply");
  const rows = supply.data?.plans ?? [];
  return (
    <section className="panel" aria-labelledby="supply-title">
      <h2 id="supply-title">{t("regulator.supply")}</h2>
      {isMissingRoute(supply.error) ? (
        <p className="placeholder">{t("placeholder.endpoint", { endpoint: "GET /api/regulator/supply" })}</p>
      ) : rows.length === 0 ? (
        <p className="muted">{supply.data ? t("regulator.noSupply") : t("app.loading")}</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="supply">
            <thead>
              <tr>
                <th scope="col">{t("regulator.col.producer")}</th>
                <th scope="col">{t("regulator.col.basis")}</th>
                <th scope="col">{t("regulator.col.month")}</th>
                <SupplyFigureHeads />
              </tr>
            </thead>
            <tbody>
              {[...rows]
                .sort((a, b) => Number(b.shortfallKg ?? 0) - Number(a.shortfallKg ?? 0))
                .map((row) => (
                  <tr
                    key={`${row.producer}|${row.basis}|${row.month}`}
                    className={Number(row.shortfallKg ?? 0) > 0 ? "short" : ""}
                  >
                    <th scope="row">{row.producer}</th>
                    <td>{row.basis}</td>
                    <td>{calendarMonth(row.month, locale)}</td>
                    <SupplyFigures row={row} />
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function instrumentOptions(quotes: readonly InstrumentQuote[]) {
  return quotes.map((q) => ({ value: q.instrument, label: q.instrument }));
}

function regionOptions(quotes: readonly InstrumentQuote[], t: (key: string) => string) {
  const regions = [...new Set(quotes.map((q) => q.info?.region).filter((r): r is string => typeof r === "string"))];
  return regions.sort().map((r) => ({ value: r, label: regionName(t, r) }));
}

function HaltControls({ quotes }: { quotes: readonly InstrumentQuote[] }) {
  const { t } = useI18n();
  const scopes = [
    { value: "market", label: t("regulator.scope.market") },
    { value: "region", label: t("regulator.scope.region") },
    { value: "instrument", label: t("regulator.scope.instrument") },
  ];
  const fields = [
    { name: "scope", label: t("regulator.scope.label"), kind: "select" as const, options: scopes },
    {
      name: "region",
      label: t("regulator.col.region"),
      kind: "select" as const,
      options: regionOptions(quotes, t),
      required: false, // a missing one is said by target(): "choose a region"
      shown: (v: Readonly<Record<string, string>>) => v.scope === "region",
    },
    {
      name: "instrument",
      label: t("regulator.col.instrument"),
      kind: "select" as const,
      options: instrumentOptions(quotes),
      required: false,
      shown: (v: Readonly<Record<string, string>>) => v.scope === "instrument",
    },
  ];
  const target = (v: Readonly<Record<string, string>>) => {
    if (v.scope === "region" && !v.region) throw new FieldProblem("region", t("regulator.chooseRegion"));
    if (v.scope === "instrument" && !v.instrument)
      throw new FieldProblem("instrument", t("regulator.chooseInstrument"));
    const scope = v.scope === "region" || v.scope === "instrument" ? v.scope : "market";
    return {
      scope,
      ...(scope === "region" && v.region ? { region: v.region } : {}),
      ...(scope === "instrument" && v.instrument ? { instrument: v.instrument } : {}),
    } as const;
  };
  const describeTarget = (v: Readonly<Record<string, string>>) =>
    v.scope === "region"
      ? regionName(t, v.region ?? "")
      : v.scope === "instrument"
        ? (v.instrument ?? "")
        : t("regulator.scope.market");
  return (
    <>
      <ControlForm
        id="halt-form"
        title={t("regulator.halt")}
        fields={fields}
        action={(v, reason) => mutation("post", "/api/regulator/halt", {}, { ...target(v), reason })}
        summary={(v) => t("regulator.haltSummary", { target: describeTarget(v) })}
        submitLabel={t("regulator.haltSubmit")}
        outcome={(answer) => {
          // A halt leaves an instrument already halted as it is, with the reason it was halted for: said so.
          const changed = (answer as HaltAnswer).changed.map((change) => change.instrument);
          return changed.length === 0
            ? t("regulator.haltNothingChanged")
            : t("regulator.haltChanged", { list: changed.join(", ") });
        }}
        danger
        refreshes={["/api/instruments"]}
      />
      <ControlForm
        id="resume-form"
        title={t("regulator.resume")}
        fields={fields}
        action={(v, reason) => mutation("post", "/api/regulator/resume", {}, { ...target(v), reason })}
        summary={(v) => t("regulator.resumeSummary", { target: describeTarget(v) })}
        submitLabel={t("regulator.resumeSubmit")}
        refreshes={["/api/instruments"]}
      />
    </>
  );
}

type HaltAnswer = ResponseOf<"/api/regulator/halt", "post">;

/** Percent typed by a person ("5", "2.5") → basis points; empty → null (the limit is removed). */
function bpsOf(text: string | undefined, field: string, message: string): number | null {
  if (text === undefined || text.trim() === "") return null;
  const hundredths = parseScaled2(text);
  if (hundredths === null || hundredths <= 0 || hundredths >= 10_000) throw new FieldProblem(field, message);
  return hundredths;
}

function parseScaled2(text: string): number | null {
  const match = /^\s*(\d+)(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0") || "0");
}

type SafeguardsChange = BodyOf<"/api/regulator/instruments/{id}/safeguards", "patch">;

/** A safeguards change whose fields may be undefined: those are left out (a field not sent keeps its setting). */
function defined(body: { [K in keyof SafeguardsChange]: SafeguardsChange[K] | undefined }): SafeguardsChange {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as SafeguardsChange;
}

/** The decimal mark a person types in the locale: "," in Russian and Kazakh, "." in English. */
const decimalMark = (locale: string) => (locale.startsWith("en") ? "." : ",");
/** Basis points as the percentage a person types in the locale, e.g. 750 → "7,5" (ru, kk) or "7.5" (en); "" for none. */
const percentText = (bps: number | null, locale: string) =>
  bps === null ? "" : String(bps / 100).replace(".", decimalMark(locale));
const countText = (count: number | null) => (count === null ? "" : String(count));
const priceText = (tiyn: number | null) => (tiyn === null ? "" : priceInputText(tiyn));
/** The exchange's date (UTC+5) of an instant as a person types it: YYYY-MM-DD in English, DD.MM.YYYY in ru and kk. */
const exchangeDay = (ms: number, locale: string) => {
  const iso = new Date(ms + 5 * 3_600_000).toISOString().slice(0, 10);
  return locale.startsWith("en") ? iso : `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
};

/** 00:00 exchange time (UTC+5) on the first day of the month `months` after the one `ms` falls in, exchange time. */
const firstOfMonthAfter = (ms: number, months: number) => {
  const day = new Date(ms + 5 * 3_600_000);
  return Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + months, 1) - 5 * 3_600_000;
};

function SafeguardControls({
  quotes,
  inForce,
}: {
  quotes: readonly InstrumentQuote[];
  inForce: ReadonlyMap<string, Safeguards>;
}) {
  const { t, locale } = useI18n();
  // The page's clock, for the ceiling path's example dates (checked hourly: a month turns rarely).
  const now = useNow(3_600_000);
  /** The settings in force on the chosen instrument, as the form's field texts. */
  const load =
    (fields: (safeguards: Safeguards) => Record<string, string>) =>
    (v: Readonly<Record<string, string>>): LoadedSettings | null => {
      const safeguards = v.instrument ? inForce.get(v.instrument) : undefined;
      return safeguards && v.instrument ? { key: v.instrument, values: fields(safeguards) } : null;
    };
  const only = <T,>(changed: ReadonlySet<string>, field: string, value: () => T): T | undefined =>
    changed.has(field) ? value() : undefined;
  const instrument = {
    name: "instrument",
    label: t("regulator.col.instrument"),
    kind: "select" as const,
    options: instrumentOptions(quotes),
  };
  const tickOf = (instrument: string | undefined) =>
    quotes.find((q) => q.instrument === instrument)?.tickSizeTiynPerTonne ?? null;
  const price = (field: string, text: string | undefined, instrument: string | undefined): number | null => {
    if (text === undefined || text.trim() === "") return null;
    const read = readPrice(text, { t, locale }, tickOf(instrument));
    if ("problem" in read) throw new FieldProblem(field, read.problem);
    return read.value;
  };
  /** A price as typed, said in the confirmation as the page writes prices ("150 000 ₸/т"); as typed if it does not read. */
  const pricePerTonneText = (text: string) => {
    const read = readPrice(text, { t, locale }, null);
    return "value" in read
      ? `${tengePerTonne(read.value, locale)} ${t("units.perTonne")}`
      : `${text} ${t("units.perTonne")}`;
  };
  /** A ceiling path as sent, said in the confirmation with dates and prices written the page's way. */
  const stepsText = (v: Readonly<Record<string, string>>) =>
    parseSteps(v.steps ?? "", locale, tickOf(v.instrument), t)
      .map(
        (step) =>
          `${exchangeDay(step.effectiveFromMs, locale)} ${tengePerTonne(step.ceiling, locale)} ${t("units.perTonne")}`,
      )
      .join("; ");
  /**
   * Steps dated before now: the exchange applies them as soon as the path is set (src/engine/safeguards.ts,
   * ceilingAt), the latest of them becoming the ceiling in force. Said before sending; "now" is this device's clock,
   * which the exchange's follows in service.
   */
  const pastStepsWarning = (v: Readonly<Record<string, string>>) => {
    const past = parseSteps(v.steps ?? "", locale, tickOf(v.instrument), t).filter(
      (step) => step.effectiveFromMs <= Date.now(),
    );
    const last = past.at(-1);
    if (last === undefined) return null;
    return t("regulator.pastSteps", {
      steps: past.map((step) => exchangeDay(step.effectiveFromMs, locale)).join(", "),
      ceiling: tengePerTonne(last.ceiling, locale),
    });
  };
  /** The day's static band of an instrument (before the ceiling and the floor clamp it), as the exchange publishes it. */
  const staticBandOf = (instrument: string | undefined) => {
    const quote = quotes.find((q) => q.instrument === instrument);
    return quote ? limitsOf(quote).staticBand : null;
  };
  const typedPrice = (text: string | undefined) => {
    if (!text?.trim()) return null;
    const read = readPrice(text, { t, locale }, null);
    return "value" in read ? read.value : null;
  };
  /**
   * A ceiling at or below the day's static band (a floor at or above it): accepted, and it becomes the one price that
   * can trade until a session trades there and the band recentres (docs/market-rules.md, "Price limits"). Said before
   * sending.
   */
  const limitsBeyondBandWarning = (v: Readonly<Record<string, string>>) => {
    const band = staticBandOf(v.instrument);
    if (band === null) return null;
    const words = { low: tengePerTonne(band.low, locale), high: tengePerTonne(band.high, locale) };
    const ceiling = typedPrice(v.ceiling);
    const floor = typedPrice(v.floor);
    const said = [
      ceiling !== null && ceiling <= band.low
        ? t("regulator.ceilingBelowBand", { ...words, ceiling: tengePerTonne(ceiling, locale) })
        : null,
      floor !== null && floor >= band.high
        ? t("regulator.floorAboveBand", { ...words, floor: tengePerTonne(floor, locale) })
        : null,
    ].filter((text) => text !== null);
    return said.length > 0 ? said.join(" ") : null;
  };
  /** Ceiling-path steps at or below today's band: each leaves one price while it is in force. */
  const pathWarning = (v: Readonly<Record<string, string>>) => {
    const band = staticBandOf(v.instrument);
    const low =
      band === null
        ? []
        : parseSteps(v.steps ?? "", locale, tickOf(v.instrument), t).filter((step) => step.ceiling <= band.low);
    const said = [
      pastStepsWarning(v),
      band !== null && low.length > 0
        ? t("regulator.stepsBelowBand", {
            low: tengePerTonne(band.low, locale),
            high: tengePerTonne(band.high, locale),
            steps: low
              .map((step) => `${exchangeDay(step.effectiveFromMs, locale)} ${tengePerTonne(step.ceiling, locale)}`)
              .join(", "),
          })
        : null,
    ].filter((text) => text !== null);
    return said.length > 0 ? said.join(" ") : null;
  };
  const change = (v: Readonly<Record<string, string>>, body: SafeguardsChange) =>
    v.instrument
      ? mutation("patch", "/api/regulator/instruments/{id}/safeguards", { path: { id: v.instrument } }, body)
      : null;
  const refreshes = ["/api/instruments"];
  return (
    <>
      <ControlForm
        id="band-form"
        title={t("regulator.band")}
        fields={[
          instrument,
          {
            name: "bandPercent",
            label: t("regulator.bandPercent"),
            kind: "number",
            required: false,
            help: t("regulator.emptyRemoves"),
          },
          {
            name: "breakerPercent",
            label: t("regulator.breakerPercent"),
            kind: "number",
            required: false,
            help: t("regulator.emptyRemoves"),
          },
        ]}
        load={load((s) => ({
          bandPercent: percentText(s.bandBps, locale),
          breakerPercent: percentText(s.breakerBps, locale),
        }))}
        action={(v, reason, changed) =>
          change(
            v,
            defined({
              bandBps: only(changed, "bandPercent", () =>
                bpsOf(v.bandPercent, "bandPercent", t("regulator.percentInvalid")),
              ),
              breakerBps: only(changed, "breakerPercent", () =>
                bpsOf(v.breakerPercent, "breakerPercent", t("regulator.percentInvalid")),
              ),
              reason,
            }),
          )
        }
        summary={(v) =>
          t("regulator.bandSummary", {
            instrument: v.instrument ?? "",
            band: v.bandPercent ? `±${v.bandPercent}%` : t("regulator.off"),
            breaker: v.breakerPercent ? `±${v.breakerPercent}%` : t("regulator.off"),
          })
        }
        submitLabel={t("regulator.apply")}
        refreshes={refreshes}
      />
      <ControlForm
        id="ceiling-form"
        title={t("regulator.ceiling")}
        fields={[
          instrument,
          {
            name: "ceiling",
            label: t("regulator.ceilingPrice"),
            kind: "number",
            required: false,
            help: t("regulator.emptyRemoves"),
          },
          {
            name: "floor",
            label: t("regulator.floorPrice"),
            kind: "number",
            required: false,
            help: t("regulator.emptyRemoves"),
          },
        ]}
        load={load((s) => ({ ceiling: priceText(s.ceilingTiynPerTonne), floor: priceText(s.floorTiynPerTonne) }))}
        action={(v, reason, changed) => {
          const body = defined({
            ceiling: only(changed, "ceiling", () => price("ceiling", v.ceiling, v.instrument)),
            floor: only(changed, "floor", () => price("floor", v.floor, v.instrument)),
            reason,
          });
          // The exchange refuses a floor above the ceiling (the two as they will stand: typed, or as loaded); said
          // here at the field, before anything is sent.
          const [ceiling, floor] = [typedPrice(v.ceiling), typedPrice(v.floor)];
          if (ceiling !== null && floor !== null && floor > ceiling) {
            throw new FieldProblem(
              "floor",
              t("regulator.floorAboveCeiling", {
                floor: tengePerTonne(floor, locale),
                ceiling: tengePerTonne(ceiling, locale),
              }),
            );
          }
          return change(v, body);
        }}
        summary={(v) =>
          t("regulator.ceilingSummary", {
            instrument: v.instrument ?? "",
            ceiling: v.ceiling ? pricePerTonneText(v.ceiling) : t("regulator.off"),
            floor: v.floor ? pricePerTonneText(v.floor) : t("regulator.off"),
          })
        }
        warning={limitsBeyondBandWarning}
        submitLabel={t("regulator.apply")}
        refreshes={refreshes}
      />
      <ControlForm
        id="path-form"
        title={t("regulator.ceilingPath")}
        fields={[
          instrument,
          {
            name: "steps",
            label: t("regulator.steps"),
            // An example to come, from the page's clock: the first days of the next two months.
            placeholder: t("regulator.stepsPlaceholder", {
              first: exchangeDay(firstOfMonthAfter(now, 1), locale),
              second: exchangeDay(firstOfMonthAfter(now, 2), locale),
            }),
            help: t("regulator.stepsHelp"),
          },
        ]}
        load={load((s) => ({
          steps: s.ceilingPath
            .map(
              (step) =>
                `${exchangeDay(step.effectiveFromMs, locale)} ${priceInputText(step.ceilingTiynPerTonne).replace(".", decimalMark(locale))}`,
            )
            .join("; "),
        }))}
        action={(v, reason) =>
          change(v, { ceilingPath: parseSteps(v.steps ?? "", locale, tickOf(v.instrument), t), reason })
        }
        summary={(v) => t("regulator.pathSummary", { instrument: v.instrument ?? "", steps: stepsText(v) })}
        warning={pathWarning}
        submitLabel={t("regulator.apply")}
        refreshes={refreshes}
      />
      <ControlForm
        id="buyer-limits-form"
        title={t("regulator.buyerLimits")}
        fields={[
          instrument,
          {
            name: "maxSharePercent",
            label: t("regulator.maxShare"),
            kind: "number",
            required: false,
            help: t("regulator.emptyRemoves"),
          },
          { name: "maxActiveOrders", label: t("regulator.maxActiveOrders"), kind: "number", required: false },
          { name: "maxLotsPerOrder", label: t("regulator.maxLots"), kind: "number", required: false },
        ]}
        load={load((s) => ({
          maxSharePercent: percentText(s.maxShareBps, locale),
          maxActiveOrders: countText(s.maxActiveOrders),
          maxLotsPerOrder: countText(s.maxLotsPerOrder),
        }))}
        action={(v, reason, changed) =>
          change(
            v,
            defined({
              maxShareBps: only(changed, "maxSharePercent", () =>
                bpsOf(v.maxSharePercent, "maxSharePercent", t("regulator.percentInvalid")),
              ),
              maxActiveOrders: only(changed, "maxActiveOrders", () =>
                countOf(v.maxActiveOrders, "maxActiveOrders", t("regulator.countInvalid")),
              ),
              maxLotsPerOrder: only(changed, "maxLotsPerOrder", () =>
                countOf(v.maxLotsPerOrder, "maxLotsPerOrder", t("regulator.countInvalid")),
              ),
              reason,
            }),
          )
        }
        summary={(v) =>
          t("regulator.buyerLimitsSummary", {
            instrument: v.instrument ?? "",
            share: v.maxSharePercent ? `${v.maxSharePercent}%` : t("regulator.off"),
            orders: v.maxActiveOrders || t("regulator.off"),
            lots: v.maxLotsPerOrder || t("regulator.off"),
          })
        }
        submitLabel={t("regulator.apply")}
        refreshes={refreshes}
      />
    </>
  );
}

function countOf(text: string | undefined, field: string, message: string): number | null {
  if (text === undefined || text.trim() === "") return null;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new FieldProblem(field, message);
  return Number(text);
}

/**
 * "2026-02-01 125000; 2026-03-01 130000" → steps effective at 00:00 exchange time (UTC+5) on each date. A step whose
 * date or price cannot be read is named with what is wrong with it (a price off the instrument's tick, too many
 * decimals, a number that reads two ways), in the reader's language.
 */
function parseSteps(
  text: string,
  locale: string,
  tick: number | null,
  t: (key: string, params?: Record<string, string>) => string,
) {
  const steps = text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((part) => {
      // A date as YYYY-MM-DD or as DD.MM.YYYY (how Russian and Kazakh write it), then the ceiling.
      const match = /^(?:(\d{4})-(\d{2})-(\d{2})|(\d{2})\.(\d{2})\.(\d{4}))\s+(.+)$/.exec(part);
      const day = match ? `${match[1] ?? match[6]}-${match[2] ?? match[5]}-${match[3] ?? match[4]}` : "";
      const effectiveFromMs = Date.parse(`${day}T00:00:00+05:00`);
      if (
        !match ||
        Number.isNaN(effectiveFromMs) ||
        new Date(effectiveFromMs + 5 * 3_600_000).toISOString().slice(0, 10) !== day
      )
        throw new FieldProblem("steps", t("regulator.stepInvalid", { step: part }));
      // Two steps run together: a date inside the price part means a separator other than ";" was used (the
      // holiday lists elsewhere take commas), which is said, not read as a bad price.
      if (/\d{2}\.\d{2}\.\d{4}|\d{4}-\d{2}-\d{2}/.test(match[7]!)) {
        throw new FieldProblem("steps", t("regulator.stepsSeparator", { step: part }));
      }
      const ceiling = readPrice(match[7]!, { t, locale }, tick);
      if ("problem" in ceiling) {
        throw new FieldProblem("steps", t("regulator.stepPriceInvalid", { step: part, problem: ceiling.problem }));
      }
      return { effectiveFromMs, ceiling: ceiling.value };
    });
  steps.sort((a, b) => a.effectiveFromMs - b.effectiveFromMs);
  // Two steps on one day: the exchange refuses them as not in order; the form names the day.
  const repeated = steps.find((step, i) => i > 0 && steps[i - 1]!.effectiveFromMs === step.effectiveFromMs);
  if (repeated !== undefined) {
    throw new FieldProblem(
      "steps",
      t("regulator.stepRepeated", { day: exchangeDay(repeated.effectiveFromMs, locale) }),
    );
  }
  return steps;
}

/**
 * A ceiling or floor typed in tenge per tonne, in the reader's locale ("143 000", "143000,5", "143,000.50" in
 * English): tiyn per tonne, or why it is refused, said in the reader's language. The API takes a price from one tick
 * to its bound on the instrument's tick (src/gateway/routes/common.ts PRICE, src/engine/safeguards.ts
 * checkSafeguards): the reading, the sign and the bound are checked as the order ticket checks them
 * (order-checks.ts), the tick here when the listing gives it.
 */
function readPrice(
  text: string,
  words: { readonly t: (key: string, params?: Record<string, string>) => string; readonly locale: string },
  tick: number | null,
): { readonly value: number } | { readonly problem: string } {
  const { t, locale } = words;
  const read = readPriceTyped(words, text, tick);
  if (read.refusals.length > 0) return { problem: read.refusals.join(" ") };
  if (read.price === null) return { problem: t("ticket.check.priceNumber") };
  if (tick !== null && tick > 0 && read.price % tick !== 0) {
    return {
      problem: t("regulator.priceOffTick", {
        price: tengePerTonne(read.price, locale),
        tick: tengePerTonne(tick, locale),
      }),
    };
  }
  return { value: read.price };
}

/** Audit entries shown at first, and added by "show more". */
const AUDIT_PAGE = 30;

/** Command types a reader most often filters the audit trail by (the server accepts every command type). */
type AuditType = NonNullable<QueryOf<"/api/regulator/audit">["commandType"]>;

const AUDIT_TYPES: readonly AuditType[] = [
  "safeguards.set",
  "halt",
  "resume",
  "supply.plan",
  "member.suspend",
  "member.reinstate",
  "instrument.suspend",
  "calendar.set",
  "money.deposit",
  "order.new",
  "order.amend",
  "order.cancel",
  "trade.void",
  "session.extra",
] as const;

type AuditKind = AuditEntry["kind"];
/** The kinds of command the audit trail can be narrowed to (the demo's routine settlement is its own kind). */
const AUDIT_KIND_SET: Readonly<Record<AuditKind, true>> = {
  controls: true,
  trading: true,
  listing: true,
  membership: true,
  funds: true,
  settlement: true,
  surveillance: true,
  system: true,
};
// A record over the generated type: a kind the server adds fails the build until it is listed here.
const AUDIT_KINDS = Object.keys(AUDIT_KIND_SET) as AuditKind[];

/** A command type in the reader's words; a type the catalogue does not know yet as the API names it. */
function commandName(commandType: string, { t, has }: I18n): string {
  const key = `regulator.commands.${commandType}`;
  return has(key) ? t(key) : commandType;
}

/**
 * Who acted, in the reader's words: the journal stores "user (key id)" for a change made with an API key and the
 * system's own actors by name ("scheduler", "notifier"), in English; the stored bytes stay as they are.
 */
function actorText(actor: string | null, { t, has }: I18n): string {
  if (actor === null) return "";
  const keyed = /^(.+) \(key (.+)\)$/.exec(actor);
  if (keyed) return t("regulator.actorKey", { user: keyed[1]!, key: keyed[2]! });
  return has(`regulator.actors.${actor}`) ? t(`regulator.actors.${actor}`) : actor;
}

function AuditPanel() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const [kinds, setKinds] = useState<readonly AuditKind[]>([]);
  const [actor, setActor] = useState("");
  const [type, setType] = useState("");
  const [instrument, setInstrument] = useState("");
  const [limit, setLimit] = useState(AUDIT_PAGE);
  const query = {
    limit,
    format: "json" as const,
    ...(actor ? { actor } : {}),
    ...(type ? { commandType: type as AuditType } : {}),
    ...(instrument ? { instrument } : {}),
    ...(kinds.length > 0 ? { kinds: AUDIT_KINDS.filter((k) => kinds.includes(k)).join(",") } : {}),
  };
  // The summaries are written by the server in the request's language: live.ts fetches the trail again when the reader
  // changes it and when the exchange has saved it (`languageChanged`).
  const audit = useApi("/api/regulator/audit", { query });
  const csv = apiPath("/api/regulator/audit", { query: { ...query, format: "csv" } });
  const entries = audit.data?.entries ?? [];
  return (
    <section className="panel" aria-labelledby="audit-title">
      <h2 id="audit-title">{t("regulator.audit")}</h2>
      <div className="filters">
        <label>
          {t("regulator.filter.actor")}
          <input value={actor} onChange={(event) => setActor(event.target.value)} name="audit-actor" />
        </label>
        <label>
          {t("regulator.filter.type")}
          <select value={type} onChange={(event) => setType(event.target.value)} name="audit-type">
            <option value="">—</option>
            {AUDIT_TYPES.map((value) => (
              <option key={value} value={value}>
                {t(`regulator.commands.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("regulator.filter.instrument")}
          <input
            value={instrument}
            onChange={(event) => setInstrument(event.target.value)}
            name="audit-instrument"
            // The whole id or its leading part up to a hyphen (the producer's instruments), as the API takes it.
            placeholder="PB-TCO"
          />
        </label>
        <fieldset className="kinds" data-testid="audit-kinds">
          <legend className="small">{t("regulator.filter.kinds")}</legend>
          {AUDIT_KINDS.map((kind) => (
            <label key={kind} className="inline">
              <input
                type="checkbox"
                name={`audit-kind-${kind}`}
                checked={kinds.includes(kind)}
                onChange={(event) =>
                  setKinds(event.target.checked ? [...kinds, kind] : kinds.filter((k) => k !== kind))
                }
              />
              {t(`regulator.kinds.${kind}`)}
            </label>
          ))}
        </fieldset>
      </div>
      <p className="downloads">
        <a href={csv}>{t("regulator.auditCsv")}</a>
      </p>
      {audit.error && !isMissingRoute(audit.error) ? <FieldError message={describeError(audit.error, i18n)} /> : null}
      {isMissingRoute(audit.error) ? (
        <p className="placeholder">{t("placeholder.endpoint", { endpoint: "GET /api/regulator/audit" })}</p>
      ) : entries.length === 0 ? (
        <p className="muted">{audit.data ? t("regulator.noAudit") : t("app.loading")}</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="audit">
            <thead>
              <tr>
                <th scope="col">{t("regulator.col.seq")}</th>
                <th scope="col">{t("regulator.col.time")}</th>
                <th scope="col">{t("regulator.col.actor")}</th>
                <th scope="col">{t("regulator.col.action")}</th>
                <th scope="col">{t("regulator.col.instrument")}</th>
                <th scope="col">{t("regulator.col.outcome")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.seq} className={entry.outcome === "rejected" ? "finished" : ""}>
                  <td className="num">{entry.seq}</td>
                  <td className="small">{exchangeTime(entry.timeMs, locale, true)}</td>
                  <td data-testid="audit-actor">
                    {actorText(entry.actor, i18n)}
                    {entry.role ? (
                      <span className="small muted">
                        {" "}
                        ({i18n.has(`roles.${entry.role}`) ? t(`roles.${entry.role}`) : entry.role})
                      </span>
                    ) : null}
                  </td>
                  <td className="small">
                    <span className="badge small" data-testid="audit-kind">
                      {t(`regulator.kinds.${entry.kind}`)}
                    </span>{" "}
                    {/* The summary already starts with what was done ("halt trading (…)"), so the command's
                        name is its tooltip, not a second copy of the words in front of it. */}
                    <span
                      data-testid="audit-command"
                      data-command={entry.commandType}
                      title={commandName(entry.commandType, i18n)}
                    >
                      {entry.summary || commandName(entry.commandType, i18n)}
                    </span>
                  </td>
                  <td className="small">{entry.instrument ?? entry.account ?? ""}</td>
                  <td className={`small ${entry.outcome === "rejected" ? "down" : ""}`}>
                    {entry.outcome === "rejected" ? (entry.message ?? entry.code) : t("regulator.accepted")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {entries.length === limit ? (
            <button type="button" className="secondary" onClick={() => setLimit(limit + AUDIT_PAGE * 3)}>
              {t("regulator.auditMore")}
            </button>
          ) : null}
        </div>
      )}
    </section>
  );
}
