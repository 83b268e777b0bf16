/**
 * A notification e-mail the SMTP server refuses is tried again after 1 min, 5 min, 30 min and 2 h (each from the
 * attempt before), on the server's clock (the test's: fixed, moved by hand), through an SMTP server the test runs on
 * loopback (smtp-server) that refuses the first N messages. The attempts happen at exactly those times, the member
 * sees the attempts and the last error in the list, the retries survive a restart, a delivered e-mail is never sent
 * again (not even after a restart), and after the fifth failure the e-mail is given up and marked failed. The operator
 * sees the attempts in the metrics.
 */

import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOTICE_MAIL_ATTEMPTS_MAX, NOTICE_MAIL_RETRY_DELAYS_MS } from "../../src/engine/notices.ts";
import { INSTRUMENT, type Session, TestServer } from "../support/server.ts";

const MINUTE = 60_000;

interface Smtp {
  readonly server: SMTPServer;
  readonly port: number;
  /** The test clock's time of each message the server was offered, taken or refused. */
  readonly offered: number[];
  /** The subjects of the messages taken. */
  readonly taken: string[];
  /** How many messages to refuse from now (each refusal counts one down). */
  refuse: number;
}

async function startSmtp(clock: () => number): Promise<Smtp> {
  const smtp = { offered: [] as number[], taken: [] as string[], refuse: 0 } as Smtp;
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      smtp.offered.push(clock());
      simpleParser(stream).then(
        (mail) => {
          if (smtp.refuse > 0) {
            smtp.refuse -= 1;
            callback(Object.assign(new Error("mailbox busy, try later"), { responseCode: 451 }));
            return;
          }
          smtp.taken.push(mail.subject ?? "");
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address() as AddressInfo).port;
  return Object.assign(smtp, { server, port });
}

describe("notification e-mail retries", () => {
  let smtp: Smtp;
  let server: TestServer;
  let aktau: Session;
  let kazgpz: Session;
  const serverOptions = () => ({
    noticeTimer: false,
    mail: { url: `smtp://127.0.0.1:${smtp.port}`, from: "sauda <notices@sauda.test>" },
  });

  beforeAll(async () => {
    smtp = await startSmtp(() => server.nowMs);
    server = await TestServer.start({ server: serverOptions() });
    aktau = await server.login("aktau-trader");
    kazgpz = await server.login("kazgpz-trader");
    const prefer = await server.call(aktau, "PUT", "/api/notifications/preferences", {
      web: ["fill"],
      mail: ["fill"],
      email: "desk@aktau.kz",
      language: "en",
    });
    expect(prefer.status).toBe(200);
  });

  afterAll(async () => {
    await server.close();
    await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
  });

  /** A 1 t trade: the buyer's fill notification is e-mailed. Returns its id and the time it was made. */
  async function fill(id: string): Promise<{ id: string; atMs: number }> {
    // Sessions expire as the clock moves on: sign in again.
    aktau = await server.login("aktau-trader");
    kazgpz = await server.login("kazgpz-trader");
    const order = { instrument: INSTRUMENT, price: 13_300_000, quantity: 1000 };
    const sell = await server.call(kazgpz, "POST", "/api/orders", {
      ...order,
      account: "KAZGPZ-1",
      clientOrderId: `${id}-s`,
      side: "sell",
    });
    expect(sell.status).toBe(201);
    const buy = await server.call(aktau, "POST", "/api/orders", {
      ...order,
      account: "AKTAU-1",
      clientOrderId: `${id}-b`,
      side: "buy",
    });
    expect(buy.status).toBe(201);
    const list = await server.call(aktau, "GET", "/api/notifications?limit=1");
    return { id: list.body.notifications[0].id, atMs: server.nowMs };
  }

  /** Moves the clock to `atMs`, lets the notifier find what is due, and waits for its e-mails. */
  async function at(atMs: number): Promise<void> {
    server.nowMs = atMs;
    server.app.notifier.tick();
    await server.app.notifier.idle();
  }

  async function mailOf(id: string) {
    aktau = await server.login("aktau-trader");
    const list = await server.call(aktau, "GET", "/api/notifications");
    return list.body.notifications.find((n: { id: string }) => n.id === id).mail;
  }

  it("the delays are 1 min, 5 min, 30 min and 2 h: five attempts in all", () => {
    expect(NOTICE_MAIL_RETRY_DELAYS_MS).toEqual([MINUTE, 5 * MINUTE, 30 * MINUTE, 120 * MINUTE]);
    expect(NOTICE_MAIL_ATTEMPTS_MAX).toBe(5);
  });

  it("refused three times: tried at +0, +1 min, +6 min (after a restart) and +36 min, then delivered once", async () => {
    smtp.refuse = 3;
    const offeredBefore = smtp.offered.length;
    const notice = await fill("retry-1");
    const t = notice.atMs;
    await server.app.notifier.idle();
    expect(smtp.offered.slice(offeredBefore)).toEqual([t]);
    expect(await mailOf(notice.id)).toEqual({
      status: "retrying",
      attempts: 1,
      lastAttemptMs: t,
      lastError: expect.stringContaining("mailbox busy, try later"),
      nextAttemptMs: t + MINUTE,
    });

    // Not a millisecond early.
    await at(t + MINUTE - 1);
    expect(smtp.offered.length - offeredBefore).toBe(1);
    await at(t + MINUTE);
    expect(smtp.offered.slice(offeredBefore)).toEqual([t, t + MINUTE]);
    expect(await mailOf(notice.id)).toMatchObject({ status: "retrying", attempts: 2, nextAttemptMs: t + 6 * MINUTE });

    // A restart between attempts: the retry is due from the journal, not from memory.
    await server.close();
    await server.open(undefined, undefined, serverOptions());
    await at(t + 6 * MINUTE - 1);
    expect(smtp.offered.length - offeredBefore).toBe(2);
    await at(t + 6 * MINUTE);
    await at(t + 36 * MINUTE);
    expect(smtp.offered.slice(offeredBefore)).toEqual([t, t + MINUTE, t + 6 * MINUTE, t + 36 * MINUTE]);
    expect(smtp.taken).toEqual(["sauda: Order filled (AKTAU)"]);
    expect(await mailOf(notice.id)).toEqual({
      status: "delivered",
      attempts: 4,
      lastAttemptMs: t + 36 * MINUTE,
      lastError: null,
      nextAttemptMs: null,
    });

    // Delivered: not sent again, later or after another restart.
    await at(t + 600 * MINUTE);
    await server.close();
    await server.open(undefined, undefined, serverOptions());
    await at(t + 601 * MINUTE);
    expect(smtp.offered.length - offeredBefore).toBe(4);
    expect(smtp.taken).toHaveLength(1);
  });

  it("refused five times: tried at +0, +1, +6, +36 and +156 min, then given up and marked failed", async () => {
    smtp.refuse = 1000;
    const offeredBefore = smtp.offered.length;
    const notice = await fill("retry-2");
    const t = notice.atMs;
    await server.app.notifier.idle();
    const times = [t, t + MINUTE, t + 6 * MINUTE, t + 36 * MINUTE, t + 156 * MINUTE];
    for (const time of times) await at(time);
    expect(smtp.offered.slice(offeredBefore)).toEqual(times);
    expect(await mailOf(notice.id)).toEqual({
      status: "failed",
      attempts: 5,
      lastAttemptMs: t + 156 * MINUTE,
      lastError: expect.stringContaining("451 mailbox busy, try later"),
      nextAttemptMs: null,
    });
    // Given up: nothing more, however long the clock runs.
    await at(t + 3000 * MINUTE);
    expect(smtp.offered.length - offeredBefore).toBe(5);
    expect(smtp.taken).toHaveLength(1);

    // The operator's metrics (this server's life: since the last restart) count the attempts and the give-up.
    const operator = await server.login("operator");
    const metrics = await server.call(operator, "GET", "/metrics");
    const text = String(metrics.body);
    for (const attempt of [1, 2, 3, 4, 5]) {
      expect(text).toContain(`sauda_notification_mail_attempts_total{result="failed",attempt="${attempt}"} 1`);
    }
    expect(text).toContain("sauda_notification_mail_given_up_total 1");
    expect(text).toContain("sauda_notification_mail_retrying 0");
    // Each attempt is in the audit trail as the system's.
    const audit = await server.call(operator, "GET", "/api/regulator/audit?commandType=notices.mail&limit=5");
    expect(audit.body.entries[0]).toMatchObject({
      actor: "notifier",
      role: "system",
      kind: "system",
      outcome: "accepted",
    });
    expect(audit.body.entries[0].summary).toMatch(
      /^e-mail notification .*attempt .*5.*: failed \(.*451 mailbox busy.*\), given up$/,
    );
    expect(audit.body.entries[0].summary).toContain(notice.id);
    expect(text).toMatch(
      /sauda_notification_mail_last_error_timestamp_seconds\{error="[^"]*451 mailbox busy, try later[^"]*"\} \d+/,
    );
  });
});
