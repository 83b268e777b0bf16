/**
 * A producer agent on an account others sell from too (the demo: a person trading beside the robot): gas the exchange
 * holds below what the agent booked is taken as theirs, and the agent goes on from the exchange's figure; on an
 * account of its own (the lab) the same shortfall is a fault it stops on.
 */

import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readScenarioJson } from "./load.ts";
import type { MarketPort } from "./port.ts";
import { Producer, type ProducerDay } from "./producer.ts";
import { parseScenario } from "./scenario.ts";
import { producerSettingsOf } from "./settings.ts";

const scenario = parseScenario(
  readScenarioJson(join(resolve(import.meta.dirname, "../../scenarios"), "baseline-2021.json")),
);
const plant = scenario.market.plants[0]!;
const DAY: ProducerDay = {
  day: 1,
  daysInMonth: 30,
  obligation: false,
  exchangeShare: 1,
  exportOpen: false,
  netbackTengePerTonne: 100_000,
  planScale: 1,
};

/** A port with no instrument open (so the agent offers nothing) whose holdings say `freeGasKg`. */
function portHolding(freeGasKg: number): MarketPort {
  return {
    instruments: async () => [],
    submit: async () => [],
    cancel: async () => undefined,
    balances: async () => ({ freeMoneyTiyn: 0n, freeGasKg: BigInt(freeGasKg) }),
  } as unknown as MarketPort;
}

function producer(port: MarketPort, shared: boolean): Producer {
  const agent = new Producer(
    plant,
    [{ region: "R", planTonnesPerMonth: 1000 }],
    producerSettingsOf(scenario),
    port,
    null,
    shared,
  );
  agent.produce(DAY);
  return agent;
}

describe("a producer agent's stock against the exchange's holdings", () => {
  it("on a shared account, books gas others sold from it as theirs and goes on", async () => {
    const booked = producer(portHolding(0), true).bookedStockKg;
    expect(booked).toBeGreaterThan(2_000);
    const agent = producer(portHolding(booked - 2_000), true);
    await agent.trade(DAY);
    expect([agent.bookedStockKg, agent.takenByOthers]).toEqual([booked - 2_000, 2_000]);
  });

  it("on an account of its own, stops on the same shortfall", async () => {
    const booked = producer(portHolding(0), false).bookedStockKg;
    const agent = producer(portHolding(booked - 2_000), false);
    await expect(agent.trade(DAY)).rejects.toThrow(
      `invariant: producer ${plant.id} books ${booked} kg, the exchange holds ${booked - 2_000} kg`,
    );
  });
});
