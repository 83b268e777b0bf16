/**
 * The regulator's surveillance desk inside the engine: the surveillance configuration in force and the cases the
 * regulator works on. Both are journaled commands so that they are durable, replayable and in the audit trail; the
 * detectors themselves run outside the engine (src/surveillance), over the events this and every other concern emit.
 *
 * Configuration. `surveillance.configure` names the fields to change (any subset of the sections of
 * src/domain/surveillance-config.ts) with a reason; it is checked in full against the bounds and yields
 * `surveillance.configured` with the whole configuration now in force. A change that changes nothing is refused
 * (`SURVEILLANCE_CONFIG_UNCHANGED`), so every event marks a real change.
 *
 * Cases. An alert (named by the id the surveillance read side gives it: the engine does not see alerts and cannot
 * check that one stands; the gateway does before it sends the command) opens a case or joins an open one. A case moves
 * open → under review → closed with an outcome (no action, warning, referred to the competition agency); notes may be
 * added until it is closed. Every step carries its why (a reason, or the note itself); who and when are the journal
 * record's. State machine, checked before anything changes:
 *
 *   (none) --case.open--> open --case.review--> under-review --case.close--> closed (forgotten here)
 *   open | under-review: case.join (another alert), case.note
 *
 * An alert is in at most one case that is not closed. A closed case is forgotten by the engine (the read side keeps
 * it), so an alert of a closed case may open a new one: the matter is taken up again.
 *
 * Bounds: `CASES_OPEN_MAX` cases not closed, `CASE_ALERTS_MAX` alerts per case; the state is the cases not closed.
 * Complexity: O(1) per command (O(alerts of the case) when one closes).
 */

import { type Problem, problem } from "../domain/errors.ts";
import { CASE_NOTE_LENGTH_MAX, REASON_LENGTH_MAX } from "../domain/limits.ts";
import { ConfigError, parseConfig, type SurveillanceConfig } from "../domain/surveillance-config.ts";

/** Cases open or under review at once. */
export const CASES_OPEN_MAX = 10_000;
/** Alerts one case may hold. */
export const CASE_ALERTS_MAX = 1000;
/** Longest alert id (the read side's ids are 16 hex digits). */
export const ALERT_ID_LENGTH_MAX = 64;
/** Longest note on a case (in domain/limits.ts, which the web's forms read too). */
export { CASE_NOTE_LENGTH_MAX };

export const CASE_OUTCOMES = ["no-action", "warning", "referred"] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];
export type CaseStatus = "open" | "under-review";

export interface SurveillanceConfigureCommand {
  readonly type: "surveillance.configure";
  /** Sections and fields to change, in the configuration's shape; the rest stays. */
  readonly changes: unknown;
  readonly reason: string;
}

export interface CaseOpenCommand {
  readonly type: "case.open";
  readonly alert: string;
  readonly reason: string;
}

export interface CaseJoinCommand {
  readonly type: "case.join";
  readonly caseId: string;
  readonly alert: string;
  readonly reason: string;
}

export interface CaseReviewCommand {
  readonly type: "case.review";
  readonly caseId: string;
  readonly reason: string;
}

export interface CaseCloseCommand {
  readonly type: "case.close";
  readonly caseId: string;
  readonly outcome: CaseOutcome;
  readonly reason: string;
}

export interface CaseNoteCommand {
  readonly type: "case.note";
  readonly caseId: string;
  readonly note: string;
}

export type SurveillanceCommand =
  | SurveillanceConfigureCommand
  | CaseOpenCommand
  | CaseJoinCommand
  | CaseReviewCommand
  | CaseCloseCommand
  | CaseNoteCommand;

export const SURVEILLANCE_COMMAND_TYPES = [
  "surveillance.configure",
  "case.open",
  "case.join",
  "case.review",
  "case.close",
  "case.note",
] as const;

export interface SurveillanceConfiguredEvent {
  readonly type: "surveillance.configured";
  /** The whole configuration in force from now on. */
  readonly config: SurveillanceConfig;
  /** What the command asked to change. */
  readonly changes: unknown;
  readonly reason: string;
}

export type CaseEvent =
  | { readonly type: "case.opened"; readonly caseId: string; readonly alert: string; readonly reason: string }
  | { readonly type: "case.joined"; readonly caseId: string; readonly alert: string; readonly reason: string }
  | { readonly type: "case.reviewing"; readonly caseId: string; readonly reason: string }
  | {
      readonly type: "case.closed";
      readonly caseId: string;
      readonly outcome: CaseOutcome;
      readonly alerts: readonly string[];
      readonly reason: string;
    }
  | { readonly type: "case.noted"; readonly caseId: string; readonly note: string };

