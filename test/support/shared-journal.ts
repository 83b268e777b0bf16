/**
 * Nodes of one exchange on a shared PostgreSQL journal, in the test's own process: a schema of the suite's own
 * (dropped after the suite), one keys directory, the fixed clock T0. Every node opens as a follower and takes the lead
 * only through a Leadership of its own, so a test decides which node leads and when. Call `sharedJournal` inside a
 * `describe` that runs only when PostgreSQL is reachable (test/support/postgres.ts's `postgresForSuite`).
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { Exchange } from "../../src/gateway/exchange.ts";
import { Leadership } from "../../src/journal/leadership.ts";
import { dropSchema, TEST_DATABASE_URL, testSchema } from "./postgres.ts";
import { T0 } from "./server.ts";

export interface SharedJournal {
  /** Opens a node on the journal as a follower; a fatal failure of it is pushed to `fatal`. */
  follower(fatal: unknown[]): Promise<Exchange>;
  /** The leadership of the node advertised as http://`name`.example. */
  leadership(name: string): Promise<Leadership>;
}

/** Call inside a `describe`: a schema named after `prefix`, dropped after the suite. */
export function sharedJournal(prefix: string): SharedJournal {
  const schema = testSchema(prefix);
  afterAll(() => dropSchema(schema));
  // Made when the first node opens, so a suite that is skipped leaves no directory behind.
  let keysDir: string | undefined;
  return {
    follower(fatal) {
      keysDir ??= mkdtempSync(join(tmpdir(), `sauda-${prefix}-keys-`));
      return Exchange.open({
        database: TEST_DATABASE_URL,
        schema,
        keysDir,
        clock: () => T0,
        follower: true,
        onFatal: (error) => fatal.push(error),
      });
    },
    leadership(name) {
      return Leadership.connect({ url: TEST_DATABASE_URL, schema, advertisedUrl: `http://${name}.example` });
    },
  };
}
