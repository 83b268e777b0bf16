/**
 * An order sent over the WebSocket has its meta's stored text made from a prefix the connection makes once
 * (`storedMetaPrefix`), not by the sequencer's copy and JSON: the text must be the bytes `JSON.stringify` gives for the
 * meta, whatever its strings hold (the journal's stored bytes must not change).
 */

import { describe, expect, it } from "vitest";
import { storedMetaPrefix } from "../../src/gateway/streams/connection.ts";

/** A seeded generator (mulberry32), so the strings are the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [
  '"',
  "\\",
  "/",
  "\n",
  "\t",
  "\u0000",
  "\u001f",
  "\u2028",
  "é",
  "Ә",
  "😀",
  "\ud800",
  "a",
  "7",
  " ",
  "{",
  "}",
];

function text(next: () => number): string {
  const length = Math.floor(next() * 12);
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return out;
}

describe("storedMetaPrefix", () => {
  it("with an order's request id gives the bytes JSON.stringify gives for the meta (seeded strings)", () => {
    const next = random(16);
    for (let i = 0; i < 2000; i++) {
      const meta = { actor: text(next), role: text(next), source: text(next), requestId: text(next) };
      const prefix = storedMetaPrefix(meta);
      expect(prefix).not.toBeNull();
      const requestId = `${text(next)}/${i}`;
      expect(`${prefix}${JSON.stringify(requestId)}}`).toBe(JSON.stringify({ ...meta, requestId }));
    }
  });

  it("is null when the request id is not the last field or a field is not a string", () => {
    expect(storedMetaPrefix({ requestId: "r", actor: "a" })).toBeNull();
    expect(storedMetaPrefix({ actor: "a", role: undefined, requestId: "r" })).toBeNull();
    expect(storedMetaPrefix({ actor: "a" })).toBeNull();
    expect(storedMetaPrefix({ actor: "a", requestId: "r" })).toBe('{"actor":"a","requestId":');
  });
});
