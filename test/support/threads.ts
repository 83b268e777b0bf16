import { readdirSync, readFileSync } from "node:fs";

/**
 * The file `name` of each of this process's threads in /proc (by Linux task id), passing over a thread that ended
 * between the listing and the read (a store's writer closing, a reader thread done).
 */
function taskFiles(name: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      files.set(tid, readFileSync(`/proc/self/task/${tid}/${name}`, "utf8"));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ESRCH") throw error;
    }
  }
  return files;
}

/** The Linux task ids of this process's threads whose nice value is `nice` (field 19 of /proc's stat). */
export function threadsAtNice(nice: number): string[] {
  return [...taskFiles("stat")]
    .filter(([, stat]) => Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]) === nice)
    .map(([tid]) => tid);
}

/** The names of this process's threads (thread-name.js), one per thread. */
export function threadNames(): string[] {
  return [...taskFiles("comm").values()].map((comm) => comm.trim());
}
