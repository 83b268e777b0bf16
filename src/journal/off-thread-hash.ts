/**
 * SHA-256 (hex) of a snapshot's data on a thread of its own, so that hashing tens of megabytes does not hold the
 * leader's thread (the sequencer, the API and the streams all run on it). The answer is the same as
 * `hash("sha256", data, "hex")`. A buffer that owns its whole memory is moved to the thread and back (no copy; it is
 * unusable until the promise settles, and the caller gets it back); any other buffer or a string is copied.
 *
 * One thread, started on first use and not keeping the process alive (unref). If it cannot start or fails, the hash is
 * computed on the calling thread: slower, never wrong.
 */

import { hash } from "node:crypto";
import { Worker } from "node:worker_threads";
import { nameForAThreadStartedHere, THREAD_NAMES } from "./thread-name.js";

let worker: Worker | null = null;
let broken = false;
let nextId = 0;
const waiting = new Map<
  number,
  { resolve: (answer: { hash: string; data?: Uint8Array }) => void; reject: (error: Error) => void }
>();

function thread(): Worker | null {
  if (broken) return null;
  if (worker !== null) return worker;
  try {
    const started = new Worker(new URL("./hash-worker.js", import.meta.url), {
      workerData: { threadName: nameForAThreadStartedHere(THREAD_NAMES.hashing) },
    });
    started.unref();
    started.on("message", (answer: { id: number; hash: string; data?: Uint8Array }) => {
      const entry = waiting.get(answer.id);
      waiting.delete(answer.id);
      entry?.resolve(answer);
      if (waiting.size === 0) started.unref();
    });
    const fail = (error: Error) => {
      broken = true;
      worker = null;
      for (const entry of waiting.values()) entry.reject(error);
      waiting.clear();
    };
    started.on("error", fail);
    started.on("exit", (code) => fail(new Error(`the hashing thread exited with code ${code}`)));
    worker = started;
    return started;
  } catch {
    broken = true;
    return null;
  }
}

/** SHA-256 (hex) of `data`, off this thread. A `Uint8Array` given is moved away and comes back as `data`. */
export async function sha256OffThread<T extends string | Uint8Array>(data: T): Promise<{ hash: string; data: T }> {
  const hashing = thread();
  if (hashing === null) return { hash: hash("sha256", data, "hex"), data };
  const id = nextId++;
  const owned =
    typeof data !== "string" &&
    data.byteOffset === 0 &&
    data.byteLength === data.buffer.byteLength &&
    data.buffer instanceof ArrayBuffer;
  try {
    const answer = await new Promise<{ hash: string; data?: Uint8Array }>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      hashing.ref();
      if (owned) hashing.postMessage({ id, data }, [(data as Uint8Array).buffer as ArrayBuffer]);
      else hashing.postMessage({ id, data });
    });
    if (typeof data === "string") return { hash: answer.hash, data };
    const back = answer.data!;
    // A Buffer comes back as a Uint8Array over the same memory: give the caller the kind it gave.
    const same = (Buffer.isBuffer(data) ? Buffer.from(back.buffer, back.byteOffset, back.byteLength) : back) as T;
    return { hash: answer.hash, data: owned ? same : data };
  } catch {
    // The thread failed with the data on it: a string or a copied buffer is still here; a moved one is lost.
    if (owned) throw new Error("the hashing thread failed while holding the snapshot's data");
    return { hash: hash("sha256", data, "hex"), data };
  }
}
