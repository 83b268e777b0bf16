/**
 * `sauda replay FILE.jsonl`: runs one instrument's continuous book over order commands, one JSON object per line,
 * with no risk checks or safeguards, and prints every event as one JSON object per line; the last line is the book.
 *
 * Input lines: `{"op":"new","id","account","side","type","price","quantity","tif","postOnly","stp"}`,
 * `{"op":"amend","id","price","quantity"}`, `{"op":"cancel","id"}`, `{"op":"mass-cancel","account"}`. `type`
 * defaults to `limit`. Blank lines are skipped. A line that is not a JSON object, or names an unknown op, is
 * rejected like any bad command and the replay goes on.
 *
 * Output contract (relied on by members, auditors and the test suite): trades are exactly
 * `{"event":"trade","price","quantity","maker","taker"}`, rejections exactly `{"event":"rejected","id","code"}`, and
 * the last line is `{"event":"book","bids":[[price,quantity,orders],...],"asks":[...]}`, best price first. Other
 * events (accepted, rested, amended, cancelled) have an `event` field and the order id.
 */

import type { Command } from "../engine/commands.ts";
import { Engine } from "../engine/engine.ts";
import type { EngineEvent } from "../engine/events.ts";

const INSTRUMENT = "REPLAY";

export type ReplayLine = Record<string, unknown>;

/** Runs the engine over lines; calls `emit` with each output object. */
export class Replay {
  private readonly engine = new Engine();
  private seq = 0;
  private readonly explain: boolean;

  constructor(options: { explain?: boolean } = {}) {
    this.explain = options.explain ?? false;
    this.run({ type: "instrument.list", instrument: INSTRUMENT, mode: "continuous", tickSize: 1, lotSize: 1 });
    this.run({ type: "phase.set", instrument: INSTRUMENT, phase: "continuous" });
  }

  private run(command: Command): EngineEvent[] {
    this.seq++;
    return this.engine.apply({ seq: this.seq, timeMs: 0, command });
  }

  /** Processes one input line (without its newline); returns the output objects. */
  line(text: string): ReplayLine[] {
    if (text.trim() === "") return [];
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch {
      return [this.badLine(null, "COMMAND_INVALID", "the line is not valid JSON")];
    }
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      return [this.badLine(null, "COMMAND_INVALID", "the line is not a JSON object")];
    }
    const fields = input as Record<string, unknown>;
    const command = toCommand(fields);
    if (!command) {
      const id = typeof fields.id === "string" ? fields.id : null;
      return [this.badLine(id, "COMMAND_UNKNOWN", `unknown op ${JSON.stringify(fields.op)}`)];
    }
    return this.run(command).flatMap((event) => this.render(event));
  }

  book(): ReplayLine {
    const market = this.engine.market(INSTRUMENT)!;
    const levels = (side: "buy" | "sell") => market.depth(side).map((l) => [l.price, l.quantity, l.orders]);
    return { event: "book", bids: levels("buy"), asks: levels("sell") };
  }

  private badLine(id: string | null, code: string, message: string): ReplayLine {
    return this.explain ? { event: "rejected", id, code, message } : { event: "rejected", id, code };
  }

  private render(event: EngineEvent): ReplayLine[] {
    switch (event.type) {
      case "trade":
        return [
          {
            event: "trade",
            price: event.price,
            quantity: event.quantity,
            maker: event.makerOrderId,
            taker: event.takerOrderId,
          },
        ];
      case "rejected":
        return [
          this.explain
            ? { event: "rejected", id: event.orderId, code: event.code, message: event.message }
            : { event: "rejected", id: event.orderId, code: event.code },
        ];
      case "order.accepted":
        return [{ event: "accepted", id: event.orderId }];
      case "order.rested":
        return [{ event: "rested", id: event.orderId, price: event.price, quantity: event.open }];
      case "order.amended":
        return [
          {
            event: "amended",
            id: event.orderId,
            price: event.price,
            quantity: event.open,
            priorityKept: event.priorityKept,
          },
        ];
      case "order.cancelled":
        return [{ event: "cancelled", id: event.orderId, quantity: event.quantity, reason: event.reason }];
      default:
        return [];
    }
  }
}

function toCommand(line: Record<string, unknown>): Command | null {
  const id = line.id as string;
  switch (line.op) {
    case "new":
      return {
        type: "order.new",
        instrument: INSTRUMENT,
        orderId: id,
        account: line.account as string,
        side: line.side as "buy",
        orderType: (line.type ?? "limit") as "limit",
        ...optional("price", line.price),
        quantity: line.quantity as number,
        ...optional("tif", line.tif),
        ...optional("postOnly", line.postOnly),
        ...optional("stp", line.stp),
        ...optional("expireAtMs", line.expireAtMs),
      } as Command;
    case "amend":
      return {
        type: "order.amend",
        orderId: id,
        ...optional("price", line.price),
        ...optional("quantity", line.quantity),
      } as Command;
    case "cancel":
      return { type: "order.cancel", orderId: id };
    case "mass-cancel":
    case "massCancel":
      return { type: "order.massCancel", account: line.account as string };
    default:
      return null;
  }
}

function optional(name: string, value: unknown): Record<string, unknown> {
  return value === undefined ? {} : { [name]: value };
}
