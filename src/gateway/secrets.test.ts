import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openSecret, sealedWithCurrentKey, sealSecret } from "./secrets.ts";

describe("sealed secrets", () => {
  const older = randomBytes(32);
  const newer = randomBytes(32);

  it("open under any key still listed, and say whether the key in use sealed them", () => {
    const sealed = sealSecret([older], "key-1", "trader", "s3cret");
    // Before a rotation: sealed with the key in use.
    expect(sealedWithCurrentKey([older], sealed)).toBe(true);
    // After it (the new key first, the older one below): still opens, but is to be reissued.
    expect(openSecret([newer, older], "key-1", "trader", sealed)).toBe("s3cret");
    expect(sealedWithCurrentKey([newer, older], sealed)).toBe(false);
    expect(sealedWithCurrentKey([newer, older], sealSecret([newer, older], "key-2", "trader", "x"))).toBe(true);
    // Something that is not a sealed secret is not sealed with the key in use.
    expect(sealedWithCurrentKey([older], "v1.only-two")).toBe(false);
    expect(sealedWithCurrentKey([older], sealed.replace(/^v1\./, "v0."))).toBe(false);
  });
});
