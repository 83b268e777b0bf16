/**
 * The demo's statistics and its failure log: what the driver, the agents and the back office did (rounds, auctions,
 * steps, orders sent, accepted and refused by code, requests, trades settled, the most orders resting at once), and
 * every failure, of which the log gets at most one line per `ERROR_LOG_EVERY_MS` (each line counts those it skipped).
 * The counts of an agent's port survive its rebuilding: a port is retired into the totals once.
 */

/** Failures are logged at most this often (each line counts those not logged). */
export const ERROR_LOG_EVERY_MS = 60_000;

export interface DemoStats {
  readonly rounds: number;
  readonly auctions: number;
  readonly steps: number;
  readonly failures: number;
  readonly lastFailure: string | null;
  readonly ordersSent: number;
  readonly ordersAccepted: number;
  /** Refused orders by the exchange's code; each was answered to its agent, which carried on. */
  readonly refusals: Readonly<Record<string, number>>;
  readonly requests: number;
  readonly settled: number;
  readonly openOrdersMax: number;
}

/** What a port counts (the agents' HTTP ports). */
export interface PortCounts {
  readonly submitted: number;
  readonly accepted: number;
  readonly refusals: ReadonlyMap<string, number>;
}

export class DemoCounters {
  rounds = 0;
  auctions = 0;
  steps = 0;
  failures = 0;
  lastFailure: string | null = null;
  openOrdersMax = 0;
  private readonly retired = { sent: 0, accepted: 0, refusals: new Map<string, number>() };
  private readonly retiredPorts = new WeakSet<PortCounts>();
  private lastErrorLogMs = Number.NEGATIVE_INFINITY;
  private errorsNotLogged = 0;

  constructor(
    private readonly clock: () => number,
    private readonly log: (line: string) => void,
  ) {}

  /** Counts a failure and logs it, unless a line was logged less than `ERROR_LOG_EVERY_MS` ago. */
  fail(where: string, error: unknown): void {
    this.failures++;
    this.lastFailure = `${where}: ${error instanceof Error ? error.message : String(error)}`;
    const now = this.clock();
    if (now - this.lastErrorLogMs < ERROR_LOG_EVERY_MS) {
      this.errorsNotLogged++;
      return;
    }
    const more = this.errorsNotLogged > 0 ? ` (and ${this.errorsNotLogged} more failures since the last line)` : "";
    this.log(`demo: ${this.lastFailure}${more}`);
    this.lastErrorLogMs = now;
    this.errorsNotLogged = 0;
  }

  /** Adds a port's counts to the totals once, when its agent is rebuilt. */
  retire(port: PortCounts): void {
    if (this.retiredPorts.has(port)) return;
    this.retiredPorts.add(port);
    this.retired.sent += port.submitted;
    this.retired.accepted += port.accepted;
    for (const [code, n] of port.refusals) this.retired.refusals.set(code, (this.retired.refusals.get(code) ?? 0) + n);
  }

  trackOpenOrders(open: number): void {
    this.openOrdersMax = Math.max(this.openOrdersMax, open);
  }

  /** The totals, with the live ports' counts and the requests the clients sent. */
  totals(livePorts: Iterable<PortCounts>, requests: number, settled: number): DemoStats {
    let sent = this.retired.sent;
    let accepted = this.retired.accepted;
    const refusals = new Map(this.retired.refusals);
    for (const port of livePorts) {
      if (this.retiredPorts.has(port)) continue;
      sent += port.submitted;
      accepted += port.accepted;
      for (const [code, n] of port.refusals) refusals.set(code, (refusals.get(code) ?? 0) + n);
    }
    return {
      rounds: this.rounds,
      auctions: this.auctions,
      steps: this.steps,
      failures: this.failures,
      lastFailure: this.lastFailure,
      ordersSent: sent,
      ordersAccepted: accepted,
      refusals: Object.fromEntries([...refusals].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
      requests,
      settled,
      openOrdersMax: this.openOrdersMax,
    };
  }
}
