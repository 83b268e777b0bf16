/**
 * The Policy lab page: the regulator's question before a reform — what will the price do, where, and who runs short?
 * — asked of the simulator from the browser. Pick a scenario (and, to compare, a second one), change the regulator's
 * levers it allows (band, ceiling, buyer limit, exchange share, export, supply obligation, elasticity), run, watch the
 * progress, then read the price paths, volumes and shortages on the same charts and the summary table.
 *
 * Anyone may read the scenarios; running one needs signing in (it takes a core of the exchange's machine for a few
 * seconds), so a visitor gets the sign-in form in place. Runs are made on the server (POST /api/lab/runs) and followed
 * by polling; the same settings give the same run, so pressing Run again costs nothing.
 */

import { type FormEvent, lazy, Suspense, useEffect, useMemo, useState } from "react";
import { ApiError } from "../api/client.ts";
import {
  type FollowedRun,
  type LabCatalog,
  type LabParameterInfo,
  type LabParameterName,
  type LabRun,
  labCatalog,
  type RunRequest,
  startRun,
  useLabRun,
} from "../api/lab.ts";
import { useSession } from "../api/session.tsx";
import { FieldError } from "../components/FieldError.tsx";
import type { FinishedRun } from "../components/LabResults.tsx";
import { Loading } from "../components/Loading.tsx";
import { describeError } from "../errors.ts";
import { calendarDate, decimal } from "../format.ts";
import { useI18n } from "../i18n/index.tsx";
import { type FieldProblem, type FieldText, formValues, overridesOf, parseWhole } from "../lab-form.ts";
import { scenarioShortName } from "../lab-names.ts";
import { SignIn } from "./SignIn.tsx";

/** The results' charts use the chart library, which is large: it is fetched when the first results are shown. */
const LabResults = lazy(() => import("../components/LabResults.tsx").then((m) => ({ default: m.LabResults })));

const SEED_MAX = 0xffff_ffff;

interface RunForm {
  readonly scenario: string;
  readonly values: Readonly<Record<LabParameterName, FieldText>>;
}

interface Started {
  readonly a: LabRun;
  readonly b: LabRun | null;
}

