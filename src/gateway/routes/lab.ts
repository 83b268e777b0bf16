/**
 * The policy lab over HTTP, under /api/lab: the scenarios with their documented parameters, and simulation runs that
 * a browser starts, watches and reads (the Policy lab page). A run is the same simulation `sauda simulate` makes
 * (src/simulator, the real engine against market agents), on a worker thread so the exchange's event loop never
 * waits for it; its id is a hash of the simulation it stands for, so asking twice for the same one costs nothing.
 *
 * Who may do what. The scenarios are public policy analysis: anyone may list them. Running a simulation takes a core
 * of the exchange's machine for up to seconds, so it needs a signed-in user of any role (a session with its CSRF
 * token, or an API key with the `read` scope: a run changes nothing on the exchange); reading a run needs the same.
 *
 * Limits (named constants in lab/catalog.ts and lab/runs.ts, published by GET /api/lab/scenarios): days per run,
 * uncertainty runs per request and their days in all, runs at once, the queue, runs per caller, a run's time, and the finished results kept in memory (least recently
 * read dropped first).
 */

import type { FastifyInstance } from "fastify";
import { type TSchema, Type } from "typebox";
import { checkCsrf, requireScope, requireUser } from "../auth.ts";
import type { RouteContext } from "../context.ts";
import { HttpProblem } from "../errors.ts";
import {
  LAB_DAYS_MAX,
  LAB_PARAMETERS,
  LAB_RUNS_DAYS_TOTAL_MAX,
  LAB_RUNS_MAX,
  LAB_SEED_MAX,
  LabCatalog,
  type LabParameter,
  RUN_ID_HEX_DIGITS,
  type RunRequest,
} from "../lab/catalog.ts";
import { LabRuns } from "../lab/runs.ts";
import { LAB_RUN, LAB_RUN_VIEW, LAB_SCENARIOS } from "../wire/lab.ts";

const strict = { additionalProperties: false } as const;
const tags = ["policy lab"];

function parameterSchema(parameter: LabParameter): TSchema {
  const description = `${parameter.description}${parameter.unit === "" ? "" : ` (${parameter.unit})`}`;
  const range = {
    ...(parameter.minimum === null ? {} : { minimum: parameter.minimum }),
    ...(parameter.maximum === null ? {} : { maximum: parameter.maximum }),
    description,
  };
  const base =
    parameter.kind === "boolean"
      ? Type.Boolean({ description })
      : parameter.kind === "integer"
        ? Type.Integer(range)
        : Type.Number(range);
  return parameter.nullable ? Type.Union([base, Type.Null()]) : base;
}

const OVERRIDES = Type.Object(
  Object.fromEntries(LAB_PARAMETERS.map((p) => [p.name, Type.Optional(parameterSchema(p))])),
  { ...strict, description: "Parameters to change from the scenario's values; leave one out to keep it." },
);

const RUN_BODY = Type.Object(
  {
    scenario: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: "^[a-z0-9][a-z0-9-]*$",
      description: "A scenario name from GET /api/lab/scenarios",
    }),
    days: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: LAB_DAYS_MAX,
        description: `Length of the run (default: the scenario's); with runs, at most ${LAB_RUNS_DAYS_TOTAL_MAX} divided by runs (default: the scenario's, clipped to that)`,
      }),
    ),
    seed: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: LAB_SEED_MAX,
        description: "Seed of every random draw (default: the scenario's)",
      }),
    ),
    overrides: Type.Optional(OVERRIDES),
    runs: Type.Optional(
      Type.Integer({
        minimum: 2,
        maximum: LAB_RUNS_MAX,
        description:
          "Uncertainty runs: besides the scenario's own run, this many runs each drawing every uncertain input from its range (seeded, as `sauda simulate --runs`); the result then carries `uncertainty`",
      }),
    ),
  },
  {
    ...strict,
    examples: [
      { scenario: "liberalisation-2022", days: 31 },
      { scenario: "safeguarded-2022", overrides: {} },
      { scenario: "january-2022-actual", days: 60, runs: 10 },
    ],
  },
);

