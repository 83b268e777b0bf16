/**
 * A follower of a shared PostgreSQL journal told to stop while its try for the leadership is in flight (the leader has
 * just stopped, the lock is free, and this node's next try has taken it): the stop waits for the try, so the node
 * takes the lead and then stops cleanly, instead of finishing the takeover on a journal already closed and failing
 * (`onFatal`, which makes `sauda serve` exit 70 where a stop should exit 0). The try is held by a gate, so "in flight"
 * is decided by the test, not by timing.
 */

import { describe, expect, it } from "vitest";
import { postgresForSuite } from "../support/postgres.ts";
import { SETUP } from "../support/server.ts";
import { sharedJournal } from "../support/shared-journal.ts";
import { gate } from "../support/view-fixtures.ts";

const run = await postgresForSuite("a follower stopped while it takes the lead");

describe.runIf(run)("a follower stopped while it takes the lead", () => {
  const journal = sharedJournal("lead_close");

  it("finishes the takeover, then stops cleanly: no fatal failure", async () => {
    const node = async (name: string, fatal: unknown[]) => ({
      exchange: await journal.follower(fatal),
      leadership: await journal.leadership(name),
    });

    const firstFatal: unknown[] = [];
    const first = await node("a", firstFatal);
    await first.exchange.runForLeader(first.leadership);
    expect(first.exchange.role).toBe("leader");
    for (const command of SETUP) await first.exchange.submit(command);

    const secondFatal: unknown[] = [];
    const second = await node("b", secondFatal);
    // The second node's tries: once one takes the lock, it waits at the gate before the node goes on to lead.
    const held = gate();
    let taken = (): void => undefined;
    const lockTaken = new Promise<void>((resolve) => {
      taken = resolve;
    });
    const tryLead = second.leadership.tryLead.bind(second.leadership);
    second.leadership.tryLead = async () => {
      const epoch = await tryLead();
      if (epoch !== null) {
        taken();
        await held.hold();
      }
      return epoch;
    };
    await second.exchange.runForLeader(second.leadership);
    expect(second.exchange.role).toBe("follower");
    const roles: string[] = [];
    second.exchange.onRole((role) => roles.push(role));

    await first.exchange.close();
    await lockTaken;
    const closing = second.exchange.close();
    held.release();
    await closing;

    expect(secondFatal).toEqual([]);
    expect(roles).toEqual(["leader"]);
    expect(firstFatal).toEqual([]);
  });
});
