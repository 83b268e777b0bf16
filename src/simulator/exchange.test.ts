import { describe, expect, it } from "vitest";
import { InProcessExchange, SimulationError } from "./exchange.ts";

function market(): InProcessExchange {
  const x = new InProcessExchange();
  x.setTime(Date.UTC(2022, 0, 3, 6));
  x.addProducer("P", "Plant");
  x.addBuyer("B", "Buyer");
  x.deposit("B", 1_000_000_000_00);
  x.list({
    instrument: "PB-P-R-2022-01",
    basis: "P",
    region: "R",
    deliveryPeriod: "2022-01",
    name: "test",
    tickTiynPerTonne: 100,
    lotKg: 1000,
    referenceTiynPerTonne: 10_000_000,
    collateralBps: 500,
    feeBps: 5,
    paymentWindowMs: 86_400_000,
    deliveryWindowMs: 86_400_000,
  });
  // Gas is declared at the basis of a listed instrument.
  x.declareGas("P", "P", 100_000);
  return x;
}

describe("the in-process exchange and its MarketPort", () => {
  it("clears a call session through the engine, routes fills to each account and settles", async () => {
    const x = market();
    x.openSession("PB-P-R-2022-01");
    const seller = x.port("P");
    const buyer = x.port("B");
    const [view] = await buyer.instruments({ region: "R" });
    expect(view).toMatchObject({ phase: "collection", offeredKg: 0, referenceTiynPerTonne: 10_000_000 });
    await seller.submit([
      {
        instrument: "PB-P-R-2022-01",
        side: "sell",
        priceTiynPerTonne: 10_000_000,
        quantityKg: 40_000,
        clientOrderId: "s1",
      },
    ]);
    expect((await buyer.instruments({ region: "R" }))[0]!.offeredKg).toBe(40_000);
    const outcomes = await buyer.submit([
      {
        instrument: "PB-P-R-2022-01",
        side: "buy",
        priceTiynPerTonne: 10_500_000,
        quantityKg: 30_000,
        clientOrderId: "b1",
      },
      {
        instrument: "PB-P-R-2022-01",
        side: "buy",
        priceTiynPerTonne: 10_500_050,
        quantityKg: 1_000,
        clientOrderId: "b2",
      },
    ]);
    expect(outcomes.map((o) => o.code)).toEqual([null, "ORDER_PRICE_OFF_TICK"]);
    const { result } = x.closeSession("PB-P-R-2022-01");
    expect(result).toMatchObject({ volumeKg: 30_000 });
    const fills = await buyer.fills();
    expect(fills.map((f) => [f.clientOrderId, f.quantityKg])).toEqual([["b1", 30_000]]);
    expect((await seller.fills()).map((f) => f.clientOrderId)).toEqual(["s1"]);
    expect(await buyer.fills()).toEqual([]);
    expect(x.settle()).toBe(1);
    expect(x.freeGasKg("P", "P")).toBe(70_000);
    x.engine.checkInvariants();
    expect(x.rejections.get("ORDER_PRICE_OFF_TICK")).toBe(1);
  });

  it("refuses to move time backwards, and an operator command the engine refuses is an error", () => {
    const x = market();
    expect(() => x.setTime(0)).toThrow(SimulationError);
    expect(() => x.withdrawGas("P", "P", 1_000_000)).toThrow(/RISK_INSUFFICIENT_VOLUME/);
  });
});
