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

import { type FormEvent, type ReactNode, useState } from "react";
import { REASON_LENGTH_MAX, TARIFF_AMOUNT_MAX_TIYN, VAT_RATE_BPS_MAX } from "../../../src/domain/limits.ts";
import { invalidate, useApi } from "../api/live.ts";
import { call } from "../api/typed.ts";
import {
  type CheckedField,
  CheckedInputs,
  FormEnd,
  type FormSubmit,
  type Problem,
  type Say,
  useFormSubmit,
} from "../components/FormSubmit.tsx";
import { Loading } from "../components/Loading.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { calendarDate, decimalSeparatorOf, exchangeMinute, parseAmount, percentOfBps, tengeOfTiyn } from "../format.ts";
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
  const form = useFormSubmit<"fee" | "deposit" | "from" | "reason">();
  const data = tariff.data;
  const dated = useDateAndReason(data?.today);
  const decimal = decimalSeparatorOf(locale);
  const inForce = data?.inForce.find((terms) => terms.kind === kind);
  // The fields start from the kind's tariff in force, until the operator types over them.
  const feeText = fee ?? (inForce ? tengeInput(inForce.feeTiyn, decimal) : "");
  const depositText = deposit ?? (inForce ? tengeInput(inForce.depositTiyn, decimal) : "");
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
    const late = dated.problem(data.today);
    if (late) return form.show(late);
    await form.send(async () => {
      await call(
        "post",
        "/api/admin/tariffs",
        {},
        { kind, feeTiyn, depositTiyn, from: dated.from, reason: dated.reason.trim() },
      );
      const [chosenKind, effective] = [kind, dated.from];
      dated.setReason("");
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

  return (
    <section className="panel" aria-labelledby="tariff-title">
      <h2 id="tariff-title">{t("operatorFees.tariff")}</h2>
      <p className="muted small">{t("operatorFees.tariffExplain")}</p>
      {!data ? (
        <Loading error={tariff.error} />
      ) : (
        <>
          <Table
            testId="tariff-in-force"
            caption={t("operatorFees.inForce", { today: calendarDate(data.today, locale) })}
            rows={data.inForce}
            rowKey={(terms) => terms.kind}
            rowData={(terms) => ({ kind: terms.kind })}
            columns={[
              { head: t("operatorFees.kindColumn"), rowHeader: true, cell: (terms) => kindName(terms.kind) },
              {
                head: t("operatorFees.fee"),
                num: true,
                testId: "tariff-fee",
                cell: (terms) => money(terms.feeTiyn, locale),
              },
              {
                head: t("operatorFees.deposit"),
                num: true,
                testId: "tariff-deposit",
                cell: (terms) => money(terms.depositTiyn, locale),
              },
              {
                head: t("operatorFees.defaults"),
                num: true,
                className: "small muted",
                cell: (terms) => {
                  const rulebook = data.defaults.find((d) => d.kind === terms.kind);
                  return rulebook ? `${money(rulebook.feeTiyn, locale)} / ${money(rulebook.depositTiyn, locale)}` : "—";
                },
              },
            ]}
          />
          <h3>{t("operatorFees.schedule")}</h3>
          <Table
            testId="tariff-schedule"
            empty={{ testId: "tariff-schedule-none", text: t("operatorFees.scheduleNone") }}
            rows={data.schedule}
            rowKey={(entry) => `${entry.kind}|${entry.from}`}
            rowData={(entry) => ({ entry: `${entry.kind}|${entry.from}` })}
            columns={[
              fromColumn(i18n, data.today),
              { head: t("operatorFees.kindColumn"), cell: (entry) => kindName(entry.kind) },
              { head: t("operatorFees.fee"), num: true, cell: (entry) => money(entry.feeTiyn, locale) },
              { head: t("operatorFees.deposit"), num: true, cell: (entry) => money(entry.depositTiyn, locale) },
              reasonColumn(i18n),
            ]}
          />
        </>
      )}
      <SettingForm
        prefix="tariff"
        title={t("operatorFees.setTariff")}
        submitLabel={t("operatorFees.setTariffSubmit")}
        form={form}
        today={data?.today}
        dated={dated}
        onSubmit={submit}
        fields={[
          { field: "fee", label: t("operatorFees.feeTenge"), inputMode: "decimal", value: feeText, onChange: setFee },
          {
            field: "deposit",
            label: t("operatorFees.depositTenge"),
            inputMode: "decimal",
            value: depositText,
            onChange: setDeposit,
          },
        ]}
      >
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
      </SettingForm>
    </section>
  );
}

function Vat() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const vat = useApi("/api/admin/vat");
  const [rate, setRate] = useState("");
  const form = useFormSubmit<"rate" | "from" | "reason">();
  const data = vat.data;
  const dated = useDateAndReason(data?.today);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    form.start();
    if (!data) return;
    const rateBps = hundredths(rate, locale, "operatorFees.rate", VAT_RATE_BPS_MAX, percent);
    if (typeof rateBps === "function") return form.refuse("rate", rateBps);
    const late = dated.problem(data.today);
    if (late) return form.show(late);
    await form.send(async () => {
      await call("post", "/api/admin/vat", {}, { rateBps, from: dated.from, reason: dated.reason.trim() });
      const effective = dated.from;
      setRate("");
      dated.setReason("");
      invalidate("/api/admin/vat");
      return (x: I18n) =>
        x.t("operatorFees.vatSet", { rate: percent(rateBps, x.locale), from: calendarDate(effective, x.locale) });
    });
  };

  return (
    <section className="panel" aria-labelledby="vat-title">
      <h2 id="vat-title">{t("operatorFees.vat")}</h2>
      <p className="muted small">{t("operatorFees.vatExplain")}</p>
      {!data ? (
        <Loading error={vat.error} />
      ) : (
        <>
          <p data-testid="vat-today">
            {t("operatorFees.vatToday", {
              rate: percent(data.rateTodayBps, locale),
              today: calendarDate(data.today, locale),
              default: percent(data.defaultRateBps, locale),
            })}
          </p>
          <Table
            testId="vat-schedule"
            empty={{ testId: "vat-schedule-none", text: t("operatorFees.vatNone") }}
            rows={data.schedule}
            rowKey={(entry) => `${entry.from}|${entry.seq}`}
            rowData={(entry) => ({ from: entry.from })}
            columns={[
              fromColumn(i18n, data.today),
              { head: t("operatorFees.rate"), num: true, cell: (entry) => percent(entry.rateBps, locale) },
              reasonColumn(i18n),
              {
                head: t("operatorFees.setAt"),
                className: "small",
                cell: (entry) => exchangeMinute(entry.timeMs, locale),
              },
            ]}
          />
        </>
      )}
      <SettingForm
        prefix="vat"
        title={t("operatorFees.setVat")}
        submitLabel={t("operatorFees.setVatSubmit")}
        form={form}
        today={data?.today}
        dated={dated}
        onSubmit={submit}
        fields={[
          {
            field: "rate",
            label: t("operatorFees.ratePercent"),
            inputMode: "decimal",
            value: rate,
            placeholder: data ? percent(data.rateTodayBps, locale).replace("%", "") : "",
            onChange: setRate,
          },
        ]}
      />
    </section>
  );
}

