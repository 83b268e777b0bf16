/**
 * The member's domestic supply obligations this month (GET /api/accounts/:account/supply): at each basis, what the
 * regulator planned and what the member offered and sold, and any shortfall — a producer's own view of the
 * regulator's supply table. Shown only to a member with plans (a buyer has none).
 */

import { useApi } from "../api/live.ts";
import type { ResponseOf } from "../api/typed.ts";
import { calendarMonth, percentOfBps, tonnes } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";

export function SupplyObligations({ account }: { account: string }) {
  const { t, locale } = useI18n();
  const supply = useApi("/api/accounts/{account}/supply", { path: { account } });
  const data = supply.data;
  if (!data || data.plans.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="supply-obligations-title">
      <h2 id="supply-obligations-title">
        {t("supplyObligations.title", { month: calendarMonth(data.month, locale) })}
      </h2>
      <div className="table-scroll">
        <table data-testid="supply-obligations">
          <thead>
            <tr>
              <th scope="col">{t("regulator.col.basis")}</th>
              <SupplyFigureHeads />
            </tr>
          </thead>
          <tbody>
            {data.plans.map((row) => (
              <tr key={row.basis} className={Number(row.shortfallKg ?? 0) > 0 ? "short" : ""}>
                <th scope="row">{row.basis}</th>
                <SupplyFigures row={row} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">{t("supplyObligations.note")}</p>
    </section>
  );
}

type SupplyRow = NonNullable<ResponseOf<"/api/accounts/{account}/supply">>["plans"][number];

/** The headings of `SupplyFigures`' cells. */
export function SupplyFigureHeads() {
  const { t } = useI18n();
  return (
    <>
      <th scope="col" className="num">
        {t("regulator.col.planned")}
      </th>
      <th scope="col" className="num">
        {t("regulator.col.offered")}
      </th>
      <th scope="col" className="num">
        {t("regulator.col.sold")}
      </th>
      <th scope="col" className="num">
        {t("regulator.col.shortfall")}
      </th>
    </>
  );
}

/** A supply plan's figures as cells: planned, offered (with its share of the plan), sold, and the shortfall. */
export function SupplyFigures({ row }: { row: SupplyRow }) {
  const { locale } = useI18n();
  return (
    <>
      <td className="num">{tonnes(String(row.plannedKg), locale)}</td>
      <td className="num">
        {tonnes(String(row.offeredKg), locale)}
        {row.offeredBps !== null ? <div className="small muted">{percentOfBps(row.offeredBps, locale)}</div> : null}
      </td>
      <td className="num">{tonnes(String(row.soldKg), locale)}</td>
      <td className="num strong">{tonnes(String(row.shortfallKg), locale)}</td>
    </>
  );
}