export interface SurveillanceSnapshot {
  /** Null while the defaults are in force. */
  readonly config: SurveillanceConfig | null;
  /** Cases opened so far (the next case is `CASE-<casesOpened + 1>`). */
  readonly casesOpened: number;
  /** Cases not closed, by id. */
  readonly cases: readonly { readonly id: string; readonly status: CaseStatus; readonly alerts: readonly string[] }[];
}

interface Case {
  status: CaseStatus;
  readonly alerts: string[];
}

/** Where the desk's events go (the engine's list of events; typed here so this file need not import events.ts). */
type Out = { push(event: SurveillanceConfiguredEvent | CaseEvent): void };

export class SurveillanceDesk {
  private config: SurveillanceConfig | null = null;
  private casesOpened = 0;
  private readonly cases = new Map<string, Case>();
  /** Alert → the case (not closed) it is in. */
  private readonly alertCase = new Map<string, string>();

  constructor(snapshot?: SurveillanceSnapshot) {
    if (snapshot === undefined) return;
    this.config = snapshot.config;
    this.casesOpened = snapshot.casesOpened;
    for (const saved of snapshot.cases) {
      this.cases.set(saved.id, { status: saved.status, alerts: [...saved.alerts] });
      for (const alert of saved.alerts) this.alertCase.set(alert, saved.id);
    }
  }

  /** Whether the desk holds nothing (the snapshot then leaves it out, so older states hash the same). */
  get empty(): boolean {
    return this.config === null && this.casesOpened === 0;
  }

  apply(command: SurveillanceCommand, out: Out): Problem | null {
    switch (command.type) {
      case "surveillance.configure":
        return this.configure(command, out);
      case "case.open":
        return this.open(command, out);
      case "case.join":
        return this.join(command, out);
      case "case.review":
        return this.review(command, out);
      case "case.close":
        return this.close(command, out);
      case "case.note":
        return this.note(command, out);
    }
  }

  private configure(command: SurveillanceConfigureCommand, out: Out): Problem | null {
    const reason = checkReason(command.reason);
    if (reason) return reason;
    const changes = command.changes;
    if (
      typeof changes !== "object" ||
      changes === null ||
      Array.isArray(changes) ||
      Object.keys(changes).length === 0
    ) {
      return problem("SURVEILLANCE_CONFIG_INVALID", { reason: "name at least one section's fields to change" });
    }
    let config: SurveillanceConfig;
    try {
      config = parseConfig(changes, this.config ?? undefined);
    } catch (error) {
      if (error instanceof ConfigError) return problem("SURVEILLANCE_CONFIG_INVALID", { reason: error.message });
      throw error;
    }
    const before = this.config ?? parseConfig({});
    if (JSON.stringify(before) === JSON.stringify(config)) return problem("SURVEILLANCE_CONFIG_UNCHANGED");
    this.config = config;
    out.push({ type: "surveillance.configured", config, changes, reason: command.reason });
    return null;
  }

  private open(command: CaseOpenCommand, out: Out): Problem | null {
    const refusal = checkAlert(command.alert) ?? checkReason(command.reason) ?? this.checkFree(command.alert);
    if (refusal) return refusal;
    if (this.cases.size >= CASES_OPEN_MAX) {
      return problem("CASES_LIMIT", { count: this.cases.size, max: CASES_OPEN_MAX });
    }
    this.casesOpened++;
    const caseId = `CASE-${this.casesOpened}`;
    this.cases.set(caseId, { status: "open", alerts: [command.alert] });
    this.alertCase.set(command.alert, caseId);
    out.push({ type: "case.opened", caseId, alert: command.alert, reason: command.reason });
    return null;
  }

  private join(command: CaseJoinCommand, out: Out): Problem | null {
    const found = this.find(command.caseId, "take more alerts");
    if ("code" in found) return found;
    const refusal = checkAlert(command.alert) ?? checkReason(command.reason) ?? this.checkFree(command.alert);
    if (refusal) return refusal;
    if (found.alerts.length >= CASE_ALERTS_MAX) {
      return problem("CASE_ALERTS_LIMIT", { caseId: command.caseId, max: CASE_ALERTS_MAX });
    }
    found.alerts.push(command.alert);
    this.alertCase.set(command.alert, command.caseId);
    out.push({ type: "case.joined", caseId: command.caseId, alert: command.alert, reason: command.reason });
    return null;
  }

