/** The serving lock beside a SQLite journal (sqlite-serving.ts): servers share it, a stopped-server command excludes them. */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { holdForServer, holdWithServersStopped, JournalInUseError } from "./sqlite-serving.ts";

const journalFile = () => join(mkdtempSync(join(tmpdir(), "sauda-serving-")), "data", "sauda.sqlite");

function codeOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(JournalInUseError);
    return (error as JournalInUseError).code;
  }
}

describe("the serving lock", () => {
  it("is shared by servers (a leader and its standby), and refuses a stopped-server command while any holds it", () => {
    const file = journalFile();
    const leader = holdForServer(file);
    const standby = holdForServer(file);
    expect(codeOf(() => holdWithServersStopped(file, "sauda keys rotate-mac"))).toBe("SAUDA_SERVER_RUNNING");
    leader.release();
    expect(codeOf(() => holdWithServersStopped(file, "sauda keys rotate-mac"))).toBe("SAUDA_SERVER_RUNNING");
    standby.release();
    const command = holdWithServersStopped(file, "sauda keys rotate-mac");
    command.release();
  });

  it("keeps a server from starting while the command runs, and lets it start after", () => {
    const file = journalFile();
    const command = holdWithServersStopped(file, "sauda user create");
    let message = "";
    try {
      holdForServer(file);
    } catch (error) {
      message = (error as Error).message;
      expect((error as JournalInUseError).code).toBe("SAUDA_COMMAND_RUNNING");
    }
    expect(message).toContain("a command that needs the server stopped");
    command.release();
    holdForServer(file).release();
  });

  it("names the command and the journal in its refusal", () => {
    const file = journalFile();
    const server = holdForServer(file);
    expect(() => holdWithServersStopped(file, "sauda keys rotate-mac")).toThrow(
      `a sauda server (leader or standby) is running on ${file}: stop every server on this data directory before sauda keys rotate-mac`,
    );
    server.release();
  });
});
