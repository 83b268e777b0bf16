import { describe, expect, it } from "vitest";
import { T0 } from "../../test/support/engine-run.ts";
import { candlesCsv, csvField, sessionsCsv, toCsv, toJsonable, tradesCsv } from "./export.ts";
import type { Candle, TapeTrade } from "./market-data.ts";
import type { SessionResult } from "./sessions.ts";

describe("CSV (RFC 4180)", () => {
  it("quotes fields with commas, quotes or line breaks, and defuses formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\r\nlines")).toBe('"two\r\nlines"');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("@cmd,x")).toBe(`"'@cmd,x"`);
    expect(csvField(-5)).toBe("-5");
    expect(csvField(12_345_678_901_234_567_890n)).toBe("12345678901234567890");
    expect(csvField(null)).toBe("");
    expect(csvField(true)).toBe("true");
    expect(
      toCsv(
        ["a", "b"],
        [
          ["1", 2],
          [null, "x,y"],
        ],
      ),
    ).toBe('a,b\r\n1,2\r\n,"x,y"\r\n');
  });

  it("writes trades, candles and session results", () => {
    const trades: TapeTrade[] = [
      {
        seq: 9,
        timeMs: T0,
        tradeId: "PB-2",
        instrument: "PB",
        priceTiynPerTonne: 13_312_600,
        quantityKg: 5000,
        aggressor: "buy",
      },
      {
        seq: 7,
        timeMs: T0,
        tradeId: "PB-1",
        instrument: "PB",
        priceTiynPerTonne: 13_300_000,
        quantityKg: 1000,
        aggressor: null,
        voided: { seq: 12, timeMs: T0 + 60_000, reason: "entry rules, broken", rule: "Rulebook 4.2" },
      },
    ];
    expect(tradesCsv(trades)).toBe(
      "seq,time,trade_id,instrument,price_tiyn_per_tonne,quantity_kg,aggressor,voided_at,void_rule,void_reason\r\n" +
        "9,2026-01-05T06:00:00.000Z,PB-2,PB,13312600,5000,buy,,,\r\n" +
        '7,2026-01-05T06:00:00.000Z,PB-1,PB,13300000,1000,auction,2026-01-05T06:01:00.000Z,Rulebook 4.2,"entry rules, broken"\r\n',
    );
    const candle: Candle = {
      instrument: "PB",
      interval: "1h",
      startMs: T0,
      endMs: T0 + 3_600_000,
      openTiynPerTonne: 100,
      highTiynPerTonne: 110,
      lowTiynPerTonne: 90,
      closeTiynPerTonne: 95,
      volumeKg: 3000n,
      valueMilliTiyn: 300_000n,
      valueTiyn: 300n,
      vwapTiynPerTonne: 100,
      trades: 3,
    };
    expect(candlesCsv([candle]).split("\r\n")[1]).toBe(
      "PB,1h,2026-01-05T06:00:00.000Z,2026-01-05T07:00:00.000Z,100,110,90,95,100,3000,300,3",
    );
    const result: SessionResult = {
      instrument: "PB",
      session: 3,
      startSeq: 1,
      startMs: T0,
      endSeq: null,
      endMs: null,
      referencePriceTiynPerTonne: null,
      openTiynPerTonne: null,
      highTiynPerTonne: null,
      lowTiynPerTonne: null,
      closeTiynPerTonne: null,
      vwapTiynPerTonne: null,
      trades: 0,
      volumeKg: 0n,
      valueMilliTiyn: 0n,
      valueTiyn: 0n,
      offeredKg: 2000n,
      bidKg: 0n,
      buyers: 0,
      sellers: 0,
    };
    expect(sessionsCsv([result])).toBe(
      "instrument,session,start,end,reference_tiyn_per_tonne,open_tiyn_per_tonne,high_tiyn_per_tonne," +
        "low_tiyn_per_tonne,close_tiyn_per_tonne,vwap_tiyn_per_tonne,trades,volume_kg,value_tiyn,offered_kg,bid_kg," +
        "buyers,sellers,voided_trades,voided_kg,revised_at\r\nPB,3,2026-01-05T06:00:00.000Z,,,,,,,,0,0,0,2000,0,0,0,0,0,\r\n",
    );
  });
});

describe("JSON-friendly shapes", () => {
  it("turns bigints into decimal strings, deeply, and leaves the rest", () => {
    const value = { a: 1n, b: [2n, { c: 123_456_789_012_345_678_901n }], d: null, e: "x", f: 1.5 };
    const json = toJsonable(value);
    expect(json).toEqual({ a: "1", b: ["2", { c: "123456789012345678901" }], d: null, e: "x", f: 1.5 });
    expect(JSON.stringify(json)).toBe('{"a":"1","b":["2",{"c":"123456789012345678901"}],"d":null,"e":"x","f":1.5}');
    const typed: { volumeKg: string } = toJsonable({ volumeKg: 5n });
    expect(typed.volumeKg).toBe("5");
  });
});
