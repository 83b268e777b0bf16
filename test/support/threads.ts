import { readdirSync, readFileSync } from "node:fs";

/** The Linux task ids of this process's threads whose nice value is `nice` (field 19 of /proc's stat). */
export function threadsAtNice(nice: number): string[] {
  return readdirSync("/proc/self/task").filter((tid) => {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    } catch (error) {
      // A thread that ended between the listing and the read (a store's writer closing, a reader thread done).
      if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ESRCH") {
        return false;
      }
      throw error;
    }
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]) === nice;
  });
}
