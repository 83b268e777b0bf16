/**
 * The demo market's economy: which plant sells how much where, which filling-station networks buy in which region,
 * and how much the region's drivers use. The behaviour of every agent (the producers' offer strategy, the networks'
 * bidding and retail pricing, the drivers' response to the retail price, transport) and the rules the agents assume
 * (supply obligations, export open, the share sold on the exchange) come from a policy-lab scenario,
 * `scenarios/safeguarded-2022.json` by default: one model of market behaviour, here driven through the public API.
 *
 * The quantities are the demo's own miniature of docs/sources.md's market (tonnes per month). Routes keep the lab's
 * distances. The ministry's plans (the obligated volume, which must be offered on the exchange) cover about three
 * quarters of each region's demand; the rest the networks must buy from the plants' free volume, which the plants
 * sell at home only at the export netback or better and export otherwise (each plant may export whatever its plans do
 * not oblige it to supply). So prices find the export parity, as in the lab's liberalised scenarios, instead of
 * drifting on a knife's edge between a glut of obligated gas and a shortage. The nationwide call instrument stands
 * for the rest of the country, supplied by Tengizchevroil's nationwide desk (its own account, `TCO-2`, so the plant's
 * two desks keep their gas apart).
 *
 * A region's buyers are the demo's buyer accounts; a wholesaler may run a desk in several regions (one agent each).
 * Each instrument has at least two buyers: with the demo's concentration limit (60% of a session's offer per buyer)
 * a lone buyer could not buy most of what is offered.
 */

import { resolve } from "node:path";
import { loadScenario } from "../simulator/load.ts";
import type { Plant, Scenario } from "../simulator/scenario.ts";

export const DEFAULT_SCENARIO = resolve(import.meta.dirname, "../../scenarios/safeguarded-2022.json");

export type Desk = "continuous" | "auction";

export interface RouteSpec {
  readonly region: string;
  readonly distanceKm: number;
  readonly planTonnesPerMonth: number;
}

export interface ProducerSpec {
  readonly account: string;
  readonly member: string;
  /** The plant's basis (its member id in the demo), where its gas changes hands. */
  readonly basis: string;
  /** The plant in the lab's scenario whose cost and export logistics it has. */
  readonly labPlant: string;
  readonly desk: Desk;
  /** Output; what its plans do not oblige it to supply at home it may export (the export capacity). */
  readonly outputTonnesPerMonth: number;
  readonly routes: readonly RouteSpec[];
}

export interface NetworkSpec {
  readonly account: string;
  readonly member: string;
  /** Share of the region's drivers who use this network at equal prices, percent. */
  readonly sharePercent: number;
}

export interface RegionSpec {
  readonly region: string;
  /** The region in the lab's scenario whose networks' markup it has. */
  readonly labRegion: string;
  readonly desk: Desk;
  readonly demandTonnesPerMonth: number;
  readonly networks: readonly NetworkSpec[];
}

export const PRODUCERS: readonly ProducerSpec[] = [
  {
    account: "KAZGPZ-1",
    member: "KAZGPZ",
    basis: "KAZGPZ",
    labPlant: "KAZGPZ",
    desk: "continuous",
    outputTonnesPerMonth: 22_000,
    routes: [{ region: "MANGYSTAU", distanceKm: 150, planTonnesPerMonth: 11_000 }],
  },
  {
    account: "ATYRAU-REF-1",
    member: "ATYRAU-REF",
    basis: "ATYRAU-REF",
    labPlant: "ANPZ",
    desk: "continuous",
    outputTonnesPerMonth: 8_000,
    routes: [
      { region: "MANGYSTAU", distanceKm: 900, planTonnesPerMonth: 2_500 },
      { region: "ATYRAU", distanceKm: 20, planTonnesPerMonth: 2_500 },
    ],
  },
  {
    account: "TCO-1",
    member: "TCO",
    basis: "TCO",
    labPlant: "TCO",
    desk: "continuous",
    outputTonnesPerMonth: 6_000,
    routes: [{ region: "ATYRAU", distanceKm: 350, planTonnesPerMonth: 2_800 }],
  },
  {
    account: "TCO-2",
    member: "TCO",
    basis: "TCO",
    labPlant: "TCO",
    desk: "auction",
    outputTonnesPerMonth: 40_000,
    // Assumed: the rest of the country is on average 1,500 km of rail from Tengiz.
    routes: [{ region: "KZ", distanceKm: 1_500, planTonnesPerMonth: 22_500 }],
  },
  {
    account: "CNPC-AMG-1",
    member: "CNPC-AMG",
    basis: "CNPC-AMG",
    labPlant: "CNPC-AMG",
    desk: "continuous",
    outputTonnesPerMonth: 8_000,
    routes: [{ region: "AKTOBE", distanceKm: 250, planTonnesPerMonth: 4_500 }],
  },
  {
    account: "PAVLODAR-REF-1",
    member: "PAVLODAR-REF",
    basis: "PAVLODAR-REF",
    labPlant: "PNHZ",
    desk: "continuous",
    outputTonnesPerMonth: 4_000,
    routes: [{ region: "ASTANA", distanceKm: 450, planTonnesPerMonth: 2_200 }],
  },
  {
    account: "SHYMKENT-REF-1",
    member: "SHYMKENT-REF",
    basis: "SHYMKENT-REF",
    labPlant: "PKOP",
    desk: "continuous",
    outputTonnesPerMonth: 11_500,
    routes: [
      { region: "SHYMKENT", distanceKm: 15, planTonnesPerMonth: 4_500 },
      { region: "ALMATY", distanceKm: 700, planTonnesPerMonth: 2_200 },
    ],
  },
];

