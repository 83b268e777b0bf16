/**
 * Surveillance as a read model: the detectors run over the exchange's journal one durable record at a time, and what
 * they find is kept for the regulator — the alerts standing now (each with a stable id, a severity, and when it was
 * raised and last updated), the statistics of the sessions that ended, the configuration in force and the cases. The
 * server feeds it each record as it becomes durable and rebuilds it from the whole journal when it starts, so what it
 * holds is a function of the journal alone (the same alerts `sauda surveil --journal` prints over the same journal,
 * plus the diversions).
 *
 * Ids. An alert's id is the first 16 hex digits of the SHA-256 of its key (its rule and what the rule counts one alert
 * per), so it is the same on every run over the same journal and survives restarts; a newer version of an alert keeps
 * its id. Case ids come from the engine (`CASE-n`).
 *
 * Diversions. Beside the detectors' alerts, the engine's `diversion` events (gas arriving outside the instrument's
 * region, or at a station registered after the trade) raise `diversion` alerts here: the delivery is not part of a
 * market history, so `sauda surveil` never prints them.
 *
 * Severity. Fixed per rule (`SEVERITY_OF_RULE`): `high` for conduct that is manipulation on its face (wash trades,
 * spoofing, coordinated bidding, withholding) and for gas diverted from its region, `medium` for market power that needs a look (concentration, bids at the
 * price limit), `low` for the rulebook's limit on members' software (automated entry).
 *
 * Groups of persons. The operator's records (`member.grouped`) with their evidence, who made them and when, and each
 * member's accounts: the related parties of a group, for the regulator to see who stands behind an alert.
 *
 * Cases. Built from the engine's `case.*` events with who did each step (the journal record's actor and role), when
 * and why. A case keeps a copy of each of its alerts as last seen, so it still shows them if an alert is later
 * retracted (a coordination group merged into another) or dropped from memory.
 *
 * Bounds: at most `ALERTS_KEPT_MAX` alerts (the least recently raised or updated go first; the journal keeps
 * everything and a restart rebuilds them), `STATISTICS_SESSIONS_MAX` sessions' statistics and times, and
 * `CASES_KEPT_MAX` cases (closed ones go first, oldest first).
 *
 * Complexity: per record the adapter's and detectors' cost, plus O(1) per alert raised; queries O(alerts) with
 * filters.
 */

import type { Command } from "../engine/commands.ts";
import type { DiversionEvent } from "../engine/delivery.ts";
import { sha256HexPure } from "../engine/engine.ts";
import type { EngineEvent } from "../engine/events.ts";
import type { CaseOutcome } from "../engine/surveillance.ts";
import { type Alert, compareAlerts, type DivertedShipment, RULES, type Rule, sorted } from "./alerts.ts";
import type { SurveillanceConfig } from "./config.ts";
import { JournalAdapter, type LimitsSource } from "./journal.ts";
import type { SessionStatistics } from "./statistics.ts";
import { Surveillance } from "./surveillance.ts";

export const ALERTS_KEPT_MAX = 100_000;
export const STATISTICS_SESSIONS_MAX = 10_000;
export const CASES_KEPT_MAX = 100_000;

/** What `apply` returns for a record that changed no alert (shared, frozen). */
const NO_CHANGES: readonly AlertChange[] = Object.freeze([]);

