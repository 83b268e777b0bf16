/**
 * The operator's tariffs and VAT (/operator/fees):
 * - the accreditation tariff (GET/POST /api/admin/tariffs): per kind of member the fee and insurance deposit an
 *   approval made today books, the rulebook's defaults, every entry set with its date of effect, and a form that sets
 *   a kind's fee and deposit from a date after today, with a reason;
 * - the VAT rate (GET/POST /api/admin/vat): the rate in force today, every rate set, and a form that sets a rate from
 *   a date after today, with a reason.
 * Amounts are typed in tenge and rates in percent, in the reader's locale, and checked against the engine's bounds
 * (src/domain/limits.ts) and the date of today the server gives before anything is sent; the server's refusal is its
 * sentence in the reader's language under the form.
 */

import { type FormEvent, useState } from "react";
import { REASON_LENGTH_MAX, TARIFF_AMOUNT_MAX_TIYN, VAT_RATE_BPS_MAX } from "../../../src/domain/limits.ts";
import { invalidate, useApi } from "../api/live.ts";
import { call } from "../api/typed.ts";
import { FieldError } from "../components/FieldError.tsx";
import { Field, FormEnd, type Say, useFormSubmit } from "../components/FormSubmit.tsx";
import { describeError } from "../errors.ts";
import {
  calendarDate,
  decimalSeparatorOf,
  exchangeDateTime,
  parseAmount,
  percentOfBps,
  tengeOfTiyn,
} from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import type { I18n } from "../i18n/lookup.ts";

const KINDS = ["producer", "buyer", "broker", "client"] as const;
type Kind = (typeof KINDS)[number];
/** Amounts in tenge with tiyn; rates in percent with hundredths (basis points). */
const DECIMALS = 2;

/** The day after a YYYY-MM-DD date. */
function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Text for a field holding an amount of tiyn as tenge (no grouping, so it parses back in any locale). */
function tengeInput(tiyn: number, decimal: string): string {
  const whole = Math.trunc(tiyn / 100);
  const rest = tiyn % 100;
  return rest === 0 ? String(whole) : `${whole}${decimal}${String(rest).padStart(2, "0")}`;
}

export function OperatorFees() {
  const { t } = useI18n();
  return (
    <div className="console" data-testid="operator-fees">
      <h1>{t("operatorFees.title")}</h1>
      <Tariffs />
      <Vat />
    </div>
  );
}

/**
 * The amount or percent typed, in the reader's locale, as a whole count of hundredths, or the sentence that says why
 * it is not one; `label` is the field's i18n key, `show` writes the bound in the reader's way.
 */
function hundredths(
  text: string,
  locale: string,
  label: string,
  max: number,
  show: (hundredths: number, locale: string) => string,
): number | Say {
  const trimmed = text.trim();
  const field = (x: I18n) => x.t(label);
  if (trimmed === "") return (x) => x.t("operatorFees.required", { field: field(x) });
  if (/^[-\u2212]/.test(trimmed)) return (x) => x.t("operatorFees.negative", { field: field(x) });
  const parsed = parseAmount(trimmed, DECIMALS, locale);
  const tooLarge: Say = (x) => x.t("operatorFees.tooLarge", { field: field(x), max: show(max, x.locale) });
  if ("problem" in parsed) {
    if (parsed.problem === "ambiguous") {
      return (x) => x.t("operatorFees.ambiguous", { text: trimmed, decimal: decimalSeparatorOf(x.locale) });
    }
    if (parsed.problem === "tooPrecise") return (x) => x.t("operatorFees.precision", { field: field(x) });
    if (parsed.problem === "tooLarge") return tooLarge;
    return (x) => x.t("operatorFees.number", { field: field(x) });
  }
  return parsed.value > max ? tooLarge : parsed.value;
}

const money = (tiyn: number, locale: string) => `${tengeOfTiyn(tiyn, locale)} ₸`;
const percent = (bps: number, locale: string) => percentOfBps(bps, locale);

