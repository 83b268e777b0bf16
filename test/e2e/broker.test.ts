/**
 * A broker trading for a client in a real browser: the order is entered for the client's account, and the terminal
 * offers, beside the member's statement (every client's trades in one document), the statement of that client's
 * account alone, the one a broker can hand to the client. The statement's content is read back through the API.
 */

import { describe, expect, it } from "vitest";
import { INSTRUMENT } from "../support/server.ts";
import { browserAvailable, browserSuite } from "./support/browser.ts";
import { fillOnTicket, LIVE_MS } from "./support/forms.ts";

const run = browserAvailable("broker end-to-end tests");
const LAPTOP = { width: 1280, height: 900 };

describe.skipIf(!run)("a broker trading for a client", () => {
  const suite = browserSuite(LAPTOP);

  it("buys for the client, then downloads the client's own statement beside the member's", async () => {
    const seller = await suite.server.login("kazgpz-trader");
    const offer = await suite.server.call(seller, "POST", "/api/orders", {
      instrument: INSTRUMENT,
      account: "KAZGPZ-1",
      clientOrderId: "offer-1",
      side: "sell",
      price: 13_300_000,
      quantity: 2_000,
    });
    expect(offer.body.order.status).toBe("resting");

    const page = await suite.signIn("broker-trader", "/terminal");
    await expect.poll(() => page.getByTestId("account-picker").inputValue(), { timeout: LIVE_MS }).toBe("BROKER-C1");

    await fillOnTicket(page, "133000", "2");

    const documents = page.getByTestId("documents");
    const member = documents.getByTestId("statement-link");
    const client = documents.getByTestId("client-statement-link");
    await expect
      .poll(() => client.textContent(), { timeout: LIVE_MS })
      .toBe("Statement of the client Mangystau autogas alone (PDF)");
    await expect
      .poll(() => member.getAttribute("href"), { timeout: LIVE_MS })
      .toBe("/api/accounts/BROKER-C1/statements/2026-01-05/pdf?scope=member&lang=en");
    await expect
      .poll(() => client.getAttribute("href"), { timeout: LIVE_MS })
      .toBe("/api/accounts/BROKER-C1/statements/2026-01-05/pdf?scope=account&lang=en");
    const [download] = await Promise.all([page.waitForEvent("download"), client.click()]);
    const bytes = await download.createReadStream().then(async (stream) => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    });
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");

    // What that document holds: the client's account alone, with the client's name and the trade just made.
    const broker = await suite.server.login("broker-trader");
    const statement = await suite.server.call(
      broker,
      "GET",
      "/api/accounts/BROKER-C1/statements/2026-01-05?scope=account",
    );
    expect(statement.body.scope).toBe("account");
    expect(statement.body.accounts).toHaveLength(1);
    expect(statement.body.accounts[0]).toMatchObject({ account: "BROKER-C1", client: "Mangystau autogas" });
    expect(statement.body.accounts[0].trades).toHaveLength(1);
    expect(statement.body.accounts[0].trades[0]).toMatchObject({ side: "buy", quantityKg: 2_000 });
    expect(suite.pageErrors).toEqual([]);
  });

  it("an account of the member's own has no client's statement to offer", async () => {
    const page = await suite.signIn("aktau-trader", "/terminal");
    await page.getByTestId("documents").getByTestId("statement-link").waitFor({ timeout: LIVE_MS });
    expect(await page.getByTestId("client-statement-link").count()).toBe(0);
  });

  it("cancels all of one client's orders, named in the question, and leaves another client's resting", async () => {
    const operator = await suite.server.login("operator");
    const opened = await suite.server.call(operator, "POST", "/api/admin/accounts", {
      account: "BROKER-C2",
      member: "BROKER",
      client: "Beineu stations",
      canBuy: true,
      canSell: false,
      buyerCategory: "filling-station-network",
    });
    expect(opened.status).toBe(201);
    await suite.server.call(operator, "POST", "/api/admin/accounts/BROKER-C2/deposits", {
      amount: 10_000_000_000,
      reference: "SETUP-BROKER-C2",
    });
    const broker = await suite.server.login("broker-trader");
    for (const [account, clientOrderId] of [
      ["BROKER-C1", "c1-bid-1"],
      ["BROKER-C1", "c1-bid-2"],
      ["BROKER-C2", "c2-bid-1"],
    ] as const) {
      const placed = await suite.server.call(broker, "POST", "/api/orders", {
        instrument: INSTRUMENT,
        account,
        clientOrderId,
        side: "buy",
        price: 12_500_000,
        quantity: 1_000,
      });
      expect(placed.body.order.status, clientOrderId).toBe("resting");
    }

    const page = await suite.signIn("broker-trader", "/terminal");
    await page.getByTestId("account-picker").selectOption("BROKER-C1");
    const massCancel = page.getByRole("button", { name: "Cancel all in this instrument" });
    await massCancel.waitFor({ timeout: LIVE_MS });
    const [question] = await Promise.all([
      page.waitForEvent("dialog").then(async (dialog) => {
        const message = dialog.message();
        await dialog.accept();
        return message;
      }),
      massCancel.click(),
    ]);
    expect(question).toBe(`Cancel all 2 resting orders of account BROKER-C1 in ${INSTRUMENT}?`);
    const status = async (account: string, clientOrderId: string) =>
      (await suite.server.call(broker, "GET", `/api/accounts/${account}/orders/${clientOrderId}`)).body.order.status;
    await expect.poll(() => status("BROKER-C1", "c1-bid-2"), { timeout: LIVE_MS }).toBe("cancelled");
    expect(await status("BROKER-C1", "c1-bid-1")).toBe("cancelled");
    expect(await status("BROKER-C2", "c2-bid-1")).toBe("resting");
    expect(suite.pageErrors).toEqual([]);
  });
});
