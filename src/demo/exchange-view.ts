/**
 * What the demo's driver and agent host read of the market as a whole, from the public API (`GET /api/instruments`):
 * each instrument's basis and region, trading mode and phase, the band reference its prices are centred on, and when
 * the calendar next changes its phase; and, for an auction in order collection, which session it is
 * (`GET /api/instruments/:id/sessions?limit=1`). Replies are checked field by field (api-client.ts).
 *
 * The view is refreshed when asked, and only then: the host asks before each agent's step (an agent of the continuous
 * desk steps only while one of its instruments trades continuously), the driver at most every `LOOK_EVERY_MS` for new
 * auction collections.
 */

import type { PhaseName } from "../simulator/port.ts";
import { type ApiClient, ApiError, array, integer, integerOrNull, object, segment, text } from "./api-client.ts";

/** The driver looks for a new auction collection at most this often (the server moves phases once a second). */
export const LOOK_EVERY_MS = 1000;

const PHASES: readonly PhaseName[] = ["closed", "collection", "uncross", "continuous", "halted"];

export interface InstrumentState {
  readonly instrument: string;
  readonly basis: string;
  readonly region: string;
  readonly mode: "continuous" | "call";
  readonly phase: PhaseName;
  readonly bandReferenceTiynPerTonne: number | null;
  /** When the calendar next changes the phase (ms since epoch), or null without a calendar. */
  readonly nextChangeMs: number | null;
}

export class ExchangeView {
  private states: InstrumentState[] = [];
  private readonly byId = new Map<string, InstrumentState>();

  constructor(private readonly client: ApiClient) {}

  /** Reads every instrument's state now. */
  async refresh(): Promise<void> {
    const body = object(await this.client.expect("GET", "/api/instruments"), "instruments reply");
    this.states = array(body.instruments, "instruments").map(parseState);
    this.byId.clear();
    for (const state of this.states) this.byId.set(state.instrument, state);
  }

  /** The instruments as last read, in the exchange's order. */
  all(): readonly InstrumentState[] {
    return this.states;
  }

  get(instrument: string): InstrumentState | null {
    return this.byId.get(instrument) ?? null;
  }

  /** The instrument of a basis delivering to a region, or null when none is listed. */
  instrumentOf(basis: string, region: string): string | null {
    return this.states.find((s) => s.basis === basis && s.region === region)?.instrument ?? null;
  }

  /** The number of the instrument's running session, or null while it is closed. */
  async currentSession(instrument: string): Promise<number | null> {
    const body = object(
      await this.client.expect("GET", `/api/instruments/${segment(instrument)}/sessions?limit=1`),
      "sessions reply",
    );
    if (body.current === null || body.current === undefined) return null;
    return integer(object(body.current, "sessions.current").session, "sessions.current.session");
  }
}

function parseState(value: unknown): InstrumentState {
  const item = object(value, "instrument");
  const instrument = text(item.instrument, "instrument.instrument");
  const at = (field: string) => `instrument ${instrument}: ${field}`;
  const info = object(item.info, at("info"));
  const mode = text(item.mode, at("mode"));
  if (mode !== "continuous" && mode !== "call") throw new ApiError(`${at("mode")} '${mode}' is unknown`);
  const phase = text(item.phase, at("phase")) as PhaseName;
  if (!PHASES.includes(phase)) throw new ApiError(`${at("phase")} '${phase}' is unknown`);
  const limits = item.limits === null ? null : object(item.limits, at("limits"));
  const next = item.nextPhase === null || item.nextPhase === undefined ? null : object(item.nextPhase, at("nextPhase"));
  return {
    instrument,
    basis: text(info.basis, at("info.basis")),
    region: text(info.region, at("info.region")),
    mode,
    phase,
    bandReferenceTiynPerTonne:
      limits === null ? null : integerOrNull(limits.bandReferenceTiynPerTonne, at("limits.bandReferenceTiynPerTonne")),
    nextChangeMs: next === null ? null : integer(next.atMs, at("nextPhase.atMs")),
  };
}
