/**
 * Emergency halts and orderly resumption under /api/regulator/halt and /resume: the market, a delivery region or an
 * instrument, each with a reason. A resumption runs a resumption auction before continuous trading.
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import type { HaltCommand } from "../../../engine/commands.ts";
import type { RouteContext } from "../../context.ts";
import { HttpProblem } from "../../errors.ts";
import { Enum, PHASE, SEQ, Strict } from "../../wire/base.ts";
import { ID, REASON } from "../common.ts";
import { REGULATOR_CHANGE, requireConsoleChange, submitChecked } from "../console.ts";

const tags = ["regulator"];
const SCOPES = ["market", "region", "instrument"] as const;

/** A halt's or a resumption's fields; `examples` say why. */
function haltFields(examples: readonly object[]) {
  return Type.Object(
    {
      scope: Type.Enum(SCOPES),
      region: Type.Optional(ID),
      instrument: Type.Optional(ID),
      reason: REASON,
    },
    { additionalProperties: false, examples },
  );
}

const HALT = haltFields([
  { scope: "region", region: "MANGYSTAU", reason: "price up 40% in one session; market review" },
  { scope: "market", reason: "technical incident at the exchange" },
]);

/** The same fields as a halt; its examples say why trading resumes. */
const RESUME = haltFields([
  { scope: "region", region: "MANGYSTAU", reason: "market review done; prices back within the band" },
  { scope: "market", reason: "technical incident resolved" },
]);

const HALTED = Strict({
  seq: SEQ,
  scope: Enum(SCOPES),
  changed: Type.Array(Strict({ instrument: Type.String(), from: PHASE, to: PHASE })),
});

export function regulatorHaltRoutes(api: FastifyInstance, context: RouteContext): void {
  for (const type of ["halt", "resume"] as const) {
    api.post<{ Body: Static<typeof HALT> }>(
      `/regulator/${type}`,
      {
        schema: {
          operationId: type === "halt" ? "haltTrading" : "resumeTrading",
          tags,
          summary:
            type === "halt"
              ? "Emergency halt of the market, a delivery region or an instrument, with a reason"
              : "Resume halted trading through a resumption auction: the market, a region or an instrument, with a reason",
          body: type === "halt" ? HALT : RESUME,
          response: { 200: HALTED },
        },
        config: {
          ...REGULATOR_CHANGE,
          errors: ["HALT_SCOPE_INVALID", "INSTRUMENT_NOT_FOUND", "NOTHING_TO_RESUME", "PHASE_TRANSITION_INVALID"],
        },
      },
      async (request) => {
        requireConsoleChange(request, "regulator", type === "halt" ? "halt trading" : "resume trading");
        const { scope, region, instrument, reason } = request.body;
        if ((scope === "region") !== (region !== undefined)) {
          throw new HttpProblem("HALT_SCOPE_INVALID", { reason: "a region's halt names the region, and only it" });
        }
        if ((scope === "instrument") !== (instrument !== undefined)) {
          throw new HttpProblem("HALT_SCOPE_INVALID", {
            reason: "an instrument's halt names the instrument, and only it",
          });
        }
        const command: HaltCommand = {
          type,
          scope,
          ...(region === undefined ? {} : { region }),
          ...(instrument === undefined ? {} : { instrument }),
          reason,
        };
        const outcome = await submitChecked(context, request, command);
        // The phase changes this command made (they carry its reason), not those time brought before it.
        const changed = outcome.events.flatMap((event) =>
          event.type === "phase.changed" && event.reason === reason
            ? [{ instrument: event.instrument, from: event.from, to: event.to }]
            : [],
        );
        return { seq: outcome.seq, scope, changed };
      },
    );
  }
}
