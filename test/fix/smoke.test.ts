import { afterEach, describe, expect, it } from "vitest";
import { INSTRUMENT } from "../support/server.ts";
import { FixTestClient, tag } from "./fix-client.ts";
import { FixTestServer } from "./support.ts";

let env: FixTestServer;
afterEach(async () => env?.close());

describe("smoke", () => {
  it("logs on and places an order", async () => {
    env = await FixTestServer.start();
    const creds = await env.key("aktau-trader", "k1");
    const { client, answer } = await FixTestClient.logon({ port: env.port, sender: "AKTAU", ...creds });
    expect(answer.type).toBe("A");
    client.send("D", [
      [11, "b1"],
      [1, "AKTAU-1"],
      [55, INSTRUMENT],
      [54, "1"],
      [40, "2"],
      [44, "130000"],
      [38, "3"],
      [59, "1"],
      [60, "20260105-06:00:00"],
    ]);
    const er = await client.next((m) => m.type === "8");
    console.log([...er.fields.entries()]);
    expect(tag(er, 150)).toBe("0");
    await client.logout();
  });
});