const RUN_PARAMS = Type.Object(
  { id: Type.String({ pattern: `^[0-9a-f]{${RUN_ID_HEX_DIGITS}}$`, description: "Run id from POST /api/lab/runs" }) },
  strict,
);

export function labRoutes(api: FastifyInstance, _context: RouteContext): void {
  // The scenario files are read and checked once the server listens (tens of ms of CPU a start need not wait for),
  // or by the first request that needs them sooner.
  let loaded: LabCatalog | null = null;
  const catalog = (): LabCatalog => {
    if (loaded === null) {
      loaded = new LabCatalog();
      for (const problem of loaded.problems) api.log.warn({ problem }, "policy lab: a scenario file was left out");
    }
    return loaded;
  };
  api.addHook("onListen", async () => {
    setImmediate(catalog);
  });
  const runs = new LabRuns();
  api.addHook("onClose", async () => runs.close());

  const parameters = LAB_PARAMETERS.map(({ toScenario: _to, fromScenario: _from, ...described }) => described);
  const limits = {
    daysMax: LAB_DAYS_MAX,
    runsMax: LAB_RUNS_MAX,
    runsDaysTotalMax: LAB_RUNS_DAYS_TOTAL_MAX,
    runsAtOnce: runs.runsAtOnce,
    queueMax: runs.queueMax,
    runsPerCallerMax: runs.perCallerMax,
    runTimeoutMs: runs.timeoutMs,
    resultsKeptMax: runs.keptMax,
    resultsBytesMax: runs.bytesMax,
  };

  api.get(
    "/lab/scenarios",
    {
      schema: {
        operationId: "labScenarios",
        tags,
        summary:
          "The policy lab's scenarios, the parameters a run may change (with each scenario's values), the limits",
        response: { 200: LAB_SCENARIOS },
      },
      config: { access: "public" },
    },
    async () => ({ limits, parameters, scenarios: catalog().scenarios() }),
  );

  api.post<{ Body: RunRequest }>(
    "/lab/runs",
    {
      schema: {
        operationId: "startLabRun",
        tags,
        summary: "Start a simulation run (or find the same one already started); poll GET /api/lab/runs/:id",
        body: RUN_BODY,
        response: {
          202: { ...LAB_RUN_VIEW, description: "Started (or queued)" },
          200: { ...LAB_RUN_VIEW, description: "The same run was already started: its state" },
        },
      },
      config: {
        access: "signedIn",
        errors: [
          "LAB_SCENARIO_NOT_FOUND",
          "LAB_SCENARIO_INVALID",
          "LAB_RUNS_DAYS_LIMIT",
          "LAB_BUSY",
          "LAB_RUNS_PER_CALLER_LIMIT",
        ],
      },
    },
    async (request, reply) => {
      const action = "run a policy lab simulation";
      const principal = requireUser(request.principal, action);
      requireScope(principal, "read", action);
      checkCsrf(request, principal);
      const resolved = catalog().resolve(request.body);
      const { view, created } = runs.submit(resolved, `user:${principal.user.id}`);
      return reply.code(created ? 202 : 200).send(view);
    },
  );

  api.get<{ Params: { id: string } }>(
    "/lab/runs/:id",
    {
      schema: {
        operationId: "getLabRun",
        tags,
        summary: "A run's status and progress; when done, its summary and the daily series for the charts",
        params: RUN_PARAMS,
        response: { 200: LAB_RUN },
      },
      config: { access: "signedIn", errors: ["LAB_RUN_NOT_FOUND"] },
    },
    async (request, reply) => {
      const action = "read a policy lab run";
      requireScope(requireUser(request.principal, action), "read", action);
      const view = runs.view(request.params.id);
      if (view === undefined) {
        throw new HttpProblem("LAB_RUN_NOT_FOUND", { id: request.params.id, kept: runs.keptMax });
      }
      // The result is JSON text made on the worker thread; it is spliced in rather than parsed and serialised again.
      const result = runs.resultJson(view.id) ?? "null";
      const head = JSON.stringify(view);
      return reply.type("application/json; charset=utf-8").send(`${head.slice(0, -1)},"result":${result}}`);
    },
  );
}
