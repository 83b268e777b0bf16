// The hashing thread of off-thread-hash.ts: SHA-256 (hex) of each message's data, answered with the data given back
// (transferred) so the caller can go on using it. Plain JavaScript, as the SQLite threads, so it starts without tsx.
import { createHash } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import { nameThisThread } from "./thread-name.js";

nameThisThread(workerData?.threadName);

parentPort.on("message", ({ id, data }) => {
  const digest = createHash("sha256").update(data).digest("hex");
  if (typeof data === "string") parentPort.postMessage({ id, hash: digest });
  else parentPort.postMessage({ id, hash: digest, data }, [data.buffer]);
});
