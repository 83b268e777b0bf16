/**
 * Starting the demo: on the first start (an empty journal) it builds the demo exchange through the journal, creates
 * the demo users (operator, regulator, a trader per member, a viewer) with random passwords that are printed once,
 * and an API key per simulated member; on later starts it finds them again. Then the policy lab's agents trade as
 * those members through the public API (agents.ts).
 */

import { randomBytes } from "node:crypto";
import type { Exchange } from "../exchange.ts";
import type { Users } from "../users.ts";
import { DemoAgents, type DemoAgentsOptions } from "./agents.ts";
import type { ApiKeyCredentials } from "./http-port.ts";
import { demoCommands, MEMBERS } from "./market.ts";

const SETUP_META = { actor: "demo setup", role: "operator", source: "npm start" };

export interface DemoCredentials {
  readonly user: string;
  readonly role: string;
  readonly member: string | null;
  readonly password: string;
}

export interface Demo {
  readonly agents: DemoAgents;
  /** Printed once: null on later starts. */
  readonly credentials: DemoCredentials[] | null;
}

/** How the demo's agents run (see agents.ts); defaults suit `npm start`. */
export type DemoOptions = Pick<DemoAgentsOptions, "roundMs" | "seed" | "scenarioPath" | "log">;

function randomPassword(): string {
  return randomBytes(12).toString("base64url");
}

/** Builds the demo on first start, then prepares its agents; `agents.start()` sets them trading. */
export async function startDemo(
  exchange: Exchange,
  users: Users,
  baseUrl: string,
  options: DemoOptions = {},
): Promise<Demo> {
  let credentials: DemoCredentials[] | null = null;
  if (exchange.projections.lastSeq === 0) {
    for (const command of demoCommands(exchange.clock())) await exchange.submit(command, SETUP_META);
    credentials = await createUsers(users);
  }
  const keys = new Map<string, ApiKeyCredentials>();
  for (const member of MEMBERS) {
    const keyId = `demo-${member.id.toLowerCase()}`;
    const secret = users.secretOf(keyId);
    if (secret === null) {
      throw new Error("the demo's API keys are missing: start from an empty data directory, or use --no-demo");
    }
    keys.set(member.id, { keyId, secret });
  }
  const agents = await DemoAgents.create({ ...options, exchange, baseUrl, keys });
  return { agents, credentials };
}

async function createUsers(users: Users): Promise<DemoCredentials[]> {
  const credentials: DemoCredentials[] = [];
  const add = async (user: string, role: "operator" | "regulator" | "trader" | "viewer", member: string | null) => {
    const password = randomPassword();
    // Hashed with the server's parameters (the demo server uses light ones, so the first start stays quick).
    await users.create({ id: user, name: user, role, member, password, reason: "demo user" }, SETUP_META);
    credentials.push({ user, role, member, password });
  };
  await add("operator", "operator", null);
  await add("regulator", "regulator", null);
  for (const member of MEMBERS) await add(`${member.id.toLowerCase()}-trader`, "trader", member.id);
  await add("aktau-stations-viewer", "viewer", "AKTAU-STATIONS");
  for (const member of MEMBERS) {
    await users.createKey(`${member.id.toLowerCase()}-trader`, ["read", "trade"], SETUP_META, {
      id: `demo-${member.id.toLowerCase()}`,
    });
  }
  return credentials;
}