export function Lab() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { user } = useSession();
  const [catalog, setCatalog] = useState<LabCatalog | null>(null);
  const [catalogError, setCatalogError] = useState<unknown>(null);
  const [a, setA] = useState<RunForm | null>(null);
  const [b, setB] = useState<RunForm | null>(null);
  const [compare, setCompare] = useState(false);
  const [daysText, setDaysText] = useState("");
  const [seedText, setSeedText] = useState("");
  const [runsText, setRunsText] = useState("");
  const [problems, setProblems] = useState<Readonly<Record<string, FieldProblem>>>({});
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [started, setStarted] = useState<Started | null>(null);

  // The catalog is read once; a language change later keeps what the reader typed (the locale only formats the
  // first values).
  // biome-ignore lint/correctness/useExhaustiveDependencies: read once, on the first render.
  useEffect(() => {
    labCatalog()
      .then((loaded) => {
        setCatalog(loaded);
        const first = loaded.scenarios.find((s) => s.name === "liberalisation-2022") ?? loaded.scenarios[0];
        const second = loaded.scenarios.find((s) => s.name === "safeguarded-2022") ?? loaded.scenarios[1] ?? first;
        if (first) {
          setA({ scenario: first.name, values: formValues(loaded.parameters, first, locale) });
          setDaysText(String(first.days));
        }
        if (second) setB({ scenario: second.name, values: formValues(loaded.parameters, second, locale) });
      })
      .catch(setCatalogError);
  }, []);

  const followA = useLabRun(started?.a.id ?? null, started?.a ?? null);
  const followB = useLabRun(started?.b?.id ?? null, started?.b ?? null);
  const finished = useMemo(() => {
    const done: FinishedRun[] = [];
    for (const [label, followed] of [
      ["A", followA],
      ["B", followB],
    ] as const) {
      const run = followed.run;
      if (run?.status === "done" && run.result) done.push({ label, run, result: run.result });
    }
    return done;
  }, [followA, followB]);
  const expected = started === null ? 0 : started.b === null ? 1 : 2;

  if (catalogError) return <p className="field-error">{describeError(catalogError, i18n)}</p>;
  if (catalog === null || a === null) return <p className="notice">{t("app.loading")}</p>;

  const scenarioOf = (name: string) => catalog.scenarios.find((s) => s.name === name)!;
  const choose = (which: "A" | "B", name: string) => {
    const form = { scenario: name, values: formValues(catalog.parameters, scenarioOf(name), locale) };
    if (which === "A") setA(form);
    else setB(form);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, FieldProblem> = {};
    const { runsMax, runsDaysTotalMax, daysMax } = catalog.limits;
    const runs = runsText.trim() === "" ? undefined : parseWhole(runsText, 2, runsMax, locale);
    if (runs === null) found.runs = { key: "lab.form.runsRange", params: { max: decimal(runsMax, locale) } };
    // With uncertainty runs the days are scaled down so that the work stays bounded (as the server checks).
    const daysLimit = typeof runs === "number" ? Math.min(daysMax, Math.floor(runsDaysTotalMax / runs)) : daysMax;
    const days = parseWhole(daysText, 1, daysLimit, locale);
    if (days === null)
      found.days =
        daysLimit < daysMax
          ? {
              key: "lab.form.daysForRuns",
              params: { runs: decimal(runs as number, locale), max: decimal(daysLimit, locale) },
            }
          : { key: "lab.form.daysRange", params: { max: decimal(daysMax, locale) } };
    const seed = seedText.trim() === "" ? undefined : parseWhole(seedText, 0, SEED_MAX, locale);
    if (seed === null) found.seed = { key: "lab.form.seedRange", params: { max: decimal(SEED_MAX, locale) } };
    const requests: RunRequest[] = [];
    for (const [label, form] of [
      ["A", a],
      ["B", compare ? b : null],
    ] as const) {
      if (form === null) continue;
      const { overrides, problems: fieldProblems } = overridesOf(
        catalog.parameters,
        scenarioOf(form.scenario),
        form.values,
        locale,
      );
      for (const [name, problem] of Object.entries(fieldProblems)) found[`${label}.${name}`] = problem;
      requests.push({
        scenario: form.scenario,
        ...(days === null ? {} : { days }),
        ...(seed === undefined || seed === null ? {} : { seed }),
        ...(runs === undefined || runs === null ? {} : { runs }),
        // overridesOf gives each parameter a value of the kind the catalogue declares for it (integer, number or
        // boolean, null only where nullable), which is what the route's schema says parameter by parameter.
        ...(Object.keys(overrides).length === 0
          ? {}
          : { overrides: overrides as NonNullable<RunRequest["overrides"]> }),
      });
    }
    setProblems(found);
    setSubmitError(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const runA = await startRun(requests[0]!);
      setStarted({ a: runA, b: null });
      if (requests[1]) setStarted({ a: runA, b: await startRun(requests[1]) });
    } catch (error) {
      setSubmitError(error);
    } finally {
      setBusy(false);
    }
  };

  const problemText = (key: string) => {
    const problem = problems[key];
    return problem ? t(problem.key, problem.params) : null;
  };

  return (
    <div className="lab">
      <section className="panel" aria-labelledby="lab-title">
        <h1 id="lab-title">{t("lab.title")}</h1>
        <p className="muted">{t("lab.intro")}</p>
        <form onSubmit={submit} noValidate data-testid="lab-form">
          <div className="lab-form-grid">
            <RunFieldset
              label="A"
              legend={t("lab.runA")}
              form={a}
              catalog={catalog}
              onScenario={(name) => choose("A", name)}
              onValue={(name, value) => setA({ ...a, values: { ...a.values, [name]: value } })}
              problemText={problemText}
            />
            <div>
              <label className="inline lab-compare">
                <input
                  type="checkbox"
                  name="compare"
                  checked={compare}
                  onChange={(event) => setCompare(event.target.checked)}
                />
                {t("lab.compare")}
              </label>
              {compare && b !== null ? (
                <RunFieldset
                  label="B"
                  legend={t("lab.runB")}
                  form={b}
                  catalog={catalog}
                  onScenario={(name) => choose("B", name)}
                  onValue={(name, value) => setB({ ...b, values: { ...b.values, [name]: value } })}
                  problemText={problemText}
                />
              ) : (
                <p className="muted small">{t("lab.compareHelp")}</p>
              )}
            </div>
          </div>
          <div className="lab-run-row">
            <label>
              {t("lab.days")}
              <input
                name="days"
                inputMode="numeric"
                value={daysText}
                onChange={(event) => setDaysText(event.target.value)}
                aria-invalid={problems.days !== undefined}
                aria-describedby="lab-days-help lab-days-error"
              />
              <span id="lab-days-help" className="muted">
                {t("lab.daysHelp", { max: decimal(catalog.limits.daysMax, locale) })}
              </span>
              <FieldError id="lab-days-error" message={problemText("days")} />
            </label>
            <label>
              {t("lab.seed")}
              <input
                name="seed"
                inputMode="numeric"
                value={seedText}
                placeholder={t("lab.seedPlaceholder")}
                onChange={(event) => setSeedText(event.target.value)}
                aria-invalid={problems.seed !== undefined}
                aria-describedby="lab-seed-help lab-seed-error"
              />
              <span id="lab-seed-help" className="muted">
                {t("lab.seedHelp")}
              </span>
              <FieldError id="lab-seed-error" message={problemText("seed")} />
            </label>
            <label>
              {t("lab.runs")}
              <input
                name="runs"
                inputMode="numeric"
                value={runsText}
                placeholder={t("lab.runsPlaceholder")}
                onChange={(event) => setRunsText(event.target.value)}
                aria-invalid={problems.runs !== undefined}
                aria-describedby="lab-runs-help lab-runs-error"
              />
              <span id="lab-runs-help" className="muted">
                {t("lab.runsHelp", {
                  max: decimal(catalog.limits.runsMax, locale),
                  total: decimal(catalog.limits.runsDaysTotalMax, locale),
                })}
              </span>
              <FieldError id="lab-runs-error" message={problemText("runs")} />
            </label>
            {user ? (
              <button type="submit" className="lab-run" disabled={busy}>
                {compare ? t("lab.runBoth") : t("lab.run")}
              </button>
            ) : null}
          </div>
          <FieldError message={submitError ? describeError(submitError, i18n) : null} />
          <p className="muted small" data-testid="lab-limits">
            {t("lab.limits", {
              days: decimal(catalog.limits.daysMax, locale),
              atOnce: decimal(catalog.limits.runsAtOnce, locale),
              perCaller: decimal(catalog.limits.runsPerCallerMax, locale),
              seconds: decimal(Math.round(catalog.limits.runTimeoutMs / 1000), locale),
            })}
          </p>
        </form>
        {user === null ? <SignIn reason={t("lab.signInToRun")} /> : null}
        {started ? (
          <div className="lab-progress" role="status" aria-live="polite" data-testid="lab-progress">
            <RunProgress label="A" followed={followA} />
            {started.b ? <RunProgress label="B" followed={followB} /> : null}
          </div>
        ) : null}
      </section>
      {finished.length === expected && expected > 0 ? (
        <Suspense fallback={<Loading error={null} />}>
          <LabResults key={finished.map((f) => f.run.id).join("+")} runs={finished} parameters={catalog.parameters} />
        </Suspense>
      ) : null}
    </div>
  );
}

