/**
 * The thread's side of the journal's feed (snapshot-thread.ts `AppendFeed`, `FedRecords`): appends are held in order
 * until applied, up to a number of bytes (at the limit held, one byte over dropped and read from the store later), an
 * append that does not come after the newest held is ignored, each append held or dropped tells the thread its
 * durable head, and each record's fields come back exactly, multi-byte text included.
 */

import { setImmediate } from "node:timers/promises";
import { MessageChannel } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import type { UnchainedRecord } from "./records.ts";
import { AppendFeed, LeaderInbox } from "./snapshot-thread.ts";
import { packRecords } from "./sqlite-store.ts";
import type { AppendedRecords } from "./store.ts";

const T0 = Date.UTC(2026, 0, 5, 6);

function records(from: number, count: number, text = "газ"): UnchainedRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: from + i,
    timeMs: T0 + from + i,
    meta: JSON.stringify({ user: `u${from + i}` }),
    command: JSON.stringify({ type: "member.add", member: `M${from + i}`, name: text }),
    events: JSON.stringify([{ type: "note", text: `${text} ${from + i}` }]),
  }));
}

/** An append as the writer sends it: packed, with a made-up hash per record. */
function appended(list: readonly UnchainedRecord[]): AppendedRecords {
  const packed = packRecords(list);
  return { ...packed, hashes: list.map((r) => r.seq.toString(16).padStart(64, "0")) };
}

/**
 * Sends `appends` through a channel to a feed and resolves once the feed has taken them; `onDurable` is the feed's
 * (told each append's last seq).
 */
async function fed(
  appends: readonly AppendedRecords[],
  bytesMax?: number,
  onDurable?: (seq: number) => void,
): Promise<AppendFeed> {
  const channel = new MessageChannel();
  const feed = new AppendFeed(channel.port2, bytesMax, onDurable);
  let taken = 0;
  const all = new Promise<void>((resolve) => {
    channel.port2.on("message", () => {
      if (++taken === appends.length) resolve();
    });
  });
  for (const append of appends) channel.port1.postMessage(append);
  await all;
  channel.port1.close();
  return feed;
}

describe("the journal's feed to a snapshot thread", () => {
  it("gives back each record's seq, time, fields and hash exactly, several records an append, multi-byte text too", async () => {
    const first = records(1, 3, "Қазақ газ «ТОО» 🔥");
    const second = records(4, 2);
    const feed = await fed([appended(first), appended(second)]);
    for (const record of [...first, ...second]) {
      const append = feed.at(record.seq)!;
      expect({
        seq: record.seq,
        timeMs: append.timeMs(record.seq),
        meta: append.meta(record.seq),
        command: append.command(record.seq),
        events: append.events(record.seq),
      }).toEqual(record);
      expect(append.hash(record.seq)).toBe(record.seq.toString(16).padStart(64, "0"));
    }
    expect(feed.at(1)).toBeNull();
    feed.close();
  });

  it("holds appends up to its byte limit exactly; one over is dropped, and its records are left to the store", async () => {
    const a = appended(records(1, 2));
    const b = appended(records(3, 2));
    const c = appended(records(5, 1));
    const d = appended(records(6, 2));
    const limit = a.text.byteLength + b.text.byteLength;
    const feed = await fed([a, b, c, d], limit);
    expect(feed.at(1)!.last).toBe(2);
    // a and b fill the limit: c (one record more) was dropped, and so was d.
    expect(feed.at(3)!.first).toBe(3);
    expect(feed.at(5)).toBeNull();
    expect(feed.unheldFrom(5)).toBe(Number.POSITIVE_INFINITY);
    feed.close();

    // One byte under the two: b is dropped and c, after it, held; records 3 and 4 are read from the store.
    const tight = await fed([a, b, c], limit - 1);
    expect(tight.at(1)!.last).toBe(2);
    expect(tight.at(3)).toBeNull();
    expect(tight.unheldFrom(3)).toBe(2);
    expect(tight.at(5)!.first).toBe(5);
    tight.close();
  });

  it("tells the thread each append's last seq as its durable head, held or dropped", async () => {
    const a = appended(records(1, 2));
    const b = appended(records(3, 3));
    const c = appended(records(6, 1));
    const heads: number[] = [];
    // Room for a only: b and c are dropped, and still say how far the journal is durable.
    const feed = await fed([a, b, c], a.text.byteLength, (seq) => heads.push(seq));
    expect(heads).toEqual([2, 5, 6]);
    expect(feed.at(3)).toBeNull();
    feed.close();

    // The inbox the head is told to: it only moves on, and wakes a thread that waits.
    const channel = new MessageChannel();
    const inbox = new LeaderInbox(channel.port2, 4);
    inbox.advance(3);
    expect(inbox.target).toBe(4);
    const woken = inbox.next();
    inbox.advance(9);
    await woken;
    expect(inbox.target).toBe(9);
    channel.port1.close();
  });

  it("has kept up while the rest up to the head is in the newest append it holds", async () => {
    const feed = await fed([appended(records(1, 4)), appended(records(5, 4))]);
    // At 4 the next record is the newest append's first; at 3 a whole append is still to apply after this one.
    expect(feed.keptUp(4, 8)).toBe(true);
    expect(feed.keptUp(6, 8)).toBe(true);
    expect(feed.keptUp(3, 8)).toBe(false);
    // A head beyond the newest held (an append dropped or not yet taken) is not kept up with.
    expect(feed.keptUp(6, 9)).toBe(false);
    feed.close();
    expect(new AppendFeed(null).keptUp(0, 0)).toBe(false);
  });

  it("ignores an append that does not come after the newest it holds", async () => {
    const feed = await fed([appended(records(1, 3)), appended(records(3, 2)), appended(records(4, 1))]);
    expect(feed.at(1)!.last).toBe(3);
    expect(feed.at(4)!.first).toBe(4);
    expect(feed.at(4)!.last).toBe(4);
    feed.close();
  });

  it("an append sent just before it is asked for is waited for; a thread whose store does not feed it reads", async () => {
    const channel = new MessageChannel();
    const waiting = new AppendFeed(channel.port2);
    // The port listens from the feed's start (a thread's feed starts with the thread, long before its first append).
    await setImmediate();
    await setImmediate();
    channel.port1.postMessage(appended(records(1, 2)));
    expect((await waiting.take(1))?.last).toBe(2);
    waiting.close();
    const feed = new AppendFeed(null);
    expect(await feed.take(1)).toBeNull();
    expect(feed.at(1)).toBeNull();
    expect(feed.unheldFrom(1)).toBe(Number.POSITIVE_INFINITY);
  });
});