function Tariffs() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const tariff = useApi("/api/admin/tariffs");
  const [kind, setKind] = useState<Kind>("buyer");
  const [fee, setFee] = useState<string | null>(null);
  const [deposit, setDeposit] = useState<string | null>(null);
  const [from, setFrom] = useState("");
  const [reason, setReason] = useState("");
  const form = useFormSubmit<"fee" | "deposit" | "from" | "reason">();
  const data = tariff.data;
  const decimal = decimalSeparatorOf(locale);
  const inForce = data?.inForce.find((terms) => terms.kind === kind);
  // The fields start from the kind's tariff in force, until the operator types over them.
  const feeText = fee ?? (inForce ? tengeInput(inForce.feeTiyn, decimal) : "");
  const depositText = deposit ?? (inForce ? tengeInput(inForce.depositTiyn, decimal) : "");
  const fromText = from || (data ? dayAfter(data.today) : "");
  const kindName = (k: string) => t(`operatorFees.kind.${k}`);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    form.start();
    if (!data) return;
    const feeTiyn = hundredths(feeText, locale, "operatorFees.fee", TARIFF_AMOUNT_MAX_TIYN, money);
    if (typeof feeTiyn === "function") return form.refuse("fee", feeTiyn);
    const depositTiyn = hundredths(depositText, locale, "operatorFees.deposit", TARIFF_AMOUNT_MAX_TIYN, money);
    if (typeof depositTiyn === "function") return form.refuse("deposit", depositTiyn);
    if (kind === "client" && depositTiyn !== 0) return form.refuse("deposit", (x) => x.t("operatorFees.clientDeposit"));
    const late = fromAndReasonProblem(fromText, reason, data.today);
    if (late) return form.show(late);
    await form.send(async () => {
      await call(
        "post",
        "/api/admin/tariffs",
        {},
        { kind, feeTiyn, depositTiyn, from: fromText, reason: reason.trim() },
      );
      const [chosenKind, effective] = [kind, fromText];
      setReason("");
      invalidate("/api/admin/tariffs");
      return (x: I18n) =>
        x.t("operatorFees.tariffSet", {
          kind: x.t(`operatorFees.kind.${chosenKind}`),
          from: calendarDate(effective, x.locale),
          fee: money(feeTiyn, x.locale),
          deposit: money(depositTiyn, x.locale),
        });
    });
  };

  const { errorOf } = form;
  return (
    <section className="panel" aria-labelledby="tariff-title">
      <h2 id="tariff-title">{t("operatorFees.tariff")}</h2>
      <p className="muted small">{t("operatorFees.tariffExplain")}</p>
      {tariff.error && !data ? <FieldError message={describeError(tariff.error, i18n)} /> : null}
      {!data ? (
        tariff.error ? null : (
          <p className="muted">{t("app.loading")}</p>
        )
      ) : (
        <>
          <div className="table-scroll">
            <table data-testid="tariff-in-force">
              <caption className="small muted">
                {t("operatorFees.inForce", { today: calendarDate(data.today, locale) })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t("operatorFees.kindColumn")}</th>
                  <th scope="col" className="num">
                    {t("operatorFees.fee")}
                  </th>
                  <th scope="col" className="num">
                    {t("operatorFees.deposit")}
                  </th>
                  <th scope="col" className="num">
                    {t("operatorFees.defaults")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.inForce.map((terms) => {
                  const rulebook = data.defaults.find((d) => d.kind === terms.kind);
                  return (
                    <tr key={terms.kind} data-kind={terms.kind}>
                      <th scope="row">{kindName(terms.kind)}</th>
                      <td className="num" data-testid="tariff-fee">
                        {money(terms.feeTiyn, locale)}
                      </td>
                      <td className="num" data-testid="tariff-deposit">
                        {money(terms.depositTiyn, locale)}
                      </td>
                      <td className="num small muted">
                        {rulebook ? `${money(rulebook.feeTiyn, locale)} / ${money(rulebook.depositTiyn, locale)}` : "—"}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <h3>{t("operatorFees.schedule")}</h3>
          {data.schedule.length === 0 ? (
            <p className="muted small" data-testid="tariff-schedule-none">
              {t("operatorFees.scheduleNone")}
            </p>
          ) : (
            <div className="table-scroll">
              <table data-testid="tariff-schedule">
                <thead>
                  <tr>
                    <th scope="col">{t("operatorFees.from")}</th>
                    <th scope="col">{t("operatorFees.kindColumn")}</th>
                    <th scope="col" className="num">
                      {t("operatorFees.fee")}
                    </th>
                    <th scope="col" className="num">
                      {t("operatorFees.deposit")}
                    </th>
                    <th scope="col">{t("operatorFees.reason")}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.schedule.map((entry) => (
                    <tr key={`${entry.kind}|${entry.from}`} data-entry={`${entry.kind}|${entry.from}`}>
                      <td>
                        {calendarDate(entry.from, locale)}
                        {entry.from > data.today ? (
                          <div className="small muted">{t("operatorFees.upcoming")}</div>
                        ) : null}
                      </td>
                      <td>{kindName(entry.kind)}</td>
                      <td className="num">{money(entry.feeTiyn, locale)}</td>
                      <td className="num">{money(entry.depositTiyn, locale)}</td>
                      <td className="small">{entry.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <form onSubmit={(event) => void submit(event)} noValidate data-testid="tariff-form" className="entry-form">
        <h3>{t("operatorFees.setTariff")}</h3>
        <div className="entry-fields">
          <div>
            <label>
              {t("operatorFees.kindColumn")}
              <select
                name="kind"
                value={kind}
                onChange={(event) => {
                  setKind(event.target.value as Kind);
                  setFee(null);
                  setDeposit(null);
                }}
              >
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {kindName(k)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <Field label={t("operatorFees.feeTenge")} errorId="tariff-fee-error" error={errorOf("fee")}>
            <input
              name="fee"
              inputMode="decimal"
              value={feeText}
              onChange={(event) => setFee(event.target.value)}
              aria-invalid={errorOf("fee") !== ""}
            />
          </Field>
          <Field label={t("operatorFees.depositTenge")} errorId="tariff-deposit-error" error={errorOf("deposit")}>
            <input
              name="deposit"
              inputMode="decimal"
              value={depositText}
              onChange={(event) => setDeposit(event.target.value)}
              aria-invalid={errorOf("deposit") !== ""}
            />
          </Field>
          <FromAndReason
            prefix="tariff"
            errorOf={form.errorOf}
            today={data?.today}
            from={fromText}
            setFrom={setFrom}
            reason={reason}
            setReason={setReason}
          />
        </div>
        <FormEnd form={form} prefix="tariff" label={t("operatorFees.setTariffSubmit")} disabled={!data} />
      </form>
    </section>
  );
}

function Vat() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const vat = useApi("/api/admin/vat");
  const [rate, setRate] = useState("");
  const [from, setFrom] = useState("");
  const [reason, setReason] = useState("");
  const form = useFormSubmit<"rate" | "from" | "reason">();
  const data = vat.data;
  const fromText = from || (data ? dayAfter(data.today) : "");

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    form.start();
    if (!data) return;
    const rateBps = hundredths(rate, locale, "operatorFees.rate", VAT_RATE_BPS_MAX, percent);
    if (typeof rateBps === "function") return form.refuse("rate", rateBps);
    const late = fromAndReasonProblem(fromText, reason, data.today);
    if (late) return form.show(late);
    await form.send(async () => {
      await call("post", "/api/admin/vat", {}, { rateBps, from: fromText, reason: reason.trim() });
      const effective = fromText;
      setRate("");
      setReason("");
      invalidate("/api/admin/vat");
      return (x: I18n) =>
        x.t("operatorFees.vatSet", { rate: percent(rateBps, x.locale), from: calendarDate(effective, x.locale) });
    });
  };

  const { errorOf } = form;
  return (
    <section className="panel" aria-labelledby="vat-title">
      <h2 id="vat-title">{t("operatorFees.vat")}</h2>
      <p className="muted small">{t("operatorFees.vatExplain")}</p>
      {vat.error && !data ? <FieldError message={describeError(vat.error, i18n)} /> : null}
      {!data ? (
        vat.error ? null : (
          <p className="muted">{t("app.loading")}</p>
        )
      ) : (
        <>
          <p data-testid="vat-today">
            {t("operatorFees.vatToday", {
              rate: percent(data.rateTodayBps, locale),
              today: calendarDate(data.today, locale),
              default: percent(data.defaultRateBps, locale),
            })}
          </p>
          {data.schedule.length === 0 ? (
            <p className="muted small" data-testid="vat-schedule-none">
              {t("operatorFees.vatNone")}
            </p>
          ) : (
            <div className="table-scroll">
              <table data-testid="vat-schedule">
                <thead>
                  <tr>
                    <th scope="col">{t("operatorFees.from")}</th>
                    <th scope="col" className="num">
                      {t("operatorFees.rate")}
                    </th>
                    <th scope="col">{t("operatorFees.reason")}</th>
                    <th scope="col">{t("operatorFees.setAt")}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.schedule.map((entry) => (
                    <tr key={`${entry.from}|${entry.seq}`} data-from={entry.from}>
                      <td>
                        {calendarDate(entry.from, locale)}
                        {entry.from > data.today ? (
                          <div className="small muted">{t("operatorFees.upcoming")}</div>
                        ) : null}
                      </td>
                      <td className="num">{percent(entry.rateBps, locale)}</td>
                      <td className="small">{entry.reason}</td>
                      <td className="small">{exchangeDateTime(entry.timeMs, locale)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <form onSubmit={(event) => void submit(event)} noValidate data-testid="vat-form" className="entry-form">
        <h3>{t("operatorFees.setVat")}</h3>
        <div className="entry-fields">
          <Field label={t("operatorFees.ratePercent")} errorId="vat-rate-error" error={errorOf("rate")}>
            <input
              name="rate"
              inputMode="decimal"
              value={rate}
              placeholder={data ? percent(data.rateTodayBps, locale).replace("%", "") : ""}
              onChange={(event) => setRate(event.target.value)}
              aria-invalid={errorOf("rate") !== ""}
            />
          </Field>
          <FromAndReason
            prefix="vat"
            errorOf={form.errorOf}
            today={data?.today}
            from={fromText}
            setFrom={setFrom}
            reason={reason}
            setReason={setReason}
          />
        </div>
        <FormEnd form={form} prefix="vat" label={t("operatorFees.setVatSubmit")} disabled={!data} />
      </form>
    </section>
  );
}

/** The date of effect must be after today and the reason given: the problem, or null. */
function fromAndReasonProblem(from: string, reason: string, today: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || from <= today) {
    return {
      field: "from" as const,
      say: (x: I18n) => x.t("operatorFees.afterToday", { today: calendarDate(today, x.locale) }),
    };
  }
  if (reason.trim() === "") return { field: "reason" as const, say: (x: I18n) => x.t("operatorFees.reasonRequired") };
  return null;
}

/** A setting form's date of effect (from the day after today) and reason, with their errors (`<prefix>-from-error`). */
function FromAndReason({
  prefix,
  errorOf,
  today,
  from,
  setFrom,
  reason,
  setReason,
}: {
  prefix: string;
  errorOf: (field: "from" | "reason") => string;
  today: string | undefined;
  from: string;
  setFrom: (from: string) => void;
  reason: string;
  setReason: (reason: string) => void;
}) {
  const { t } = useI18n();
  return (
    <>
      <Field label={t("operatorFees.from")} errorId={`${prefix}-from-error`} error={errorOf("from")}>
        <input
          type="date"
          name="from"
          value={from}
          min={today ? dayAfter(today) : undefined}
          onChange={(event) => setFrom(event.target.value)}
          aria-invalid={errorOf("from") !== ""}
        />
      </Field>
      <Field label={t("operatorFees.reason")} errorId={`${prefix}-reason-error`} error={errorOf("reason")}>
        <input
          name="reason"
          value={reason}
          maxLength={REASON_LENGTH_MAX}
          onChange={(event) => setReason(event.target.value)}
          aria-invalid={errorOf("reason") !== ""}
        />
      </Field>
    </>
  );
}
