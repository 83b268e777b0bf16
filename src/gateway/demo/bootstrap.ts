/**
 * Starting the demo: on the first start (an empty journal) it builds the demo exchange through the journal, creates
 * the demo users (operator, regulator, a trader per member, a viewer) with random passwords that are printed once,
 * and API keys for the simulated members; on later starts it finds them again. Then the simulated members trade.
 */

import { randomBytes } from "node:crypto";
import type { Exchange } from "../exchange.ts";
import { hashPassword, LIGHT_SCRYPT } from "../passwords.ts";
import type { UserStore } from "../users.ts";
import { type DemoInstrument, demoCommands, demoInstruments, MEMBERS, PLANTS } from "./market.ts";
import { type DemoKey, DemoTraders } from "./traders.ts";

const SETUP_META = { actor: "demo setup", role: "operator", source: "npm start" };

export interface DemoCredentials {
  readonly user: string;
  readonly role: string;
  readonly member: string | null;
  readonly password: string;
}

export interface Demo {
  readonly traders: DemoTraders;
  /** Printed once: null on later starts. */
  readonly credentials: DemoCredentials[] | null;
}

function randomPassword(): string {
  return randomBytes(12).toString("base64url");
}

export async function startDemo(exchange: Exchange, users: UserStore, baseUrl: string): Promise<Demo> {
  let credentials: DemoCredentials[] | null = null;
  if (exchange.projections.lastSeq === 0) {
    for (const command of demoCommands(exchange.clock())) await exchange.submit(command, SETUP_META);
    credentials = await createUsers(users);
  }
  const keys: DemoKey[] = [];
  for (const member of MEMBERS) {
    const key = await users.apiKey(`demo-${member.id.toLowerCase()}`);
    if (key) keys.push({ member: member.id, keyId: key.id, secret: key.secret });
  }
  const reader = await users.apiKey("demo-reader");
  if (!reader) throw new Error("the demo's API keys are missing: start from an empty data directory, or use --no-demo");
  const instruments = knownInstruments(exchange);
  const traders = new DemoTraders({
    baseUrl,
    instruments,
    keys,
    readerKey: { member: "", keyId: reader.id, secret: reader.secret },
    exchange,
    clock: exchange.clock,
  });
  return { traders, credentials };
}

/** The demo instruments as listed in the journal (their delivery month is the month of the first start). */
function knownInstruments(exchange: Exchange): DemoInstrument[] {
  const listed = new Set(exchange.projections.instruments.all().map((i) => i.instrument));
  const fromNow = demoInstruments(exchange.clock());
  const matching = fromNow.filter((i) => listed.has(i.id));
  if (matching.length > 0) return matching;
  return exchange.projections.instruments.all().map((info) => ({
    id: info.instrument,
    basis: info.basis,
    region: info.region,
    name: `${info.product}, ${PLANTS[info.basis] ?? info.basis}, ${info.region}`,
    mode: exchange.engine.market(info.instrument)?.spec.mode ?? "continuous",
    referenceTengePerTonne: Math.round((exchange.engine.market(info.instrument)?.referencePrice ?? 12_000_000) / 100),
  }));
}

async function createUsers(users: UserStore): Promise<DemoCredentials[]> {
  const credentials: DemoCredentials[] = [];
  const add = async (user: string, role: "operator" | "regulator" | "trader" | "viewer", member: string | null) => {
    const password = randomPassword();
    // Demo passwords are random and printed; lighter scrypt keeps the first start quick on a small machine.
    await users.putUser({
      id: user,
      name: user,
      role,
      member,
      passwordHash: await hashPassword(password, LIGHT_SCRYPT),
      disabled: false,
    });
    credentials.push({ user, role, member, password });
  };
  await add("operator", "operator", null);
  await add("regulator", "regulator", null);
  for (const member of MEMBERS) await add(`${member.id.toLowerCase()}-trader`, "trader", member.id);
  await add("aktau-stations-viewer", "viewer", "AKTAU-STATIONS");
  for (const member of MEMBERS) {
    await users.putApiKey({
      id: `demo-${member.id.toLowerCase()}`,
      user: `${member.id.toLowerCase()}-trader`,
      secret: randomBytes(24).toString("base64url"),
      scopes: ["read", "trade"],
      revoked: false,
    });
  }
  await users.putApiKey({
    id: "demo-reader",
    user: "regulator",
    secret: randomBytes(24).toString("base64url"),
    scopes: ["read"],
    revoked: false,
  });
  return credentials;
}
