/**
 * The identity read model: what signing in and order entry read, and nothing else. The users and API keys (the read
 * models' own `UserDirectory`, projections/users.ts, fed the same events) and the member each account belongs to. It
 * is small (O(users + keys + accounts)), so the exchange snapshots it on its own, beside the read models' snapshot,
 * and a start restores it first and catches it up with the journal's tail while the engine recovers: members then
 * authenticate and enter orders while the other read models still load (Exchange `deferViews`).
 *
 * Snapshot format 1 (`IDENTITY_FORMAT`), UTF-8 JSON, stored as `identity_snapshots` (journal/records.ts
 * `IdentitySnapshotRecord`, with its own MAC domain): `{ format, seq, users, keys, accounts }`, `users` as
 * `UserDirectory.users()` lists them, `keys` every user's keys in creation order, `accounts` `[account, member]`
 * pairs. A snapshot of another format, or one that does not check out, is not used: identity then comes with the read
 * models, as before this model existed (a data directory without identity snapshots starts the same way).
 *
 * Promise: `apply` takes outcomes in seq order, each once (an outcome it already holds is ignored, so the exchange
 * may hand it the same batch twice); a gap throws. What it holds at seq N is what the read models' users and
 * accounts say at N.
 *
 * Complexity: O(identity events) per outcome; capture and restore O(users + keys + accounts).
 */

import { hash } from "node:crypto";
import { chainHash, identitySnapshotMac, type JournalHead } from "../journal/records.ts";
import { type JournalStore, READ_PAGE_RECORDS } from "../journal/store.ts";
import type { Projections } from "../projections/index.ts";
import { outcomeOfRecord, type ProjectionOutcome } from "../projections/outcome.ts";
import { type ApiKeyRecord, UserDirectory, type UserRecord } from "../projections/users.ts";

/** The identity snapshot's format version: a start restores only this one. */
export const IDENTITY_FORMAT = 1;

interface IdentityData {
  readonly format: number;
  readonly seq: number;
  readonly users: readonly UserRecord[];
  readonly keys: readonly ApiKeyRecord[];
  readonly accounts: readonly (readonly [string, string])[];
}

/**
 * The events identity takes, as they appear in a journal record's events text (`"type":"…`): a record without any of
 * them is passed over without being parsed. A match inside some other text only costs a parse.
 */
const IDENTITY_EVENT_MARKS = ['"type":"user.', '"type":"apiKey.', '"type":"account.opened"'] as const;

export class Identity {
  private constructor(
    readonly users: UserDirectory,
    private readonly members: Map<string, string>,
    private seq: number,
  ) {}

  /** Identity as the read models hold it (at their last record). */
  static fromViews(projections: Projections): Identity {
    const users = projections.users.users();
    const keys = users.flatMap((user) => projections.users.apiKeysOf(user.id));
    const members = new Map<string, string>();
    for (const account of projections.accounts.accountIds()) {
      const member = projections.accounts.info(account)?.member;
      if (member !== undefined) members.set(account, member);
    }
    return new Identity(new UserDirectory().restore(users, keys), members, projections.lastSeq);
  }

  /** Identity from a snapshot's data; throws, naming why, when it is not format 1. */
  static restore(data: Uint8Array): Identity {
    const parsed = JSON.parse(
      Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8"),
    ) as Partial<IdentityData> | null;
    if (parsed?.format !== IDENTITY_FORMAT)
      throw new Error(`its format is ${String(parsed?.format)}, not ${IDENTITY_FORMAT}`);
    if (!Number.isSafeInteger(parsed.seq) || !Array.isArray(parsed.users) || !Array.isArray(parsed.keys)) {
      throw new Error("its data is not an identity snapshot");
    }
    if (!Array.isArray(parsed.accounts)) throw new Error("its data is not an identity snapshot");
    return new Identity(
      new UserDirectory().restore(parsed.users, parsed.keys),
      new Map(parsed.accounts.map(([account, member]) => [account, member])),
      parsed.seq!,
    );
  }

  /** The last record this identity holds. */
  get lastSeq(): number {
    return this.seq;
  }

  /** The member an account belongs to, or null for an account not opened. */
  memberOf(account: string): string | null {
    return this.members.get(account) ?? null;
  }

