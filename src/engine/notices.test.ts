/**
 * `notices.prefer`, `notices.read` and `notices.mail` in the engine: checked in full (member, kinds, address, language, ids and their
 * limits), one event on success, one `rejected` with a stable code and nothing else otherwise.
 */

import { describe, expect, it } from "vitest";
import type { EngineEvent } from "./events.ts";
import {
  applyNoticeCommand,
  NOTICE_EMAIL_LENGTH_MAX,
  NOTICE_ID_LENGTH_MAX,
  NOTICE_MAIL_ATTEMPTS_MAX,
  NOTICE_MAIL_ERROR_LENGTH_MAX,
  NOTICE_READ_IDS_MAX,
  type NoticeCommand,
} from "./notices.ts";

function run(command: NoticeCommand) {
  const out: EngineEvent[] = [];
  const problem = applyNoticeCommand(command, (member) => member === "AKTAU", out);
  return { problem, out };
}

const PREFER = {
  type: "notices.prefer",
  member: "AKTAU",
  web: ["fill", "default"],
  mail: ["deadline"],
  email: "desk@aktau.kz",
  language: "kk",
} as const;

describe("notices.prefer", () => {
  it("records the member's choice as one event", () => {
    expect(run(PREFER)).toEqual({
      problem: null,
      out: [
        {
          type: "notices.preferred",
          member: "AKTAU",
          web: ["fill", "default"],
          mail: ["deadline"],
          email: "desk@aktau.kz",
          language: "kk",
        },
      ],
    });
  });

  it("refuses an unknown member, an unknown or repeated kind, a bad address or language; no event", () => {
    const address = (length: number) => `${"a".repeat(length - "@example.kz".length)}@example.kz`;
    expect(run({ ...PREFER, email: address(NOTICE_EMAIL_LENGTH_MAX) }).problem).toBeNull();
    const cases: [Partial<NoticeCommand>, string, string][] = [
      [{ member: "NOBODY" }, "MEMBER_NOT_FOUND", ""],
      [{ web: ["fill", "fills"] } as never, "FIELD_INVALID", "web"],
      [{ mail: ["fill", "fill"] } as never, "FIELD_INVALID", "mail"],
      [{ email: "desk@aktau" }, "FIELD_INVALID", "email"],
      [{ email: "Desk <desk@aktau.kz>" }, "FIELD_INVALID", "email"],
      [{ email: address(NOTICE_EMAIL_LENGTH_MAX + 1) }, "FIELD_INVALID", "email"],
      [{ language: "de" } as never, "FIELD_INVALID", "language"],
    ];
    for (const [change, code, field] of cases) {
      const { problem, out } = run({ ...PREFER, ...change } as NoticeCommand);
      expect(
        [problem?.code, (problem?.details as { field?: string } | undefined)?.field ?? ""],
        JSON.stringify(change),
      ).toEqual([code, field]);
      expect(out).toEqual([]);
    }
  });
});

describe("notices.read", () => {
  it("takes 1 to NOTICE_READ_IDS_MAX ids of at most NOTICE_ID_LENGTH_MAX characters", () => {
    const ids = Array.from({ length: NOTICE_READ_IDS_MAX }, (_, i) => `N-${i}-1`);
    expect(run({ type: "notices.read", member: "AKTAU", ids }).out).toEqual([
      { type: "notices.read", member: "AKTAU", ids },
    ]);
    expect(run({ type: "notices.read", member: "AKTAU", ids: ["x".repeat(NOTICE_ID_LENGTH_MAX)] }).problem).toBeNull();
    for (const bad of [[], [...ids, "N-x-1"], ["x".repeat(NOTICE_ID_LENGTH_MAX + 1)], [""]]) {
      const { problem, out } = run({ type: "notices.read", member: "AKTAU", ids: bad });
      expect(problem?.code).toBe("FIELD_INVALID");
      expect(out).toEqual([]);
    }
  });
});

describe("notices.mail", () => {
  const FAILED = {
    type: "notices.mail",
    member: "AKTAU",
    id: "N-7-1",
    attempt: 1,
    atMs: 1_000,
    error: "451 mailbox busy",
    nextAttemptMs: 61_000,
  } as const;

  it("records one attempt as one event: failed with its retry, delivered, or given up at the last", () => {
    expect(run(FAILED)).toEqual({ problem: null, out: [{ ...FAILED, type: "notices.mailed" }] });
    expect(run({ ...FAILED, error: null, nextAttemptMs: null }).problem).toBeNull();
    expect(run({ ...FAILED, attempt: NOTICE_MAIL_ATTEMPTS_MAX, nextAttemptMs: null }).problem).toBeNull();
    expect(run({ ...FAILED, error: "e".repeat(NOTICE_MAIL_ERROR_LENGTH_MAX) }).problem).toBeNull();
  });

  it("refuses a bad id, attempt, time, error or next attempt; no event", () => {
    const cases: [Partial<NoticeCommand>, string][] = [
      [{ id: "" }, "id"],
      [{ id: "N".repeat(NOTICE_ID_LENGTH_MAX + 1) }, "id"],
      [{ attempt: 0 }, "attempt"],
      [{ attempt: NOTICE_MAIL_ATTEMPTS_MAX + 1 }, "attempt"],
      [{ attempt: 1.5 }, "attempt"],
      [{ atMs: -1 }, "atMs"],
      [{ error: "e".repeat(NOTICE_MAIL_ERROR_LENGTH_MAX + 1) }, "error"],
      // A retry after a delivery, after the last attempt, or not after this one.
      [{ error: null }, "nextAttemptMs"],
      [{ attempt: NOTICE_MAIL_ATTEMPTS_MAX }, "nextAttemptMs"],
      [{ nextAttemptMs: 1_000 }, "nextAttemptMs"],
    ];
    for (const [change, field] of cases) {
      const { problem, out } = run({ ...FAILED, ...change } as NoticeCommand);
      expect([problem?.code, problem?.details.field]).toEqual(["FIELD_INVALID", field]);
      expect(out).toEqual([]);
    }
    expect(run({ ...FAILED, member: "NOBODY" }).problem?.code).toBe("MEMBER_NOT_FOUND");
  });
});
