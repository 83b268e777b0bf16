/**
 * Market surveillance: runs every rule's detector over a market history, one record at a time, and raises alerts
 * into a sink (alerts.ts). The same object serves offline runs over a file or a journal (`sauda surveil`) and, later,
 * the server, which feeds it each record as it becomes durable: it is incremental and pure (no clock, no I/O; time is
 * the records' time), and its state is bounded by what is running (sessions, windows of seconds, live evidence) plus
 * small summaries for the rules that span sessions (rules 3, 5 and 7).
 *
 * Configuration: the one given (the defaults unless given) applies from the start; a `config` record (the regulator's
 * change, from the journal) replaces it from that record on. A rule disabled keeps its state but raises nothing.
 *
 * Promises: `apply` takes records in the order records.ts describes and asserts the references the detectors rely on
 * (a session is open when something happens in it; an `InvariantError` otherwise, since the adapters check their
 * input first). `finish` ends the sessions still running (as their close would) and completes the rules that span
 * sessions; nothing may be applied after it.
 *
 * Complexity: per record, O(1) here plus each detector's cost (their headers); memory likewise.
 */

import { invariant } from "../domain/errors.ts";
import type { Alert, AlertSink } from "./alerts.ts";
import type { SurveillanceConfig } from "./config.ts";
import { DEFAULT_CONFIG } from "./config.ts";
import type { Detector, SessionInfo } from "./detector.ts";
import { Parties } from "./parties.ts";
import type { MarketRecord } from "./records.ts";
import { AutomatedEntryDetector } from "./rules/automated-entry.ts";
import { ConcentrationDetector } from "./rules/concentration.ts";
import { CoordinatedBiddingDetector } from "./rules/coordinated-bidding.ts";
import { PriceLimitBiddingDetector } from "./rules/price-limit-bidding.ts";
import { SpoofingDetector } from "./rules/spoofing.ts";
import { WashTradeDetector } from "./rules/wash-trade.ts";
import { WithholdingDetector } from "./rules/withholding.ts";
import { type SessionStatistics, StatisticsCollector } from "./statistics.ts";

export interface SurveillanceOptions {
  readonly config?: SurveillanceConfig;
  /** Called with each session's statistics when it ends. */
  readonly onStatistics?: (statistics: SessionStatistics) => void;
}

/** Each rule's section of the configuration, by rule (`diversion` has none: no detector here raises it). */
const SECTION_OF_RULE: Readonly<Record<Alert["rule"], keyof SurveillanceConfig | null>> = {
  "wash-trade": "washTrade",
  concentration: "concentration",
  "coordinated-bidding": "coordinatedBidding",
  spoofing: "spoofing",
  "price-limit-bidding": "priceLimitBidding",
  "automated-entry": "automatedEntry",
  withholding: "withholding",
  diversion: null,
};

/**
 * The configuration as the detectors see it: one plain object per section, kept for the run and updated in place when
 * the configuration changes, so thresholds apply from the record that brings a change (and a read is a plain property
 * read on the hot path). `enabled` is always true there: a detector keeps its state whether or not its rule is
 * enabled, so enabling a rule mid-session finds its state complete; whether an alert goes out is decided when it is
 * raised (`Surveillance`'s sink), by the configuration in force then.
 */
type LiveSections = { -readonly [K in keyof SurveillanceConfig]: SurveillanceConfig[K] };

function liveSections(config: SurveillanceConfig): LiveSections {
  const sections = {} as Record<string, unknown>;
  for (const name of Object.keys(DEFAULT_CONFIG) as (keyof SurveillanceConfig)[]) {
    sections[name] = { ...config[name], enabled: true };
  }
  return sections as unknown as LiveSections;
}

export class Surveillance {
  readonly parties = new Parties();
  private readonly detectors: Detector[];
  private config: SurveillanceConfig;
  private readonly sections: LiveSections;
  /** Sessions running now, in the order they began. */
  private readonly sessions = new Map<string, SessionInfo>();
  private readonly sessionCounts = new Map<string, number>();
  private finished = false;