export const SEVERITIES = ["low", "medium", "high"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_OF_RULE: Readonly<Record<Rule, Severity>> = {
  "wash-trade": "high",
  concentration: "medium",
  "coordinated-bidding": "high",
  spoofing: "high",
  "price-limit-bidding": "medium",
  "automated-entry": "low",
  withholding: "high",
  diversion: "high",
};

export interface StoredAlert extends Alert {
  readonly id: string;
  readonly severity: Severity;
  /** The journal record that first raised it, and the one that raised its current version. */
  readonly raisedSeq: number;
  readonly raisedMs: number;
  readonly updatedSeq: number;
  readonly updatedMs: number;
  /** 1 for the first version, +1 for each newer one. */
  readonly version: number;
  /** The case (not closed) the alert is in; null when none. */
  readonly caseId: string | null;
}

export type AlertChange =
  | { readonly change: "raised" | "updated"; readonly alert: StoredAlert }
  | { readonly change: "retracted"; readonly id: string; readonly seq: number }
  /**
   * A case changed: opened, joined, noted, review begun or closed (after its alerts' updates, if any of them stand).
   * Consoles showing the case or the list of cases read them again.
   */
  | { readonly change: "case"; readonly caseId: string; readonly status: CaseStatusView; readonly seq: number };

export interface AlertFilter {
  readonly rule?: Rule;
  readonly instrument?: string;
  readonly group?: string;
  readonly severity?: Severity;
  readonly session?: string;
}

export interface SessionTimes {
  readonly session: string;
  readonly instrument: string;
  readonly openMs: number;
  readonly closeMs: number | null;
}

export type CaseStatusView = "open" | "under-review" | "closed";

export interface CaseStep {
  readonly seq: number;
  readonly timeMs: number;
  readonly actor: string | null;
  readonly role: string | null;
  readonly action: "opened" | "joined" | "reviewing" | "closed" | "noted";
  /** The alert of `opened` and `joined`. */
  readonly alert: string | null;
  /** The outcome of `closed`. */
  readonly outcome: CaseOutcome | null;
  /** Why (a reason), or the note itself. */
  readonly text: string;
}

export interface CaseView {
  readonly id: string;
  readonly status: CaseStatusView;
  readonly outcome: CaseOutcome | null;
  readonly openedMs: number;
  readonly updatedMs: number;
  /** Alert ids in the order they joined. */
  readonly alerts: readonly string[];
  readonly steps: readonly CaseStep[];
}

interface CaseState {
  readonly id: string;
  status: CaseStatusView;
  outcome: CaseOutcome | null;
  readonly openedMs: number;
  updatedMs: number;
  readonly alerts: string[];
  readonly steps: CaseStep[];
  /** Each alert as last seen while it stood. */
  readonly copies: Map<string, StoredAlert>;
}

/** One durable journal record as the read side has it (a `ProjectionOutcome`). */
export interface SurveilledRecord {
  readonly seq: number;
  readonly timeMs: number;
  readonly command: Command;
  readonly meta: { readonly actor?: string; readonly role?: string };
  readonly events: readonly EngineEvent[];
}

export type AlertListener = (changes: readonly AlertChange[]) => void;

/** A member as recorded in a group of persons, with the record's evidence, who made it and when. */
export interface GroupMember {
  readonly member: string;
  readonly accounts: readonly string[];
  readonly evidence: string;
  readonly reason: string;
  readonly recordedSeq: number;
  readonly recordedMs: number;
  readonly recordedBy: string | null;
}

/** A group of persons: its members and their accounts (the related parties), and the alerts standing that name it. */
export interface GroupView {
  readonly group: string;
  readonly members: readonly GroupMember[];
  readonly alerts: number;
}

interface GroupRecord {
  readonly group: string;
  readonly evidence: string;
  readonly reason: string;
  readonly seq: number;
  readonly timeMs: number;
  readonly actor: string | null;
}

/** The id of an alert with this key: 16 hex digits of its SHA-256. */
export function alertId(key: string): string {
  return sha256HexPure(key).slice(0, 16);
}

export class LiveSurveillance {
  private readonly surveillance: Surveillance;
  private readonly adapter: JournalAdapter;
  /** Alerts by key, least recently raised or updated first. */
  private readonly byKey = new Map<string, StoredAlert>();
  private readonly keyOfId = new Map<string, string>();
  private readonly idOfKey = new Map<string, string>();
  /** Statistics and times by session, oldest first. */
  private readonly stats = new Map<string, SessionStatistics>();
  private readonly times = new Map<string, SessionTimes>();
  private readonly cases = new Map<string, CaseState>();
  /** Alert id → its case while the case is not closed. */
  private readonly caseOfAlert = new Map<string, string>();
  /**
   * Who is told of new ones: wiring made by the server after the start, not state, so kept in a private field, which
   * the read models' snapshot does not capture (gateway/view-snapshots.ts) and its restore leaves as it is.
   */
  readonly #listeners: AlertListener[] = [];
  /** Members recorded in a group (not their own), and every member's accounts. */
  private readonly groupOfMember = new Map<string, GroupRecord>();
  private readonly accountsOfMember = new Map<string, string[]>();
  private configChange: {
    readonly seq: number;
    readonly timeMs: number;
    readonly reason: string;
    readonly actor: string | null;
  } | null = null;
  /** The record being applied, and the changes it made. */
  private seq = 0;
  private timeMs = 0;
  /** Null while it made none (most records make none: no array is made for them). */
  private pending: AlertChange[] | null = null;

  constructor(limits: LimitsSource) {
    this.surveillance = new Surveillance(
      { raise: (alert) => this.raise(alert), retract: (key) => this.retract(key) },
      { onStatistics: (statistics) => this.keepStatistics(statistics) },
    );
    this.adapter = new JournalAdapter((record) => {
      if (record.kind === "session") {
        this.keep(
          this.times,
          record.session,
          {
            session: record.session,
            instrument: record.instrument,
            openMs: record.openMs,
            closeMs: null,
          },
          STATISTICS_SESSIONS_MAX,
        );
      } else if (record.kind === "sessionEnd") {
        const times = this.times.get(record.session);
        if (times !== undefined) this.times.set(record.session, { ...times, closeMs: record.timeMs });
      }
      this.surveillance.apply(record);
    }, limits);
  }

  /** Listeners hear the alert changes of each record that made some (the streams use this). */
  onAlerts(listener: AlertListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const index = this.#listeners.indexOf(listener);
      if (index >= 0) this.#listeners.splice(index, 1);
    };
  }

  /** Takes in one durable record (in seq order); returns the alert changes it made. */
  apply(record: SurveilledRecord): readonly AlertChange[] {
    this.seq = record.seq;
    this.timeMs = record.timeMs;
    this.pending = null;
    this.adapter.record(record.seq, record.timeMs, record.command, record.events);
    // A diversion follows its shipment's arrival in the same record, which gives the obligation's quantity.
    let obligationKg = 0;
    for (const event of record.events) {
      if (event.type === "shipment.arrived") obligationKg = event.obligationKg;
      else if (event.type === "diversion") this.diversion(event, obligationKg);
      else this.caseEvent(event, record);
    }
    const changes = this.pending ?? NO_CHANGES;
    this.pending = null;
    if (changes.length > 0) for (const listener of this.#listeners) listener(changes);
    return changes;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading.

  get configuration(): SurveillanceConfig {
    return this.surveillance.configuration;
  }

  /** The last change of the configuration (null while the defaults have always been in force). */
  get configurationChange() {
    return this.configChange;
  }

  get alertCount(): number {
    return this.byKey.size;
  }

  /** Alerts standing now that match, in rule order, then by start time. */
  alerts(filter: AlertFilter = {}): StoredAlert[] {
    const found: StoredAlert[] = [];
    for (const alert of this.byKey.values()) {
      if (filter.rule !== undefined && alert.rule !== filter.rule) continue;
      if (filter.instrument !== undefined && !this.concerns(alert, filter.instrument)) continue;
      if (filter.group !== undefined && !alert.groups.includes(filter.group)) continue;
      if (filter.severity !== undefined && alert.severity !== filter.severity) continue;
      if (filter.session !== undefined && !alert.sessions.includes(filter.session)) continue;
      found.push(this.withCase(alert));
    }
    return found.sort(compareAlerts);
  }

  alert(id: string): StoredAlert | null {
    const key = this.keyOfId.get(id);
    const alert = key === undefined ? undefined : this.byKey.get(key);
    return alert === undefined ? null : this.withCase(alert);
  }

  /** An alert standing now, or the copy a case keeps of it. */
  alertOrCopy(id: string): StoredAlert | null {
    const standing = this.alert(id);
    if (standing !== null) return standing;
    const caseId = this.caseOfAlert.get(id);
    for (const c of caseId === undefined ? this.cases.values() : [this.cases.get(caseId)!]) {
      const copy = c.copies.get(id);
      if (copy !== undefined) return copy;
    }
    return null;
  }

  /**
   * Whether an alert is about an instrument: its own, or, for an alert that names none (automated entry spans a
   * member's messages), the instrument of one of its sessions (of those whose times are kept).
   */
  private concerns(alert: StoredAlert, instrument: string): boolean {
    if (alert.instrument !== null) return alert.instrument === instrument;
    return alert.sessions.some((session) => this.times.get(session)?.instrument === instrument);
  }

  /** Statistics of ended sessions, newest first, optionally of one instrument. */
  statistics(filter: { readonly instrument?: string; readonly session?: string } = {}): SessionStatistics[] {
    const found: SessionStatistics[] = [];
    for (const statistics of this.stats.values()) {
      if (filter.instrument !== undefined && statistics.instrument !== filter.instrument) continue;
      if (filter.session !== undefined && statistics.session !== filter.session) continue;
      found.push(statistics);
    }
    return found.reverse();
  }

  sessionTimes(session: string): SessionTimes | null {
    return this.times.get(session) ?? null;
  }

  /** Cases, newest first, optionally with one status. */
  caseList(status?: CaseStatusView): CaseView[] {
    const found: CaseView[] = [];
    for (const c of this.cases.values()) if (status === undefined || c.status === status) found.push(caseView(c));
    return found.reverse();
  }

  caseOf(id: string): CaseView | null {
    const c = this.cases.get(id);
    return c === undefined ? null : caseView(c);
  }

  /** The alerts of a case: each as it stands now, or as last seen. */
  caseAlerts(id: string): StoredAlert[] {
    const c = this.cases.get(id);
    if (c === undefined) return [];
    return c.alerts.map((alert) => this.alert(alert) ?? c.copies.get(alert)!);
  }

  /**
   * The groups of persons recorded (a member in no recorded group is a group of its own and is not listed), each with
   * its members, their accounts and the alerts standing that name the group; by group id. O(members + alerts).
   */
  groups(): GroupView[] {
    const byGroup = new Map<string, GroupMember[]>();
    for (const [member, record] of this.groupOfMember) {
      const list = byGroup.get(record.group) ?? [];
      list.push({
        member,
        accounts: [...(this.accountsOfMember.get(member) ?? [])].sort(),
        evidence: record.evidence,
        reason: record.reason,
        recordedSeq: record.seq,
        recordedMs: record.timeMs,
        recordedBy: record.actor,
      });
      byGroup.set(record.group, list);
    }
    const alerts = new Map<string, number>();
    for (const alert of this.byKey.values()) {
      for (const group of alert.groups) if (byGroup.has(group)) alerts.set(group, (alerts.get(group) ?? 0) + 1);
    }
    return [...byGroup]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([group, members]) => ({
        group,
        members: members.sort((a, b) => (a.member < b.member ? -1 : 1)),
        alerts: alerts.get(group) ?? 0,
      }));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Alerts.

  private raise(alert: Alert): void {
    let id = this.idOfKey.get(alert.key);
    if (id === undefined) {
      id = alertId(alert.key);
      this.idOfKey.set(alert.key, id);
      this.keyOfId.set(id, alert.key);
    }
    const before = this.byKey.get(alert.key);
    const stored: StoredAlert = {
      ...alert,
      id,
      severity: SEVERITY_OF_RULE[alert.rule],
      raisedSeq: before?.raisedSeq ?? this.seq,
      raisedMs: before?.raisedMs ?? this.timeMs,
      updatedSeq: this.seq,
      updatedMs: this.timeMs,
      version: (before?.version ?? 0) + 1,
      caseId: null,
    };
    this.byKey.delete(alert.key);
    this.byKey.set(alert.key, stored);
    this.copyIntoCase(stored);
    if (this.byKey.size > ALERTS_KEPT_MAX) {
      const oldest = this.byKey.keys().next().value!;
      this.byKey.delete(oldest);
      this.forgetId(oldest);
    }
    this.changed({ change: before === undefined ? "raised" : "updated", alert: this.withCase(stored) });
  }

  /**
   * A diverted arrival (the engine's `diversion` event): one `diversion` alert per (obligation, buyer member), raised
   * at the first diverted shipment and again, as a newer version, at each further one. The buyer's group is the one
   * recorded at the arrival. Its span runs from the trade to the last diverted arrival, so its evidence pack reads the
   * shipments' dispatch and arrival records.
   */
  private diversion(event: DiversionEvent, obligationKg: number): void {
    const key = `diversion|${event.obligation}|${event.buyerMember}`;
    const before = this.byKey.get(key);
    const party = this.surveillance.parties.of(event.buyer);
    const shipment: DivertedShipment = {
      shipment: event.shipment,
      station: event.station,
      stationRegion: event.stationRegion,
      reasons: [...event.reasons],
      quantityKg: event.quantity,
      arrivedMs: event.atMs,
    };
    const shipments = [...(before?.diversion?.shipments ?? []).filter((s) => s.shipment !== event.shipment), shipment];
    let divertedKg = 0;
    let outsideRegionKg = 0;
    let registeredAfterTradeKg = 0;
    for (const s of shipments) {
      divertedKg += s.quantityKg;
      if (s.reasons.includes("outside-region")) outsideRegionKg += s.quantityKg;
      if (s.reasons.includes("registered-after-trade")) registeredAfterTradeKg += s.quantityKg;
    }
    const reasons = (["outside-region", "registered-after-trade"] as const).filter((r) =>
      shipments.some((s) => s.reasons.includes(r)),
    );
    this.raise({
      key,
      rule: "diversion",
      session: null,
      sessions: [],
      instrument: event.instrument,
      side: null,
      month: null,
      accounts: sorted([...(before?.accounts ?? []), party.account]),
      members: sorted([...(before?.members ?? []), party.member]),
      groups: sorted([...(before?.groups ?? []), party.group]),
      fromMs: Math.min(event.tradeTimeMs, event.atMs),
      toMs: Math.max(before?.toMs ?? event.atMs, event.atMs),
      orders: [],
      trades: [],
      figures: {
        divertedKg,
        outsideRegionKg,
        registeredAfterTradeKg,
        obligationKg,
        shipments: shipments.length,
      },
      diversion: {
        obligation: event.obligation,
        seller: event.seller,
        region: event.region,
        tradeTimeMs: event.tradeTimeMs,
        stations: sorted(shipments.map((s) => s.station)),
        stationRegions: sorted(shipments.map((s) => s.stationRegion)),
        reasons,
        shipments,
      },
    });
  }

  private retract(key: string): void {
    const before = this.byKey.get(key);
    if (before === undefined) return;
    this.byKey.delete(key);
    this.forgetId(key);
    this.changed({ change: "retracted", id: before.id, seq: this.seq });
  }

  private changed(change: AlertChange): void {
    if (this.pending === null) this.pending = [change];
    else this.pending.push(change);
  }

  private forgetId(key: string): void {
    const id = this.idOfKey.get(key);
    this.idOfKey.delete(key);
    if (id !== undefined) this.keyOfId.delete(id);
  }

  private withCase(alert: StoredAlert): StoredAlert {
    const caseId = this.caseOfAlert.get(alert.id) ?? null;
    return caseId === alert.caseId ? alert : { ...alert, caseId };
  }

  private copyIntoCase(alert: StoredAlert): void {
    const caseId = this.caseOfAlert.get(alert.id);
    if (caseId !== undefined) this.cases.get(caseId)?.copies.set(alert.id, alert);
  }

  private keepStatistics(statistics: SessionStatistics): void {
    this.keep(this.stats, statistics.session, statistics, STATISTICS_SESSIONS_MAX);
  }

  private keep<V>(map: Map<string, V>, key: string, value: V, max: number): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > max) map.delete(map.keys().next().value!);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The configuration and cases.

  private caseEvent(event: EngineEvent, record: SurveilledRecord): void {
    switch (event.type) {
      case "member.grouped":
        if (event.group === null) {
          this.groupOfMember.delete(event.member);
        } else {
          this.groupOfMember.set(event.member, {
            group: event.group,
            evidence: event.evidence,
            reason: event.reason,
            seq: record.seq,
            timeMs: record.timeMs,
            actor: record.meta.actor ?? null,
          });
        }
        return;
      case "account.opened": {
        const accounts = this.accountsOfMember.get(event.member);
        if (accounts === undefined) this.accountsOfMember.set(event.member, [event.id]);
        else accounts.push(event.id);
        return;
      }
      case "surveillance.configured":
        this.configChange = {
          seq: record.seq,
          timeMs: record.timeMs,
          reason: event.reason,
          actor: record.meta.actor ?? null,
        };
        return;
      case "case.opened": {
        const state: CaseState = {
          id: event.caseId,
          status: "open",
          outcome: null,
          openedMs: record.timeMs,
          updatedMs: record.timeMs,
          alerts: [],
          steps: [],
          copies: new Map(),
        };
        this.cases.set(event.caseId, state);
        this.joinAlert(state, event.alert);
        state.steps.push(caseStep(record, "opened", event.reason, event.alert));
        this.boundCases();
        this.changed({ change: "case", caseId: state.id, status: state.status, seq: record.seq });
        return;
      }
      case "case.joined": {
        const state = this.cases.get(event.caseId);
        if (state === undefined) return;
        this.joinAlert(state, event.alert);
        state.updatedMs = record.timeMs;
        state.steps.push(caseStep(record, "joined", event.reason, event.alert));
        this.changed({ change: "case", caseId: state.id, status: state.status, seq: record.seq });
        return;
      }
      case "case.reviewing": {
        const state = this.cases.get(event.caseId);
        if (state === undefined) return;
        state.status = "under-review";
        state.updatedMs = record.timeMs;
        state.steps.push(caseStep(record, "reviewing", event.reason));
        this.changed({ change: "case", caseId: state.id, status: state.status, seq: record.seq });
        return;
      }
      case "case.closed": {
        const state = this.cases.get(event.caseId);
        if (state === undefined) return;
        state.status = "closed";
        state.outcome = event.outcome;
        state.updatedMs = record.timeMs;
        for (const alert of state.alerts) {
          if (this.caseOfAlert.get(alert) !== state.id) continue;
          this.caseOfAlert.delete(alert);
          // A standing alert is free again: said as its update (caseId null), so consoles offer it for a new case.
          const standing = this.alert(alert);
          if (standing !== null) this.changed({ change: "updated", alert: standing });
        }
        state.steps.push(caseStep(record, "closed", event.reason, null, event.outcome));
        this.changed({ change: "case", caseId: state.id, status: state.status, seq: record.seq });
        return;
      }
      case "case.noted": {
        const state = this.cases.get(event.caseId);
        if (state === undefined) return;
        state.updatedMs = record.timeMs;
        state.steps.push(caseStep(record, "noted", event.note));
        this.changed({ change: "case", caseId: state.id, status: state.status, seq: record.seq });
        return;
      }
      default:
        return;
    }
  }

  /**
   * An alert taken into a case. A standing one changes as the API shows it (its `caseId`), so the change is said as
   * the alert's update: a console watching the surveillance channel stops offering it for another case at once,
   * rather than at its next poll. Its version stays: the rule found no new evidence.
   */
  private joinAlert(state: CaseState, alert: string): void {
    state.alerts.push(alert);
    this.caseOfAlert.set(alert, state.id);
    const standing = this.alert(alert);
    if (standing !== null) {
      state.copies.set(alert, standing);
      this.changed({ change: "updated", alert: standing });
    }
  }

  /** Keeps at most `CASES_KEPT_MAX` cases: the oldest closed one goes first. */
  private boundCases(): void {
    if (this.cases.size <= CASES_KEPT_MAX) return;
    for (const [id, c] of this.cases) {
      if (c.status === "closed") {
        this.cases.delete(id);
        return;
      }
    }
  }
}

function caseView(c: CaseState): CaseView {
  return {
    id: c.id,
    status: c.status,
    outcome: c.outcome,
    openedMs: c.openedMs,
    updatedMs: c.updatedMs,
    alerts: [...c.alerts],
    steps: [...c.steps],
  };
}

/** Whether a text names a rule. */
export function isRule(value: string): value is Rule {
  return (RULES as readonly string[]).includes(value);
}

/**
 * A case's step made by `record`. A function of the module, not a closure made in `caseEvent`: that runs for every
 * event of every durable record, most of them no case's.
 */
function caseStep(
  record: SurveilledRecord,
  action: CaseStep["action"],
  text: string,
  alert: string | null = null,
  outcome: CaseOutcome | null = null,
): CaseStep {
  return {
    seq: record.seq,
    timeMs: record.timeMs,
    actor: record.meta.actor ?? null,
    role: record.meta.role ?? null,
    action,
    alert,
    outcome,
    text,
  };
}
