/** Exact conversion between FIX numbers (tenge per tonne, tonnes) and sauda's integers, and FIX framing. */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encode, Framer, FramingError, fieldsText, MESSAGE_BYTES_MAX } from "../../src/gateway/fix/codec.ts";
import { kgOf, tengeText, tiynPerTonneOf, tonnesText } from "../../src/gateway/fix/units.ts";

describe("FIX numbers", () => {
  it.each([
    ["133000", 13_300_000],
    ["133000.5", 13_300_050],
    ["133000.50", 13_300_050],
    ["133000.500", 13_300_050],
    ["0.01", 1],
    ["0", 0],
  ])("price %s tenge/t is %d tiyn/t", (text, tiyn) => {
    expect(tiynPerTonneOf(text)).toBe(tiyn);
  });

  it.each(["133000.005", "1e5", "-1", "+1", " 1", "1.", ".5", "1,5", "", "0x10", "1234567890123456"])(
    "price %j does not convert",
    (text) => {
      expect(tiynPerTonneOf(text)).toBeNull();
    },
  );

  it.each([
    ["5", 5000],
    ["2.5", 2500],
    ["0.001", 1],
    ["1000000", 1_000_000_000],
  ])("quantity %s t is %d kg", (text, kg) => {
    expect(kgOf(text)).toBe(kg);
  });

  it.each(["0.0005", "2.5001", "1e3"])("quantity %j does not convert", (text) => {
    expect(kgOf(text)).toBeNull();
  });

  it("writes the shortest exact decimal and reads it back to the same integer", () => {
    expect(tengeText(13_300_050)).toBe("133000.5");
    expect(tengeText(13_300_000)).toBe("133000");
    expect(tonnesText(2250)).toBe("2.25");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), (value) => {
        expect(tiynPerTonneOf(tengeText(value))).toBe(value);
        expect(kgOf(tonnesText(value))).toBe(value);
      }),
      { seed: 17, numRuns: 2000 },
    );
  });
});

describe("FIX framing", () => {
  const message = encode(
    [
      [35, "0"],
      [49, "A"],
      [56, "B"],
      [34, "1"],
    ],
    fieldsText([[112, "x"]]),
  );

  it("computes BodyLength and CheckSum as the standard's example does", () => {
    // 35=0␁49=A␁56=B␁34=1␁112=x␁ is 26 bytes.
    expect(message.startsWith("8=FIX.4.4\x019=26\x0135=0\x01")).toBe(true);
    let sum = 0;
    const end = message.indexOf("10=");
    for (let i = 0; i < end; i++) sum += message.charCodeAt(i);
    expect(message.slice(end)).toBe(`10=${String(sum % 256).padStart(3, "0")}\x01`);
  });

  it("splits messages across and within chunks", () => {
    const framer = new Framer();
    const bytes = Buffer.from(message + message + message, "latin1");
    const first = framer.push(bytes.subarray(0, 40));
    const rest = framer.push(bytes.subarray(40));
    expect(first.messages.length + rest.messages.length).toBe(3);
    expect(rest.messages[0]!.fields.get(112)).toBe("x");
  });

  it("drops a message with a wrong checksum and keeps reading", () => {
    const framer = new Framer();
    const garbled = message.replace(/10=\d{3}/, "10=000");
    const result = framer.push(Buffer.from(garbled + message, "latin1"));
    expect(result.garbled).toBe(1);
    expect(result.messages.length).toBe(1);
  });

  it("refuses a stream that is not FIX 4.4 and a message over the size limit", () => {
    expect(() => new Framer().push(Buffer.from("GET / HTTP/1.1\r\n"))).toThrow(FramingError);
    expect(() => new Framer().push(Buffer.from(`8=FIX.4.4\x019=${MESSAGE_BYTES_MAX}\x01`))).toThrow(FramingError);
  });

  it("notes a repeated tag", () => {
    const repeated = encode(
      [
        [35, "D"],
        [11, "a"],
      ],
      fieldsText([[11, "b"]]),
    );
    const result = new Framer().push(Buffer.from(repeated, "latin1"));
    expect(result.messages[0]!.repeatedTag).toBe(11);
  });
});