  constructor(sink: AlertSink, options: SurveillanceOptions = {}) {
    this.config = options.config ?? DEFAULT_CONFIG;
    const sections = liveSections(this.config);
    this.sections = sections;
    // Alerts of a rule disabled now go nowhere; retractions always pass (retracting what was never raised is nothing).
    const gated: AlertSink = {
      raise: (alert) => {
        const section = SECTION_OF_RULE[alert.rule];
        if (section !== null && this.config[section].enabled) sink.raise(alert);
      },
      retract: (key) => sink.retract(key),
    };
    this.detectors = [
      new WashTradeDetector(sections.washTrade, gated),
      new ConcentrationDetector(sections.concentration, gated),
      new CoordinatedBiddingDetector(sections.coordinatedBidding, gated),
      new SpoofingDetector(sections.spoofing, gated),
      new PriceLimitBiddingDetector(sections.priceLimitBidding, gated),
      new AutomatedEntryDetector(sections.automatedEntry, gated),
      new WithholdingDetector(sections.withholding, gated),
    ];
    if (options.onStatistics) this.detectors.push(new StatisticsCollector(options.onStatistics));
  }

  /** The configuration in force now. */
  get configuration(): SurveillanceConfig {
    return this.config;
  }

  /** The sessions running now. */
  runningSessions(): SessionInfo[] {
    return [...this.sessions.values()];
  }

  apply(record: MarketRecord): void {
    invariant(!this.finished, "a record arrived after the history finished");
    switch (record.kind) {
      case "config":
        this.config = record.config;
        for (const name of Object.keys(this.sections) as (keyof SurveillanceConfig)[]) {
          Object.assign(this.sections[name], record.config[name], { enabled: true });
        }
        return;
      case "member":
        this.parties.member(record.member, record.group);
        return;
      case "account":
        this.parties.account(record.account, record.member);
        return;
      case "session": {
        invariant(!this.sessions.has(record.session), () => `session ${record.session} began twice`);
        const index = (this.sessionCounts.get(record.instrument) ?? 0) + 1;
        this.sessionCounts.set(record.instrument, index);
        const session: SessionInfo = {
          session: record.session,
          instrument: record.instrument,
          index,
          openMs: record.openMs,
          closeMs: record.closeMs,
          basis: record.basis,
        };
        this.sessions.set(record.session, session);
        for (const detector of this.detectors) detector.session?.(session);
        return;
      }
      case "order": {
        const session = this.running(record.session);
        const party = this.parties.of(record.account);
        for (const detector of this.detectors) detector.order?.(record, party, session);
        return;
      }
      case "amend": {
        const session = this.running(record.session);
        const party = this.parties.of(record.account);
        for (const detector of this.detectors) detector.amend?.(record, party, session);
        return;
      }
      case "cancel": {
        const session = this.running(record.session);
        const party = this.parties.of(record.account);
        for (const detector of this.detectors) detector.cancel?.(record, party, session);
        return;
      }
      case "trade": {
        const session = this.running(record.session);
        const buyer = this.parties.of(record.buyAccount);
        const seller = this.parties.of(record.sellAccount);
        for (const detector of this.detectors) detector.trade?.(record, buyer, seller, session);
        return;
      }
      case "sessionEnd":
        this.end(this.running(record.session), record.timeMs);
        return;
      case "declared": {
        const party = this.parties.of(record.account);
        for (const detector of this.detectors) detector.declared?.(record, party);
        return;
      }
      case "withdrawn": {
        const party = this.parties.of(record.account);
        for (const detector of this.detectors) detector.withdrawn?.(record, party);
        return;
      }
      case "obligation": {
        const group = this.parties.groupOf(record.member);
        for (const detector of this.detectors) detector.obligation?.(record, group);
        return;
      }
    }
  }

  /** Ends the sessions still running (at their close time when known), then completes every rule. */
  finish(lastTimeMs: number): void {
    for (const session of [...this.sessions.values()]) this.end(session, session.closeMs ?? lastTimeMs);
    for (const detector of this.detectors) detector.finish?.();
    this.finished = true;
  }

  private running(session: string): SessionInfo {
    const found = this.sessions.get(session);
    invariant(found !== undefined, () => `a record refers to session ${session}, which is not running`);
    return found;
  }

  private end(session: SessionInfo, timeMs: number): void {
    this.sessions.delete(session.session);
    for (const detector of this.detectors) detector.sessionEnd?.(session, timeMs);
  }
}
