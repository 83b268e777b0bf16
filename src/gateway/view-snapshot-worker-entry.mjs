// Entry of the read models' snapshot thread: workers do not inherit the main thread's TypeScript loader, so this
// plain module registers tsx (as bin/sauda.js does) and then loads the thread itself (view-snapshot-worker.ts).
import { register } from "tsx/esm/api";

register();
await import("./view-snapshot-worker.ts");