  private review(command: CaseReviewCommand, out: Out): Problem | null {
    const found = this.find(command.caseId, "be taken under review");
    if ("code" in found) return found;
    const reason = checkReason(command.reason);
    if (reason) return reason;
    if (found.status !== "open") {
      return problem("CASE_TRANSITION_INVALID", {
        caseId: command.caseId,
        status: found.status,
        action: "be taken under review",
      });
    }
    found.status = "under-review";
    out.push({ type: "case.reviewing", caseId: command.caseId, reason: command.reason });
    return null;
  }

  private close(command: CaseCloseCommand, out: Out): Problem | null {
    const found = this.find(command.caseId, "be closed again");
    if ("code" in found) return found;
    if (!(CASE_OUTCOMES as readonly unknown[]).includes(command.outcome)) {
      return problem("CASE_OUTCOME_INVALID", { value: show(command.outcome), allowed: CASE_OUTCOMES.join(", ") });
    }
    const reason = checkReason(command.reason);
    if (reason) return reason;
    if (found.status !== "under-review") {
      return problem("CASE_TRANSITION_INVALID", {
        caseId: command.caseId,
        status: found.status,
        action: "be closed before it is reviewed",
      });
    }
    this.cases.delete(command.caseId);
    for (const alert of found.alerts) this.alertCase.delete(alert);
    out.push({
      type: "case.closed",
      caseId: command.caseId,
      outcome: command.outcome,
      alerts: found.alerts,
      reason: command.reason,
    });
    return null;
  }

  private note(command: CaseNoteCommand, out: Out): Problem | null {
    const found = this.find(command.caseId, "take notes");
    if ("code" in found) return found;
    const note = command.note;
    if (typeof note !== "string" || note.trim() === "" || note.length > CASE_NOTE_LENGTH_MAX) {
      return problem("CASE_NOTE_INVALID", {
        value: show(note),
        rule: `a note is 1 to ${CASE_NOTE_LENGTH_MAX} characters`,
      });
    }
    out.push({ type: "case.noted", caseId: command.caseId, note });
    return null;
  }

  /**
   * A case that is open or under review. Case ids are `CASE-1` ... `CASE-<casesOpened>`, so one of those that is not
   * kept here was closed: refused as a transition a closed case cannot make, without keeping closed cases.
   */
  private find(caseId: unknown, action: string): Case | Problem {
    const found = typeof caseId === "string" ? this.cases.get(caseId) : undefined;
    if (found !== undefined) return found;
    const number = typeof caseId === "string" ? /^CASE-([1-9][0-9]{0,15})$/.exec(caseId) : null;
    if (number !== null && Number(number[1]) <= this.casesOpened) {
      return problem("CASE_TRANSITION_INVALID", { caseId: caseId as string, status: "closed", action });
    }
    return problem("CASE_NOT_FOUND", {
      id: typeof caseId === "string" ? caseId.slice(0, 80) : show(caseId),
      where: "open or under review",
    });
  }

  private checkFree(alert: string): Problem | null {
    const caseId = this.alertCase.get(alert);
    if (caseId === undefined) return null;
    return problem("CASE_ALERT_TAKEN", { alert, caseId, status: this.cases.get(caseId)!.status });
  }

  /** The configuration in force; null while the defaults are. */
  get configuration(): SurveillanceConfig | null {
    return this.config;
  }

  snapshot(): SurveillanceSnapshot {
    return {
      config: this.config,
      casesOpened: this.casesOpened,
      cases: [...this.cases]
        .map(([id, c]) => ({ id, status: c.status, alerts: [...c.alerts] }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    };
  }
}

function checkAlert(alert: unknown): Problem | null {
  if (typeof alert === "string" && /^[\x21-\x7e]{1,64}$/.test(alert)) return null;
  return problem("ALERT_INVALID", {
    value: show(alert),
    rule: `an alert id is 1 to ${ALERT_ID_LENGTH_MAX} printable ASCII characters without spaces`,
  });
}

function checkReason(reason: unknown): Problem | null {
  if (typeof reason !== "string" || reason.trim() === "" || reason.length > REASON_LENGTH_MAX) {
    return problem("FIELD_INVALID", {
      field: "reason",
      value: show(reason),
      rule: `every such change needs a reason of 1 to ${REASON_LENGTH_MAX} characters`,
    });
  }
  return null;
}

function show(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = typeof value === "string" ? `'${value}'` : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
