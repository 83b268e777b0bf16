/**
 * The `void` notification over HTTP (docs/notifications.md, docs/documents.md §5): when the operator voids a trade,
 * both parties' members are told, with the trade, instrument, quantity, price, the rule and the reason, in the
 * reader's language (texts compared in full in English, Russian and Kazakh); a refused void tells nobody; a member
 * that unticks `void` in its settings no longer sees them in the browser.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTRUMENT, type Session, T0, TestServer } from "../support/server.ts";

interface Listed {
  readonly id: string;
  readonly kind: string;
  readonly text: string;
}

describe("the void notification", () => {
  let server: TestServer;
  let aktau: Session;
  let kazgpz: Session;
  let operator: Session;
  let tradeId = "";
  let voidSeq = 0;
  const rule = "Rulebook §4.2";
  const reason = "orders entered after the cut-off";

  beforeAll(async () => {
    server = await TestServer.start({ server: { noticeTimer: false } });
    aktau = await server.login("aktau-trader");
    kazgpz = await server.login("kazgpz-trader");
    operator = await server.login("operator");
  });

  afterAll(async () => {
    await server.close();
  });

  async function voids(session: Session, lang: string): Promise<Listed[]> {
    const list = await server.call(session, "GET", `/api/notifications?lang=${lang}`);
    expect(list.status).toBe(200);
    return (list.body.notifications as Listed[]).filter((n) => n.kind === "void");
  }

  async function trade(clientOrderId: string): Promise<string> {
    const order = { instrument: INSTRUMENT, price: 13_300_000, quantity: 2000 };
    const sell = await server.call(kazgpz, "POST", "/api/orders", {
      ...order,
      account: "KAZGPZ-1",
      clientOrderId: `${clientOrderId}-s`,
      side: "sell",
    });
    expect(sell.status).toBe(201);
    const buy = await server.call(aktau, "POST", "/api/orders", {
      ...order,
      account: "AKTAU-1",
      clientOrderId: `${clientOrderId}-b`,
      side: "buy",
    });
    expect(buy.status).toBe(201);
    return buy.body.trades[0].tradeId as string;
  }

  it("a refused void (unknown trade) tells nobody", async () => {
    tradeId = await trade("v-1");
    const refused = await server.call(operator, "POST", `/api/admin/trades/${tradeId}9/void`, { reason, rule });
    expect([refused.status, refused.body.error.code]).toEqual([404, "TRADE_NOT_FOUND"]);
    expect(await voids(aktau, "en")).toEqual([]);
    expect(await voids(kazgpz, "en")).toEqual([]);
  });

  it("a void tells the buyer's and the seller's member, exactly, in their language", async () => {
    const answer = await server.call(operator, "POST", `/api/admin/trades/${tradeId}/void`, { reason, rule });
    expect(answer.status).toBe(200);
    voidSeq = answer.body.seq;
    expect(answer.body.obligation.status).toBe("voided");
    expect(answer.body.reoffer).toMatchObject({ id: `RO-${voidSeq}-1`, source: tradeId, quantityKg: 2000 });
    const obligation = `OB-${tradeId.slice(2)}`;
    const facts = {
      kind: "void",
      obligation,
      tradeId,
      instrument: INSTRUMENT,
      buyer: "AKTAU-1",
      seller: "KAZGPZ-1",
      priceTiynPerTonne: 13_300_000,
      quantityKg: 2000,
      rule,
      reason,
    };

    // The buyer, in English and Russian.
    const en = await voids(aktau, "en");
    expect(en).toEqual([
      {
        id: `N-${voidSeq}-1`,
        member: "AKTAU",
        timeMs: T0,
        kind: "void",
        read: false,
        text: `Trade ${tradeId} (2 t of ${INSTRUMENT} at 133,000 ₸/t, account KAZGPZ-1 to account AKTAU-1) was voided by the operator for breach of Rulebook §4.2. Reason: orders entered after the cut-off. Its obligation ${obligation} is unwound: no payment or delivery is due on it.`,
        facts,
        mail: null,
      },
    ]);
    expect((await voids(aktau, "ru")).map((n) => n.text)).toEqual([
      `Сделка ${tradeId} (2 т ${INSTRUMENT} по 133\u00a0000 ₸/т, счёт KAZGPZ-1 — счёту AKTAU-1) аннулирована оператором за нарушение: Rulebook §4.2. Основание: orders entered after the cut-off. Обязательство ${obligation} свёрнуто: оплата и поставка по нему не требуются.`,
    ]);
    // The seller, in Kazakh: its own notification, with the same facts.
    const kk = await voids(kazgpz, "kk");
    expect(kk).toEqual([
      expect.objectContaining({
        id: `N-${voidSeq}-2`,
        member: "KAZGPZ",
        facts,
        text: `${tradeId} мәмілесін (${INSTRUMENT} 2 т 133\u00a0000 ₸/т бағасымен, KAZGPZ-1 шотынан AKTAU-1 шотына) оператор ереже бұзылғаны үшін жойды: Rulebook §4.2. Себебі: orders entered after the cut-off. ${obligation} міндеттемесі кері қайтарылды: ол бойынша төлем де, жеткізу де талап етілмейді.`,
      }),
    ]);
    // Voiding it again is refused and tells nobody more.
    const again = await server.call(operator, "POST", `/api/admin/trades/${tradeId}/void`, { reason, rule });
    expect([again.status, again.body.error.code]).toEqual([409, "TRADE_NOT_VOIDABLE"]);
    expect(await voids(aktau, "en")).toHaveLength(1);
    expect(await voids(kazgpz, "en")).toHaveLength(1);
  });

  it("a member that unticks `void` no longer sees them in the browser; the other still does", async () => {
    const preferences = await server.call(kazgpz, "PUT", "/api/notifications/preferences", {
      web: ["fill", "cancel", "shortfall", "deadline", "default", "deal"],
      mail: [],
      email: null,
      language: null,
    });
    expect(preferences.status).toBe(200);
    expect(await voids(kazgpz, "en")).toEqual([]);
    const second = await trade("v-2");
    const answer = await server.call(operator, "POST", `/api/admin/trades/${second}/void`, { reason, rule });
    expect(answer.status).toBe(200);
    expect(await voids(kazgpz, "en")).toEqual([]);
    expect(
      (await voids(aktau, "en")).map((n) => [n.id, (n as unknown as { facts: { tradeId: string } }).facts.tradeId]),
    ).toEqual([
      [`N-${answer.body.seq}-1`, second],
      [`N-${voidSeq}-1`, tradeId],
    ]);
    // Ticked again, the seller's kept notifications show again (settings filter the list, they delete nothing).
    const back = await server.call(kazgpz, "PUT", "/api/notifications/preferences", {
      web: ["void"],
      mail: [],
      email: null,
      language: null,
    });
    expect(back.status).toBe(200);
    expect((await voids(kazgpz, "en")).map((n) => n.id)).toEqual([`N-${answer.body.seq}-2`, `N-${voidSeq}-2`]);
  });
});
