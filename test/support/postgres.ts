/**
 * PostgreSQL for tests: the server at SAUDA_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test, trust auth).
 * When it is not reachable the PostgreSQL tests are skipped and say so plainly, unless SAUDA_REQUIRE_POSTGRES=1
 * (set by .ci/run), in which case they fail.
 */

import pg from "pg";

export const TEST_DATABASE_URL = process.env.SAUDA_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const POSTGRES_REQUIRED = process.env.SAUDA_REQUIRE_POSTGRES === "1";

let reachable: Promise<boolean> | undefined;

export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

/** A schema name unique to this test process and call, so test runs never share tables. */
let schemaCounter = 0;
export function testSchema(prefix: string): string {
  schemaCounter++;
  return `${prefix}_${process.pid}_${schemaCounter}_${Date.now() % 1_000_000}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Call at module level of a PostgreSQL test file: returns whether to run, printing why not. */
export async function postgresForSuite(suite: string): Promise<boolean> {
  if (await postgresReachable()) return true;
  if (POSTGRES_REQUIRED) {
    throw new Error(
      `${suite}: PostgreSQL is required (SAUDA_REQUIRE_POSTGRES=1) but ${TEST_DATABASE_URL} is not reachable`,
    );
  }
  process.stderr.write(
    `\nSKIPPED ${suite} against PostgreSQL: no server at ${TEST_DATABASE_URL} (set SAUDA_TEST_DATABASE_URL to run them)\n`,
  );
  return false;
}
