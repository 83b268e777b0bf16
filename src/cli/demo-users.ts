/**
 * The demo's people and programs as users and API keys of the exchange (journaled, like every user: engine/access.ts).
 * On the first start every demo user gets a random password, printed once, and the demo's API keys get random
 * secrets (stored sealed); on later starts the keys are opened again from the journal. Who they are is the demo's
 * (src/demo/users.ts).
 *
 * Two steps, because a member's people need their member to exist: the operator's and the regulator's users and keys
 * first (the demo builds the market with them, through the API), then, once the members are accredited, each member's
 * trader and viewer and the members' keys (`memberKeys`, which the demo calls after its set-up).
 */

import { randomBytes } from "node:crypto";
import type { ApiKeyCredentials } from "../demo/api-client.ts";
import type { DemoConsoleKeys } from "../demo/demo.ts";
import { MEMBERS, RING_MEMBERS } from "../demo/market.ts";
import {
  type DemoUser,
  demoKeys,
  demoUsers,
  memberKeyIdOf,
  OPERATOR_KEY_ID,
  REGULATOR_KEY_ID,
  traderOf,
} from "../demo/users.ts";
import type { Users } from "../gateway/users.ts";

const PASSWORD_BYTES = 12;
const SETUP_META = { actor: "sauda serve (demo set-up)", role: "operator", source: "local" };

export interface DemoCredentials {
  readonly user: string;
  readonly role: string;
  readonly member: string | null;
  readonly password: string;
}

export interface DemoAccess {
  /** The console keys the demo builds its market with. */
  readonly keys: DemoConsoleKeys;
  /** Creates the members' users and keys (on the first start) and returns the members' keys; after the set-up. */
  readonly memberKeys: () => Promise<ReadonlyMap<string, ApiKeyCredentials>>;
  /** The passwords of the users created on this start, to print once (filled as they are created); null later. */
  readonly credentials: DemoCredentials[] | null;
}

export async function demoAccess(users: Users, firstStart: boolean): Promise<DemoAccess> {
  const credentials: DemoCredentials[] | null = firstStart ? [] : null;
  const everyone = demoUsers();
  const ensureUsers = async (which: readonly DemoUser[]) => {
    for (const user of which) {
      if (users.user(user.id) !== null) continue;
      if (credentials === null) {
        throw new Error("the demo's users are missing: start from an empty data directory, or use --no-demo");
      }
      const password = randomBytes(PASSWORD_BYTES).toString("base64url");
      await users.create(
        { id: user.id, name: user.id, role: user.role, member: user.member, password, reason: "demo user" },
        SETUP_META,
      );
      credentials.push({ user: user.id, role: user.role, member: user.member, password });
    }
  };
  const keyOf = async (id: string): Promise<ApiKeyCredentials> => {
    const key = demoKeys().find((k) => k.id === id)!;
    let secret = users.secretOf(id);
    if (secret === null && users.user(key.user) !== null) {
      secret = (await users.createKey(key.user, ["read", "trade"], SETUP_META, { id })).secret;
    }
    if (secret === null) {
      throw new Error("the demo's keys are missing: start from an empty data directory, or use --no-demo");
    }
    return { keyId: id, secret };
  };

  await ensureUsers(everyone.filter((user) => user.member === null));
  const keys: DemoConsoleKeys = { operator: await keyOf(OPERATOR_KEY_ID), regulator: await keyOf(REGULATOR_KEY_ID) };
  return {
    keys,
    credentials,
    memberKeys: async () => {
      // The bidding ring's members came later: a demo built before them has none, and runs without the ring.
      const absent = (member: string | null) =>
        member !== null && !firstStart && RING_MEMBERS.includes(member) && users.user(traderOf(member)) === null;
      await ensureUsers(everyone.filter((user) => user.member !== null && !absent(user.member)));
      const members = new Map<string, ApiKeyCredentials>();
      for (const member of MEMBERS) {
        if (!absent(member.id)) members.set(member.id, await keyOf(memberKeyIdOf(member.id)));
      }
      return members;
    },
  };
}
