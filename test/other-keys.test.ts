/**
 * A start given a keys directory with no keys in it, on a journal that already has records (a wrong --keys, or a
 * standby started with other keys than its leader's, docs/operations.md "A standby on the same machine"): the keys
 * it just made cannot be the journal's, and the start says so, not that the journal was rewritten by someone without
 * the key.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Exchange } from "../src/gateway/exchange.ts";
import { KeysError } from "../src/journal/keys.ts";
import { twoPartyMarket } from "./support/two-party-market.ts";

describe("a start with new keys on a journal written with other keys", () => {
  it("is refused as a keys problem that names both, and the journal still opens with its own keys", async () => {
    const root = mkdtempSync(join(tmpdir(), "sauda-other-keys-"));
    const data = join(root, "data");
    const exchange = await Exchange.open({ data, keysDir: join(root, "data-keys") });
    for (const command of twoPartyMarket("PB-KAZGPZ-OTHER-KEYS")) await exchange.submit(command);
    const seq = (await exchange.store.head())!.seq;
    await exchange.close();

    const other = join(root, "other-keys");
    const refused = await Exchange.open({ data, keysDir: other }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(KeysError);
    const message = (refused as Error).message;
    expect(message).toContain(`there were no keys in ${other}, so new ones were made there`);
    expect(message).toContain(`already holds ${seq} records written with other keys`);
    expect(message).toContain("a standby uses its leader's");

    const reopened = await Exchange.open({ data, keysDir: join(root, "data-keys") });
    expect((await reopened.store.head())?.seq).toBe(seq);
    await reopened.close();
  }, 60_000);
});
