/**
 * The regulator's market overview under /api/regulator/overview: per instrument the last price and its change
 * against the reference price, and the session (the running one if one runs, else the last closed one) with its
 * volume-weighted average and volume; per region the sums of those sessions (exact: value in milli-tiyn), their
 * volume-weighted average, and the instrument whose price rose most. Regions are listed fastest rising first (regions
 * with no change to show last, then by name).
 */

import type { FastifyInstance } from "fastify";
import type { SessionResult } from "../../../projections/index.ts";
import { averagePriceTiynPerTonne } from "../../../projections/numbers.ts";
import type { RouteContext } from "../../context.ts";
import { OVERVIEW } from "../../wire/console.ts";
import { json } from "../common.ts";
import { CONSOLE_READ, requireConsoleRead, requireListed } from "../console.ts";
import { regionOf } from "./views.ts";

const tags = ["regulator"];

export function regulatorOverviewRoutes(api: FastifyInstance, context: RouteContext): void {
  const projections = context.exchange.projections;

  api.get(
    "/regulator/overview",
    {
      schema: {
        operationId: "marketOverview",
        tags,
        summary: "Prices and volumes by region: last price, change, session average and volume; fastest rising first",
        response: { 200: OVERVIEW },
      },
      config: CONSOLE_READ,
    },
    async (request) => {
      requireConsoleRead(request, "read the market overview");
      const byRegion = new Map<string, InstrumentRow[]>();
      for (const controls of projections.controls.instruments()) {
        const row = instrumentRow(controls.instrument);
        const rows = byRegion.get(row.region) ?? [];
        rows.push(row);
        byRegion.set(row.region, rows);
      }
      const regions = [...byRegion].map(([region, rows]) => regionRow(region, rows));
      regions.sort(
        (a, b) =>
          (b.risingFastest?.changeBps ?? Number.NEGATIVE_INFINITY) -
            (a.risingFastest?.changeBps ?? Number.NEGATIVE_INFINITY) || (a.region < b.region ? -1 : 1),
      );
      return json({
        asOfSeq: projections.lastSeq,
        risingFastest: regions.find((r) => r.risingFastest !== null)?.risingFastest ?? null,
        regions,
      });
    },
  );

  function instrumentRow(instrument: string) {
    const quote = projections.marketData.quote(instrument);
    const session: SessionResult | null =
      projections.sessions.current(instrument) ?? projections.sessions.last(instrument);
    const controls = requireListed(context, instrument);
    return {
      instrument,
      region: regionOf(context, instrument),
      product: controls.description?.product ?? null,
      basis: controls.description?.basis ?? controls.clearing?.basis ?? null,
      phase: controls.phase,
      lastPriceTiynPerTonne: quote?.lastPriceTiynPerTonne ?? null,
      referencePriceTiynPerTonne: quote?.referencePriceTiynPerTonne ?? null,
      changeTiynPerTonne: quote?.changeTiynPerTonne ?? null,
      changeBps: quote?.changeBps ?? null,
      session:
        session === null
          ? null
          : {
              session: session.session,
              running: session.endSeq === null,
              startMs: session.startMs,
              endMs: session.endMs,
              vwapTiynPerTonne: session.vwapTiynPerTonne,
              volumeKg: session.volumeKg,
              valueTiyn: session.valueTiyn,
              valueMilliTiyn: session.valueMilliTiyn,
              trades: session.trades,
            },
    };
  }
  type InstrumentRow = ReturnType<typeof instrumentRow>;

  /** A region's sums over its instruments' sessions (exact: value in milli-tiyn) and its fastest riser. */
  function regionRow(region: string, rows: readonly InstrumentRow[]) {
    let volumeKg = 0n;
    let valueMilliTiyn = 0n;
    let valueTiyn = 0n;
    let fastest: InstrumentRow | null = null;
    for (const row of rows) {
      if (row.session !== null) {
        volumeKg += row.session.volumeKg;
        valueMilliTiyn += row.session.valueMilliTiyn;
        valueTiyn += row.session.valueTiyn;
      }
      if (row.changeBps !== null && (fastest === null || row.changeBps > (fastest.changeBps ?? 0))) fastest = row;
    }
    return {
      region,
      volumeKg,
      valueTiyn,
      vwapTiynPerTonne: averagePriceTiynPerTonne(valueMilliTiyn, volumeKg),
      risingFastest:
        fastest === null
          ? null
          : {
              instrument: fastest.instrument,
              changeBps: fastest.changeBps,
              changeTiynPerTonne: fastest.changeTiynPerTonne,
            },
      instruments: rows,
    };
  }
}
