/**
 * A control that changes the market (a band, a halt, a suspension, a deposit): its fields, a mandatory reason, and a
 * confirmation step that repeats what will be done before it is sent. The server's refusal is shown beside the field
 * it concerns; a route the server does not have yet is said plainly ("not available on this server yet").
 */

import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from "react";
import { REASON_LENGTH_MAX } from "../../../src/domain/limits.ts";
import { ApiError, isMissingRoute } from "../api/client.ts";
import { invalidate } from "../api/live.ts";
import type { Mutation } from "../api/typed.ts";
import { describeError } from "../errors.ts";
import { figureText } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import { FieldError } from "./FieldError.tsx";
import type { Say } from "./FormSubmit.tsx";

export interface ControlField {
  readonly name: string;
  readonly label: string;
  readonly kind?: "text" | "number" | "select" | "datetime-local";
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  readonly placeholder?: string;
  readonly help?: string;
  readonly required?: boolean;
  /** The API schema's longest value (src/domain/limits.ts, ids.ts): the browser stops typing there. */
  readonly maxLength?: number;
  /** Whether the field applies to these values (a halt's region only for a region's halt); default: always shown. */
  readonly shown?: (values: Readonly<Record<string, string>>) => boolean;
}

const isShown = (field: ControlField, values: Readonly<Record<string, string>>) => field.shown?.(values) ?? true;

export interface ControlFormProps {
  readonly id: string;
  readonly title: string;
  readonly fields: readonly ControlField[];
  /**
   * The change these values make, typed by the API document (`mutation(...)` in api/typed.ts); null when the values
   * are not complete; a FieldProblem names a field whose value is wrong. `changed` holds the fields whose value differs
   * from the settings in force (every field when the form loads none): only those are to be sent.
   */
  readonly action: (
    values: Readonly<Record<string, string>>,
    reason: string,
    changed: ReadonlySet<string>,
  ) => Mutation | null;
  /**
   * The settings in force for these values (e.g. for the instrument chosen), as field texts under a key that says
   * what they belong to; null while unknown. The form shows them, sends only what the user changes, and names what a
   * cleared field will remove.
   */
  readonly load?: (values: Readonly<Record<string, string>>) => LoadedSettings | null;
  /** What the form says of the settings it loads; default: the safeguards' words (a cleared field removes a limit). */
  readonly inForceNote?: string;
  /** The sentence shown for confirmation. */
  readonly summary: (values: Readonly<Record<string, string>>) => string;
  /** A warning shown with the confirmation (e.g. what takes effect at once); null: none. */
  readonly warning?: (values: Readonly<Record<string, string>>) => string | null;
  readonly submitLabel: string;
  readonly danger?: boolean;
  readonly initial?: Readonly<Record<string, string>>;
  /** Paths to fetch again after success. */
  readonly refreshes?: readonly string[];
  /** Whether the request carries a reason (default true; a deposit's bank reference stands for it). */
  readonly withReason?: boolean;
  /** What the exchange answered, said after "Done" (e.g. the price an extra session opened at); none: nothing more. */
  readonly outcome?: (answer: unknown) => string;
  readonly children?: ReactNode;
}

export interface LoadedSettings {
  readonly key: string;
  readonly values: Readonly<Record<string, string>>;
}

export class FieldProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Whether `action` makes `made` again from these fields in the language now chosen (a refusal is another request). */
function sameRequest(
  action: ControlFormProps["action"],
  values: Readonly<Record<string, string>>,
  reason: string,
  fields: ReadonlySet<string>,
  made: Mutation,
): boolean {
  let again: Mutation | null = null;
  try {
    again = action(values, reason, fields);
  } catch (error) {
    if (!(error instanceof FieldProblem)) throw error;
  }
  const request = (m: Mutation) => JSON.stringify([m.method, m.path, m.body]);
  return again !== null && request(again) === request(made);
}

