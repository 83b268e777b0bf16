/**
 * The PostgreSQL store runs its work on one connection: an append's transaction and a snapshot's saved while it is in
 * flight (the leader saves identity's snapshot as batches become durable) must not interleave their statements.
 */

import { afterAll, describe, expect, it } from "vitest";
import { dropSchema, postgresForSuite, TEST_DATABASE_URL, testSchema } from "../../test/support/postgres.ts";
import { PostgresStore } from "./postgres-store.ts";
import type { UnchainedRecord, ViewSnapshotRecord } from "./records.ts";

const T0 = Date.UTC(2026, 0, 5, 6, 0, 0);
const GENESIS = "0".repeat(64);
const run = await postgresForSuite("postgres-transactions");
const schemas: string[] = [];

afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema);
});

function ticks(from: number, count: number): UnchainedRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: from + i,
    timeMs: T0 + from + i,
    meta: "{}",
    command: '{"type":"time.tick"}',
    events: "[]",
  }));
}

describe.runIf(run)("the PostgreSQL store's transactions on its one connection", () => {
  it("a snapshot refused while an append is in flight rolls back only itself: the append is whole", async () => {
    const schema = testSchema("tx");
    schemas.push(schema);
    const store = await PostgresStore.open(TEST_DATABASE_URL, schema);
    try {
      const first = await store.appendChained(GENESIS, ticks(1, 3));
      // A snapshot the database refuses (its data hash is null: NOT NULL), sent while the next append is in flight.
      const refused = {
        seq: 3,
        recordHash: first,
        data: Buffer.from("v"),
        dataHash: null,
      } as unknown as ViewSnapshotRecord;
      const appending = store.appendChained(first, ticks(4, 600));
      const saving = store.saveViewSnapshot(refused);
      const [appended, saved] = await Promise.allSettled([appending, saving]);
      expect(appended.status).toBe("fulfilled");
      expect(saved.status).toBe("rejected");
      // The append is durable whole, head and records together; the refused snapshot left nothing.
      const head = await store.head();
      expect(head?.seq).toBe(603);
      expect(await store.maxSeq()).toBe(603);
      expect((await store.read(1, 1000)).map((r) => r.seq)).toEqual(Array.from({ length: 603 }, (_, i) => i + 1));
      expect(await store.loadViewSnapshot()).toBeNull();
      // And a snapshot saved while an append is in flight is saved, the append too.
      const next = store.appendChained(head!.hash, ticks(604, 600));
      const good = store.saveViewSnapshot({ seq: 603, recordHash: head!.hash, data: Buffer.from("v"), dataHash: "d" });
      await Promise.all([next, good]);
      expect((await store.head())?.seq).toBe(1203);
      expect((await store.loadViewSnapshot())?.seq).toBe(603);
    } finally {
      await store.close();
    }
  });
});