function RunFieldset({
  label,
  legend,
  form,
  catalog,
  onScenario,
  onValue,
  problemText,
}: {
  label: "A" | "B";
  legend: string;
  form: RunForm;
  catalog: LabCatalog;
  onScenario: (name: string) => void;
  onValue: (name: LabParameterName, value: FieldText) => void;
  problemText: (key: string) => string | null;
}) {
  const { t, has, locale } = useI18n();
  const scenario = catalog.scenarios.find((s) => s.name === form.scenario)!;
  const descriptionKey = `lab.scenarios.${scenario.name}.description`;
  const id = (name: string) => `lab-${label}-${name}`;
  return (
    <fieldset className="lab-run-fieldset" data-testid={`lab-run-${label}`}>
      <legend>{legend}</legend>
      <label>
        {t("lab.scenario")}
        <select
          name={`scenario-${label}`}
          value={form.scenario}
          onChange={(event) => onScenario(event.target.value)}
          aria-describedby={id("description")}
        >
          {catalog.scenarios.map((s) => (
            <option key={s.name} value={s.name}>
              {has(`lab.scenarios.${s.name}.title`) ? t(`lab.scenarios.${s.name}.title`) : s.title}
            </option>
          ))}
        </select>
      </label>
      <p id={id("description")} className="muted small">
        {has(descriptionKey) ? t(descriptionKey) : scenario.description}{" "}
        {t("lab.scenarioFacts", {
          start: calendarDate(scenario.start, locale),
          days: scenario.days,
          seed: scenario.seed,
        })}
      </p>
      <div className="lab-parameters">
        {catalog.parameters.map((info) => (
          <ParameterField
            key={info.name}
            info={info}
            idPrefix={id(info.name)}
            value={form.values[info.name]}
            note={scenario.parameters[info.name].note}
            problem={problemText(`${label}.${info.name}`)}
            onChange={(value) => onValue(info.name, value)}
          />
        ))}
      </div>
    </fieldset>
  );
}

