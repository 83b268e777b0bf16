/**
 * The operator's console: instruments with their phase, members and accounts, deposits, the session calendar, the
 * member kill switch (suspend, reinstate), voiding a trade made in breach of the rules (docs/documents.md §5), the
 * volume of voided trades waiting for re-offer with the form that opens an extra session for it (docs/market-rules.md
 * §10), and settlement confirmations (payment received, gas delivered).
 *
 * The operator's own API is under /api/admin, typed from the API document (api/typed.ts); a part whose route the
 * server does not have yet says so in place. Accounts come from GET /api/accounts, which lists every account to the operator.
 */

import { useState } from "react";
import { TRADE_ID_LENGTH_MAX } from "../../../src/domain/ids.ts";
import { PRE_OPEN_MINUTES_MAX, RULE_REFERENCE_LENGTH_MAX } from "../../../src/domain/limits.ts";
import { isMissingRoute } from "../api/client.ts";
import { invalidate, useApi } from "../api/live.ts";
import { call, mutation, type ResponseOf } from "../api/typed.ts";
import type { InstrumentQuote, Obligation } from "../api/types.ts";
import { Applications } from "../components/Applications.tsx";
import { ControlForm, FieldProblem } from "../components/ControlForm.tsx";
import { FieldError } from "../components/FieldError.tsx";
import { regionName } from "../components/LimitsText.tsx";
import { PhaseBadge } from "../components/PhaseBadge.tsx";
import { describeError } from "../errors.ts";
import {
  dayInputText,
  decimalSeparatorOf,
  exchangeMinute,
  parseAmount,
  parseDayInput,
  percentOfBps,
  tengeOfTiyn,
  tengePerTonne,
  tonnes,
} from "../format.ts";
import { useI18n } from "../i18n/index.tsx";

