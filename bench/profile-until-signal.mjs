// Preloaded by bench/restart-copy.ts (`node --import`) when it is asked for a CPU profile: profiles the main thread
// from the start and, on SIGUSR2, writes the profile to PROF_OUT (a .cpuprofile, for bench/profile-summary.ts), so a
// start can be profiled up to a moment the bench chooses (its first /api/health answer) and then killed.
import { writeFileSync } from "node:fs";
import inspector from "node:inspector";

const session = new inspector.Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.setSamplingInterval", { interval: 500 });
session.post("Profiler.start");
process.on("SIGUSR2", () => {
  session.post("Profiler.stop", (_error, result) => {
    writeFileSync(`${process.env.PROF_OUT}.tmp`, JSON.stringify(result.profile));
    writeFileSync(`${process.env.PROF_OUT}.done`, "");
  });
});
