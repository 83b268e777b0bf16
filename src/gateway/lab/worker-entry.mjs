// Entry of a policy lab worker thread: workers do not inherit the main thread's TypeScript loader, so this plain
// module registers tsx (as bin/sauda.js does) and then loads the worker itself.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
