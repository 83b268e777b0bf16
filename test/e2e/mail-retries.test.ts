/**
 * The e-mail mark in the notification list, in a real browser against a real exchange whose SMTP server (on loopback,
 * smtp-server) refuses every message: after the first attempt the member's list says the e-mail is not sent yet, with
 * the attempt, the error and the next attempt's time; after the fifth, on the server's clock moved by hand, that it was
 * given up. The API reads the same state back.
 */

import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { LIVE_MS } from "./support/forms.ts";
import { tradeThroughApi } from "./support/market.ts";

const run = browserAvailable("notification e-mail mark end-to-end tests");
const LAPTOP = { width: 1280, height: 900 };
const MINUTE = 60_000;

describe.skipIf(!run)("the notification list's e-mail mark in a real browser", () => {
  let smtp: SMTPServer;
  let port = 0;
  let offered = 0;
  beforeAll(async () => {
    smtp = new SMTPServer({
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData(stream, _session, callback) {
        offered += 1;
        stream.resume();
        stream.on("end", () => callback(Object.assign(new Error("mailbox busy, try later"), { responseCode: 451 })));
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    port = ((smtp as unknown as { server: { address(): AddressInfo } }).server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });
  const suite = browserSuite(LAPTOP, () => ({
    server: { noticeTimer: false, mail: { url: `smtp://127.0.0.1:${port}`, from: "sauda <notices@sauda.test>" } },
  }));
  const { pageErrors, signIn } = suite;
  let page: Page;

  it("a refused e-mail is marked not sent yet, then given up after five attempts", async () => {
    const server = suite.server;
    const buyer = await server.login("aktau-trader");
    const prefer = await server.call(buyer, "PUT", "/api/notifications/preferences", {
      web: ["fill"],
      mail: ["fill"],
      email: "desk@aktau.kz",
      language: "en",
    });
    expect(prefer.status).toBe(200);
    await tradeThroughApi(server, { price: 13_300_000, quantity: 1000 }, "m");
    const t = server.nowMs;
    await server.app.notifier.idle();
    expect(offered).toBe(1);

    page = await signIn("aktau-trader", "/terminal");
    await page.getByTestId("notification-bell").click();
    const mark = page.getByTestId("notification-mail").first();
    await expect.poll(() => mark.getAttribute("data-status"), { timeout: LIVE_MS }).toBe("retrying");
    // 11:01 Almaty time: a minute after the attempt.
    expect(await mark.textContent()).toBe(
      "✉ E-mail not sent yet: attempt 1 failed (Message failed: 451 mailbox busy, try later); next attempt 2026-01-05 11:01.",
    );

    for (const at of [t + MINUTE, t + 6 * MINUTE, t + 36 * MINUTE, t + 156 * MINUTE]) {
      server.nowMs = at;
      server.app.notifier.tick();
      await server.app.notifier.idle();
    }
    expect(offered).toBe(5);
    // The attempts' records announce a change on the stream: the open list is fetched again.
    await expect.poll(() => mark.getAttribute("data-status"), { timeout: LIVE_MS }).toBe("failed");
    expect(await mark.textContent()).toBe(
      "✉ E-mail not sent: given up after 5 attempts (Message failed: 451 mailbox busy, try later).",
    );
    expect(await mark.getAttribute("title")).toBe("Message failed: 451 mailbox busy, try later");

    const read = await server.call(await server.login("aktau-trader"), "GET", "/api/notifications");
    expect(read.body.notifications[0].mail).toEqual({
      status: "failed",
      attempts: 5,
      lastAttemptMs: t + 156 * MINUTE,
      lastError: "Message failed: 451 mailbox busy, try later",
      nextAttemptMs: null,
    });
    expect(pageErrors).toEqual([]);
  });
});
