/**
 * The seller's form on the terminal that records a shipment against one of its account's open obligations
 * (POST /api/accounts/{account}/shipments): the obligation, the tank truck's plate or the rail wagon's number, the
 * waybill number, the quantity in tonnes and the dispatch date. The page checks what the API's schema bounds
 * (src/domain/limits.ts, order.ts: 1 kg to ORDER_QUANTITY_MAX, texts up to their longest) and says so in the reader's
 * language before anything is sent; what only the exchange knows (kg left on the obligation, a waybill already used,
 * a date outside the trade's window) comes back as the server's sentence, in the reader's language, under the form.
 * After success the answer's progress is said (dispatched and arrived of the obligation) and the shipments refresh.
 */

import { type FormEvent, useEffect, useState } from "react";
import { SHIPMENTS_PER_OBLIGATION_MAX, VEHICLE_LENGTH_MAX, WAYBILL_LENGTH_MAX } from "../../../src/domain/limits.ts";
import { ORDER_QUANTITY_MAX } from "../../../src/domain/order.ts";
import { invalidate, useApi } from "../api/live.ts";
import { call, type Schemas } from "../api/typed.ts";
import { calendarDate, decimalSeparatorOf, KG_PER_TONNE, parseAmount, tonnes } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import type { I18n } from "../i18n/lookup.ts";
import { CheckedInputs, FormEnd, type Problem, type Say, useFormSubmit } from "./FormSubmit.tsx";