export function ControlForm(props: ControlFormProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const ids = useId();
  const [values, setValues] = useState<Record<string, string>>({ ...(props.initial ?? {}) });
  const [reason, setReason] = useState("");
  /**
   * What the dialog asks to confirm: the request and the values it was made from. Its sentences (summary, warning,
   * changes) are made from these values at each render, so a switch of language while the dialog is open says them
   * again in the new one.
   */
  const [confirming, setConfirming] = useState<{
    mutation: Mutation;
    values: Readonly<Record<string, string>>;
    /** The settings in force the changes are measured from (empty when the form loads none). */
    old: Readonly<Record<string, string>>;
    /** The fields changed from those settings, in the order the form names them; empty when the form loads none. */
    changed: readonly string[];
    /** The fields the request was made with (every field when the form loads none), and the reason. */
    sentFields: ReadonlySet<string>;
    reason: string;
    /** The language the typed figures were read in ("1,500" is 1500 in English, 1.5 in Russian and Kazakh). */
    locale: string;
  } | null>(null);
  /** The settings in force the fields were filled from (what "changed" is measured against). */
  const [baseline, setBaseline] = useState<LoadedSettings | null>(null);
  const loaded = props.load ? props.load(values) : null;
  const loadedText = loaded ? JSON.stringify(loaded) : "";
  /** The baseline as last set, for the effect below (which must not depend on the state's value). */
  const baselineNow = useRef<LoadedSettings | null>(null);
  useEffect(() => {
    if (loadedText === "") return;
    const settings = JSON.parse(loadedText) as LoadedSettings;
    const previous = baselineNow.current;
    if (previous?.key === settings.key && JSON.stringify(previous.values) === JSON.stringify(settings.values)) return;
    baselineNow.current = settings;
    setBaseline(settings);
    if (previous?.key !== settings.key) {
      setValues((now) => ({ ...now, ...settings.values }));
      return;
    }
    // The same settings changed in force while the form showed them (another person's change, or this form's own
    // once the exchange confirms it): a field not edited here follows them; an edit made here stays, measured now
    // against what is in force, so the confirmation names the real old value and no one's change is undone unseen.
    setValues((now) => {
      const next = { ...now };
      for (const [name, value] of Object.entries(settings.values)) {
        if ((now[name] ?? "").trim() === (previous.values[name] ?? "").trim()) next[name] = value;
      }
      return next;
    });
  }, [loadedText]);
  const labelOf = (name: string) => props.fields.find((f) => f.name === name)?.label ?? name;
  const changedFields = (): Set<string> => {
    if (!props.load) return new Set(props.fields.map((f) => f.name));
    if (!baseline) return new Set();
    return new Set(
      Object.keys(baseline.values).filter(
        (name) => (values[name] ?? "").trim() !== (baseline.values[name] ?? "").trim(),
      ),
    );
  };
  /**
   * The problem shown, as a function of the reader's language (FormSubmit's `Say`): a refusal shown before the
   * language is switched is said again in the new one.
   */
  const [problem, setProblem] = useState<{ field: string; say: Say } | null>(null);
  /** The form's props of the latest render: a check's sentence is made again from them in the language now chosen. */
  const latest = useRef(props);
  latest.current = props;
  const labelNow = (name: string) => latest.current.fields.find((f) => f.name === name)?.label ?? name;
  const [done, setDone] = useState<Say | null>(null);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  const prepare = (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setDone(null);
    const withReason = props.withReason !== false;
    if (withReason && reason.trim() === "") {
      setProblem({ field: "reason", say: (x) => x.t("controls.reasonRequired") });
      return;
    }
    for (const field of props.fields) {
      if (isShown(field, values) && field.required !== false && (values[field.name] ?? "").trim() === "") {
        const name = field.name;
        setProblem({ field: name, say: (x) => x.t("controls.required", { field: labelNow(name) }) });
        return;
      }
    }
    const changed = changedFields();
    if (props.load && (!baseline || baseline.key !== loaded?.key)) {
      const key = loaded ? "controls.loading" : "controls.incomplete";
      setProblem({ field: "form", say: (x) => x.t(key) });
      return;
    }
    if (props.load && changed.size === 0) {
      setProblem({ field: "form", say: (x) => x.t("controls.nothingChanged") });
      return;
    }
    try {
      const mutation = props.action(values, reason.trim(), changed);
      if (mutation === null) throw new FieldProblem(props.fields[0]?.name ?? "form", t("controls.incomplete"));
      setConfirming({
        mutation,
        values: { ...values },
        old: { ...(baseline?.values ?? {}) },
        changed: props.load ? [...changed] : [],
        sentFields: changed,
        reason: reason.trim(),
        locale: i18n.locale,
      });
      dialog.current?.showModal();
    } catch (error) {
      if (!(error instanceof FieldProblem)) throw error;
      // The check is made again with the latest props (their sentences are in the language now chosen) on the same
      // values; the values cannot have changed while it shows, since a change of its field takes it away.
      const shown = { ...values };
      const trimmed = reason.trim();
      const message = error.message;
      setProblem({
        field: error.field,
        say: () => {
          try {
            latest.current.action(shown, trimmed, changed);
          } catch (again) {
            if (again instanceof FieldProblem && again.field === error.field) return again.message;
          }
          return message;
        },
      });
    }
  };

  const send = async () => {
    if (!confirming) return;
    setBusy(true);
    try {
      const answer = await confirming.mutation.send();
      const sent = { ...values };
      const { mutation, reason: sentReason, sentFields, locale: sentLocale } = confirming;
      setDone(() => (x: Parameters<Say>[0]) => {
        // Said again in another language, the fields may read otherwise there: then it does not say the figures.
        if (x.locale !== sentLocale && !sameRequest(latest.current.action, sent, sentReason, sentFields, mutation)) {
          return x.t("controls.doneAsConfirmed");
        }
        const said = x.t("controls.done", { what: latest.current.summary(sent) });
        const outcome = latest.current.outcome;
        return outcome ? `${said} ${outcome(answer)}` : said;
      });
      setReason("");
      // What was sent is now in force.
      if (baseline) {
        const now: Record<string, string> = {};
        for (const name of Object.keys(baseline.values)) now[name] = (values[name] ?? "").trim();
        const sentInForce = { key: baseline.key, values: now };
        baselineNow.current = sentInForce;
        setBaseline(sentInForce);
      }
      invalidate(...(props.refreshes ?? []));
    } catch (error) {
      if (isMissingRoute(error)) setMissing(true);
      const field = error instanceof ApiError && typeof error.details.field === "string" ? error.details.field : "form";
      setProblem({ field, say: (x) => describeError(error, x) });
    } finally {
      setBusy(false);
      setConfirming(null);
      dialog.current?.close();
    }
  };

  // A switch of language while the dialog is open: its sentences read the typed figures again in the new language,
  // and a figure may read otherwise there ("1,500" ₸ is 1,500.00 in English, 1,50 in Russian and Kazakh), while the
  // request was made in the old one. When the request made from the same fields in the new language is not the one
  // the dialog would send, the dialog is closed and the form says to check the figures: it never says one amount and
  // sends another.
  useEffect(() => {
    if (!confirming || confirming.locale === i18n.locale) return;
    const { values, reason, sentFields, mutation } = confirming;
    if (sameRequest(latest.current.action, values, reason, sentFields, mutation)) {
      setConfirming({ ...confirming, locale: i18n.locale });
      return;
    }
    setConfirming(null);
    dialog.current?.close();
    setProblem({ field: "form", say: (x) => x.t("controls.readsOtherwise") });
  }, [confirming, i18n.locale]);

  // The dialog's sentences, in the language now chosen, from the values it was opened with.
  const summary = confirming ? props.summary(confirming.values) : null;
  /** A figure as the reader writes one ("146400" → "146 400" in ru and kk), a number field's only; text as given. */
  const shown = (name: string, text: string) =>
    props.fields.find((f) => f.name === name)?.kind === "number" ? figureText(text, i18n.locale) : text;
  const warning = confirming && props.warning ? props.warning(confirming.values) : null;
  const changes = confirming
    ? confirming.changed.map((name) =>
        t("controls.change", {
          field: labelOf(name),
          from: shown(name, (confirming.old[name] ?? "").trim()) || t("controls.none"),
          to: shown(name, (confirming.values[name] ?? "").trim()) || t("controls.removed"),
        }),
      )
    : [];
  const removals = confirming
    ? confirming.changed
        .filter((name) => (confirming.values[name] ?? "").trim() === "" && (confirming.old[name] ?? "").trim() !== "")
        .map(labelOf)
    : [];
  const errorFor = (name: string) => (problem?.field === name ? problem.say(i18n) : null);
  const fieldNames = new Set(props.fields.map((f) => f.name));
  /** A changed field takes its error away, and a refusal about the whole form with it. */
  const change = (name: string, value: string) => {
    setValues({ ...values, [name]: value });
    if (problem && (problem.field === name || (!fieldNames.has(problem.field) && problem.field !== "reason"))) {
      setProblem(null);
    }
  };
  return (
    <form
      className={`control ${props.danger ? "danger-zone" : ""}`}
      onSubmit={prepare}
      data-testid={props.id}
      noValidate
    >
      <h3>{props.title}</h3>
      {props.load ? <p className="small muted">{props.inForceNote ?? t("controls.inForce")}</p> : null}
      {props.children}
      {missing ? <p className="placeholder small">{t("controls.missingRoute")}</p> : null}
      <div className="control-fields">
        {props.fields
          .filter((field) => isShown(field, values))
          .map((field) => {
            const inputId = `${ids}-${field.name}`;
            return (
              <div className="control-field" key={field.name}>
                <label htmlFor={inputId}>{field.label}</label>
                {field.kind === "select" ? (
                  <select
                    id={inputId}
                    name={field.name}
                    value={values[field.name] ?? ""}
                    onChange={(event) => change(field.name, event.target.value)}
                    aria-invalid={problem?.field === field.name}
                  >
                    <option value="">—</option>
                    {(field.options ?? []).map((option) => (
                      <option key={option.value} value={option.value}>
                        {option.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={inputId}
                    name={field.name}
                    type={field.kind === "datetime-local" ? "datetime-local" : "text"}
                    inputMode={field.kind === "number" ? "decimal" : undefined}
                    placeholder={field.placeholder}
                    maxLength={field.maxLength}
                    value={values[field.name] ?? ""}
                    onChange={(event) => change(field.name, event.target.value)}
                    aria-invalid={problem?.field === field.name}
                  />
                )}
                {field.help ? <span className="small muted">{field.help}</span> : null}
                <FieldError message={errorFor(field.name)} />
              </div>
            );
          })}
        {props.withReason !== false ? (
          <label className="reason">
            {t("controls.reason")}
            <input
              name="reason"
              value={reason}
              maxLength={REASON_LENGTH_MAX}
              onChange={(event) => {
                setReason(event.target.value);
                if (problem?.field === "reason") setProblem(null);
              }}
              aria-invalid={problem?.field === "reason"}
            />
            <FieldError message={errorFor("reason")} />
          </label>
        ) : null}
      </div>
      <FieldError
        message={problem && !fieldNames.has(problem.field) && problem.field !== "reason" ? problem.say(i18n) : null}
      />
      {done ? (
        <p className="ok" role="status">
          {done(i18n)}
        </p>
      ) : null}
      <button type="submit" className={props.danger ? "danger" : ""}>
        {props.submitLabel}
      </button>
      <dialog ref={dialog} aria-labelledby={`${ids}-confirm`} onClose={() => setConfirming(null)}>
        <h3 id={`${ids}-confirm`}>{t("controls.confirmTitle")}</h3>
        <p data-testid="confirm-summary">{summary}</p>
        {warning ? (
          <p className="field-warning" data-testid="confirm-warning">
            {warning}
          </p>
        ) : null}
        {changes.length > 0 ? (
          <ul className="small" data-testid="changes">
            {changes.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ) : null}
        {removals.length > 0 ? (
          <p className="field-warning" data-testid="removals">
            {t("controls.willRemove", { list: removals.join(", ") })}
          </p>
        ) : null}
        {props.withReason !== false ? (
          <p className="small">{t("controls.reasonShown", { reason: reason.trim() })}</p>
        ) : null}
        <div className="dialog-buttons">
          <button type="button" className={props.danger ? "danger" : ""} onClick={() => void send()} disabled={busy}>
            {t("controls.confirm")}
          </button>
          <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
            {t("controls.back")}
          </button>
        </div>
      </dialog>
    </form>
  );
}
