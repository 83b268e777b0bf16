/**
 * What the read models consume: one durable outcome per sequenced command, in seq order. The shape is the journal
 * sequencer's `Outcome` (live) and what a journal record holds as JSON text (startup), restated here because
 * projections may not import the journal (DESIGN.md, "Modules"); the journal's types are assignable to these.
 *
 * Promise: `outcomeOfRecord` either returns an outcome whose seq, time and events have the right shape or throws a
 * `ProjectionInputError` naming the record; it never lets a damaged record into a view half-read.
 *
 * Complexity: `outcomeOfRecord` is O(record size) (three JSON parses); `rejectionOf` O(events).
 */

import type { Command } from "../engine/commands.ts";
import type { EngineEvent, RejectedEvent } from "../engine/events.ts";

/** Who sent a command and from where (the journal's `CommandMeta`); empty for the system itself. */
export interface OutcomeMeta {
  readonly actor?: string;
  readonly role?: string;
  readonly source?: string;
  readonly requestId?: string;
}

export interface ProjectionOutcome {
  readonly seq: number;
  /** The sequencer's time for the command, ms since epoch (UTC): the only clock the read models know. */
  readonly timeMs: number;
  readonly command: Command;
  readonly meta: OutcomeMeta;
  readonly events: readonly EngineEvent[];
}

/** A journal record as stored: meta, command and events are JSON text. */
export interface ProjectionRecord {
  readonly seq: number;
  readonly timeMs: number;
  readonly meta: string;
  readonly command: string;
  readonly events: string;
}

export class ProjectionInputError extends Error {
  override name = "ProjectionInputError";
}

/** The `rejected` event of an outcome, if the command was refused (at most one, and it comes last). */
export function rejectionOf(outcome: ProjectionOutcome): RejectedEvent | null {
  const events = outcome.events;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.type === "rejected") return event;
  }
  return null;
}

const META_FIELDS = ["actor", "role", "source", "requestId"] as const;

/** Parses a journal record into an outcome. */
export function outcomeOfRecord(record: ProjectionRecord): ProjectionOutcome {
  const where = `journal record ${String(record.seq)}`;
  if (!Number.isSafeInteger(record.seq) || record.seq < 1) throw new ProjectionInputError(`${where}: seq is not valid`);
  if (!Number.isSafeInteger(record.timeMs)) throw new ProjectionInputError(`${where}: timeMs is not valid`);
  const command = parse(record.command, where, "command");
  const events = parse(record.events, where, "events");
  const metaValue = parse(record.meta, where, "meta");
  if (!Array.isArray(events) || !events.every((e) => typeof e === "object" && e !== null && "type" in e)) {
    throw new ProjectionInputError(`${where}: events are not a list of events`);
  }
  const meta: Record<string, string> = {};
  if (typeof metaValue === "object" && metaValue !== null) {
    for (const field of META_FIELDS) {
      const value = (metaValue as Record<string, unknown>)[field];
      if (typeof value === "string") meta[field] = value;
    }
  }
  return {
    seq: record.seq,
    timeMs: record.timeMs,
    // The engine validated (and, if malformed, rejected) the command; views read its fields defensively.
    command: command as Command,
    meta: meta as OutcomeMeta,
    events: events as EngineEvent[],
  };
}

function parse(text: string, where: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ProjectionInputError(`${where}: ${field} is not JSON`);
  }
}
