/**
 * Leadership of a shared PostgreSQL journal (leadership.ts): one leader at a time, the epoch fences a deposed leader's
 * appends (nothing of them is written), and a leader hears at once when its lock connection is cut.
 */

import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { dropSchema, postgresForSuite, TEST_DATABASE_URL, testSchema } from "../../test/support/postgres.ts";
import { holdLeadershipForCommand, LEADERSHIP_HEARTBEAT_TIMEOUT_MS, Leadership, LOCK_CLASS } from "./leadership.ts";
import { JournalMovedError, NotLeaderError, PostgresStore } from "./postgres-store.ts";
import { GENESIS_HASH, type UnchainedRecord } from "./records.ts";

const run = await postgresForSuite("leadership");
const schemas: string[] = [];
afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema);
});

function record(seq: number): UnchainedRecord {
  return { seq, timeMs: 1_000 + seq, meta: "{}", command: `{"type":"time.tick","n":${seq}}`, events: "[]" };
}

describe.runIf(run)("leadership of a shared PostgreSQL journal", () => {
  it("has one leader at a time, and a deposed leader's append is refused and writes nothing", async () => {
    const schema = testSchema("lead");
    schemas.push(schema);
    const storeA = await PostgresStore.open(TEST_DATABASE_URL, schema);
    const storeB = await PostgresStore.open(TEST_DATABASE_URL, schema);
    const a = await Leadership.connect({ url: TEST_DATABASE_URL, schema, advertisedUrl: "http://a.example" });
    const b = await Leadership.connect({ url: TEST_DATABASE_URL, schema, advertisedUrl: "http://b.example" });
    try {
      expect(await a.tryLead()).toBe(1);
      expect(await b.tryLead()).toBe(null);
      expect((await b.leader())?.url).toBe("http://a.example");
      storeA.fence(1);
      const hash1 = await storeA.appendChained(GENESIS_HASH, [record(1)]);

      // A loses the lock (its lock connection ends) while its journal connection lives on: B takes over.
      await a.close();
      expect(await b.tryLead()).toBe(2);
      expect(await b.leader()).toMatchObject({ epoch: 2, url: "http://b.example" });
      await expect(storeA.appendChained(hash1, [record(2)])).rejects.toBeInstanceOf(NotLeaderError);
      expect(await storeA.maxSeq()).toBe(1);
      expect((await storeA.head())?.seq).toBe(1);

      storeB.fence(2);
      await storeB.appendChained(hash1, [record(2)]);
      expect((await storeB.head())?.seq).toBe(2);
      // A store fenced by an epoch that never led refuses as well.
      storeA.fence(1);
      await expect(storeA.appendChained(hash1, [record(2)])).rejects.toThrow(/epoch 2/);
    } finally {
      await a.close();
      await b.close();
      await storeA.close();
      await storeB.close();
    }
  });

  const holderOfLock = `SELECT pg_terminate_backend(pid) AS cut FROM pg_locks WHERE locktype = 'advisory' AND granted
       AND classid = $1::oid AND objid::text = ((hashtext($2)::bigint & 4294967295)::text) AND objsubid = 2`;

  it("tells the leader at once when its lock connection is cut, and it takes the lock again in a new epoch", async () => {
    const schema = testSchema("lead");
    schemas.push(schema);
    const store = await PostgresStore.open(TEST_DATABASE_URL, schema);
    const a = await Leadership.connect({ url: TEST_DATABASE_URL, schema, advertisedUrl: "http://a.example" });
    const b = await Leadership.connect({ url: TEST_DATABASE_URL, schema, advertisedUrl: "http://b.example" });
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      const suspended = new Promise<unknown>((resolve) => a.onSuspended(resolve));
      const regained = new Promise<number>((resolve) => a.onRegained(resolve));
      a.onSuspended(() => store.suspend());
      a.onRegained((epoch) => store.fence(epoch));
      expect(await a.tryLead()).toBe(1);
      store.fence(1);
      const hash1 = await store.appendChained(GENESIS_HASH, [record(1)]);
      // The holder of this schema's lock, cut by the database (as when its server drops the session).
      const cut = await admin.query(holderOfLock, [LOCK_CLASS, schema]);
      expect(cut.rows).toEqual([{ cut: true }]);
      expect(await suspended).toBeInstanceOf(Error);
      // While suspended an append waits; it is written once the lock is the node's again, in epoch 2.
      const appending = store.appendChained(hash1, [record(2)]);
      expect(await regained).toBe(2);
      expect(a.epoch).toBe(2);
      await appending;
      expect((await store.head())?.seq).toBe(2);
      expect(await b.tryLead()).toBe(null);
      expect(await b.leader()).toMatchObject({ epoch: 2, url: "http://a.example" });
    } finally {
      await admin.end();
      await a.close();
      await b.close();
      await store.close();
    }
  });

  it("gives the leadership up when another node took the lock while its connection was cut", async () => {
    const schema = testSchema("lead");
    schemas.push(schema);
    const store = await PostgresStore.open(TEST_DATABASE_URL, schema);
    const a = await Leadership.connect({ url: TEST_DATABASE_URL, schema, advertisedUrl: "http://a.example" });
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      const lost = new Promise<unknown>((resolveLost) => a.onLost(resolveLost));
      expect(await a.tryLead()).toBe(1);
      // Cut A, and take the lock in the same statement (waiting for A's session to end): A's new connection finds it held.
      const cut = await admin.query(
        `SELECT bool_and(cut) AS cut, pg_advisory_lock($3::int, hashtext($4)) IS NOT NULL AS locked FROM (${holderOfLock}) AS c`,
        [LOCK_CLASS, schema, LOCK_CLASS, schema],
      );
      expect(cut.rows).toEqual([{ cut: true, locked: true }]);
      expect(String(await lost)).toMatch(/another node took the lock/);
      expect(a.epoch).toBe(null);
      expect(await a.tryLead()).toBe(null);
    } finally {
      await admin.end();
      await a.close();
      await store.close();
    }
  });

  it("keeps the lead through a pause of its own process longer than the heartbeat's timeout, its connection having answered", async () => {
    const schema = testSchema("lead");
    schemas.push(schema);
    const store = await PostgresStore.open(TEST_DATABASE_URL, schema);
    const a = await Leadership.connect({ url: TEST_DATABASE_URL, schema, advertisedUrl: "http://a.example" });
    try {
      const suspended: unknown[] = [];
      a.onSuspended((error) => suspended.push(error));
      expect(await a.tryLead()).toBe(1);
      // The question is sent, then this process does nothing else for longer than the timeout (as a loaded machine or
      // a long synchronous task makes it): the answer is waiting in the socket when the timer is next looked at.
      const confirmed = a.confirm();
      const pausedUntil = Date.now() + LEADERSHIP_HEARTBEAT_TIMEOUT_MS + 500;
      while (Date.now() < pausedUntil) {
        // busy: the event loop reads nothing meanwhile
      }
      expect(await confirmed).toBe(1);
      expect(suspended).toEqual([]);
      expect(a.epoch).toBe(1);
    } finally {
      await a.close();
      await store.close();
    }
  });

  it("after its journal connection is cut, a leader writes a batch that was not committed once, and never twice", async () => {
    const schema = testSchema("lead");
    schemas.push(schema);
    const store = await PostgresStore.open(TEST_DATABASE_URL, schema);
    const other = await PostgresStore.open(TEST_DATABASE_URL, schema);
    const a = await Leadership.connect({ url: TEST_DATABASE_URL, schema, advertisedUrl: "http://a.example" });
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    const confirmed: number[] = [];
    store.onConnectionLost(() => {
      a.confirm().then((epoch) => {
        confirmed.push(epoch);
        store.fence(epoch);
      });
    });
    // Cuts the store's own connection (found by its last query, which names this test's schema).
    const cut = async () => {
      await store.head();
      const result = await admin.query(
        `SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
          WHERE application_name = 'sauda-journal' AND query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()
            AND state = 'idle' AND backend_type = 'client backend'`,
        [`"${schema}"."journal_head"`],
      );
      return result.rows.length;
    };
    try {
      expect(await a.tryLead()).toBe(1);
      store.fence(1);
      const hash1 = await store.appendChained(GENESIS_HASH, [record(1)]);
      // Records 2-3 were committed, but the leader never heard (its connection was cut before the answer): the same
      // batch sent again after the cut is found at the head and not written twice.
      const hash3 = await other.appendChained(hash1, [record(2), record(3)]);
      expect(await cut()).toBe(1);
      expect(await store.appendChained(hash1, [record(2), record(3)])).toBe(hash3);
      expect(await store.maxSeq()).toBe(3);
      expect(confirmed).toEqual([1]);
      // Record 4 was not committed before a cut: it is written once, after it.
      expect(await cut()).toBe(1);
      await store.appendChained(hash3, [record(4)]);
      expect((await store.head())?.seq).toBe(4);
      expect(await store.maxSeq()).toBe(4);
      // The journal moved on without this node (record 5 written by another): its record 5 is refused, not forced in.
      const hash4 = (await store.head())!.hash;
      await other.appendChained(hash4, [record(5)]);
      expect(await cut()).toBe(1);
      await expect(store.appendChained(hash4, [{ ...record(5), events: '["x"]' }])).rejects.toBeInstanceOf(
        JournalMovedError,
      );
      expect(await store.maxSeq()).toBe(5);
    } finally {
      await admin.end();
      await a.close();
      await store.close();
      await other.close();
    }
  });

  it("a command that needs the servers stopped is refused while a node leads, and keeps any node from leading while it runs", async () => {
    const schema = testSchema("leadcmd");
    schemas.push(schema);
    const store = await PostgresStore.open(TEST_DATABASE_URL, schema);
    const node = await Leadership.connect({ url: TEST_DATABASE_URL, schema, advertisedUrl: "http://a.example" });
    try {
      expect(await node.tryLead()).toBe(1);
      const refused = await holdLeadershipForCommand(TEST_DATABASE_URL, schema, "sauda keys rotate-mac").then(
        () => null,
        (error: unknown) => error as Error & { code?: string },
      );
      expect(refused?.code).toBe("SAUDA_SERVER_RUNNING");
      expect(refused?.message).toBe(
        `a sauda server leads the journal in schema ${schema}: stop every node of this exchange before sauda keys rotate-mac`,
      );
      await node.close();
      const held = await holdLeadershipForCommand(TEST_DATABASE_URL, schema, "sauda keys rotate-mac");
      const next = await Leadership.connect({ url: TEST_DATABASE_URL, schema, advertisedUrl: "http://b.example" });
      expect(await next.tryLead()).toBe(null);
      await held.release();
      expect(await next.tryLead()).toBe(2);
      await next.close();
    } finally {
      await node.close();
      await store.close();
    }
  });
});
