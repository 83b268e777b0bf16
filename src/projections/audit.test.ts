import { describe, expect, it } from "vitest";
import { EngineRun, outcomeOf, T0 } from "../../test/support/engine-run.ts";
import type { Command } from "../engine/commands.ts";
import { AUDIT_ENTRIES_MAX, AUDIT_QUERY_LIMIT_DEFAULT, AuditTrail, auditKindOf } from "./audit.ts";

const OPERATOR = { actor: "op-1", role: "operator", source: "cli", requestId: "r-1" };
const TRADER = { actor: "trader-7", role: "trader", source: "rest" };

function trail() {
  const audit = new AuditTrail();
  const run = new EngineRun((outcome) => audit.apply(outcome));
  run.do({ type: "instrument.list", instrument: "PB", mode: "continuous", tickSize: 100, lotSize: 500 }, OPERATOR);
  run.do({ type: "phase.set", instrument: "PB", phase: "continuous" }, OPERATOR);
  run.timeMs = T0 + 60_000;
  run.do(
    {
      type: "order.new",
      instrument: "PB",
      orderId: "b1",
      account: "B1",
      side: "buy",
      orderType: "limit",
      price: 13_312_600,
      quantity: 10_500,
      tif: "DAY",
    },
    TRADER,
  );
  run.do(
    {
      type: "order.new",
      instrument: "PB",
      orderId: "b2",
      account: "B1",
      side: "buy",
      orderType: "limit",
      price: 13_000_000,
      quantity: 1250,
    },
    TRADER,
  );
  run.timeMs = T0 + 120_000;
  run.do({ type: "order.amend", orderId: "b1", quantity: 5000 }, TRADER);
  run.do({ type: "order.cancel", orderId: "b1" }, TRADER);
  run.do({ type: "reference.set", instrument: "PB", price: 13_000_000 }, { actor: "reg-1", role: "regulator" });
  run.do(null as unknown as Command);
  return { audit, run };
}

