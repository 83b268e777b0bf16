/**
 * The regulator's surveillance console: the alerts standing now, live (the stream's surveillance channel makes the
 * list stale the moment an alert is raised, updated or retracted), filterable by rule, severity, instrument and group;
 * an alert opens a case; the cases with their status. And the case page: the case's steps with who, when and why, its
 * alerts with their evidence drawn (the price path with the alert's orders marked), the next steps the case may take
 * (a note, review, close with an outcome), and its suspicious-transaction report as a readable page.
 *
 * Everything shown is read from /api/regulator/surveillance (SURVEILLANCE_API); every change is a request there with
 * its reason, and the server's refusal (with its code's sentence) is shown in place.
 */

import { type FormEvent, useRef, useState } from "react";
import { evidenceChartSpan } from "../../../src/domain/chart-span.ts";
import { CASE_NOTE_LENGTH_MAX, REASON_LENGTH_MAX } from "../../../src/domain/limits.ts";
import { invalidate, useLive } from "../api/live.ts";
import { call } from "../api/typed.ts";
import { describeError } from "../errors.ts";
import { decimal, exchangeTime, tengePerTonne, tonnes } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import { Link, navigate } from "../router.tsx";

const BASE = "/api/regulator/surveillance";
export const SURVEILLANCE_API = {
  alerts: (query: string) => `${BASE}/alerts${query === "" ? "" : `?${query}`}`,
  alert: (id: string) => `${BASE}/alerts/${encodeURIComponent(id)}`,
  cases: `${BASE}/cases`,
  groups: `${BASE}/groups`,
  case: (id: string) => `${BASE}/cases/${encodeURIComponent(id)}`,
  /** The case's report as a page in the reader's language (`lang`, as the documents' links name it). */
  report: (id: string, lang: string) =>
    `${BASE}/cases/${encodeURIComponent(id)}/report?format=html&lang=${["kk", "ru", "en"].includes(lang) ? lang : "en"}`,
} as const;

const RULES = [
  "wash-trade",
  "concentration",
  "coordinated-bidding",
  "spoofing",
  "price-limit-bidding",
  "automated-entry",
  "withholding",
  "diversion",
] as const;
const SEVERITIES = ["high", "medium", "low"] as const;
const OUTCOMES = ["no-action", "warning", "referred"] as const;

interface Alert {
  readonly id: string;
  readonly rule: string;
  readonly severity: string;
  readonly session: string | null;
  readonly sessions: readonly string[];
  readonly instrument: string | null;
  readonly side: string | null;
  readonly accounts: readonly string[];
  readonly groups: readonly string[];
  readonly fromMs: number;
  readonly toMs: number;
  readonly figures: Readonly<Record<string, number>>;
  readonly caseId: string | null;
  /** Rule `diversion` only. */
  readonly diversion?: {
    readonly region: string | null;
    readonly stations: readonly string[];
    readonly stationRegions: readonly string[];
    readonly reasons: readonly string[];
  };
}

interface CaseStep {
  readonly seq: number;
  readonly timeMs: number;
  readonly actor: string | null;
  readonly action: string;
  readonly alert: string | null;
  readonly outcome: string | null;
  readonly text: string;
}

interface Case {
  readonly id: string;
  readonly status: "open" | "under-review" | "closed";
  readonly outcome: string | null;
  readonly openedMs: number;
  readonly updatedMs: number;
  readonly alerts: readonly string[];
  readonly steps: readonly CaseStep[];
}

interface PersonsGroup {
  readonly group: string;
  readonly alerts: number;
  readonly members: readonly {
    readonly member: string;
    readonly accounts: readonly string[];
    readonly evidence: string;
    readonly recordedMs: number;
    readonly recordedBy: string | null;
  }[];
}

interface Evidence {
  readonly orders: readonly {
    readonly order: string;
    readonly instrument: string | null;
    readonly side: string | null;
    readonly account: string | null;
    readonly entered: {
      readonly timeMs: number;
      readonly priceTiynPerTonne: number | null;
      readonly quantityKg: number;
    } | null;
    readonly cancelled: { readonly timeMs: number } | null;
  }[];
  /** The instrument whose trades `pricePath` holds (the alert's), or null. */
  readonly pricePathInstrument: string | null;
  readonly pricePath: readonly { readonly timeMs: number; readonly priceTiynPerTonne: number }[];
  readonly books: readonly BookMoment[];
  readonly booksComplete: boolean;
}

interface BookLevel {
  readonly priceTiynPerTonne: number;
  readonly quantityKg: number;
  readonly orders: number;
  readonly alertKg: number;
}

