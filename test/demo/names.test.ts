/**
 * The demo's members carry legal names as Kazakh documents write them (a name is data, shown as registered in every
 * language, never translated): the legal form (ТОО, АО) and the name in «», in Cyrillic, with no English left in it.
 */

import { describe, expect, it } from "vitest";
import { MEMBERS } from "../../src/demo/market.ts";

describe("the demo members' names", () => {
  it("are registered names with their legal form, in the form Kazakh contracts and e-invoices use", () => {
    for (const member of MEMBERS) {
      expect(member.name, member.id).toMatch(/^(ТОО|АО) «[^«»]+»$/);
      // A Latin letter would be an English name left in a Kazakh or Russian contract.
      expect(member.name, member.id).not.toMatch(/[A-Za-z]/);
    }
    expect(new Set(MEMBERS.map((m) => m.name)).size).toBe(MEMBERS.length);
    expect(MEMBERS.find((m) => m.id === "TCO")?.name).toBe("ТОО «Тенгизшевройл»");
  });
});