  /**
   * The member's own account whose id differs from `account` only in letter case, when `account` is not opened (a
   * typed "aktau-1" for "AKTAU-1"): said with the refusal, as ids are case-sensitive. Only on a refusal's path.
   */
  ownAccountInOtherCase(account: string, member: string | null): string | null {
    if (member === null || this.members.has(account)) return null;
    const wanted = account.toUpperCase();
    for (const [id, owner] of this.members) if (owner === member && id.toUpperCase() === wanted) return id;
    return null;
  }

  apply(outcome: ProjectionOutcome): void {
    if (outcome.seq <= this.seq) return;
    this.expectNext(outcome.seq);
    this.users.apply(outcome);
    for (const event of outcome.events) {
      if (event.type === "account.opened") this.members.set(event.id, event.member);
    }
    this.seq = outcome.seq;
  }

  /** Takes record `seq`, which holds no identity event. */
  private pass(seq: number): void {
    this.expectNext(seq);
    this.seq = seq;
  }

  private expectNext(seq: number): void {
    if (seq !== this.seq + 1) throw new Error(`invariant: identity at record ${this.seq} was given record ${seq}`);
  }

  /** The snapshot's data (format 1). */
  capture(): Buffer {
    const users = this.users.users();
    const data: IdentityData = {
      format: IDENTITY_FORMAT,
      seq: this.seq,
      users,
      keys: users.flatMap((user) => this.users.apiKeysOf(user.id)),
      accounts: [...this.members],
    };
    return Buffer.from(JSON.stringify(data), "utf8");
  }

  /**
   * Identity from the store's newest identity snapshot, caught up with the journal's records after it to `head` (the
   * head this start recovered, whose MAC recovery checks: the records replayed here are checked by their hash chain
   * from the snapshot's record hash, authentic by the snapshot's MAC, to the head's hash). Null with no snapshot, and
   * with a warning saying why when one was not used: identity then comes with the read models.
   */
  static async load(
    store: JournalStore,
    head: JournalHead | null,
    macKeys: readonly Uint8Array[],
  ): Promise<{ identity: Identity | null; warning: string | null }> {
    const snapshot = await store.loadIdentitySnapshot();
    if (snapshot === null || head === null) return { identity: null, warning: null };
    const refused = (why: string) => ({
      identity: null,
      warning: `the identity snapshot at ${snapshot.seq} was not used (${why}); identity loads with the read models`,
    });
    if (snapshot.seq > head.seq) return refused("it is beyond the journal's head");
    const mac = snapshot.mac ?? null;
    if (
      mac === null ||
      !macKeys.some((key) => identitySnapshotMac(key, snapshot.seq, snapshot.recordHash, snapshot.dataHash) === mac)
    ) {
      return refused(mac === null ? "it has no MAC" : "its MAC does not match the journal MAC key");
    }
    if (hash("sha256", snapshot.data, "hex") !== snapshot.dataHash) return refused("its data does not match its hash");
    let identity: Identity;
    try {
      identity = Identity.restore(snapshot.data);
    } catch (error) {
      return refused((error as Error).message);
    }
    if (identity.lastSeq !== snapshot.seq) return refused(`it holds identity at ${identity.lastSeq}`);
    let chain = snapshot.recordHash;
    try {
      for (let from = snapshot.seq + 1; from <= head.seq; ) {
        const page = await store.read(from, Math.min(READ_PAGE_RECORDS, head.seq - from + 1));
        if (page.length === 0) break;
        for (const record of page) {
          if (record.seq !== from) return refused(`record ${from} is missing`);
          chain = chainHash(chain, record.seq, record.timeMs, record.meta, record.command, record.events);
          if (chain !== record.hash) return refused(`record ${record.seq} does not continue the hash chain`);
          if (IDENTITY_EVENT_MARKS.some((mark) => record.events.includes(mark))) {
            identity.apply(outcomeOfRecord(record));
          } else {
            identity.pass(record.seq);
          }
          from++;
        }
      }
    } catch (error) {
      // A record that does not parse, or a read that failed: the read models' load meets it too, and says so.
      return refused(`catching up with the journal failed: ${(error as Error).message}`);
    }
    if (identity.lastSeq !== head.seq || chain !== head.hash) {
      return refused(`it was not caught up with the journal's head at ${head.seq}`);
    }
    // The record at the snapshot's seq: the snapshot belongs to this journal (at the head, the chain above is empty).
    if (snapshot.seq === head.seq && snapshot.recordHash !== head.hash) {
      return refused("it names a record hash that is not the journal's");
    }
    return { identity, warning: null };
  }
}