/** The date a schedule's entry takes effect from, marked while it is still to come. */
function fromColumn(i18n: I18n, today: string): Column<{ readonly from: string }> {
  return {
    head: i18n.t("operatorFees.from"),
    cell: (entry) => (
      <>
        {calendarDate(entry.from, i18n.locale)}
        {entry.from > today ? <div className="small muted">{i18n.t("operatorFees.upcoming")}</div> : null}
      </>
    ),
  };
}

/** Why a schedule's entry was set. */
function reasonColumn(i18n: I18n): Column<{ readonly reason: string }> {
  return { head: i18n.t("operatorFees.reason"), className: "small", cell: (entry) => entry.reason };
}

/** A setting's date of effect (the day after today until another is typed) and its reason, as typed. */
function useDateAndReason(today: string | undefined) {
  const [from, setFrom] = useState("");
  const [reason, setReason] = useState("");
  const date = from || (today ? dayAfter(today) : "");
  return {
    from: date,
    setFrom,
    reason,
    setReason,
    /** The date of effect must be after `today` and the reason given: the problem, or null. */
    problem(today: string): Problem<"from" | "reason"> | null {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || date <= today) {
        return { field: "from", say: (x) => x.t("operatorFees.afterToday", { today: calendarDate(today, x.locale) }) };
      }
      if (reason.trim() === "") return { field: "reason", say: (x) => x.t("operatorFees.reasonRequired") };
      return null;
    },
  };
}

/**
 * A setting form (`<prefix>-form`): its own controls (the children: a choice before the fields), its own fields, the
 * date of effect (from the day after today) and
 * the reason with their errors (`<prefix>-from-error`, `<prefix>-reason-error`), and its end; it cannot be sent
 * before today is known.
 */
function SettingForm<F extends string>({
  prefix,
  title,
  submitLabel,
  form,
  today,
  dated,
  onSubmit,
  fields,
  children,
}: {
  prefix: string;
  title: string;
  submitLabel: string;
  form: FormSubmit<F | "from" | "reason">;
  today: string | undefined;
  dated: ReturnType<typeof useDateAndReason>;
  onSubmit: (event: FormEvent) => Promise<void>;
  fields: readonly CheckedField<F>[];
  children?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <form onSubmit={(event) => void onSubmit(event)} noValidate data-testid={`${prefix}-form`} className="entry-form">
      <h3>{title}</h3>
      <div className="entry-fields">
        {children}
        <CheckedInputs
          form={form}
          prefix={prefix}
          fields={[
            ...fields,
            {
              field: "from",
              label: t("operatorFees.from"),
              type: "date",
              value: dated.from,
              min: today ? dayAfter(today) : undefined,
              onChange: dated.setFrom,
            },
            {
              field: "reason",
              label: t("operatorFees.reason"),
              value: dated.reason,
              maxLength: REASON_LENGTH_MAX,
              onChange: dated.setReason,
            },
          ]}
        />
      </div>
      <FormEnd form={form} prefix={prefix} label={submitLabel} disabled={today === undefined} />
    </form>
  );
}
