#!/usr/bin/env -S node --max-semi-space-size=64
// The `sauda` command. Runs the compiled server under dist/ (`npm run build:server`, made by `npm ci`) when that build
// is fresh: its stamp equals the sources' (build-stamp.js), so a build left behind by an edit of src/ never runs.
// Otherwise — no build, a stale one, or SAUDA_FROM_SOURCE set (the tests run the sources) — it runs the TypeScript
// sources through tsx, as it always did; loading that way costs a compile of each module at every start.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { freshBuild } from "./build-stamp.js";

const root = join(import.meta.dirname, "..");
const built = process.env.SAUDA_FROM_SOURCE ? null : freshBuild(join(root, "src"), join(root, "dist"));
let cli;
if (built === null) {
  const { register } = await import("tsx/esm/api");
  register();
  cli = await import("../src/cli/main.ts");
} else {
  cli = await import(pathToFileURL(built).href);
}
process.exitCode = await cli.main(process.argv.slice(2));
// A `sauda serve` whose start failed ends here, whatever it had started before failing (src/cli/main.ts).
if (cli.serveFailedToStart()) process.exit();
