/**
 * A statement for a day before the member existed names the member as it is known now (its name and BIN), as a
 * member reading its own statement expects, not its id twice and "no BIN"; the day's lists are empty.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestServer } from "../support/server.ts";

describe("a statement for a day before the member existed", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await TestServer.start();
  });
  afterAll(async () => {
    await server.close();
  });

  it("names the member and its BIN as known now, with nothing on the day", async () => {
    for (const command of [
      {
        type: "member.add",
        member: "NEWCO",
        name: "Newco Gas LLP",
        roles: ["buyer"],
        buyerCategory: "wholesaler",
        bin: "210540012345",
      },
      { type: "account.open", account: "NEWCO-1", member: "NEWCO" },
    ] as const) {
      const outcome = await server.exchange.submit(command as never);
      expect(outcome.events.find((event) => event.type === "rejected")).toBeUndefined();
    }
    await server.addUser("newco-trader", "trader", "NEWCO");
    const trader = await server.login("newco-trader");
    // The member was added on 5 January 2026 (the test's clock); the 4th is before it existed.
    const read = await server.call(trader, "GET", "/api/accounts/NEWCO-1/statements/2026-01-04");
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ member: "NEWCO", memberName: "Newco Gas LLP", bin: "210540012345" });
    expect(read.body.accounts[0]).toMatchObject({ account: "NEWCO-1", trades: [], obligations: [], deliveries: [] });
  });
});
