/**
 * What the regulator's routes share: the delivery region of an instrument, and an instrument's safeguards with the
 * limits in force and its phase, as the safeguards views and the answer to a change show them.
 */

import { Type } from "typebox";
import type { RouteContext } from "../../context.ts";
import { CHANGE, Nullable, PHASE, Strict } from "../../wire/base.ts";
import { SAFEGUARDS } from "../../wire/console.ts";
import { LIMITS_IN_FORCE } from "../../wire/market.ts";
import { instrumentView } from "../console.ts";

export function regionOf(context: RouteContext, instrument: string): string {
  const projections = context.exchange.projections;
  return (
    projections.controls.instrument(instrument)?.description?.region ??
    projections.instruments.get(instrument)?.region ??
    "unknown"
  );
}

export const SAFEGUARDS_VIEW = Strict({
  instrument: Type.String(),
  region: Type.String(),
  phase: PHASE,
  phaseChanged: Nullable(CHANGE),
  safeguards: SAFEGUARDS,
  changed: Nullable(CHANGE),
  limits: LIMITS_IN_FORCE,
});

export function safeguardsView(context: RouteContext, instrument: string) {
  const view = instrumentView(context, instrument);
  return {
    instrument,
    region: regionOf(context, instrument),
    phase: view.phase,
    phaseChanged: view.phaseChanged,
    safeguards: view.safeguards,
    changed: view.safeguardsChanged,
    limits: view.limits,
  };
}
