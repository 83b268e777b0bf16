/**
 * Threads named for the operating system (thread-name.js): a name is set on the calling thread only, cut to Linux's 15
 * bytes; null keeps the name the thread was born with (its starter's); a thread started off the main thread is given
 * no name of its own.
 */

import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { nameForAThreadStartedHere } from "./thread-name.js";

const MODULE = new URL("./thread-name.js", import.meta.url).href;

/**
 * Runs `body` (ES module text, with `nameThisThread` and `nameForAThreadStartedHere` imported) in a new thread, and
 * resolves with what it posts.
 */
function inThread(body: string): Promise<unknown> {
  const source = `import { parentPort } from "node:worker_threads";
import { readFileSync } from "node:fs";
import { nameThisThread, nameForAThreadStartedHere } from ${JSON.stringify(MODULE)};
const comm = () => readFileSync("/proc/thread-self/comm", "utf8").trim();
${body}`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`));
  return new Promise((resolve, reject) => {
    worker.once("message", (message) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}

const mainName = () => readFileSync("/proc/thread-self/comm", "utf8").trim();

describe.runIf(process.platform === "linux")("thread names", () => {
  it("names the calling thread only, cut to 15 bytes at the limit", async () => {
    const before = mainName();
    const names = await inThread(`
      nameThisThread("sauda-views-sn");
      const fifteen = comm();
      nameThisThread("abcdefghijklmnop");
      parentPort.postMessage([fifteen, comm()]);`);
    // 14 bytes kept whole; 16 cut to the first 15.
    expect(names).toEqual(["sauda-views-sn", "abcdefghijklmno"]);
    expect(mainName()).toBe(before);
  });

  it("null keeps the starter's name; off the main thread no name is given for a thread started there", async () => {
    const result = await inThread(`
      nameThisThread("sauda-engine-sn");
      nameThisThread(null);
      const kept = comm();
      const forChild = nameForAThreadStartedHere("sauda-journal");
      const { Worker } = await import("node:worker_threads");
      const child = new Worker(
        'const { parentPort } = require("node:worker_threads"); parentPort.postMessage(require("node:fs").readFileSync("/proc/thread-self/comm", "utf8").trim());',
        { eval: true },
      );
      child.once("message", (born) => parentPort.postMessage({ kept, forChild, born }));`);
    expect(result).toEqual({ kept: "sauda-engine-sn", forChild: null, born: "sauda-engine-sn" });
    // On the main thread (a server's), a thread started here is named.
    expect(nameForAThreadStartedHere("sauda-journal")).toBe("sauda-journal");
  });
});
