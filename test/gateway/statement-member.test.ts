/**
 * A statement is for a day the member existed: a day before its admission (exchange time, UTC+5) is refused with
 * 409 STATEMENT_DAY_BEFORE_MEMBER in the reader's language, as JSON, XLSX and PDF alike, not answered with an empty
 * document; GET /api/accounts gives each account that first day (`statementsFrom`) so a page offers no earlier one.
 * The statement of the admission day names the member as it is known now (its name and BIN), not its id twice and
 * "no BIN"; the day's lists are empty.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Session, T0, TestServer } from "../support/server.ts";

describe("a statement for a day before the member existed", () => {
  let server: TestServer;
  let trader: Session;
  beforeAll(async () => {
    server = await TestServer.start();
    // Admitted on 7 January at 00:30 in exchange time (6 January 19:30 UTC): the 6th is before it existed.
    server.nowMs = Date.UTC(2026, 0, 6, 19, 30);
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
    trader = await server.login("newco-trader");
  });
  afterAll(async () => {
    await server.close();
  });

  const read = async (path: string, language = "en") => {
    const response = await fetch(`${server.url}${path}`, {
      headers: { cookie: trader.cookie, "accept-language": language },
    });
    const type = response.headers.get("content-type") ?? "";
    const body = type.includes("json")
      ? ((await response.json()) as { error?: { code: string; message: string } })
      : {};
    return { status: response.status, type, code: body.error?.code, message: body.error?.message };
  };

  it("is refused with STATEMENT_DAY_BEFORE_MEMBER, in the reader's language, in every form", async () => {
    expect(await read("/api/accounts/NEWCO-1/statements/2026-01-06")).toMatchObject({
      status: 409,
      code: "STATEMENT_DAY_BEFORE_MEMBER",
      message:
        "There is no statement for 2026-01-06: member 'NEWCO' was admitted to the exchange on 2026-01-07, in Kazakhstan time; its first statement is for that day.",
    });
    expect((await read("/api/accounts/NEWCO-1/statements/2026-01-06", "ru")).message).toBe(
      "Выписки за 06.01.2026 нет: участник 'NEWCO' допущен к торгам на бирже 07.01.2026 по времени Казахстана; его первая выписка — за этот день.",
    );
    expect((await read("/api/accounts/NEWCO-1/statements/2026-01-06", "kk")).message).toBe(
      "06.01.2026 күнгі үзінді көшірме жоқ: 'NEWCO' қатысушысы биржаға Қазақстан уақыты бойынша 07.01.2026 қабылданды; оның алғашқы үзінді көшірмесі сол күнге.",
    );
    for (const form of ["/xlsx?lang=ru", "/pdf?lang=kk", "?scope=member", "/xlsx?scope=member"]) {
      const answer = await read(`/api/accounts/NEWCO-1/statements/2025-12-31${form}`);
      expect([form, answer.status, answer.code]).toEqual([form, 409, "STATEMENT_DAY_BEFORE_MEMBER"]);
    }
    // A member admitted earlier (the test's other members, on 5 January) has its statement of the 6th.
    const aktau = await server.login("aktau-trader");
    expect((await server.call(aktau, "GET", "/api/accounts/AKTAU-1/statements/2026-01-06")).status).toBe(200);
  });

  it("the accounts list gives each account its first statement day", async () => {
    const listed = await server.call(trader, "GET", "/api/accounts");
    expect(listed.body.accounts).toEqual([
      expect.objectContaining({ account: "NEWCO-1", statementsFrom: "2026-01-07" }),
    ]);
    const aktau = await server.login("aktau-trader");
    const theirs = await server.call(aktau, "GET", "/api/accounts");
    expect(new Date(T0).toISOString().slice(0, 10)).toBe("2026-01-05");
    expect(theirs.body.accounts.map((a: { statementsFrom: string }) => a.statementsFrom)).toContain("2026-01-05");
  });

  it("the admission day's statement names the member and its BIN as known now, with nothing on the day", async () => {
    const statement = await server.call(trader, "GET", "/api/accounts/NEWCO-1/statements/2026-01-07");
    expect(statement.status).toBe(200);
    expect(statement.body).toMatchObject({ member: "NEWCO", memberName: "Newco Gas LLP", bin: "210540012345" });
    expect(statement.body.accounts[0]).toMatchObject({
      account: "NEWCO-1",
      trades: [],
      obligations: [],
      deliveries: [],
    });
  });
});
