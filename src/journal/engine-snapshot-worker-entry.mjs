// Entry of the engine's snapshot thread: workers do not inherit the main thread's TypeScript loader, so this plain
// module registers tsx (as bin/sauda.js does) and then loads the thread itself (engine-snapshot-worker.ts).
import { register } from "tsx/esm/api";

register();
await import("./engine-snapshot-worker.ts");
