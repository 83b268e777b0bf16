import { readdirSync, readFileSync } from "node:fs";

/** The Linux task ids of this process's threads whose nice value is `nice` (field 19 of /proc's stat). */
export function threadsAtNice(nice: number): string[] {
  return readdirSync("/proc/self/task").filter((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]) === nice;
  });
}
