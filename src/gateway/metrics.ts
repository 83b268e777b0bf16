/**
 * Prometheus metrics for operators (/metrics): HTTP requests and their latency by route, commands and rejections by
 * type and code, trades, the sequencer's queue and the journal's position, and the engine's invariant checks
 * (`sauda_invariant_checks_total` by result, `sauda_writes_stopped` 1 once a failed check, or a changed journal record
 * found by the check of the older records beside serving, has stopped all changes:
 * the one to alert on), and the notification e-mails (attempts by result, retries, e-mails given up, those waiting for a
 * retry and the last SMTP error: docs/notifications.md). One registry per server, so tests and
 * several servers in one process do not mix their figures.
 */

import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { NoticesMailedEvent } from "../engine/notices.ts";
import type { Exchange } from "./exchange.ts";

export class Metrics {
  private readonly registry = new Registry();
  private readonly requests: Counter<"route" | "method" | "status">;
  private readonly latency: Histogram<"route" | "method">;
  private readonly commands: Counter<"type" | "outcome">;
  private readonly trades: Counter<"instrument">;
  private readonly invariantChecks: Counter<"result">;
  private readonly forwarded: Counter<"outcome">;
  private readonly mailAttempts: Counter<"result" | "attempt">;
  private readonly mailGivenUp: Counter;
  private readonly mailLastError: Gauge<"error">;

  constructor(exchange: Exchange) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: "sauda_http_requests_total",
      help: "HTTP requests by route, method and status",
      labelNames: ["route", "method", "status"],
      registers,
    });
    this.latency = new Histogram({
      name: "sauda_http_request_seconds",
      help: "HTTP request time by route",
      labelNames: ["route", "method"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    });
    this.commands = new Counter({
      name: "sauda_commands_total",
      help: "Durable commands by type and outcome (accepted, or the rejection code)",
      labelNames: ["type", "outcome"],
      registers,
    });
    this.trades = new Counter({
      name: "sauda_trades_total",
      help: "Trades by instrument",
      labelNames: ["instrument"],
      registers,
    });
    this.forwarded = new Counter({
      name: "sauda_forwarded_changes_total",
      help: "Changes this follower forwarded to the leader, by outcome (answered, or the refusal code)",
      labelNames: ["outcome"],
      registers,
    });
    this.invariantChecks = new Counter({
      name: "sauda_invariant_checks_total",
      help: "Checks of the engine's invariants by result (passed, failed)",
      labelNames: ["result"],
      registers,
    });
    exchange.onInvariantCheck((passed, alarm) => {
      // The journal check's alarm stops writes too, but it is not a check of the engine's invariants.
      if (alarm?.where !== "journal") this.invariantChecks.inc({ result: passed ? "passed" : "failed" });
    });
    new Gauge({
      name: "sauda_writes_stopped",
      help: "1 when a failed invariant check, or a changed journal record found by the check beside serving, has stopped all changes (reads go on)",
      registers,
      collect() {
        this.set(exchange.invariantAlarm === null ? 0 : 1);
      },
    });
    new Gauge({
      name: "sauda_sequencer_queue",
      help: "Commands waiting for the journal",
      registers,
      collect() {
        this.set(exchange.queued);
      },
    });
    new Gauge({
      name: "sauda_journal_seq",
      help: "Sequence number of the last durable command",
      registers,
      collect() {
        // The durable head, also while the read models load behind a serving exchange.
        this.set(exchange.health().seq);
      },
    });
    this.mailAttempts = new Counter({
      name: "sauda_notification_mail_attempts_total",
      help: "Attempts to e-mail a notification, by result (delivered, failed) and attempt number (1 the first, 2-5 retries)",
      labelNames: ["result", "attempt"],
      registers,
    });
    this.mailGivenUp = new Counter({
      name: "sauda_notification_mail_given_up_total",
      help: "Notification e-mails marked failed after their last attempt failed (or no longer wanted by the member)",
      registers,
    });
    new Gauge({
      name: "sauda_notification_mail_retrying",
      help: "Notification e-mails waiting for their next attempt",
      registers,
      collect() {
        let count = 0;
        // None known while the read models load behind a serving exchange.
        if (exchange.viewsState === "ready") for (const _ of exchange.projections.notices.mailRetries()) count += 1;
        this.set(count);
      },
    });
    this.mailLastError = new Gauge({
      name: "sauda_notification_mail_last_error_timestamp_seconds",
      help: "When the last failed e-mail attempt was made, with its SMTP error as the label (one series)",
      labelNames: ["error"],
      registers,
    });
    exchange.onOutcomes((outcomes) => {
      // Counted per batch, then added once per series: a labelled `inc` hashes its labels, and a batch holds
      // thousands of commands of a handful of kinds.
      const commands = new Map<string, { type: string; outcome: string; count: number }>();
      const trades = new Map<string, number>();
      for (const outcome of outcomes) {
        let code = "accepted";
        for (const event of outcome.events) {
          if (event.type === "rejected") {
            code = event.code;
            break;
          }
        }
        const type = outcome.command.type ?? "unknown";
        const key = `${type}\n${code}`;
        const series = commands.get(key);
        if (series === undefined) commands.set(key, { type, outcome: code, count: 1 });
        else series.count++;
        for (const event of outcome.events) {
          if (event.type === "trade") trades.set(event.instrument, (trades.get(event.instrument) ?? 0) + 1);
          else if (event.type === "notices.mailed") this.mailed(event);
        }
      }
      for (const { type, outcome, count } of commands.values()) this.commands.inc({ type, outcome }, count);
      for (const [instrument, count] of trades) this.trades.inc({ instrument }, count);
    });
  }

  private mailed(event: NoticesMailedEvent): void {
    const result = event.error === null ? "delivered" : "failed";
    this.mailAttempts.inc({ result, attempt: String(event.attempt) });
    if (event.error === null) return;
    if (event.nextAttemptMs === null) this.mailGivenUp.inc();
    this.mailLastError.reset();
    this.mailLastError.set({ error: event.error }, event.atMs / 1000);
  }

  observeRequest(route: string, method: string, status: number, elapsedMs: number): void {
    this.requests.inc({ route, method, status: String(status) });
    this.latency.observe({ route, method }, elapsedMs / 1000);
  }

  /** A change forwarded to the leader: `answered` (whatever the status), or why not (LEADER_UNAVAILABLE). */
  observeForward(outcome: string): void {
    this.forwarded.inc({ outcome });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
