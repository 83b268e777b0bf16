/**
 * High availability on PostgreSQL (test/support/ha-rounds.ts): `sauda serve` nodes share one journal in a fresh schema,
 * and the leader is killed with SIGKILL under load HA_ROUNDS times (default 20; scripts/ha-soak.sh runs many) among
 * HA_NODES nodes (default 4; at least 2; more let the rounds go on while killed nodes start again): a follower takes
 * over within 5 s each time, and no acknowledged order is lost.
 */

import { afterAll, describe, it } from "vitest";
import { haRounds } from "./support/ha-rounds.ts";
import { dropSchema, postgresForSuite, testSchema } from "./support/postgres.ts";

const ROUNDS = Number(process.env.HA_ROUNDS ?? 20);
const NODES = Math.max(2, Number(process.env.HA_NODES ?? 4));

const run = await postgresForSuite("high availability");
const schemas: string[] = [];
afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema);
});

describe.runIf(run)("high availability on PostgreSQL", () => {
  it(`a follower takes over within 5 s of each of ${ROUNDS} SIGKILLs of the leader, losing no acknowledged order`, async () => {
    const schema = testSchema("ha");
    schemas.push(schema);
    await haRounds({ kind: "postgres", schema }, ROUNDS, NODES);
  }, 900_000);
});
