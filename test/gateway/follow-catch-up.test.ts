/**
 * A follower of a shared PostgreSQL journal that hears of a new record while its first catch-up is still reading: the
 * announcement must not start a second catch-up beside the first. Both would read from the same seq; the later one
 * then finds its page applied under it and stops the node ("record N: missing: the next record is M", exit 70 in
 * `sauda serve`), as test/ha.test.ts once saw under load. The first catch-up's read is held by a gate, so "while it is
 * reading" is decided by the test, not by timing.
 */

import { describe, expect, it } from "vitest";
import { PostgresStore } from "../../src/journal/postgres-store.ts";
import { postgresForSuite } from "../support/postgres.ts";
import { SETUP } from "../support/server.ts";
import { sharedJournal } from "../support/shared-journal.ts";
import { gate } from "../support/view-fixtures.ts";

const run = await postgresForSuite("a follower's first catch-up and an announcement");

describe.runIf(run)("a follower's first catch-up and an announcement", () => {
  const journal = sharedJournal("follow_turn");

  it("applies every record once, in one catch-up at a time, and follows on", async () => {
    const fatal: unknown[] = [];
    const open = () => journal.follower(fatal);

    const leader = await open();
    const leadership = await journal.leadership("a");
    await leader.runForLeader(leadership);
    expect(leader.role).toBe("leader");
    const [first, second, ...rest] = SETUP;
    if (first === undefined || second === undefined) throw new Error("SETUP has fewer than two commands");
    await leader.submit(first);

    // Only the follower opened below listens, so the patches arm on its `listen`: its first read after that (the
    // first catch-up's) waits at the gate; every read after it goes through and is counted.
    const proto = PostgresStore.prototype;
    const listen = proto.listen;
    const read = proto.read;
    const held = gate();
    let armed = false;
    let firstHeld = false;
    const readsBeside: Promise<unknown>[] = [];
    let heard = (): void => undefined;
    const announced = new Promise<void>((resolve) => {
      heard = resolve;
    });
    proto.listen = async function (this: PostgresStore, onAppend, onLost) {
      const stop = await listen.call(
        this,
        (seq) => {
          onAppend(seq);
          heard();
        },
        onLost,
      );
      armed = true;
      return stop;
    };
    proto.read = async function (this: PostgresStore, fromSeq: number, limit: number) {
      if (armed && !firstHeld) {
        firstHeld = true;
        await held.hold();
        return read.call(this, fromSeq, limit);
      }
      const page = read.call(this, fromSeq, limit);
      if (armed) readsBeside.push(page.catch(() => undefined));
      return page;
    };
    try {
      const opening = open();
      // The follower's first catch-up is at the gate; a record appended now is announced to it meanwhile.
      await expect.poll(() => firstHeld).toBe(true);
      await leader.submit(second);
      await announced;
      // Whatever the announcement started has read its page and applied it before the first read goes on.
      await Promise.all(readsBeside);
      await new Promise((resolve) => setImmediate(resolve));
      // No second catch-up read beside the first: the announcement waits for its turn (one more round after it).
      const readsBesideFirst = readsBeside.length;
      held.release();
      const follower = await opening;
      try {
        expect(readsBesideFirst).toBe(0);
        for (const command of rest) await leader.submit(command);
        const headSeq = leader.engine.lastSeq;
        await expect.poll(() => follower.engine.lastSeq).toBe(headSeq);
        expect(fatal).toEqual([]);
      } finally {
        await follower.close();
      }
    } finally {
      proto.listen = listen;
      proto.read = read;
      await leader.close();
    }
  });
});
