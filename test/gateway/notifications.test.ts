/**
 * Notifications over the API, the stream and e-mail: a member chooses its channels, a fill and a default reach the
 * list, the live channel and an SMTP server this test runs on loopback (smtp-server; messages parsed with mailparser
 * and compared in full), deadline notices come from the server's clock, read marks and settings survive a restart, and
 * nothing is mailed twice.
 */

import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { localize } from "../../src/domain/messages.ts";
import { NOTICE_READ_IDS_MAX } from "../../src/engine/notices.ts";
import { INSTRUMENT, type Session, T0, TestServer } from "../support/server.ts";

interface Received {
  readonly envelopeTo: string[];
  readonly mail: ParsedMail;
}

async function startSmtp(): Promise<{ server: SMTPServer; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    // Plain SMTP on loopback: no STARTTLS to negotiate, no login.
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({ envelopeTo: session.envelope.rcptTo.map((to) => to.address), mail });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address() as AddressInfo).port;
  return { server, port, received };
}

describe("notifications", () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let server: TestServer;
  let aktau: Session;
  let kazgpz: Session;

  beforeAll(async () => {
    smtp = await startSmtp();
    server = await TestServer.start({
      server: {
        noticeTimer: false,
        mail: { url: `smtp://127.0.0.1:${smtp.port}`, from: "sauda <notices@sauda.test>" },
      },
    });
    aktau = await server.login("aktau-trader");
    kazgpz = await server.login("kazgpz-trader");
  });

  afterAll(async () => {
    await server.close();
    await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
  });

  it("a member's settings start at every kind in the browser and no e-mail; a trader changes them", async () => {
    const before = await server.call(aktau, "GET", "/api/notifications/preferences");
    expect(before.body).toEqual({
      web: ["fill", "cancel", "shortfall", "deadline", "default", "deal", "void"],
      mail: [],
      email: null,
      language: null,
    });
    const set = await server.call(aktau, "PUT", "/api/notifications/preferences", {
      web: ["fill", "deadline", "default"],
      mail: ["fill", "deadline", "default"],
      email: "desk@aktau.kz",
      language: "kk",
    });
    expect(set.status).toBe(200);
    expect(set.body.preferences).toEqual({
      web: ["fill", "deadline", "default"],
      mail: ["fill", "deadline", "default"],
      email: "desk@aktau.kz",
      language: "kk",
    });
    // The seller mails defaults only, in Russian (no language chosen).
    const seller = await server.call(kazgpz, "PUT", "/api/notifications/preferences", {
      web: ["fill", "default"],
      mail: ["default"],
      email: "back-office@kazgpz.kz",
      language: null,
    });
    expect(seller.status).toBe(200);
    const audit = await server.call(
      await server.login("regulator"),
      "GET",
      "/api/regulator/audit?commandType=notices.prefer",
    );
    expect(audit.body.entries.map((e: { actor: string }) => e.actor)).toEqual(["kazgpz-trader", "aktau-trader"]);
  });

  it("refuses a bad address, an unknown kind and a viewer, changing nothing", async () => {
    const seq = server.exchange.projections.lastSeq;
    const badEmail = await server.call(aktau, "PUT", "/api/notifications/preferences", {
      web: [],
      mail: ["fill"],
      email: "not an address",
      language: null,
    });
    expect([badEmail.status, badEmail.body.error.code, badEmail.body.error.details.field]).toEqual([
      400,
      "FIELD_INVALID",
      "email",
    ]);
    const badKind = await server.call(aktau, "PUT", "/api/notifications/preferences", {
      web: ["fills"],
      mail: [],
      email: null,
      language: null,
    });
    expect([badKind.status, badKind.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    // Kinds to be e-mailed without an address would never be mailed: refused before the engine, as the form does.
    const noAddress = await server.call(aktau, "PUT", "/api/notifications/preferences", {
      web: [],
      mail: ["fill", "default"],
      email: null,
      language: null,
    });
    expect([noAddress.status, noAddress.body.error.code, noAddress.body.error.details]).toEqual([
      400,
      "NOTICE_EMAIL_REQUIRED",
      { kinds: "fill, default" },
    ]);
    expect(noAddress.body.error.message).toBe(
      "E-mail is chosen for notifications (fill, default), but no address is given: give the address in email, or leave mail empty.",
    );
    // In Russian and Kazakh the kinds are named as the settings form names them.
    expect(localize("NOTICE_EMAIL_REQUIRED", noAddress.body.error.details, "ru")).toBe(
      "Для уведомлений («исполнение», «неисполнение») выбрана электронная почта, но адрес не указан: укажите адрес или не выбирайте отправку по почте.",
    );
    expect(localize("NOTICE_EMAIL_REQUIRED", noAddress.body.error.details, "kk")).toBe(
      "Хабарламалар («орындалу», «орындамау») үшін электрондық пошта таңдалған, бірақ мекенжай көрсетілмеген: мекенжайды көрсетіңіз немесе поштамен жіберуді таңдамаңыз.",
    );
    const viewer = await server.call(await server.login("aktau-viewer"), "PUT", "/api/notifications/preferences", {
      web: [],
      mail: [],
      email: null,
      language: null,
    });
    expect([viewer.status, viewer.body.error.code]).toEqual([403, "FORBIDDEN"]);
    // The rejected command is journaled (a `rejected` outcome) only for the address the engine checks.
    expect(server.exchange.projections.lastSeq).toBe(seq + 1);
    expect(server.exchange.projections.notices.preferencesOf("AKTAU").email).toBe("desk@aktau.kz");
  });

  it("a member's administrator changes the settings too, audited as the administrator; its read-only key may not", async () => {
    await server.addUser("aktau-admin", "administrator", "AKTAU");
    const admin = await server.login("aktau-admin");
    const before = (await server.call(admin, "GET", "/api/notifications/preferences")).body;
    expect(before.email).toBe("desk@aktau.kz");
    const changed = { ...before, mail: ["default"], email: "office@aktau.kz", language: "ru" };
    const set = await server.call(admin, "PUT", "/api/notifications/preferences", changed);
    expect(set.status).toBe(200);
    expect(set.body.preferences).toEqual(changed);
    // Read back as the member's trader: the settings are the member's.
    expect((await server.call(aktau, "GET", "/api/notifications/preferences")).body).toEqual(changed);
    const audit = await server.call(
      await server.login("regulator"),
      "GET",
      "/api/regulator/audit?commandType=notices.prefer&limit=1",
    );
    expect(audit.body.entries[0]).toMatchObject({ actor: "aktau-admin", role: "administrator", outcome: "accepted" });
    // A key of the administrator's that may only read: refused with its own code, nothing journaled.
    const seq = server.exchange.projections.lastSeq;
    const readKey = await server.apiKey("aktau-admin", ["read"]);
    const refused = await readKey("PUT", "/api/notifications/preferences", before);
    expect([refused.status, refused.body.error.code, refused.body.error.details.scope]).toEqual([
      403,
      "FORBIDDEN_SCOPE",
      "trade",
    ]);
    expect(server.exchange.projections.lastSeq).toBe(seq + 1); // the key's creation only
    // Put back as they were, by the administrator, for the scenarios that follow.
    expect((await server.call(admin, "PUT", "/api/notifications/preferences", before)).status).toBe(200);
    expect(server.exchange.projections.notices.preferencesOf("AKTAU")).toEqual(before);
  });

  it("a fill reaches the list, the live channel and the chosen e-mail, exactly", async () => {
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/api/stream`, {
      headers: { cookie: aktau.cookie, "accept-language": "ru" },
    });
    const messages: {
      type: string;
      channel?: string;
      unread?: number;
      notifications?: { id: string; text: string }[];
    }[] = [];
    socket.on("message", (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.once("open", resolve));
    socket.send(JSON.stringify({ op: "subscribe", channel: "notifications" }));
    await expect.poll(() => messages.filter((m) => m.type === "snapshot").length).toBe(1);
    expect(messages.find((m) => m.type === "snapshot")).toMatchObject({ channel: "notifications", unread: 0 });

    const sell = await server.call(kazgpz, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "KAZGPZ-1",
      clientOrderId: "n-sell-1",
      side: "sell",
      price: 13_300_000,
      quantity: 10_000,
    });
    expect(sell.status).toBe(201);
    const buy = await server.call(aktau, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "AKTAU-1",
      clientOrderId: "n-buy-1",
      side: "buy",
      price: 13_300_000,
      quantity: 10_000,
    });
    expect(buy.status).toBe(201);
    const tradeId: string = buy.body.trades[0].tradeId;

    // The e-mail is sent and its attempt recorded (a journal command) after the answer.
    await server.app.notifier.idle();
    const list = await server.call(aktau, "GET", "/api/notifications");
    expect(list.body.unread).toBe(1);
    expect(list.body.notifications).toHaveLength(1);
    const fill = list.body.notifications[0];
    expect(fill).toEqual({
      id: `N-${buy.body.seq}-1`,
      member: "AKTAU",
      timeMs: T0,
      kind: "fill",
      read: false,
      text: `Your order on account AKTAU-1 bought 10 t of ${INSTRUMENT} at 133,000 ₸/t (trade ${tradeId}).`,
      facts: {
        kind: "fill",
        instrument: INSTRUMENT,
        tradeId,
        account: "AKTAU-1",
        side: "buy",
        priceTiynPerTonne: 13_300_000,
        quantityKg: 10_000,
      },
      mail: { status: "delivered", attempts: 1, lastAttemptMs: T0, lastError: null, nextAttemptMs: null },
    });
    // Live, in the socket's language; then, once the e-mail's attempt is recorded, an update without notifications
    // (the list changed: a client fetches it again).
    await expect.poll(() => messages.filter((m) => m.type === "update").length).toBe(2);
    const update = messages.find((m) => m.type === "update")!;
    expect(update.unread).toBe(1);
    expect(messages.filter((m) => m.type === "update")[1]).toMatchObject({ unread: 1, notifications: [] });
    expect(update.notifications?.map((n) => [n.id, n.text])).toEqual([
      [fill.id, `Ваша заявка по счёту AKTAU-1: куплено 10 т ${INSTRUMENT} по 133\u00a0000 ₸/т (сделка ${tradeId}).`],
    ]);
    socket.close();

    // By e-mail to the buyer only (the seller mails defaults only), in Kazakh.
    await server.app.notifier.idle();
    expect(smtp.received).toHaveLength(1);
    const { envelopeTo, mail } = smtp.received[0]!;
    expect(envelopeTo).toEqual(["desk@aktau.kz"]);
    expect(mail.from?.value).toEqual([{ address: "notices@sauda.test", name: "sauda" }]);
    expect(mail.subject).toBe("sauda: Өтінім орындалды (AKTAU)");
    expect(mail.text).toBe(
      `AKTAU-1 шоты бойынша өтініміңіз: ${INSTRUMENT} 10 т 133\u00a0000 ₸/т бағасымен сатып алынды (мәміле ${tradeId}).\n\n` +
        `05.01.2026 11:00, Қазақстан уақыты. ${fill.id}\n\n` +
        "-- \nsauda биржасы. Бұл хатты қатысушы осындай хабарламаларға e-mail таңдағандықтан алдыңыз («Аккаунт» беті).\n",
    );
  });

  it("marks read; an unknown id or too many ids change nothing", async () => {
    await server.app.notifier.idle();
    const list = await server.call(aktau, "GET", "/api/notifications");
    const id: string = list.body.notifications[0].id;
    const seq = server.exchange.projections.lastSeq;
    const unknown = await server.call(aktau, "POST", "/api/notifications/read", { ids: [id, "N-1-9"] });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "NOTIFICATION_NOT_FOUND"]);
    const ids = Array.from({ length: NOTICE_READ_IDS_MAX + 1 }, (_, i) => `N-${i}-1`);
    const tooMany = await server.call(aktau, "POST", "/api/notifications/read", { ids });
    expect([tooMany.status, tooMany.body.error.code]).toEqual([400, "REQUEST_INVALID"]);
    // Another member cannot mark AKTAU's notification (it has none by that id).
    const other = await server.call(await server.login("atyrau-trader"), "POST", "/api/notifications/read", {
      ids: [id],
    });
    expect([other.status, other.body.error.code]).toEqual([404, "NOTIFICATION_NOT_FOUND"]);
    expect(server.exchange.projections.lastSeq).toBe(seq);

    // A second tab hears the unread count fall.
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/api/stream`, {
      headers: { cookie: aktau.cookie },
    });
    const messages: { type: string; unread?: number; notifications?: unknown[] }[] = [];
    socket.on("message", (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.once("open", resolve));
    socket.send(JSON.stringify({ op: "subscribe", channel: "notifications" }));
    await expect.poll(() => messages.filter((m) => m.type === "snapshot").length).toBe(1);
    expect(messages.find((m) => m.type === "snapshot")?.unread).toBe(1);

    const read = await server.call(aktau, "POST", "/api/notifications/read", { ids: [id] });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ seq: seq + 1, unread: 0 });
    await expect.poll(() => messages.filter((m) => m.type === "update").length).toBe(1);
    expect(messages.find((m) => m.type === "update")).toMatchObject({ unread: 0, notifications: [], seq: seq + 1 });
    socket.close();
    const after = await server.call(aktau, "GET", "/api/notifications");
    expect(after.body.notifications.map((n: { id: string; read: boolean }) => [n.id, n.read])).toEqual([[id, true]]);
    expect((await server.call(aktau, "GET", "/api/notifications?unread=true")).body.notifications).toEqual([]);
    // The operator has no member: no notifications of its own.
    const operator = await server.call(await server.login("operator"), "GET", "/api/notifications");
    expect([operator.status, operator.body.error.code]).toEqual([403, "FORBIDDEN"]);
  });

  it("the payment deadline comes from the server's clock, then the default reaches both parties", async () => {
    const obligation = server.exchange.projections.accounts.obligations("AKTAU-1", { limit: 1 })[0]!;
    await server.app.notifier.idle();
    // A one-day payment window has no "day before" notice; nothing is due yet.
    server.nowMs = obligation.paymentDueMs - 1;
    server.app.notifier.tick();
    // Sessions expire as the clock moves a day on: sign in again.
    aktau = await server.login("aktau-trader");
    kazgpz = await server.login("kazgpz-trader");
    expect((await server.call(aktau, "GET", "/api/notifications")).body.unread).toBe(0);

    const beforeDeadline = server.exchange.health().seq;
    server.nowMs = obligation.paymentDueMs;
    server.app.notifier.tick();
    const due = await server.call(aktau, "GET", "/api/notifications?unread=true");
    expect(due.body.notifications.map((n: { id: string; text: string }) => [n.id, n.text])).toEqual([
      [
        `D-${obligation.id}-payment-due`,
        `Payment of 1,330,000 ₸ on obligation ${obligation.id} (trade ${obligation.tradeId}, ${INSTRUMENT}) is due now: 2026-01-06 11:00 Kazakhstan time.`,
      ],
    ]);
    // Again at the same time: made once.
    server.app.notifier.tick();
    expect((await server.call(aktau, "GET", "/api/notifications")).body.unread).toBe(1);

    // The engine defaults the buyer at the first command once the deadline has come: the tick below, or the record
    // of an e-mail attempt of the notice above if that lands first (its mail is sent meanwhile; on a loaded machine it
    // may be later than the tick).
    server.nowMs = obligation.paymentDueMs + 1;
    kazgpz = await server.login("kazgpz-trader");
    const tick = await server.exchange.submit({ type: "time.tick" });
    const seller = await server.call(kazgpz, "GET", "/api/notifications");
    expect(seller.body.notifications.map((n: { id: string; kind: string }) => [n.id, n.kind])).toEqual([
      [expect.stringMatching(/^N-\d+-2$/), "default"],
      [expect.stringMatching(/^N-\d+-2$/), "fill"],
    ]);
    const defaultSeq = Number(/^N-(\d+)-2$/.exec(seller.body.notifications[0].id)![1]);
    expect(defaultSeq).toBeGreaterThan(beforeDeadline);
    expect(defaultSeq).toBeLessThanOrEqual(tick.seq);
    expect(seller.body.notifications[0].facts).toMatchObject({ party: "buyer", obligation: obligation.id });
    // The obligation is closed: its delivery deadlines never come.
    server.nowMs = obligation.deliveryDueMs;
    server.app.notifier.tick();
    kazgpz = await server.login("kazgpz-trader");
    expect((await server.call(kazgpz, "GET", "/api/notifications")).body.notifications).toHaveLength(2);

    await server.app.notifier.idle();
    const subjects = smtp.received.map((r) => [r.envelopeTo[0], r.mail.subject]);
    expect(subjects).toEqual([
      ["desk@aktau.kz", "sauda: Өтінім орындалды (AKTAU)"],
      ["desk@aktau.kz", "sauda: Міндеттемені орындау мерзімі (AKTAU)"],
      ["desk@aktau.kz", "sauda: Орындамау туралы хабарлама (AKTAU)"],
      ["back-office@kazgpz.kz", "sauda: Уведомление о неисполнении (KAZGPZ)"],
    ]);
    expect(smtp.received[3]!.mail.text?.split("\n")[0]).toBe(
      `Обязательство ${obligation.id} (сделка ${obligation.tradeId}, ${INSTRUMENT}) не исполнено покупателем: удержано 66\u00a0500 ₸, штраф 0 ₸, требование 0 ₸.`,
    );
  });

  it("after a restart: the same list and read marks, and nothing is mailed again", async () => {
    aktau = await server.login("aktau-trader");
    const before = (await server.call(aktau, "GET", "/api/notifications")).body;
    const mailed = smtp.received.length;
    await server.close();
    await server.open(undefined, undefined, {
      noticeTimer: false,
      mail: { url: `smtp://127.0.0.1:${smtp.port}`, from: "sauda <notices@sauda.test>" },
    });
    aktau = await server.login("aktau-trader");
    server.app.notifier.tick();
    const after = (await server.call(aktau, "GET", "/api/notifications")).body;
    expect(after).toEqual(before);
    await server.app.notifier.idle();
    expect(smtp.received).toHaveLength(mailed);
  });
});