export const REGIONS: readonly RegionSpec[] = [
  {
    region: "MANGYSTAU",
    labRegion: "MANGYSTAU",
    desk: "continuous",
    demandTonnesPerMonth: 18_000,
    networks: [
      { account: "MANGYSTAU-AUTOGAS-1", member: "MANGYSTAU-AUTOGAS", sharePercent: 35 },
      { account: "AKTAU-STATIONS-1", member: "AKTAU-STATIONS", sharePercent: 30 },
      { account: "CASPIAN-BROKER-C1", member: "CASPIAN-BROKER", sharePercent: 20 },
      { account: "CASPIAN-BROKER-C2", member: "CASPIAN-BROKER", sharePercent: 15 },
    ],
  },
  {
    region: "ATYRAU",
    labRegion: "ATYRAU",
    desk: "continuous",
    demandTonnesPerMonth: 7_000,
    networks: [
      { account: "ATYRAU-GAS-1", member: "ATYRAU-GAS", sharePercent: 55 },
      { account: "KZ-WHOLESALE-1", member: "KZ-WHOLESALE", sharePercent: 45 },
    ],
  },
  {
    region: "AKTOBE",
    labRegion: "AKTOBE",
    desk: "continuous",
    demandTonnesPerMonth: 6_000,
    networks: [
      { account: "AKTOBE-FUEL-1", member: "AKTOBE-FUEL", sharePercent: 55 },
      { account: "KZ-WHOLESALE-1", member: "KZ-WHOLESALE", sharePercent: 45 },
    ],
  },
  {
    region: "ASTANA",
    labRegion: "ASTANA",
    desk: "continuous",
    demandTonnesPerMonth: 3_000,
    networks: [
      { account: "ASTANA-LPG-1", member: "ASTANA-LPG", sharePercent: 55 },
      { account: "KZ-WHOLESALE-1", member: "KZ-WHOLESALE", sharePercent: 45 },
    ],
  },
  {
    region: "SHYMKENT",
    labRegion: "SHYMKENT",
    desk: "continuous",
    demandTonnesPerMonth: 6_000,
    networks: [
      { account: "SOUTH-AUTOGAS-1", member: "SOUTH-AUTOGAS", sharePercent: 55 },
      { account: "KZ-WHOLESALE-1", member: "KZ-WHOLESALE", sharePercent: 45 },
    ],
  },
  {
    region: "ALMATY",
    labRegion: "ALMATY_CITY",
    desk: "continuous",
    demandTonnesPerMonth: 3_000,
    networks: [
      { account: "SOUTH-AUTOGAS-1", member: "SOUTH-AUTOGAS", sharePercent: 50 },
      { account: "KZ-WHOLESALE-1", member: "KZ-WHOLESALE", sharePercent: 50 },
    ],
  },
  {
    region: "KZ",
    // Assumed: the rest of the country's networks price like Karaganda's.
    labRegion: "KARAGANDA",
    desk: "auction",
    demandTonnesPerMonth: 30_000,
    networks: [
      { account: "KZ-WHOLESALE-1", member: "KZ-WHOLESALE", sharePercent: 60 },
      { account: "ATYRAU-GAS-1", member: "ATYRAU-GAS", sharePercent: 40 },
    ],
  },
];

/** The lab's plant a demo producer borrows its cost and export logistics from, with the demo's own quantities. */
export function plantOf(scenario: Scenario, spec: ProducerSpec): Plant {
  const lab = scenario.market.plants.find((p) => p.id === spec.labPlant);
  if (!lab) throw new Error(`scenario ${scenario.name} has no plant ${spec.labPlant}`);
  return {
    id: spec.basis,
    name: lab.name,
    region: spec.routes[0]!.region,
    outputTonnesPerMonth: spec.outputTonnesPerMonth,
    costTengePerTonne: lab.costTengePerTonne,
    exportLogisticsTengePerTonne: lab.exportLogisticsTengePerTonne,
    exportCapacityTonnesPerMonth:
      spec.outputTonnesPerMonth - spec.routes.reduce((sum, r) => sum + r.planTonnesPerMonth, 0),
  };
}

export function markupPercentOf(scenario: Scenario, spec: RegionSpec): number {
  const lab = scenario.market.regions.find((r) => r.id === spec.labRegion);
  if (!lab) throw new Error(`scenario ${scenario.name} has no region ${spec.labRegion}`);
  return lab.markupPercent;
}

export function loadBehaviour(path = DEFAULT_SCENARIO): Scenario {
  return loadScenario(path);
}

/** Checks the tables against each other: every region is supplied, every network's shares add up, desks agree. */
export function checkWorld(): void {
  for (const region of REGIONS) {
    const routes = PRODUCERS.flatMap((p) => p.routes.filter((r) => r.region === region.region).map(() => p));
    if (routes.length === 0) throw new Error(`invariant: demo region ${region.region} has no supplier`);
    if (routes.some((p) => p.desk !== region.desk)) throw new Error(`invariant: ${region.region} spans two desks`);
    const shares = region.networks.reduce((sum, n) => sum + n.sharePercent, 0);
    if (shares !== 100) throw new Error(`invariant: ${region.region}'s network shares add up to ${shares}%`);
    const accounts = new Set(region.networks.map((n) => n.account));
    if (accounts.size !== region.networks.length) throw new Error(`invariant: ${region.region} lists an account twice`);
  }
}