type Obligation = Schemas["Obligation"];
/** Exchange time is UTC+5: the exchange date of a moment. */
const EXCHANGE_OFFSET_MS = 5 * 3_600_000;
const DAY_MS = 86_400_000;
/** Tonnes are typed with at most this many decimals: one kg. */
const TONNE_DECIMALS = 3;
/** What the engine takes as a plate or waybill: no control characters (the API's pattern). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function exchangeDate(timeMs: number): string {
  return new Date(timeMs + EXCHANGE_OFFSET_MS).toISOString().slice(0, 10);
}

type Field = "obligation" | "vehicle" | "waybill" | "quantity" | "date";

export function Dispatch({ account, obligations }: { account: string; obligations: readonly Obligation[] }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const open = obligations.filter((o) => o.seller === account && o.status === "open" && !o.delivered);
  const [obligation, setObligation] = useState("");
  const [vehicle, setVehicle] = useState("");
  const [waybill, setWaybill] = useState("");
  const [quantity, setQuantity] = useState("");
  const [date, setDate] = useState(() => exchangeDate(Date.now()));
  const form = useFormSubmit<Field>();
  // The obligation shown is the one chosen, and it stays chosen: until the seller picks one, the newest open one is
  // shown and kept, so a trade made while the form is being filled in (the list is live, newest first) does not move
  // the shipment onto the new obligation under the seller's hands. Only when the chosen one leaves the list (delivered,
  // settled) does the newest take its place, and it is kept in turn.
  const chosenId = (open.find((o) => o.id === obligation) ?? open[0])?.id ?? null;
  useEffect(() => {
    if (chosenId !== null && chosenId !== obligation) setObligation(chosenId);
  }, [chosenId, obligation]);
  const shipped = useApi(
    "/api/accounts/{account}/shipments",
    chosenId === null
      ? null
      : { path: { account }, query: { obligation: chosenId, limit: SHIPMENTS_PER_OBLIGATION_MAX } },
  );

  if (open.length === 0) return null;
  const chosen = open.find((o) => o.id === obligation) ?? open[0]!;
  // What is left is known only once the obligation's shipments have come: until then the page says they are loading
  // rather than the whole obligation, which would be wrong for one already partly shipped.
  const dispatchedKg = shipped.data?.shipments.reduce((sum, s) => sum + s.quantityKg, 0);
  const leftKg = dispatchedKg === undefined ? null : Math.max(0, chosen.quantityKg - dispatchedKg);
  // The earliest dispatch date the engine takes: the UTC day before the trade's (engine/clearinghouse.ts).
  const earliest = new Date(chosen.tradeTimeMs - DAY_MS).toISOString().slice(0, 10);
  // The latest it takes: the UTC day after today's (engine/clearinghouse.ts), by this browser's clock; the exchange,
  // on its own clock, has the last word.
  const latest = new Date(Date.now() + DAY_MS).toISOString().slice(0, 10);

  /** The kg typed, or the sentence that says why it is not a quantity the API takes. */
  const quantityKg = (): number | Say => {
    const text = quantity.trim();
    if (text === "") return (x) => x.t("dispatch.required", { field: x.t("dispatch.quantity") });
    if (/^[-\u2212]/.test(text)) return (x) => x.t("dispatch.quantityMin", { min: tonnes(1, x.locale) });
    const parsed = parseAmount(text, TONNE_DECIMALS, locale);
    if ("problem" in parsed) {
      if (parsed.problem === "ambiguous") {
        return (x) => x.t("dispatch.quantityAmbiguous", { text, decimal: decimalSeparatorOf(x.locale) });
      }
      if (parsed.problem === "tooPrecise") return (x) => x.t("dispatch.quantityPrecision");
      if (parsed.problem === "tooLarge") {
        return (x) => x.t("dispatch.quantityMax", { max: tonnes(ORDER_QUANTITY_MAX, x.locale) });
      }
      return (x) => x.t("dispatch.quantityNumber");
    }
    if (parsed.value < 1) return (x) => x.t("dispatch.quantityMin", { min: tonnes(1, x.locale) });
    if (parsed.value > ORDER_QUANTITY_MAX)
      return (x) => x.t("dispatch.quantityMax", { max: tonnes(ORDER_QUANTITY_MAX, x.locale) });
    return parsed.value;
  };

  const textProblem = (field: "vehicle" | "waybill", value: string, lengthMax: number): Problem<Field> | null => {
    const label = (x: I18n) => x.t(`dispatch.${field}`);
    if (value.trim() === "") return { field, say: (x) => x.t("dispatch.required", { field: label(x) }) };
    if (value.length > lengthMax)
      return { field, say: (x) => x.t("dispatch.tooLong", { field: label(x), max: lengthMax }) };
    if (hasControl(value)) return { field, say: (x) => x.t("dispatch.control", { field: label(x) }) };
    return null;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    form.start();
    const found =
      textProblem("vehicle", vehicle, VEHICLE_LENGTH_MAX) ?? textProblem("waybill", waybill, WAYBILL_LENGTH_MAX);
    if (found) return form.show(found);
    const kg = quantityKg();
    if (typeof kg === "function") return form.refuse("quantity", kg);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      return form.refuse("date", (x) => x.t("dispatch.required", { field: x.t("dispatch.date") }));
    }
    if (date < earliest) {
      return form.refuse("date", (x) => x.t("dispatch.dateEarly", { from: calendarDate(earliest, x.locale) }));
    }
    if (date > latest) {
      return form.refuse("date", (x) => x.t("dispatch.dateLate", { to: calendarDate(latest, x.locale) }));
    }
    await form.send(async () => {
      const answer = await call(
        "post",
        "/api/accounts/{account}/shipments",
        { path: { account } },
        { obligation: chosen.id, vehicle: vehicle.trim(), waybill: waybill.trim(), quantityKg: kg, date },
      );
      const progress = answer.progress;
      setVehicle("");
      setWaybill("");
      setQuantity("");
      invalidate(`/api/accounts/${encodeURIComponent(account)}/`);
      return (x: I18n) =>
        x.t("dispatch.done", {
          shipment: answer.shipment.shipment,
          dispatched: tonnes(progress.dispatchedKg, x.locale),
          arrived: tonnes(progress.arrivedKg, x.locale),
          total: tonnes(progress.quantityKg, x.locale),
        });
    });
  };

  /**
   * The vehicle's plate or number and the waybill's number, not completed by the browser. No maxLength on the input:
   * the browser would cut a longer text without a word; the form says the longest it takes instead (`textProblem`).
   */
  const textField = (field: "vehicle" | "waybill", placeholder: string) =>
    ({ field, label: t(`dispatch.${field}`), autoComplete: "off", placeholder }) as const;

  return (
    <form onSubmit={(event) => void submit(event)} noValidate data-testid="dispatch-form" className="entry-form">
      <h3>{t("dispatch.title")}</h3>
      <p className="muted small">{t("dispatch.explain")}</p>
      <div className="entry-fields">
        <div>
          <label>
            {t("dispatch.obligation")}
            <select
              name="obligation"
              value={chosen.id}
              onChange={(event) => {
                setObligation(event.target.value);
                form.clearDone();
              }}
            >
              {open.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.id} · {o.buyer} · {tonnes(o.quantityKg, locale)} {t("units.tonnes")}
                </option>
              ))}
            </select>
          </label>
          <p className="small muted" data-testid="dispatch-left">
            {leftKg === null
              ? t("dispatch.leftLoading", {
                  total: tonnes(chosen.quantityKg, locale),
                  from: calendarDate(earliest, locale),
                })
              : t("dispatch.left", {
                  left: tonnes(leftKg, locale),
                  total: tonnes(chosen.quantityKg, locale),
                  from: calendarDate(earliest, locale),
                })}
          </p>
        </div>
        <CheckedInputs
          form={form}
          prefix="dispatch"
          fields={[
            { ...textField("vehicle", "123 ABC 12"), value: vehicle, onChange: setVehicle },
            { ...textField("waybill", "TTN-000123"), value: waybill, onChange: setWaybill },
            {
              field: "quantity",
              label: t("dispatch.quantity"),
              inputMode: "decimal",
              value: quantity,
              autoComplete: "off",
              placeholder: tonnes(Math.min(leftKg ?? KG_PER_TONNE, 20 * KG_PER_TONNE) || KG_PER_TONNE, locale),
              onChange: setQuantity,
            },
            { field: "date", label: t("dispatch.date"), type: "date", value: date, onChange: setDate },
          ]}
        />
      </div>
      <FormEnd form={form} prefix="dispatch" label={t("dispatch.submit")} />
    </form>
  );
}