describe("notifications without an SMTP server", () => {
  it("sends no e-mail and raises no error", async () => {
    const server = await TestServer.start({ server: { noticeTimer: false } });
    try {
      const trader = await server.login("aktau-trader");
      const set = await server.call(trader, "PUT", "/api/notifications/preferences", {
        web: ["shortfall"],
        mail: ["shortfall"],
        email: "nobody@example.kz",
        language: "en",
      });
      expect(set.status).toBe(200);
      // An order the account cannot cover: a collateral shortfall.
      const order = await server.call(trader, "POST", "/api/orders", {
        instrument: INSTRUMENT,
        account: "AKTAU-1",
        clientOrderId: "too-big",
        side: "buy",
        price: 13_300_000,
        quantity: 100_000_000,
      });
      expect([order.status, order.body.error.code]).toEqual([422, "RISK_INSUFFICIENT_FUNDS"]);
      const list = await server.call(trader, "GET", "/api/notifications");
      expect(list.body.notifications.map((n: { kind: string; text: string }) => [n.kind, n.text])).toEqual([
        [
          "shortfall",
          "Account AKTAU-1 lacks 171,650,000 ₸ for the order's guarantee deposit and fee: 671,650,000 ₸ needed, 500,000,000 ₸ free.",
        ],
      ]);
      await server.app.notifier.idle();
      expect(server.app.notifier.mailCounts).toEqual({ sent: 0, dropped: 0, failed: 0, retried: 0, gaveUp: 0 });
    } finally {
      await server.close();
    }
  });
});
