/**
 * Users and API keys in the engine: each command's rules, refusals that change nothing, credentials passed through as
 * opaque text (the engine hashes and opens nothing), and snapshots that keep them.
 */

import { describe, expect, it } from "vitest";
import type { Command } from "./commands.ts";
import { Engine } from "./engine.ts";
import type { EngineEvent } from "./events.ts";

const HASH = "scrypt$12$8$1$c2FsdA==$aGFzaA==";
const SEALED = "v1.0123456789abcdef.aXY.Y3Q.dGFn";

function run(engine: Engine, command: Command): EngineEvent[] {
  return engine.apply({ seq: engine.lastSeq + 1, timeMs: 1000 + engine.lastSeq, command });
}

function code(events: EngineEvent[]): string | null {
  const rejected = events.find((event) => event.type === "rejected");
  return rejected && rejected.type === "rejected" ? rejected.code : null;
}

function withMember(): Engine {
  const engine = new Engine();
  run(engine, {
    type: "member.add",
    member: "AKTAU",
    name: "Aktau stations",
    roles: ["buyer"],
    buyerCategory: "other",
  });
  return engine;
}

describe("users and API keys in the engine", () => {
  it("creates a member's trader and an operator; the events carry the hash as given", () => {
    const engine = withMember();
    const created = run(engine, {
      type: "user.create",
      user: "aktau-trader",
      name: "Aktau trader",
      role: "trader",
      member: "AKTAU",
      passwordHash: HASH,
      reason: "hired",
    });
    expect(created).toEqual([
      {
        type: "user.created",
        user: "aktau-trader",
        name: "Aktau trader",
        role: "trader",
        member: "AKTAU",
        passwordHash: HASH,
        reason: "hired",
      },
    ]);
    const operator = run(engine, {
      type: "user.create",
      user: "ops",
      name: "Ops",
      role: "operator",
      member: null,
      passwordHash: HASH,
      reason: "first",
    });
    expect(code(operator)).toBeNull();
  });

  it("refuses what does not fit, and a refusal changes nothing", () => {
    const engine = withMember();
    run(engine, {
      type: "user.create",
      user: "u1",
      name: "U",
      role: "viewer",
      member: "AKTAU",
      passwordHash: HASH,
      reason: "r",
    });
    const hash = engine.stateHash();
    const base = {
      type: "user.create",
      user: "u2",
      name: "U",
      role: "trader",
      member: "AKTAU",
      passwordHash: HASH,
      reason: "r",
    } as const;
    const cases: [Command, string][] = [
      [{ ...base, user: "u1" }, "USER_EXISTS"],
      [{ ...base, member: "NOBODY" }, "MEMBER_NOT_FOUND"],
      [{ ...base, role: "operator" }, "FIELD_INVALID"], // an operator belongs to no member
      [{ ...base, member: null }, "FIELD_INVALID"], // a trader belongs to one
      [{ ...base, role: "admin" as never }, "FIELD_INVALID"],
      [{ ...base, passwordHash: "" }, "FIELD_INVALID"],
      [{ ...base, passwordHash: "x".repeat(513) }, "FIELD_INVALID"],
      [{ ...base, user: "has space" }, "FIELD_INVALID"],
      [{ ...base, reason: " " }, "FIELD_INVALID"],
      [{ type: "user.disable", user: "nobody", reason: "r" }, "USER_NOT_FOUND"],
      [{ type: "user.secondFactor", user: "nobody", secretSealed: SEALED, reason: "r" }, "USER_NOT_FOUND"],
      [{ type: "user.secondFactor", user: "u1", secretSealed: "x".repeat(513), reason: "r" }, "FIELD_INVALID"],
      [{ type: "user.secondFactor", user: "u1", secretSealed: "with space", reason: "r" }, "FIELD_INVALID"],
      [{ type: "user.secondFactor", user: "u1", secretSealed: SEALED, reason: "" }, "FIELD_INVALID"],
      [{ type: "user.language", user: "nobody", language: "kk" }, "USER_NOT_FOUND"],
      [{ type: "user.language", user: "u1", language: "de" as never }, "FIELD_INVALID"],
      [{ type: "user.language", user: "u1", language: "KK" as never }, "FIELD_INVALID"],
      [{ type: "user.language", user: "u1", language: undefined as never }, "FIELD_INVALID"],
      [{ type: "apiKey.create", key: "k1", user: "nobody", scopes: ["read"], secretSealed: SEALED }, "USER_NOT_FOUND"],
      [{ type: "apiKey.create", key: "k1", user: "u1", scopes: [], secretSealed: SEALED }, "FIELD_INVALID"],
      [
        { type: "apiKey.create", key: "k1", user: "u1", scopes: ["read", "read"], secretSealed: SEALED },
        "FIELD_INVALID",
      ],
      [{ type: "apiKey.revoke", key: "nope", reason: "r" }, "API_KEY_NOT_FOUND"],
    ];
    for (const [command, expected] of cases) {
      const before = engine.snapshot();
      expect(code(run(engine, command)), JSON.stringify(command)).toBe(expected);
      // Only the seq and the time move.
      expect({ ...engine.snapshot(), lastSeq: 0, nowMs: 0 }).toEqual({ ...before, lastSeq: 0, nowMs: 0 });
    }
    expect(engine.stateHash()).not.toBe(hash); // seq and time did move
  });

  it("keys: per-user limit counts revoked keys, a disabled user gets none, snapshots keep it all", () => {
    const engine = withMember();
    run(engine, {
      type: "user.create",
      user: "u1",
      name: "U",
      role: "trader",
      member: "AKTAU",
      passwordHash: HASH,
      reason: "r",
    });
    for (let i = 0; i < 100; i++) {
      expect(
        code(
          run(engine, {
            type: "apiKey.create",
            key: `k${i}`,
            user: "u1",
            scopes: ["trade", "read"],
            secretSealed: SEALED,
          }),
        ),
      ).toBeNull();
    }
    expect(code(run(engine, { type: "apiKey.revoke", key: "k0", reason: "leaked" }))).toBeNull();
    expect(
      code(run(engine, { type: "apiKey.create", key: "k100", user: "u1", scopes: ["read"], secretSealed: SEALED })),
    ).toBe("API_KEYS_LIMIT");
    expect(
      code(run(engine, { type: "apiKey.create", key: "k1", user: "u1", scopes: ["read"], secretSealed: SEALED })),
    ).toBe("API_KEY_EXISTS");
    const restored = Engine.restore(JSON.parse(JSON.stringify(engine.snapshot())));
    expect(restored.stateHash()).toBe(engine.stateHash());
    // The restored engine still counts the 100 keys (revoked included).
    expect(
      code(run(restored, { type: "apiKey.create", key: "z", user: "u1", scopes: ["read"], secretSealed: SEALED })),
    ).toBe("API_KEYS_LIMIT");
    run(restored, {
      type: "user.create",
      user: "u2",
      name: "U2",
      role: "viewer",
      member: "AKTAU",
      passwordHash: HASH,
      reason: "r",
    });
    run(restored, { type: "user.disable", user: "u2", reason: "left" });
    expect(
      code(run(restored, { type: "apiKey.create", key: "z", user: "u2", scopes: ["read"], secretSealed: SEALED })),
    ).toBe("USER_DISABLED");
  });

  it("an engine without users hashes as before they existed (no access field in its snapshot)", () => {
    const engine = withMember();
    expect("access" in engine.snapshot()).toBe(false);
  });

  it("sets and removes a user's second factor as sealed text", () => {
    const engine = withMember();
    run(engine, {
      type: "user.create",
      user: "aktau-trader",
      name: "Aigerim",
      role: "trader",
      member: "AKTAU",
      passwordHash: HASH,
      reason: "new trader",
    });
    const set = run(engine, { type: "user.secondFactor", user: "aktau-trader", secretSealed: SEALED, reason: "app" });
    expect(set).toEqual([{ type: "user.secondFactorSet", user: "aktau-trader", secretSealed: SEALED, reason: "app" }]);
    const removed = run(engine, {
      type: "user.secondFactor",
      user: "aktau-trader",
      secretSealed: null,
      reason: "lost",
    });
    expect(removed).toEqual([
      { type: "user.secondFactorSet", user: "aktau-trader", secretSealed: null, reason: "lost" },
    ]);
    for (const language of ["kk", "ru", "en", null] as const) {
      expect(run(engine, { type: "user.language", user: "aktau-trader", language })).toEqual([
        { type: "user.languageSet", user: "aktau-trader", language },
      ]);
    }
  });
});
