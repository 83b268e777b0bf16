/**
 * The people and programs of the demo market: who signs in (the operator, the regulator, a trader per member, a
 * member's administrator and a viewer, each with a random password printed once on the first start) and the API keys the demo's own programs use
 * (the back office with the operator's key, the set-up's safeguards and plans with the regulator's, each member's
 * agents with its trader's key). Users and keys live in the server's user store, not on the exchange; whoever starts
 * the demo (`sauda serve`, src/cli) creates them there from these lists and hands the keys to the demo.
 */

import { MEMBERS } from "./market.ts";

export type DemoRole = "operator" | "regulator" | "trader" | "administrator" | "viewer";

export interface DemoUser {
  readonly id: string;
  readonly role: DemoRole;
  /** The member a trader, administrator or viewer belongs to; null for the operator and the regulator. */
  readonly member: string | null;
}

export interface DemoKey {
  readonly id: string;
  readonly user: string;
}

export const OPERATOR_KEY_ID = "demo-operator";
export const REGULATOR_KEY_ID = "demo-regulator";

export function traderOf(member: string): string {
  return `${member.toLowerCase()}-trader`;
}

export function memberKeyIdOf(member: string): string {
  return `demo-${member.toLowerCase()}`;
}

/** The member whose administrator and viewer the demo has (a filling-station network that buys in Mangystau). */
export const DEMO_ADMINISTERED_MEMBER = "AKTAU-STATIONS";

/**
 * Everyone who signs in to the demo, in the order their passwords are printed. The administrator is there so that a
 * newcomer can reach the member's own users and keys page (/users) as well as the operator's pages.
 */
export function demoUsers(): DemoUser[] {
  return [
    { id: "operator", role: "operator", member: null },
    { id: "regulator", role: "regulator", member: null },
    ...MEMBERS.map((m): DemoUser => ({ id: traderOf(m.id), role: "trader", member: m.id })),
    { id: "aktau-stations-admin", role: "administrator", member: DEMO_ADMINISTERED_MEMBER },
    { id: "aktau-stations-viewer", role: "viewer", member: DEMO_ADMINISTERED_MEMBER },
  ];
}

/** The demo's API keys (scopes read and trade): the operator's, the regulator's, and one per member's trader. */
export function demoKeys(): DemoKey[] {
  return [
    { id: OPERATOR_KEY_ID, user: "operator" },
    { id: REGULATOR_KEY_ID, user: "regulator" },
    ...MEMBERS.map((m) => ({ id: memberKeyIdOf(m.id), user: traderOf(m.id) })),
  ];
}