function ParameterField({
  info,
  idPrefix,
  value,
  note,
  problem,
  onChange,
}: {
  info: LabParameterInfo;
  idPrefix: string;
  value: FieldText;
  note: string | null;
  problem: string | null;
  onChange: (value: FieldText) => void;
}) {
  const { t } = useI18n();
  const help = `${idPrefix}-help`;
  const error = `${idPrefix}-error`;
  if (info.kind === "boolean") {
    return (
      <div className="lab-parameter">
        <label className="inline">
          <input
            type="checkbox"
            name={info.name}
            checked={value === true}
            onChange={(event) => onChange(event.target.checked)}
            aria-describedby={help}
          />
          {t(`lab.parameters.${info.name}.label`)}
        </label>
        <span id={help} className="muted small">
          {t(`lab.parameters.${info.name}.help`)}
        </span>
      </div>
    );
  }
  return (
    <div className="lab-parameter">
      <label>
        {t(`lab.parameters.${info.name}.label`)}
        <input
          name={info.name}
          inputMode={info.kind === "number" ? "text" : "decimal"}
          value={String(value)}
          placeholder={info.nullable ? t("lab.off") : ""}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={problem !== null}
          aria-describedby={`${help} ${error}`}
        />
      </label>
      <span id={help} className="muted small" title={note ?? undefined}>
        {t(`lab.parameters.${info.name}.help`)}
      </span>
      <FieldError id={error} message={problem} />
    </div>
  );
}

function RunProgress({ label, followed }: { label: "A" | "B"; followed: FollowedRun }) {
  const i18n = useI18n();
  const { t, has } = i18n;
  const run = followed.run;
  if (run === null) return null;
  const { doneDays, days } = run.progress;
  let text: string;
  if (run.status === "queued") text = t("lab.status.queued", { ahead: run.queuePosition ?? 0 });
  else if (run.status === "running") text = t("lab.status.running", { done: doneDays, days });
  else if (run.status === "done") text = t("lab.status.done", { days: run.days });
  else {
    const error = run.error;
    text = t("lab.status.failed", {
      reason: error ? describeError(new ApiError(0, error.code, error.message, error.details), i18n) : "",
    });
  }
  return (
    <div
      className={`lab-progress-row lab-${run.status}`}
      data-run={label}
      data-run-id={run.id}
      data-status={run.status}
    >
      <span className="strong">
        {label}: {scenarioShortName(run.scenario, t, has)}
      </span>
      <progress
        max={days}
        value={run.status === "done" ? days : doneDays}
        aria-label={t("lab.progressLabel", { label })}
      />
      <span>{text}</span>
      {followed.error ? <span className="field-error">{describeError(followed.error, i18n)}</span> : null}
    </div>
  );
}
