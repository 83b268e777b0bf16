/**
 * Response schemas of the policy lab under /api/lab: the scenario catalogue with the parameters a run may change and
 * the limits, and a run's state. A finished run's `result` is the simulator's result structure; its schema names the
 * top-level parts and leaves their inside open, because the simulator owns their shape (src/gateway/lab/result.ts).
 */

import { Type } from "typebox";
import { Enum, Nullable, Strict } from "./base.ts";

const PARAMETER_VALUE = Type.Union([Type.Number(), Type.Boolean(), Type.Null()]);

export const LAB_SCENARIOS = Strict({
  limits: Strict({
    daysMax: Type.Integer(),
    runsMax: Type.Integer({ description: "most uncertainty runs in one request" }),
    runsDaysTotalMax: Type.Integer({ description: "most days of an uncertainty request's drawn runs: runs × days" }),
    runsAtOnce: Type.Integer(),
    queueMax: Type.Integer(),
    runsPerCallerMax: Type.Integer(),
    runTimeoutMs: Type.Integer(),
    resultsKeptMax: Type.Integer(),
    resultsBytesMax: Type.Integer(),
  }),
  parameters: Type.Array(
    Strict({
      name: Type.String(),
      path: Type.String(),
      kind: Enum(["integer", "number", "boolean"] as const),
      nullable: Type.Boolean(),
      minimum: Nullable(Type.Number()),
      maximum: Nullable(Type.Number()),
      unit: Type.String(),
      description: Type.String(),
    }),
  ),
  scenarios: Type.Array(
    Strict({
      name: Type.String(),
      file: Type.String(),
      title: Type.String(),
      description: Type.String(),
      seed: Type.Integer(),
      start: Type.String({ description: "YYYY-MM-DD" }),
      days: Type.Integer(),
      densityKgPerLitre: Type.Number(),
      focusRegions: Type.Array(Type.String()),
      regions: Type.Array(Strict({ id: Type.String(), name: Type.String() })),
      parameters: Type.Record(Type.String(), Strict({ value: PARAMETER_VALUE, note: Nullable(Type.String()) })),
    }),
  ),
});

const BAND = Strict({ p10: Nullable(Type.Number()), p50: Nullable(Type.Number()), p90: Nullable(Type.Number()) });

/** The spread over an uncertainty run's draws, as `sauda simulate --runs` writes uncertainty.json. */
const UNCERTAINTY = Strict(
  {
    runs: Type.Integer(),
    monthly: Type.Array(
      Strict({
        month: Type.String({ description: "YYYY-MM" }),
        region: Type.String(),
        retailTengePerLitre: BAND,
        wholesaleTengePerTonne: BAND,
        shortagePercent: BAND,
      }),
    ),
    peakRetailTengePerLitre: Type.Array(
      Strict({
        region: Type.String(),
        p10: Nullable(Type.Number()),
        p50: Nullable(Type.Number()),
        p90: Nullable(Type.Number()),
      }),
    ),
    drivers: Type.Array(Strict({ path: Type.String(), share: Type.Number() })),
  },
  {
    description:
      "with runs: P10, P50 and P90 over the drawn runs per month and region, each region's peak retail price, and the inputs ranked by the share of the focus region's January retail peak they explain",
  },
);

const RUN_VIEW_FIELDS = {
  id: Type.String(),
  status: Enum(["queued", "running", "done", "failed"] as const),
  scenario: Type.String(),
  start: Type.String(),
  days: Type.Integer(),
  seed: Type.Integer(),
  parameters: Type.Record(Type.String(), PARAMETER_VALUE),
  runs: Nullable(Type.Integer({ description: "uncertainty runs asked for; null: one deterministic run" })),
  progress: Strict({ doneDays: Type.Integer(), days: Type.Integer() }),
  queuePosition: Nullable(Type.Integer()),
  error: Nullable(
    Strict({ code: Type.String(), message: Type.String(), details: Type.Record(Type.String(), Type.Unknown()) }),
  ),
};

export const LAB_RUN_VIEW = Strict(RUN_VIEW_FIELDS);

export const LAB_RUN = Strict({
  ...RUN_VIEW_FIELDS,
  result: Nullable(
    Type.Object(
      {
        summary: Type.Record(Type.String(), Type.Unknown()),
        totals: Type.Record(Type.String(), Type.Unknown()),
        scenario: Type.Unknown(),
        regions: Type.Array(Type.Unknown()),
        dates: Type.Array(Type.String()),
        tradingDays: Type.Array(Type.Boolean()),
        regionSeries: Type.Unknown(),
        national: Type.Unknown(),
        monthly: Type.Unknown(),
        producers: Type.Unknown(),
        engine: Type.Unknown(),
        validation: Type.Array(Type.Unknown(), { description: "observations with the model's figures" }),
        constraints: Type.Array(Type.Unknown(), { description: "which constraint binds, per month and region" }),
        uncertainty: Type.Optional(UNCERTAINTY),
      },
      { description: "the finished run's result (null until done); see src/gateway/lab/result.ts" },
    ),
  ),
});