describe("audit trail", () => {
  it("quotes an unknown instrument once in every language, as the API's answer does", () => {
    const audit = new AuditTrail();
    const run = new EngineRun((outcome) => audit.apply(outcome));
    const command = {
      type: "order.new",
      instrument: "NOPE2",
      orderId: "x1",
      account: "B1",
      side: "buy",
      orderType: "limit",
      price: 13_000_000,
      quantity: 1000,
    } as const;
    run.do(command, TRADER);
    const entry = audit.get(1)!;
    expect([entry.code, entry.message]).toEqual(["INSTRUMENT_NOT_FOUND", "No instrument 'NOPE2' is listed."]);
    for (const language of ["ru", "kk"] as const) {
      const message = audit.inLanguage(entry, language).message!;
      expect(message).toContain("'NOPE2'");
      expect(message).not.toContain("''");
    }
  });

  it("tells each entry in Russian and Kazakh: summary and rejection sentence, values in the reader's conventions", () => {
    const { audit } = trail();
    const nbsp = "\u00a0";
    const kk = (seq: number) => audit.inLanguage(audit.get(seq)!, "kk");
    const ru = (seq: number) => audit.inLanguage(audit.get(seq)!, "ru");
    expect(kk(1).summary).toBe("PB құралын саудаға жіберу (үздіксіз сауда, қадам 1 ₸/т, лот 0,5 т)");
    expect(ru(2).summary).toBe("перевести PB в фазу непрерывные торги");
    expect(ru(3).summary).toBe(`покупка 10,5 т PB по 133${nbsp}126 ₸/т (лимитная, на день), заявка b1, счёт B1`);
    expect(kk(3).summary).toBe(
      `сатып алу: PB, 10,5 т 133${nbsp}126 ₸/т бағамен (лимиттік, күн ішінде), өтінім b1, шот B1`,
    );
    expect(kk(4)).toMatchObject({
      code: "ORDER_QUANTITY_OFF_LOT",
      message: "1,25 т мөлшері лот көлеміне (0,5 т) еселік емес.",
      outcome: "rejected",
    });
    expect(ru(4).message).toBe("Количество 1,25 т не кратно размеру лота 0,5 т.");
    expect(kk(5).summary).toBe("b1 өтінімін өзгерту: қалдық 5 т");
    expect(ru(7).summary).toBe(`установить референтную цену PB: 130${nbsp}000 ₸/т`);
    expect(kk(8).summary).toBe("? командасы");
    // English is the entry as kept, and nothing but the texts changes with the language.
    expect(audit.inLanguage(audit.get(3)!, "en")).toStrictEqual(audit.get(3));
    const { summary: _s, message: _m, ...rest } = kk(4);
    const { summary: _s2, message: _m2, ...restEn } = audit.get(4)!;
    expect(rest).toEqual(restEn);
  });

  it("records who, when, what and the outcome of every command", () => {
    const { audit } = trail();
    expect(audit.size).toBe(8);
    expect(audit.get(1)).toEqual({
      seq: 1,
      timeMs: T0,
      time: "2026-01-05T06:00:00.000Z",
      actor: "op-1",
      role: "operator",
      source: "cli",
      requestId: "r-1",
      commandType: "instrument.list",
      kind: "listing",
      instrument: "PB",
      account: null,
      summary: "list PB (continuous, tick 1.00 KZT, lot 0.5 t)",
      outcome: "accepted",
      code: null,
      message: null,
      events: 1,
    });
    expect(audit.get(3)).toMatchObject({
      time: "2026-01-05T06:01:00.000Z",
      actor: "trader-7",
      requestId: null,
      account: "B1",
      summary: "buy 10.5 t PB at 133126.00 KZT/t (limit, DAY), order b1, account B1",
      outcome: "accepted",
    });
    expect(audit.get(4)).toMatchObject({
      outcome: "rejected",
      code: "ORDER_QUANTITY_OFF_LOT",
      message: "Quantity 1250 is not a multiple of the lot size 500.",
      summary: "buy 1.25 t PB at 130000.00 KZT/t (limit), order b2, account B1",
    });
    // An amend and a cancel name only the order; the trail finds its instrument and account.
    expect(audit.get(5)).toMatchObject({
      commandType: "order.amend",
      instrument: "PB",
      account: "B1",
      summary: "amend order b1: open 5 t",
    });
    expect(audit.get(6)).toMatchObject({ instrument: "PB", account: "B1", summary: "cancel order b1" });
    expect(audit.get(7)).toMatchObject({ summary: "set PB reference price to 130000.00 KZT/t", role: "regulator" });
    expect(audit.get(8)).toMatchObject({
      commandType: "unknown",
      summary: "command ?",
      outcome: "rejected",
      code: "COMMAND_UNKNOWN",
      actor: null,
    });
  });

  it("filters by an instrument id or its leading part up to a hyphen, whatever its case", () => {
    const audit = new AuditTrail();
    const run = new EngineRun((outcome) => audit.apply(outcome));
    for (const [n, instrument] of ["PB-TCO-ATYRAU-2026-12", "PB-TCO-KZ-2026-12", "PB-TCOX-KZ-2026-12"].entries()) {
      const order = { type: "order.new", instrument, orderId: `o${n}`, account: "B1", side: "buy" } as const;
      run.do({ ...order, orderType: "limit", price: 13_000_000, quantity: 1000 }, TRADER);
    }
    const seqs = (instrument: string) => audit.query({ instrument }).map((e) => e.seq);
    expect(seqs("pb-tco")).toEqual([2, 1]);
    expect(seqs("PB-TCOX")).toEqual([3]);
    expect(seqs("pb-tco-kz-2026-12")).toEqual([2]);
    expect(seqs("PB")).toEqual([3, 2, 1]);
    // Not a part up to a hyphen: nothing.
    expect(seqs("PB-TC")).toEqual([]);
    expect(seqs("PB-TCO-")).toEqual([]);
    expect(seqs("PB-TCO-ATYRAU-2026-12-1")).toEqual([]);
  });

  it("filters by actor, instrument, account, command type, outcome and time, newest first, with paging", () => {
    const { audit } = trail();
    const seqs = (filter: Parameters<AuditTrail["query"]>[0]) => audit.query(filter).map((e) => e.seq);
    expect(seqs({})).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(seqs({ actor: "trader-7" })).toEqual([6, 5, 4, 3]);
    expect(seqs({ instrument: "PB", commandType: "order.new" })).toEqual([4, 3]);
    // An instrument typed in lower case finds the upper-case id; one no entry names finds nothing.
    expect(seqs({ instrument: "pb", commandType: "order.new" })).toEqual([4, 3]);
    expect(seqs({ instrument: "pb-x" })).toEqual([]);
    expect(seqs({ account: "B1", outcome: "accepted" })).toEqual([6, 5, 3]);
    expect(seqs({ outcome: "rejected" })).toEqual([8, 4]);
    expect(seqs({ fromMs: T0 + 60_000, toMs: T0 + 120_000 })).toEqual([4, 3]);
    expect(seqs({ fromMs: T0 + 120_000 })).toEqual([8, 7, 6, 5]);
    expect(seqs({ limit: 2 })).toEqual([8, 7]);
    expect(seqs({ limit: 2, beforeSeq: 7 })).toEqual([6, 5]);
    expect(seqs({ limit: 0 })).toEqual([]);
  });

  it("summarises malformed commands without trusting their fields", () => {
    const audit = new AuditTrail();
    const weird = { type: "order.new", side: { a: 1 }, quantity: "lots", price: -5, orderId: "x".repeat(200) };
    const entry = audit.apply(outcomeOf(1, T0, [], weird as unknown as Command));
    expect(entry.summary).toBe(`{"a":1} lots ? at -0.05 KZT/t (?), order ${"x".repeat(61)}..., account ?`);
    expect(audit.apply(outcomeOf(2, Number.MAX_SAFE_INTEGER, [], { type: "time.tick" })).time).toBe(
      String(Number.MAX_SAFE_INTEGER),
    );
  });

  it("tells a command type's kind the same whether remembered or not, past the bound of types remembered", () => {
    // Malformed commands bring any type: far more types than the memo keeps, then known and unknown ones again.
    for (let i = 0; i < 1000; i++) expect(auditKindOf(`x${i}.y`)).toBe("system");
    for (let round = 0; round < 2; round++) {
      expect(auditKindOf("order.new")).toBe("trading");
      expect(auditKindOf("order.bogus")).toBe("trading");
      expect(auditKindOf("halt")).toBe("controls");
      expect(auditKindOf("notices.mail")).toBe("system");
      expect(auditKindOf("notices.read")).toBe("membership");
      expect(auditKindOf("case")).toBe("surveillance");
      expect(auditKindOf("")).toBe("system");
      expect(auditKindOf("x999.y")).toBe("system");
    }
  });

  it("keeps the newest AUDIT_ENTRIES_MAX entries", () => {
    const audit = new AuditTrail();
    const n = AUDIT_ENTRIES_MAX + 3;
    for (let seq = 1; seq <= AUDIT_ENTRIES_MAX; seq++) audit.apply(outcomeOf(seq, T0 + seq, []));
    // Full but whole: every command since the first is still there.
    expect(audit.wholeSinceMs()).toBeNull();
    for (let seq = AUDIT_ENTRIES_MAX + 1; seq <= n; seq++) audit.apply(outcomeOf(seq, T0 + seq, []));
    expect(audit.wholeSinceMs()).toBe(T0 + 4);
    expect(audit.size).toBe(AUDIT_ENTRIES_MAX);
    expect(audit.get(3)).toBeNull();
    expect(audit.get(4)?.seq).toBe(4);
    expect(audit.get(n)?.seq).toBe(n);
    expect(audit.query()).toHaveLength(AUDIT_QUERY_LIMIT_DEFAULT);
    expect(audit.query({ fromMs: T0 + n - 1 }).map((e) => e.seq)).toEqual([n, n - 1]);
  });
});
