/**
 * Response schemas of the policy lab under /api/lab: the scenario catalogue with the parameters a run may change and
 * the limits, and a run's state. A finished run's `result` is the simulator's result structure; its schema names the
 * top-level parts and leaves their inside open, because the simulator owns their shape (src/gateway/lab/result.ts).
 */

import { Type } from "@fastify/type-provider-typebox";
import { Enum, Nullable, Strict } from "./base.ts";

const PARAMETER_VALUE = Type.Union([Type.Number(), Type.Boolean(), Type.Null()]);

export const LAB_SCENARIOS = Strict({
  limits: Strict({
    daysMax: Type.Integer(),
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

const RUN_VIEW_FIELDS = {
  id: Type.String(),
  status: Enum(["queued", "running", "done", "failed"] as const),
  scenario: Type.String(),
  start: Type.String(),
  days: Type.Integer(),
  seed: Type.Integer(),
  parameters: Type.Record(Type.String(), PARAMETER_VALUE),
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
      },
      { description: "the finished run's result (null until done); see src/gateway/lab/result.ts" },
    ),
  ),
});
