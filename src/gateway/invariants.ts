/**
 * The server's periodic check of the engine's invariants: every `INVARIANT_CHECK_INTERVAL_MS` it asks the exchange to
 * check them (`Exchange.checkInvariants`), which raises the alarm and stops all changes on a failure. The checks
 * before every snapshot are the sequencer's; this one catches a broken state between snapshots.
 *
 * Cost: one check walks every book, order, ledger entry and obligation (measured by `npm run bench:core`), and runs
 * on the event loop between batches, never inside one. After an alarm there is nothing left to check.
 */

import type { Exchange } from "./exchange.ts";

/** How often the engine's invariants are checked while the server runs. */
export const INVARIANT_CHECK_INTERVAL_MS = 60_000;

export class InvariantWatch {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly exchange: Exchange) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), INVARIANT_CHECK_INTERVAL_MS);
    // The watch alone does not keep the process alive.
    this.timer.unref();
  }

  /** Runs one check now; returns whether the invariants hold (false once the alarm is up). */
  check(): boolean {
    return this.exchange.checkInvariants();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
