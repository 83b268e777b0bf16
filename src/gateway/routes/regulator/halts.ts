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
        const refused = scopeProblem(type, scope, region, instrument);
        if (refused !== null) throw new HttpProblem("HALT_SCOPE_INVALID", { reason: refused });
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

/**
 * Why a halt's or resumption's scope does not match the fields sent with it (null when it does), for the scope the
 * caller chose: the market names neither a region nor an instrument, a region's names its region only, an instrument's
 * its instrument only. Phrases of the catalogue (src/domain/phrases.ts).
 */
function scopeProblem(
  type: "halt" | "resume",
  scope: (typeof SCOPES)[number],
  region: string | undefined,
  instrument: string | undefined,
): string | null {
  const what = type === "halt" ? "halt" : "resumption";
  if (scope === "market") {
    return region === undefined && instrument === undefined
      ? null
      : `the market's ${what} names no region or instrument`;
  }
  if (scope === "region") {
    if (region === undefined) return `a region's ${what} needs the region (region)`;
    return instrument === undefined ? null : `a region's ${what} names no instrument`;
  }
  if (instrument === undefined) return `an instrument's ${what} needs the instrument (instrument)`;
  return region === undefined ? null : `an instrument's ${what} names no region`;
}
