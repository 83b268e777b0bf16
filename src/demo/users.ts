/**
 * The people and programs of the demo market: who signs in (the operator, the regulator, a trader per member and a
 * viewer, each with a random password printed once on the first start) and the API keys the demo's own programs use
 * (the back office with the operator's key, the set-up's safeguards and plans with the regulator's, each member's
 * agents with its trader's key). Users and keys live in the server's user store, not on the exchange; whoever starts
 * the demo (`sauda serve`, src/cli) creates them there from these lists and hands the keys to the demo.
 */

import { MEMBERS } from "./market.ts";

export type DemoRole = "operator" | "regulator" | "trader" | "viewer";

export interface DemoUser {
  readonly id: string;
  readonly role: DemoRole;
  /** The member a trader or viewer belongs to; null for the operator and the regulator. */
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

/** Everyone who signs in to the demo, in the order their passwords are printed. */
export function demoUsers(): DemoUser[] {
  return [
    { id: "operator", role: "operator", member: null },
    { id: "regulator", role: "regulator", member: null },
    ...MEMBERS.map((m): DemoUser => ({ id: traderOf(m.id), role: "trader", member: m.id })),
    { id: "aktau-stations-viewer", role: "viewer", member: "AKTAU-STATIONS" },
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