interface BookMoment {
  readonly seq: number;
  readonly timeMs: number;
  readonly about: readonly string[];
  readonly book: {
    readonly instrument: string;
    readonly phase: string | null;
    readonly bids: readonly BookLevel[];
    readonly asks: readonly BookLevel[];
    readonly curve:
      | readonly { readonly priceTiynPerTonne: number; readonly demandKg: number; readonly supplyKg: number }[]
      | null;
    readonly complete: boolean;
  };
}

export function Surveillance() {
  const i18n = useI18n();
  const { t } = i18n;
  const [filter, setFilter] = useState({ rule: "", severity: "", instrument: "", group: "" });
  const query = new URLSearchParams(Object.entries(filter).filter(([, value]) => value.trim() !== "")).toString();
  const alerts = useLive<{ total: number; alerts: Alert[] }>(SURVEILLANCE_API.alerts(query));
  const cases = useLive<{ cases: Case[] }>(SURVEILLANCE_API.cases);
  const set = (name: keyof typeof filter) => (value: string) => setFilter({ ...filter, [name]: value });
  return (
    <div className="console">
      <h1>{t("surveillance.title")}</h1>
      <section className="panel" aria-labelledby="alerts-title">
        <h2 id="alerts-title">{t("surveillance.alerts")}</h2>
        <p className="muted small">{t("surveillance.alertsNote")}</p>
        <div className="filters">
          <label>
            {t("surveillance.rule")}
            <select value={filter.rule} onChange={(e) => set("rule")(e.target.value)}>
              <option value="">{t("surveillance.all")}</option>
              {RULES.map((rule) => (
                <option key={rule} value={rule}>
                  {t(`surveillance.rules.${rule}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("surveillance.severity")}
            <select value={filter.severity} onChange={(e) => set("severity")(e.target.value)}>
              <option value="">{t("surveillance.all")}</option>
              {SEVERITIES.map((severity) => (
                <option key={severity} value={severity}>
                  {t(`surveillance.severities.${severity}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("surveillance.instrument")}
            <input value={filter.instrument} onChange={(e) => set("instrument")(e.target.value)} />
          </label>
          <label>
            {t("surveillance.group")}
            <input value={filter.group} onChange={(e) => set("group")(e.target.value)} />
          </label>
        </div>
        {alerts.error && <p className="error">{describeError(alerts.error, i18n)}</p>}
        <AlertTable alerts={alerts.data?.alerts ?? []} cases={cases.data?.cases ?? []} />
      </section>
      <GroupsPanel onShow={(group) => setFilter({ ...filter, group })} />
      <section className="panel" aria-labelledby="cases-title">
        <h2 id="cases-title">{t("surveillance.cases")}</h2>
        {cases.data?.cases.length === 0 ? (
          <p className="muted" data-testid="no-cases">
            {t("surveillance.noCases")}
          </p>
        ) : (
          <div className="table-scroll">
            <table data-testid="cases">
              <thead>
                <tr>
                  <th scope="col">{t("surveillance.case")}</th>
                  <th scope="col">{t("surveillance.status")}</th>
                  <th scope="col">{t("surveillance.outcome")}</th>
                  <th scope="col" className="num">
                    {t("surveillance.alertCount")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {(cases.data?.cases ?? []).map((c) => (
                  <tr key={c.id} data-case={c.id}>
                    <td>
                      <Link to={`/surveillance/case?id=${encodeURIComponent(c.id)}`}>{c.id}</Link>
                    </td>
                    <td>{t(`surveillance.statuses.${c.status}`)}</td>
                    <td>{c.outcome === null ? "—" : t(`surveillance.outcomes.${c.outcome}`)}</td>
                    <td className="num">{c.alerts.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

/** The groups of persons as recorded: each group's members and their accounts, the related parties behind alerts. */
function GroupsPanel({ onShow }: { onShow: (group: string) => void }) {
  const { t, locale } = useI18n();
  const groups = useLive<{ groups: PersonsGroup[] }>(SURVEILLANCE_API.groups);
  const list = groups.data?.groups ?? [];
  return (
    <section className="panel" aria-labelledby="groups-title">
      <h2 id="groups-title">{t("surveillance.groupsTitle")}</h2>
      <p className="muted small">{t("surveillance.groupsNote")}</p>
      {list.length === 0 ? (
        <p className="muted">{t("surveillance.noGroups")}</p>
      ) : (
        <ul className="persons-groups" data-testid="groups">
          {list.map((g) => (
            <li key={g.group} data-group={g.group}>
              <strong>{g.group}</strong>{" "}
              <button type="button" className="link" onClick={() => onShow(g.group)}>
                {t("surveillance.showAlerts", { count: g.alerts })}
              </button>
              <GroupGraph group={g} />
              <ul>
                {g.members.map((m) => (
                  <li key={m.member}>
                    {m.member} → {m.accounts.join(", ") || "—"}{" "}
                    <span className="muted small">
                      ({t("surveillance.evidence")}: {m.evidence}; {m.recordedBy ?? "—"},{" "}
                      {exchangeTime(m.recordedMs, locale, true)})
                    </span>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const GRAPH_ROW = 26;
const GRAPH_WIDTH = 520;

/**
 * A group of persons as a graph: the group on the left, its members in the middle, each member's accounts on the
 * right, an edge for each record (member in group, account of member). Drawn in columns so a large group stays legible.
 */
function GroupGraph({ group }: { group: PersonsGroup }) {
  const { t } = useI18n();
  const rows = Math.max(
    1,
    group.members.reduce((n, m) => n + Math.max(1, m.accounts.length), 0),
  );
  const height = rows * GRAPH_ROW + 10;
  const column = [70, 250, 430] as const;
  let row = 0;
  const members = group.members.map((m) => {
    const span = Math.max(1, m.accounts.length);
    const top = row;
    row += span;
    return {
      member: m.member,
      y: 5 + (top + span / 2) * GRAPH_ROW,
      accounts: m.accounts.map((a, i) => ({ account: a, y: 5 + (top + i + 0.5) * GRAPH_ROW })),
    };
  });
  const groupY = height / 2;
  return (
    <svg
      className="group-graph"
      data-testid="group-graph"
      data-graph={group.group}
      viewBox={`0 0 ${GRAPH_WIDTH} ${height}`}
      width={GRAPH_WIDTH}
      height={height}
      role="img"
      aria-label={t("surveillance.graphLabel", { group: group.group })}
    >
      {members.map((m) => (
        <g key={m.member}>
          <line x1={column[0]} y1={groupY} x2={column[1]} y2={m.y} stroke="#888" />
          {m.accounts.map((a) => (
            <line key={a.account} x1={column[1]} y1={m.y} x2={column[2]} y2={a.y} stroke="#bbb" />
          ))}
        </g>
      ))}
      <GraphNode x={column[0]} y={groupY} label={group.group} kind="group" />
      {members.map((m) => (
        <g key={m.member}>
          <GraphNode x={column[1]} y={m.y} label={m.member} kind="member" />
          {m.accounts.map((a) => (
            <GraphNode key={a.account} x={column[2]} y={a.y} label={a.account} kind="account" />
          ))}
        </g>
      ))}
    </svg>
  );
}

function GraphNode({ x, y, label, kind }: { x: number; y: number; label: string; kind: string }) {
  return (
    <g className={`graph-node graph-${kind}`} data-node={label} data-kind={kind}>
      <rect x={x - 60} y={y - 10} width={120} height={20} rx={kind === "account" ? 2 : 10} />
      <text x={x} y={y + 4} textAnchor="middle" fontSize={11}>
        {label.length > 18 ? `${label.slice(0, 17)}…` : label}
      </text>
      <title>{label}</title>
    </g>
  );
}

/**
 * One of an alert's figures in the reader's words: its name from `surveillance.figureNames` (the name the rule gives
 * it, without its unit suffix, shown as given when the catalogue does not know it), its value in the unit its suffix
 * says — `Kg` as tonnes, `TiynPerTonne` as tenge per tonne, `Ms` as seconds, `Percent` as a percentage.
 */
function figureText(
  name: string,
  value: number,
  t: (key: string, params?: Record<string, string | number>) => string,
  has: (key: string) => boolean,
  locale: string,
): string {
  const suffix = ["TiynPerTonne", "Kg", "Ms", "Percent"].find((s) => name.endsWith(s) && name.length > s.length) ?? "";
  const base = name.slice(0, name.length - suffix.length);
  const label = has(`surveillance.figureNames.${base}`) ? t(`surveillance.figureNames.${base}`) : name;
  const shown =
    suffix === "Kg"
      ? t("surveillance.figureTonnes", { n: tonnes(value, locale) })
      : suffix === "TiynPerTonne"
        ? tengePerTonne(value, locale)
        : suffix === "Ms"
          ? t("surveillance.figureSeconds", { n: decimal(value / 1000, locale, value % 1000 === 0 ? 0 : 1) })
          : suffix === "Percent"
            ? `${decimal(value, locale, Number.isInteger(value) ? 0 : 1)}%`
            : decimal(value, locale);
  return `${label}: ${shown}`;
}

function AlertTable({ alerts, cases }: { alerts: readonly Alert[]; cases: readonly Case[] }) {
  /** The closed cases an alert was in: a case closed frees its alert for a new one, and the page says where it was. */
  const closedCasesOf = (alert: string) =>
    cases.filter((c) => c.status === "closed" && c.alerts.includes(alert)).map((c) => c.id);
  const { t, has, locale } = useI18n();
  if (alerts.length === 0)
    return (
      <p className="muted" data-testid="no-alerts">
        {t("surveillance.noAlerts")}
      </p>
    );
  return (
    <div className="table-scroll">
      <table data-testid="alerts">
        <thead>
          <tr>
            <th scope="col">{t("surveillance.rule")}</th>
            <th scope="col">{t("surveillance.severity")}</th>
            <th scope="col">{t("surveillance.instrument")}</th>
            <th scope="col">{t("surveillance.sessions")}</th>
            <th scope="col">{t("surveillance.groups")}</th>
            <th scope="col">{t("surveillance.accounts")}</th>
            <th scope="col">{t("surveillance.from")}</th>
            <th scope="col">{t("surveillance.figures")}</th>
            <th scope="col">{t("surveillance.case")}</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((alert) => (
            <tr key={alert.id} data-alert={alert.id} data-rule={alert.rule}>
              <td>{t(`surveillance.rules.${alert.rule}`)}</td>
              <td>
                <span className={`severity severity-${alert.severity}`}>
                  {t(`surveillance.severities.${alert.severity}`)}
                </span>
              </td>
              <td>{alert.instrument ?? alert.sessions.map((session) => session.split(":")[0]).join(", ")}</td>
              <td>
                {alert.diversion === undefined
                  ? alert.sessions.join(", ")
                  : t("surveillance.diversionWhere", {
                      stations: alert.diversion.stations.join(", "),
                      stationRegions: alert.diversion.stationRegions.join(", "),
                      region: alert.diversion.region ?? "—",
                      reasons: alert.diversion.reasons.map((r) => t(`surveillance.diversionReasons.${r}`)).join(", "),
                    })}
              </td>
              <td>{alert.groups.join(", ")}</td>
              <td>{alert.accounts.join(", ")}</td>
              <td>{exchangeTime(alert.fromMs, locale, true)}</td>
              <td className="small">
                {Object.entries(alert.figures)
                  .map(([name, value]) => figureText(name, value, t, has, locale))
                  .join(", ")}
              </td>
              <td>
                {alert.caseId !== null ? (
                  <Link to={`/surveillance/case?id=${encodeURIComponent(alert.caseId)}`}>{alert.caseId}</Link>
                ) : (
                  <>
                    <ClosedCases ids={closedCasesOf(alert.id)} />
                    <OpenCase alert={alert.id} closed={closedCasesOf(alert.id)} />
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The closed cases an alert was in, each a link: "closed in CASE-1". */
function ClosedCases({ ids }: { ids: readonly string[] }) {
  const { t } = useI18n();
  if (ids.length === 0) return null;
  return (
    <div className="small muted" data-testid="closed-cases">
      {t("surveillance.closedIn")}{" "}
      {ids.map((id, i) => (
        <span key={id}>
          {i > 0 ? ", " : null}
          <Link to={`/surveillance/case?id=${encodeURIComponent(id)}`}>{id}</Link>
        </span>
      ))}
    </div>
  );
}

/**
 * Opens a case on an alert: a reason, then the request; on success the case page. An alert whose earlier case was
 * closed may be taken up again (new evidence); the form says which case that was before a second one is opened.
 */
function OpenCase({ alert, closed }: { alert: string; closed: readonly string[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<{ caught: unknown } | null>(null);
  const [missing, setMissing] = useState(false);
  // One request at a time: a second press (a double click) while the first is on its way would be refused with
  // CASE_ALERT_TAKEN once the first has opened the case.
  const sending = useRef(false);
  const [busy, setBusy] = useState(false);
  if (!open) {
    return (
      <button type="button" className="small-button" onClick={() => setOpen(true)}>
        {t("surveillance.openCase")}
      </button>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // Said by the page in its language, not by the browser's own "fill out this field".
    if (reason.trim() === "") {
      setMissing(true);
      return;
    }
    if (sending.current) return;
    sending.current = true;
    setBusy(true);
    try {
      const answer = await call("post", "/api/regulator/surveillance/cases", {}, { alert, reason });
      invalidate(BASE);
      navigate(`/surveillance/case?id=${encodeURIComponent(answer.case.id)}`);
    } catch (caught) {
      setError({ caught });
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      {closed.length > 0 ? (
        <p className="small" data-testid="reopen-note">
          {t("surveillance.reopenNote", { cases: closed.join(", ") })}
        </p>
      ) : null}
      <label>
        {t("surveillance.reason")}
        <input
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            setMissing(false);
          }}
          maxLength={REASON_LENGTH_MAX}
          aria-invalid={missing}
        />
      </label>
      <button type="submit" disabled={busy}>
        {t("surveillance.open")}
      </button>
      {missing ? (
        <p className="error" role="alert" data-testid="open-case-missing">
          {t("controls.reasonRequired")}
        </p>
      ) : null}
      {error && (
        <p className="error" role="alert">
          {describeError(error.caught, i18n)}
        </p>
      )}
    </form>
  );
}

export function SurveillanceCase() {
  const i18n = useI18n();
  const { t, locale, language } = i18n;
  const id = new URLSearchParams(location.search).get("id") ?? "";
  const view = useLive<{ case: Case; alerts: Alert[] }>(id === "" ? null : SURVEILLANCE_API.case(id));
  const found = view.data?.case;
  return (
    <div className="console">
      <p>
        <Link to="/surveillance">{t("surveillance.back")}</Link>
      </p>
      <h1>
        {t("surveillance.case")} {id}
      </h1>
      {view.error && <p className="error">{describeError(view.error, i18n)}</p>}
      {found && (
        <>
          <p>
            {t("surveillance.status")}:{" "}
            <strong data-testid="case-status">{t(`surveillance.statuses.${found.status}`)}</strong>
            {found.outcome !== null && <> — {t(`surveillance.outcomes.${found.outcome}`)}</>}{" "}
            <a
              href={SURVEILLANCE_API.report(found.id, language)}
              target="_blank"
              rel="noreferrer"
              data-testid="report-link"
            >
              {t("surveillance.report")}
            </a>
          </p>
          <CaseActions found={found} />
          <section className="panel" aria-labelledby="steps-title">
            <h2 id="steps-title">{t("surveillance.steps")}</h2>
            <table data-testid="case-steps">
              <thead>
                <tr>
                  <th scope="col">{t("surveillance.when")}</th>
                  <th scope="col">{t("surveillance.who")}</th>
                  <th scope="col">{t("surveillance.what")}</th>
                  <th scope="col">{t("surveillance.why")}</th>
                </tr>
              </thead>
              <tbody>
                {found.steps.map((step) => (
                  <tr key={step.seq} data-action={step.action}>
                    <td>{exchangeTime(step.timeMs, locale, true)}</td>
                    <td>{step.actor ?? "—"}</td>
                    <td>
                      {t(`surveillance.actions.${step.action}`)}
                      {step.outcome !== null && ` (${t(`surveillance.outcomes.${step.outcome}`)})`}
                    </td>
                    <td>{step.text}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {(view.data?.alerts ?? []).map((alert) => (
            <AlertEvidence key={alert.id} alert={alert} />
          ))}
        </>
      )}
    </div>
  );
}

/** The steps the case may take now: a note while not closed, review while open, close while under review. */
function CaseActions({ found }: { found: Case }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [text, setText] = useState("");
  const [outcome, setOutcome] = useState<string>("no-action");
  const [error, setError] = useState<{ caught: unknown } | null>(null);
  if (found.status === "closed") return null;
  const id = { path: { id: found.id } };
  const send = (step: () => Promise<unknown>) => async () => {
    try {
      await step();
      setText("");
      setError(null);
      invalidate(BASE);
    } catch (caught) {
      setError({ caught });
    }
  };
  return (
    <section className="panel" aria-labelledby="case-actions-title">
      <h2 id="case-actions-title">{t("surveillance.nextStep")}</h2>
      <label className="block">
        {t("surveillance.noteOrReason")}
        <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} maxLength={CASE_NOTE_LENGTH_MAX} />
      </label>
      <div className="button-row">
        <button
          type="button"
          className="secondary"
          onClick={send(() => call("post", "/api/regulator/surveillance/cases/{id}/notes", id, { note: text }))}
        >
          {t("surveillance.addNote")}
        </button>
        {found.status === "open" && (
          <button
            type="button"
            onClick={send(() => call("post", "/api/regulator/surveillance/cases/{id}/review", id, { reason: text }))}
          >
            {t("surveillance.review")}
          </button>
        )}
        {found.status === "under-review" && (
          <>
            <label>
              {t("surveillance.outcome")}
              <select value={outcome} onChange={(e) => setOutcome(e.target.value)}>
                {OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {t(`surveillance.outcomes.${o}`)}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="danger"
              onClick={send(() =>
                call("post", "/api/regulator/surveillance/cases/{id}/close", id, {
                  outcome: outcome as "no-action" | "warning" | "referred",
                  reason: text,
                }),
              )}
            >
              {t("surveillance.close")}
            </button>
          </>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {describeError(error.caught, i18n)}
        </p>
      )}
    </section>
  );
}

/** One alert of a case with its evidence: the price path with the alert's orders marked where they were entered. */
function AlertEvidence({ alert }: { alert: Alert }) {
  const { t, locale } = useI18n();
  const detail = useLive<{ evidence: Evidence }>(SURVEILLANCE_API.alert(alert.id));
  const evidence = detail.data?.evidence;
  return (
    <section className="panel" data-alert={alert.id} aria-label={t(`surveillance.rules.${alert.rule}`)}>
      <h2>
        {t(`surveillance.rules.${alert.rule}`)} — {alert.instrument ?? alert.sessions.join(", ")}
      </h2>
      <p className="small">
        {alert.groups.join(", ")}: {alert.accounts.join(", ")}; {exchangeTime(alert.fromMs, locale, true)} –{" "}
        {exchangeTime(alert.toMs, locale, true)}
      </p>
      {evidence && <EvidenceChart evidence={evidence} />}
      {evidence && (
        <table data-testid="evidence-orders" className="small">
          <thead>
            <tr>
              <th scope="col">{t("surveillance.order")}</th>
              {/* An alert may span instruments (coordinated bidding): each order says which it was on. */}
              <th scope="col">{t("surveillance.instrument")}</th>
              <th scope="col">{t("surveillance.accounts")}</th>
              <th scope="col">{t("surveillance.side")}</th>
              <th scope="col" className="num">
                {t("surveillance.price")}
              </th>
              <th scope="col" className="num">
                {t("surveillance.quantity")}
              </th>
            </tr>
          </thead>
          <tbody>
            {evidence.orders.map((o) => (
              <tr key={o.order}>
                <td>{o.order}</td>
                <td>{o.instrument ?? "—"}</td>
                <td>{o.account ?? "—"}</td>
                <td>{o.side === null ? "—" : t(`sideNames.${o.side}`)}</td>
                <td className="num">{tengePerTonne(o.entered?.priceTiynPerTonne ?? null, locale)}</td>
                <td className="num">{tonnes(o.entered?.quantityKg ?? null, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {evidence && <BookAtMoment evidence={evidence} />}
    </section>
  );
}

/** A book with no level on either side and no auction curve: nothing to draw. */
function bookIsEmpty(book: BookMoment["book"]): boolean {
  return book.bids.length === 0 && book.asks.length === 0 && (book.curve === null || book.curve.length === 0);
}

/**
 * The book at a moment of the alert: a list of the records that concern its orders and trades, and for the one chosen
 * the best levels of each side (the alert's own quantity apart) and, while an auction collected orders, its demand and
 * supply curves.
 */
function BookAtMoment({ evidence }: { evidence: Evidence }) {
  const { t, locale } = useI18n();
  const [chosen, setChosen] = useState(0);
  if (evidence.books.length === 0) return <p className="muted small">{t("surveillance.noBooks")}</p>;
  // An alert whose orders never rested (filled, cancelled or expired at once: an automated-entry burst of IOC
  // orders, say) has moments but no book at any of them: a sentence, not empty ladders.
  if (evidence.books.every((b) => bookIsEmpty(b.book))) {
    return (
      <p className="muted small" data-testid="book-empty">
        {t("surveillance.bookEmptyAll")}
      </p>
    );
  }
  const index = Math.min(chosen, evidence.books.length - 1);
  const moment = evidence.books[index]!;
  const { book } = moment;
  const ladder = (levels: readonly BookLevel[], side: "bids" | "asks") => (
    <table className="small book-side" data-testid={`book-${side}`}>
      <caption>{t(`surveillance.${side}`)}</caption>
      <thead>
        <tr>
          <th scope="col" className="num">
            {t("surveillance.price")}
          </th>
          <th scope="col" className="num">
            {t("surveillance.quantity")}
          </th>
          <th scope="col" className="num">
            {t("surveillance.alertQuantity")}
          </th>
          <th scope="col" className="num">
            {t("surveillance.orderCount")}
          </th>
        </tr>
      </thead>
      <tbody>
        {levels.map((l) => (
          <tr key={l.priceTiynPerTonne} className={l.alertKg > 0 ? "alert-level" : undefined}>
            <td className="num">{tengePerTonne(l.priceTiynPerTonne, locale)}</td>
            <td className="num">{tonnes(l.quantityKg, locale)}</td>
            <td className="num">{l.alertKg > 0 ? tonnes(l.alertKg, locale) : ""}</td>
            <td className="num">{l.orders}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <div className="book-moment" data-testid="book-moment">
      <h3>{t("surveillance.bookTitle")}</h3>
      <label>
        {t("surveillance.moment")}{" "}
        <select value={index} onChange={(e) => setChosen(Number(e.target.value))} data-testid="book-moment-select">
          {evidence.books.map((b, i) => (
            <option key={`${b.seq}:${b.book.instrument}`} value={i}>
              {exchangeTime(b.timeMs, locale, true)} — {b.about.join(", ")}
            </option>
          ))}
        </select>
      </label>
      <p className="small" data-testid="book-phase">
        {book.instrument}: {book.phase === null ? "—" : t(`phases.${book.phase}`)}
        {!book.complete && <> · {t("surveillance.bookIncomplete")}</>}
        {!evidence.booksComplete && <> · {t("surveillance.booksCut")}</>}
      </p>
      {bookIsEmpty(book) ? (
        <p className="muted small" data-testid="book-empty-moment">
          {t("surveillance.bookEmptyMoment")}
        </p>
      ) : (
        <div className="book-ladder">
          {ladder(book.bids, "bids")}
          {ladder(book.asks, "asks")}
        </div>
      )}
      {book.curve !== null && <AuctionCurve curve={book.curve} />}
    </div>
  );
}

const CURVE_WIDTH = 480;
const CURVE_HEIGHT = 200;

/**
 * The price axis of a chart `height` high: prices from lowest to highest, a flat series in the middle of a ±1% range
 * rather than on the bottom edge; `y` places a price, `labels` writes the top and bottom prices.
 */
function usePriceAxis(prices: readonly number[], height: number) {
  const { t, locale } = useI18n();
  const low = Math.min(...prices);
  const high = Math.max(...prices);
  const pMin = low === high ? Math.floor(low * 0.99) : low;
  const pMax = low === high ? Math.ceil(high * 1.01) : high;
  const y = (price: number) =>
    height - CHART_PAD - ((price - pMin) / Math.max(1, pMax - pMin)) * (height - 2 * CHART_PAD);
  const labels = (
    <>
      <text x={CHART_PAD} y={14} fontSize={11}>
        {tengePerTonne(pMax, locale)} {t("units.perTonne")}
      </text>
      <text x={CHART_PAD} y={height - 6} fontSize={11}>
        {tengePerTonne(pMin, locale)} {t("units.perTonne")}
      </text>
    </>
  );
  return { y, labels };
}

/** An auction's demand (green) and supply (red) as step lines: quantity across, price up. */
function AuctionCurve({
  curve,
}: {
  curve: readonly { readonly priceTiynPerTonne: number; readonly demandKg: number; readonly supplyKg: number }[];
}) {
  const { t } = useI18n();
  const { y, labels } = usePriceAxis(
    curve.map((c) => c.priceTiynPerTonne),
    CURVE_HEIGHT,
  );
  if (curve.length === 0) return null;
  const qMax = Math.max(1, ...curve.map((c) => Math.max(c.demandKg, c.supplyKg)));
  const x = (kg: number) => CHART_PAD + (kg / qMax) * (CURVE_WIDTH - 2 * CHART_PAD);
  const line = (key: "demandKg" | "supplyKg") =>
    curve.map((c, i) => `${i === 0 ? "M" : "L"}${x(c[key]).toFixed(1)},${y(c.priceTiynPerTonne).toFixed(1)}`).join(" ");
  return (
    <svg
      data-testid="auction-curve"
      className="auction-curve"
      viewBox={`0 0 ${CURVE_WIDTH} ${CURVE_HEIGHT}`}
      role="img"
      aria-label={t("surveillance.curveLabel")}
    >
      {labels}
      <path className="curve-demand" d={line("demandKg")} fill="none" stroke="#27ae60" strokeWidth={1.5} />
      <path className="curve-supply" d={line("supplyKg")} fill="none" stroke="#c0392b" strokeWidth={1.5} />
    </svg>
  );
}

const CHART_WIDTH = 640;
const CHART_HEIGHT = 180;
const CHART_PAD = 24;

interface EvidenceMark {
  readonly timeMs: number;
  readonly price: number;
  readonly side: string | null;
  readonly order: string;
}

/**
 * The alert's orders on the price path. An alert may span instruments (coordinated bidding names bids on several at
 * once): each instrument then has a chart of its own, with its own price axis (their prices differ by region) and the
 * same time axis, so that orders entered together stand one above the other; the trades' line is drawn on the chart
 * of the instrument whose trades the evidence holds.
 */
function EvidenceChart({ evidence }: { evidence: Evidence }) {
  const { t } = useI18n();
  const path = evidence.pricePath.map((p) => ({ timeMs: p.timeMs, price: p.priceTiynPerTonne }));
  const byInstrument = new Map<string | null, EvidenceMark[]>();
  if (path.length > 0) byInstrument.set(evidence.pricePathInstrument, []);
  for (const o of evidence.orders) {
    if (o.entered === null || o.entered.priceTiynPerTonne === null) continue;
    const marks = byInstrument.get(o.instrument) ?? [];
    marks.push({ timeMs: o.entered.timeMs, price: o.entered.priceTiynPerTonne, side: o.side, order: o.order });
    byInstrument.set(o.instrument, marks);
  }
  const times = [...path, ...[...byInstrument.values()].flat()].map((p) => p.timeMs);
  if (times.length === 0) return <p className="muted">{t("surveillance.nothingToDraw")}</p>;
  const span = evidenceChartSpan(Math.min(...times), Math.max(...times));
  const charts = [...byInstrument].map(([instrument, marks]) => ({
    instrument,
    marks,
    path: instrument === evidence.pricePathInstrument ? path : [],
  }));
  if (charts.length === 1) return <InstrumentChart {...charts[0]!} span={span} />;
  return (
    <div data-testid="evidence-charts" className="evidence-charts">
      <p className="small">{t("surveillance.chartsByInstrument")}</p>
      {charts.map((chart) => (
        <figure key={chart.instrument ?? ""} data-instrument={chart.instrument ?? ""}>
          <figcaption className="small">{chart.instrument ?? "—"}</figcaption>
          <InstrumentChart {...chart} span={span} />
        </figure>
      ))}
    </div>
  );
}

/** One instrument's chart of the evidence: its trades' line (when the evidence holds them) and the alert's orders. */
function InstrumentChart({
  instrument,
  path,
  marks,
  span,
}: {
  instrument: string | null;
  path: readonly { readonly timeMs: number; readonly price: number }[];
  marks: readonly EvidenceMark[];
  span: { readonly fromMs: number; readonly toMs: number };
}) {
  const { t, locale } = useI18n();
  const { y, labels } = usePriceAxis(
    [...path, ...marks].map((p) => p.price),
    CHART_HEIGHT,
  );
  // Without the trades' line the chart is the orders alone: its name says so rather than promise a price path.
  const name = t(path.length > 0 ? "surveillance.chartLabel" : "surveillance.chartOrdersLabel");
  const x = (timeMs: number) =>
    CHART_PAD + ((timeMs - span.fromMs) / Math.max(1, span.toMs - span.fromMs)) * (CHART_WIDTH - 2 * CHART_PAD);
  const line = path.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.timeMs).toFixed(1)},${y(p.price).toFixed(1)}`).join(" ");
  return (
    <svg
      data-testid="evidence-chart"
      data-instrument={instrument ?? ""}
      className="evidence-chart"
      viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`}
      role="img"
      aria-label={instrument === null ? name : `${name}: ${instrument}`}
    >
      {labels}
      {/* The time the chart spans, in exchange time, at its foot on the right. */}
      <text data-testid="chart-span" x={CHART_WIDTH - CHART_PAD} y={CHART_HEIGHT - 6} fontSize={11} textAnchor="end">
        {exchangeTime(span.fromMs, locale)} – {exchangeTime(span.toMs, locale)}
      </text>
      <path d={line} fill="none" stroke="currentColor" strokeWidth={1.5} />
      {path.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: trades of the path are in a fixed order and never reorder
        <circle key={i} className="trade-point" cx={x(p.timeMs)} cy={y(p.price)} r={3} />
      ))}
      {marks.map((m) => {
        const cx = x(m.timeMs);
        const cy = y(m.price);
        const points =
          m.side === "sell"
            ? `${cx - 5},${cy - 4} ${cx + 5},${cy - 4} ${cx},${cy + 5}`
            : `${cx - 5},${cy + 4} ${cx + 5},${cy + 4} ${cx},${cy - 5}`;
        return (
          <polygon
            key={m.order}
            className={`order-mark order-${m.side ?? "unknown"}`}
            data-order={m.order}
            points={points}
          >
            <title>{m.order}</title>
          </polygon>
        );
      })}
    </svg>
  );
}