export function Operator() {
  const { t, locale } = useI18n();
  /** Tiyn from the amount typed, in the reader's locale; what could be read two ways is refused, not guessed. */
  const depositAmount = (text: string): number => {
    const parsed = parseAmount(text, 2, locale);
    if ("problem" in parsed && parsed.problem === "ambiguous") {
      throw new FieldProblem(
        "amount",
        t("operator.amountAmbiguous", { text: text.trim(), decimal: decimalSeparatorOf(locale) }),
      );
    }
    if ("value" in parsed) {
      if (parsed.value === 0) throw new FieldProblem("amount", t("operator.amountZero"));
      return parsed.value;
    }
    if (parsed.problem === "tooPrecise") throw new FieldProblem("amount", t("operator.amountTooPrecise"));
    if (parsed.problem === "tooLarge") {
      const max = `${tengeOfTiyn(Number.MAX_SAFE_INTEGER, locale)} ₸`;
      throw new FieldProblem("amount", t("operator.amountTooLarge", { max }));
    }
    throw new FieldProblem("amount", t("operator.amountInvalid"));
  };
  const listing = useApi("/api/instruments");
  const accounts = useApi("/api/accounts");
  const members = useApi("/api/admin/members");
  const admin = useApi("/api/admin/instruments");
  const calendars = new Map((admin.data?.instruments ?? []).map((i) => [i.instrument, i.calendar]));
  const quotes = listing.data?.instruments ?? [];
  const accountList = accounts.data?.accounts ?? [];
  const memberIds = [
    ...new Set([...(members.data?.members ?? []).map((m) => m.member), ...accountList.map((a) => a.member)]),
  ].sort();
  return (
    <div className="console">
      <h1>{t("operator.title")}</h1>
      <InstrumentsPanel quotes={quotes} />
      <section className="panel" aria-labelledby="members-title">
        <h2 id="members-title">{t("operator.members")}</h2>
        {isMissingRoute(members.error) ? (
          <p className="placeholder small">{t("placeholder.endpoint", { endpoint: "GET /api/admin/members" })}</p>
        ) : null}
        <div className="table-scroll">
          <table data-testid="members">
            <thead>
              <tr>
                <th scope="col">{t("operator.member")}</th>
                <th scope="col">{t("operator.status")}</th>
                <th scope="col">{t("operator.accounts")}</th>
              </tr>
            </thead>
            <tbody>
              {memberIds.map((id) => {
                const member = members.data?.members.find((m) => m.member === id);
                return (
                  <tr key={id} data-member={id}>
                    <th scope="row">
                      {id}
                      {member ? <div className="small muted">{member.name}</div> : null}
                    </th>
                    <td data-testid="member-status">
                      {member ? (
                        <>
                          <span className={`badge ${member.suspended ? "phase-halted" : "phase-continuous"}`}>
                            {t(member.suspended ? "operator.suspended" : "operator.active")}
                          </span>
                          {member.suspended && member.statusChanged?.reason ? (
                            <div className="small muted">{member.statusChanged.reason}</div>
                          ) : null}
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td className="small">
                      {accountList
                        .filter((a) => a.member === id)
                        .map((a) => `${a.account}${a.client ? ` (${a.client})` : ""}`)
                        .join(", ")}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
      <Applications memberIds={memberIds} />
      <section className="panel" aria-labelledby="operator-controls-title">
        <h2 id="operator-controls-title">{t("operator.controls")}</h2>
        <div className="controls-grid">
          <KillSwitch memberIds={memberIds} />
          <ControlForm
            id="deposit-form"
            title={t("operator.deposit")}
            fields={[
              {
                name: "account",
                label: t("terminal.account"),
                kind: "select",
                options: accountList.map((a) => ({ value: a.account, label: a.account })),
              },
              { name: "amount", label: t("operator.amountTenge"), kind: "number", placeholder: "1000000" },
              { name: "reference", label: t("operator.bankReference"), placeholder: "KZ-2026-0001" },
            ]}
            withReason={false}
            action={(v) => {
              const amount = depositAmount(v.amount ?? "");
              if (!v.account) return null;
              return mutation(
                "post",
                "/api/admin/accounts/{account}/deposits",
                { path: { account: v.account } },
                { amount, reference: (v.reference ?? "").trim() },
              );
            }}
            summary={(v) =>
              t("operator.depositSummary", {
                amount: tengeOfTiyn(depositAmount(v.amount ?? ""), locale),
                account: v.account ?? "",
              })
            }
            submitLabel={t("operator.depositSubmit")}
            refreshes={["/api/accounts"]}
          />
          <ControlForm
            id="calendar-form"
            title={t("operator.calendar")}
            inForceNote={t("operator.calendarInForce")}
            fields={[
              {
                name: "instrument",
                label: t("regulator.col.instrument"),
                kind: "select",
                options: quotes.map((q) => ({ value: q.instrument, label: q.instrument })),
              },
              { name: "sessions", label: t("operator.sessions"), placeholder: "11:00-13:00, 14:00-16:00" },
              { name: "preOpenMinutes", label: t("operator.preOpen"), kind: "number" },
              {
                name: "holidays",
                label: t("operator.holidays"),
                // An example to come, in the reader's form of a day: the next Nauryz holidays by the page's clock.
                placeholder: nextNauryz(Date.now())
                  .map((day) => dayInputText(day, locale))
                  .join(", "),
                required: false,
              },
            ]}
            load={(v) => {
              if (!v.instrument || !admin.data) return null;
              const calendar = calendars.get(v.instrument) ?? null;
              return {
                key: `${v.instrument}|${calendar ? "calendar" : "none"}`,
                values: {
                  sessions: (calendar?.sessions ?? []).map((s) => `${s.open}-${s.close}`).join(", "),
                  preOpenMinutes: calendar ? String(calendar.preOpenMinutes) : "",
                  holidays: (calendar?.holidays ?? []).map((day) => dayInputText(day, locale)).join(", "),
                },
              };
            }}
            action={(v, reason, changed) => {
              if (!v.instrument) return null;
              const calendar = calendars.get(v.instrument) ?? null;
              const typed = calendarOf(v, t, locale);
              if (calendar === null) {
                // No calendar yet: this one is the whole of it.
                return mutation(
                  "put",
                  "/api/admin/instruments/{id}/calendar",
                  { path: { id: v.instrument } },
                  { calendar: { ...typed, weekends: false, extraSessions: [] }, reason },
                );
              }
              // A calendar in force: change only what was changed (weekends and extra sessions stay as they are).
              const added = typed.holidays.filter((day) => !calendar.holidays.includes(day));
              const removed = calendar.holidays.filter((day) => !typed.holidays.includes(day));
              return mutation(
                "patch",
                "/api/admin/instruments/{id}/calendar",
                { path: { id: v.instrument } },
                {
                  ...(changed.has("sessions") ? { sessions: typed.sessions } : {}),
                  ...(changed.has("preOpenMinutes") ? { preOpenMinutes: typed.preOpenMinutes } : {}),
                  ...(added.length > 0 ? { addHolidays: added } : {}),
                  ...(removed.length > 0 ? { removeHolidays: removed } : {}),
                  reason,
                },
              );
            }}
            summary={(v) => {
              // The whole calendar as it will stand, not only its sessions: a change of holidays alone said
              // "set the sessions" before.
              const days = (v.holidays ?? "")
                .split(",")
                .map((text) => text.trim())
                .filter((text) => text !== "")
                .map((text) => {
                  const day = parseDayInput(text);
                  return day === null ? text : dayInputText(day, locale);
                });
              return t("operator.calendarSummary", {
                instrument: v.instrument ?? "",
                sessions: v.sessions ?? "",
                preOpen: (v.preOpenMinutes ?? "").trim() || "0",
                holidays: days.length === 0 ? t("controls.none") : days.join(", "),
              });
            }}
            warning={(v) => {
              // A holiday added on a day already past closes no session: said before it is sent, not refused.
              const held = calendars.get(v.instrument ?? "")?.holidays ?? [];
              const today = exchangeToday(Date.now());
              const past = calendarOf(v, t, locale).holidays.filter((day) => day < today && !held.includes(day));
              return past.length === 0
                ? null
                : t("operator.pastHolidays", { days: past.map((day) => dayInputText(day, locale)).join(", ") });
            }}
            submitLabel={t("operator.calendarSubmit")}
            refreshes={["/api/instruments", "/api/admin/instruments"]}
          />
        </div>
      </section>
      <Reoffers quotes={quotes} />
      <Settlement />
    </div>
  );
}

/** The exchange's date (UTC+5) at `nowMs`, "yyyy-MM-dd". */
function exchangeToday(nowMs: number): string {
  return new Date(nowMs + 5 * 3_600_000).toISOString().slice(0, 10);
}

/** The next Nauryz holidays (21 and 22 March) from the exchange's date at `nowMs`, "yyyy-MM-dd". */
function nextNauryz(nowMs: number): [string, string] {
  const today = exchangeToday(nowMs);
  const year = Number(today.slice(0, 4)) + (today > `${today.slice(0, 4)}-03-21` ? 1 : 0);
  return [`${year}-03-21`, `${year}-03-22`];
}

function calendarOf(
  v: Readonly<Record<string, string>>,
  t: (key: string, params?: Record<string, string | number>) => string,
  locale: string,
) {
  const sessions = (v.sessions ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => {
      const match = /^(\d{2}:\d{2})\s*[-–]\s*(\d{2}:\d{2})$/.exec(s);
      if (!match) throw new FieldProblem("sessions", t("operator.sessionsInvalid"));
      const open = match[1]!;
      const close = match[2]!;
      // The exchange's rule (src/engine/calendar.ts), said at the field: a time of day from 00:00 to 23:59, the close
      // after the open (else the exchange's refusal names its wire field, "open").
      const time = /^([01]\d|2[0-3]):[0-5]\d$/;
      if (!time.test(open) || !time.test(close) || close <= open) {
        throw new FieldProblem("sessions", t("operator.sessionTimes", { session: s }));
      }
      return { open, close };
    });
  const preOpenMinutes = Number(v.preOpenMinutes ?? "0");
  if (!Number.isInteger(preOpenMinutes) || preOpenMinutes < 0 || preOpenMinutes > PRE_OPEN_MINUTES_MAX) {
    throw new FieldProblem("preOpenMinutes", t("operator.preOpenInvalid", { max: PRE_OPEN_MINUTES_MAX }));
  }
  // Each holiday as the reader writes a day (21.03.2027 in kk and ru) or as 2027-03-21; one that is no day is said at
  // the field, in the reader's form, before anything is sent.
  const holidays = (v.holidays ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((text) => {
      const day = parseDayInput(text);
      if (day === null) {
        const example = dayInputText(nextNauryz(Date.now())[0], locale);
        throw new FieldProblem("holidays", t("operator.holidayInvalid", { day: text, example }));
      }
      return day;
    });
  return { sessions, preOpenMinutes, holidays };
}

function InstrumentsPanel({ quotes }: { quotes: readonly InstrumentQuote[] }) {
  const { t, locale } = useI18n();
  const admin = useApi("/api/admin/instruments");
  const details = new Map((admin.data?.instruments ?? []).map((i) => [i.instrument, i]));
  return (
    <section className="panel" aria-labelledby="op-instruments-title">
      <h2 id="op-instruments-title">{t("operator.instruments")}</h2>
      <div className="table-scroll">
        <table data-testid="op-instruments">
          <thead>
            <tr>
              <th scope="col">{t("board.col.instrument")}</th>
              <th scope="col">{t("operator.mode")}</th>
              <th scope="col">{t("board.col.plant")}</th>
              <th scope="col">{t("regulator.col.region")}</th>
              <th scope="col">{t("board.col.phase")}</th>
              <th scope="col" className="num">
                {t("terminal.reference")}
              </th>
              <th scope="col" className="num">
                {t("board.col.last")}
              </th>
              <th scope="col" className="num">
                {t("ticket.tick")}
              </th>
              <th scope="col" className="num">
                {t("ticket.lot")}
              </th>
              <th scope="col" className="num">
                {t("operator.collateralFee")}
              </th>
              <th scope="col">{t("operator.sessions")}</th>
            </tr>
          </thead>
          <tbody>
            {quotes.map((q) => (
              <tr key={q.instrument}>
                <th scope="row">{q.instrument}</th>
                <td>{q.mode ? t(`modes.${q.mode}`) : "—"}</td>
                <td>{q.info?.basis ?? "—"}</td>
                <td>{q.info ? regionName(t, q.info.region) : "—"}</td>
                <td>
                  <PhaseBadge quote={q} />
                </td>
                <td className="num">{tengePerTonne(q.referencePriceTiynPerTonne, locale)}</td>
                <td className="num">{tengePerTonne(q.lastPriceTiynPerTonne, locale)}</td>
                <td className="num">
                  {details.has(q.instrument)
                    ? tengePerTonne(details.get(q.instrument)?.tickSizeTiynPerTonne, locale)
                    : "—"}
                </td>
                <td className="num">
                  {details.has(q.instrument) ? tonnes(details.get(q.instrument)?.lotSizeKg, locale) : "—"}
                </td>
                <td className="num">
                  {details.get(q.instrument)?.clearing
                    ? `${percentOfBps(details.get(q.instrument)?.clearing?.collateralBps ?? 0, locale)} / ${percentOfBps(details.get(q.instrument)?.clearing?.feeBps ?? 0, locale)}`
                    : "—"}
                </td>
                <td className="small">
                  {(details.get(q.instrument)?.calendar?.sessions ?? [])
                    .map((s) => `${s.open}–${s.close}`)
                    .join(", ") || "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function KillSwitch({ memberIds }: { memberIds: readonly string[] }) {
  const { t } = useI18n();
  const options = memberIds.map((id) => ({ value: id, label: id }));
  return (
    <>
      <ControlForm
        id="suspend-form"
        title={t("operator.suspend")}
        fields={[{ name: "member", label: t("operator.member"), kind: "select", options }]}
        action={(v, reason) =>
          v.member ? mutation("post", "/api/admin/members/{id}/suspend", { path: { id: v.member } }, { reason }) : null
        }
        summary={(v) => t("operator.suspendSummary", { member: v.member ?? "" })}
        submitLabel={t("operator.suspendSubmit")}
        danger
        refreshes={["/api/admin/members", "/api/accounts"]}
      >
        <p className="small muted">{t("operator.suspendNote")}</p>
      </ControlForm>
      <ControlForm
        id="reinstate-form"
        title={t("operator.reinstate")}
        fields={[{ name: "member", label: t("operator.member"), kind: "select", options }]}
        action={(v, reason) =>
          v.member
            ? mutation("post", "/api/admin/members/{id}/reinstate", { path: { id: v.member } }, { reason })
            : null
        }
        summary={(v) => t("operator.reinstateSummary", { member: v.member ?? "" })}
        submitLabel={t("operator.reinstateSubmit")}
        refreshes={["/api/admin/members"]}
      />
    </>
  );
}

function Settlement() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const obligations = useApi("/api/admin/obligations", { query: { status: "open", limit: 100 } });
  const [problem, setProblem] = useState<{ id: string; error: unknown } | null>(null);
  const confirm = async (obligation: Obligation, leg: "payment" | "delivery") => {
    const question = t(leg === "payment" ? "operator.confirmPaymentQuestion" : "operator.confirmDeliveryQuestion", {
      id: obligation.id,
    });
    if (!window.confirm(question)) return;
    setProblem(null);
    try {
      const route =
        leg === "payment"
          ? ("/api/admin/obligations/{id}/confirm-payment" as const)
          : ("/api/admin/obligations/{id}/confirm-delivery" as const);
      await call("post", route, { path: { id: obligation.id } }, {});
    } catch (error) {
      setProblem({ id: obligation.id, error });
    } finally {
      invalidate("/api/admin/obligations", "/api/accounts");
    }
  };
  const list = obligations.data?.obligations ?? [];
  return (
    <section className="panel" aria-labelledby="settlement-title">
      <h2 id="settlement-title">{t("operator.settlement")}</h2>
      {isMissingRoute(obligations.error) ? (
        <p className="placeholder">{t("placeholder.endpoint", { endpoint: "GET /api/admin/obligations" })}</p>
      ) : list.length === 0 ? (
        <p className="muted">{obligations.data ? t("obligations.none") : t("app.loading")}</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="settlement">
            <thead>
              <tr>
                <th scope="col">{t("obligations.trade")}</th>
                <th scope="col">{t("operator.parties")}</th>
                <th scope="col" className="num">
                  {t("obligations.quantity")}
                </th>
                <th scope="col" className="num">
                  {t("obligations.value")}
                </th>
                <th scope="col">{t("obligations.payment")}</th>
                <th scope="col">{t("obligations.delivery")}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((o) => (
                <tr key={o.id}>
                  <td className="mono small">
                    {o.id}
                    <FieldError message={problem?.id === o.id ? describeError(problem.error, i18n) : null} />
                  </td>
                  <td className="small">
                    {o.buyer} ← {o.seller}
                  </td>
                  <td className="num">{tonnes(o.quantityKg, locale)}</td>
                  <td className="num">{tengeOfTiyn(o.valueTiyn, locale)}</td>
                  <td>
                    {o.paid ? (
                      t("obligations.done")
                    ) : (
                      <button type="button" className="small-button" onClick={() => void confirm(o, "payment")}>
                        {t("operator.confirmPayment")}
                      </button>
                    )}
                    <div className="small muted" data-testid="payment-due">
                      {t("obligations.due", { at: exchangeMinute(o.paymentDueMs, locale) })}
                    </div>
                  </td>
                  <td>
                    {o.delivered ? (
                      t("obligations.done")
                    ) : (
                      <button type="button" className="small-button" onClick={() => void confirm(o, "delivery")}>
                        {t("operator.confirmDelivery")}
                      </button>
                    )}
                    <div className="small muted" data-testid="delivery-due">
                      {t("obligations.due", { at: exchangeMinute(o.deliveryDueMs, locale) })}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

type ExtraSessionAnswer = ResponseOf<"/api/admin/instruments/{id}/extra-session", "post">;
type VoidAnswer = ResponseOf<"/api/admin/trades/{trade}/void", "post">;

/**
 * Voids a trade made in breach of the rules (docs/documents.md §5): the trade, the rule it broke and the reason; the
 * answer names the re-offer its volume now waits as (or says it lapsed at once, the instrument's re-offers full).
 */
function VoidTrade() {
  const { t, locale } = useI18n();
  return (
    <ControlForm
      id="void-form"
      title={t("operator.voidTrade")}
      fields={[
        {
          name: "trade",
          label: t("obligations.trade"),
          placeholder: "T-PB-KAZGPZ-MANGYSTAU-2026-12-S3-25",
          maxLength: TRADE_ID_LENGTH_MAX,
        },
        {
          name: "rule",
          label: t("operator.voidRule"),
          placeholder: t("operator.voidRulePlaceholder"),
          maxLength: RULE_REFERENCE_LENGTH_MAX,
        },
      ]}
      action={(v, reason) => {
        const trade = (v.trade ?? "").trim();
        if (trade === "") return null;
        return mutation(
          "post",
          "/api/admin/trades/{trade}/void",
          { path: { trade } },
          { reason, rule: (v.rule ?? "").trim() },
        );
      }}
      summary={(v) => t("operator.voidSummary", { trade: (v.trade ?? "").trim(), rule: (v.rule ?? "").trim() })}
      submitLabel={t("operator.voidSubmit")}
      danger
      outcome={(answer) => {
        const voided = answer as VoidAnswer;
        return voided.reoffer
          ? t("operator.voidReoffered", {
              reoffer: t("operator.reofferItem", {
                id: voided.reoffer.id,
                seller: voided.reoffer.seller,
                quantity: tonnes(voided.reoffer.quantityKg, locale),
              }),
            })
          : t("operator.voidLapsed");
      }}
      refreshes={["/api/admin/reoffers", "/api/admin/obligations", "/api/accounts", "/api/instruments"]}
    >
      <p className="small muted">{t("operator.voidNote")}</p>
    </ControlForm>
  );
}

/**
 * Re-offers: the voided volume waiting per instrument (GET /api/admin/reoffers), and the form that opens an instrument's
 * extra session for it at the previous session's weighted average; the answer says the base price and what was offered.
 */
function Reoffers({ quotes }: { quotes: readonly InstrumentQuote[] }) {
  const { t, locale } = useI18n();
  const reoffers = useApi("/api/admin/reoffers");
  const list = reoffers.data?.reoffers ?? [];
  const instruments = [...new Set(list.map((r) => r.instrument))].sort();
  const waitingKg = (instrument: string) =>
    list.filter((r) => r.instrument === instrument && !r.offered).reduce((sum, r) => sum + r.quantityKg, 0);
  return (
    <section className="panel" aria-labelledby="reoffers-title">
      <h2 id="reoffers-title">{t("operator.reoffers")}</h2>
      <p className="small muted">{t("operator.reoffersNote")}</p>
      {isMissingRoute(reoffers.error) ? (
        <p className="placeholder">{t("placeholder.endpoint", { endpoint: "GET /api/admin/reoffers" })}</p>
      ) : list.length === 0 ? (
        <p className="muted" data-testid="reoffers-none">
          {reoffers.data ? t("operator.reoffersNone") : t("app.loading")}
        </p>
      ) : (
        <div className="table-scroll">
          <table data-testid="reoffers">
            <thead>
              <tr>
                <th scope="col">{t("board.col.instrument")}</th>
                <th scope="col">{t("operator.reoffer")}</th>
                <th scope="col">{t("operator.reofferSeller")}</th>
                <th scope="col">{t("operator.reofferSource")}</th>
                <th scope="col">{t("operator.reofferStage")}</th>
                <th scope="col" className="num">
                  {t("obligations.quantity")}
                </th>
                <th scope="col">{t("operator.status")}</th>
              </tr>
            </thead>
            {instruments.map((instrument) => (
              <tbody key={instrument} data-instrument={instrument}>
                {list
                  .filter((r) => r.instrument === instrument)
                  .map((r) => (
                    <tr key={r.id} data-reoffer={r.id}>
                      <th scope="row">{instrument}</th>
                      <td className="mono small">{r.id}</td>
                      <td>{r.seller}</td>
                      <td className="mono small">{r.source}</td>
                      <td>{t(`operator.reofferStages.${r.stage}`)}</td>
                      <td className="num">{tonnes(r.quantityKg, locale)}</td>
                      <td>{t(r.offered ? "operator.reofferOffered" : "operator.reofferWaiting")}</td>
                    </tr>
                  ))}
                <tr className="total" data-testid="reoffer-total">
                  <th scope="row" colSpan={5}>
                    {t("operator.reoffersWaiting", { instrument })}
                  </th>
                  <td className="num">{tonnes(waitingKg(instrument), locale)}</td>
                  <td />
                </tr>
              </tbody>
            ))}
          </table>
        </div>
      )}
      <div className="controls-grid">
        <VoidTrade />
        <ControlForm
          id="extra-session-form"
          title={t("operator.extraSession")}
          fields={[
            {
              name: "instrument",
              label: t("regulator.col.instrument"),
              kind: "select",
              options: quotes.map((q) => ({
                value: q.instrument,
                label:
                  waitingKg(q.instrument) > 0
                    ? t("operator.reofferOption", {
                        instrument: q.instrument,
                        quantity: tonnes(waitingKg(q.instrument), locale),
                      })
                    : q.instrument,
              })),
            },
          ]}
          action={(v, reason) =>
            v.instrument
              ? mutation(
                  "post",
                  "/api/admin/instruments/{id}/extra-session",
                  { path: { id: v.instrument } },
                  { reason },
                )
              : null
          }
          summary={(v) => t("operator.extraSessionSummary", { instrument: v.instrument ?? "" })}
          submitLabel={t("operator.extraSessionSubmit")}
          outcome={(answer) => {
            const opened = answer as ExtraSessionAnswer;
            return t("operator.extraSessionOpened", {
              price: tengePerTonne(opened.basePriceTiynPerTonne, locale),
              offered: opened.reoffers
                .map((r) =>
                  t("operator.reofferItem", { id: r.id, seller: r.seller, quantity: tonnes(r.quantityKg, locale) }),
                )
                .join(", "),
            });
          }}
          refreshes={["/api/admin/reoffers", "/api/instruments", "/api/admin/instruments"]}
        >
          <p className="small muted">{t("operator.extraSessionNote")}</p>
        </ControlForm>
      </div>
    </section>
  );
}
