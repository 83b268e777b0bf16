/**
 * What the entry forms share: a form's state while it is checked and sent (the one problem shown, beside its field or
 * under the form; the sentence saying what was done; whether a request is on its way), a labelled field with its error
 * beside it, a text field bound to the form's checks (`CheckedInput`) and a run of them from a list (`CheckedInputs`),
 * and the form's end (the submit button, the server's refusal, what was done).
 * Sentences are kept as functions of the reader's language, so a sentence shown stays in the language chosen after it.
 */

import { type InputHTMLAttributes, type ReactNode, useState } from "react";
import { describeError } from "../errors.ts";
import { useI18n } from "../i18n/index.tsx";
import type { I18n } from "../i18n/lookup.ts";
import { FieldError } from "./FieldError.tsx";

/** A sentence said in the reader's language at the time it is shown (the language may change after a refusal). */
export type Say = (i18n: I18n) => string;
/** The problem shown: the field it is about ("form" for the server's refusal) and its sentence. */
export interface Problem<Field extends string> {
  readonly field: Field | "form";
  readonly say: Say;
}

export interface FormSubmit<Field extends string> {
  readonly problem: Problem<Field> | null;
  readonly done: Say | null;
  readonly busy: boolean;
  /** Forgets the problem and what was done: the start of a submission. */
  start(): void;
  /** Shows `say` beside `field`. */
  refuse(field: Field, say: Say): void;
  /** Shows `found` (a problem some check returned). */
  show(found: Problem<Field>): void;
  /** Forgets what was done (the form changed). */
  clearDone(): void;
  /** Sends: busy while `step` runs; its sentence is what was done, its error the server's refusal under the form. */
  send(step: () => Promise<Say>): Promise<void>;
  /** The sentence beside `field` in the reader's language, or "". */
  errorOf(field: Field | "form"): string;
}

export function useFormSubmit<Field extends string>(): FormSubmit<Field> {
  const i18n = useI18n();
  const [problem, setProblem] = useState<Problem<Field> | null>(null);
  const [done, setDone] = useState<Say | null>(null);
  const [busy, setBusy] = useState(false);
  return {
    problem,
    done,
    busy,
    start: () => {
      setProblem(null);
      setDone(null);
    },
    refuse: (field, say) => setProblem({ field, say }),
    show: setProblem,
    clearDone: () => setDone(null),
    send: async (step) => {
      setBusy(true);
      try {
        const said = await step();
        setDone(() => said);
      } catch (caught) {
        setProblem({ field: "form", say: (x) => describeError(caught, x) });
      } finally {
        setBusy(false);
      }
    },
    errorOf: (field) => (problem?.field === field ? problem.say(i18n) : ""),
  };
}

/** A labelled field (the control is the child) with its error sentence beside it. */
export function Field({
  label,
  errorId,
  error,
  children,
}: {
  label: string;
  errorId: string;
  error: string;
  children: ReactNode;
}) {
  return (
    <div>
      {/* biome-ignore lint/a11y/noLabelWithoutControl: the control is the child, inside the label. */}
      <label>
        {label}
        {children}
      </label>
      <FieldError id={errorId} message={error} />
    </div>
  );
}

/**
 * A labelled input named `field`, bound to a form's checks: its error (`<prefix>-<field>-error`) beside it, and while
 * the form's problem is about this field the input is marked invalid and described by that error. Other attributes
 * (type, inputMode, maxLength, placeholder…) are the input's own.
 */
export type CheckedInputProps<F extends string> = {
  form: FormSubmit<F>;
  field: F;
  prefix: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "form" | "name" | "value" | "onChange" | "aria-invalid">;

export function CheckedInput<F extends string>({
  form,
  field,
  prefix,
  label,
  value,
  onChange,
  ...input
}: CheckedInputProps<F>) {
  const errorId = `${prefix}-${field}-error`;
  const refused = form.problem?.field === field;
  return (
    <Field label={label} errorId={errorId} error={form.errorOf(field)}>
      <input
        {...input}
        name={field}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={refused}
        aria-describedby={refused ? errorId : undefined}
      />
    </Field>
  );
}

/** One field of a `CheckedInputs` run: a `CheckedInput`'s own attributes, without the form and prefix the run shares. */
export type CheckedField<F extends string> = Omit<CheckedInputProps<F>, "form" | "prefix">;

/** A run of a form's `CheckedInput`s, one per field in the order given (each keyed by its field). */
export function CheckedInputs<F extends string>({
  form,
  prefix,
  fields,
}: {
  form: FormSubmit<F>;
  prefix: string;
  fields: readonly CheckedField<F>[];
}) {
  return (
    <>
      {fields.map((input) => (
        <CheckedInput key={input.field} form={form} prefix={prefix} {...input} />
      ))}
    </>
  );
}

/** A form's end: the submit button, the server's refusal (`<prefix>-form-error`) and what was done (`<prefix>-done`). */
export function FormEnd<F extends string>({
  form,
  prefix,
  label,
  disabled = false,
}: {
  form: FormSubmit<F>;
  prefix: string;
  label: string;
  disabled?: boolean;
}) {
  const i18n = useI18n();
  return (
    <>
      <button type="submit" disabled={form.busy || disabled}>
        {label}
      </button>
      <FieldError id={`${prefix}-form-error`} message={form.errorOf("form")} />
      {form.done ? (
        <p className="ok" role="status" data-testid={`${prefix}-done`}>
          {form.done(i18n)}
        </p>
      ) : null}
    </>
  );
}
