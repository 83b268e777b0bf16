/**
 * One node of the high-availability tests (test/ha.test.ts, test/ha-sqlite.test.ts): `sauda serve --no-demo` on a
 * PostgreSQL journal or a SQLite one, through the same `serve` function the command line runs, without loading the
 * other commands (a node starts sooner, and the test starts many). Arguments: database URL (`sqlite` for a SQLite
 * journal), schema, data directory (the SQLite journal's, shared), keys directory. SIGTERM stops it cleanly (exit 0);
 * a lost leadership or journal exits 70, as the command does.
 */

import { serve } from "../../src/cli/serve.ts";

const [database, schema, data, keys] = process.argv.slice(2) as [string, string, string, string];
const journal = database === "sqlite" ? {} : { database };
const stop = await serve({ port: 0, host: "127.0.0.1", data, ...journal, schema, keys, demo: false }, (line) =>
  process.stdout.write(`${line}\n`),
);
process.once("SIGTERM", () => {
  stop().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stdout.write(`did not stop cleanly: ${String(error)}\n`);
      process.exit(1);
    },
  );
});
