/**
 * An engine snapshot in version 5's format (done orders and clearing obligations one object each, sorted by id), as a
 * version before 6 wrote it: for the tests that a version 5 snapshot is still read (src/engine/engine.test.ts,
 * src/journal/journal.test.ts), and the base the version 4 and 3 helpers start from.
 */

import { ColumnReader, columnLength, IdColumnReader, TextColumnReader } from "../../src/engine/columns.ts";
import { Engine, type EngineSnapshot, type EngineSnapshotV5 } from "../../src/engine/engine.ts";
import type { DoneOrder } from "../../src/engine/market.ts";

export function asVersion5(snapshot: EngineSnapshot): EngineSnapshotV5 {
  const c = snapshot.done;
  const n = columnLength(c.id.stem);
  const ids = new IdColumnReader(c.id, n, c.strings, "id", "done order");
  const instrument = new TextColumnReader(c.instrument, n, c.strings, "instrument");
  const status = new TextColumnReader(c.status, n, c.strings, "status");
  const open = new ColumnReader(c.open, n, "open");
  const filled = new ColumnReader(c.filled, n, "filled");
  const content = new TextColumnReader(c.content, n, c.strings, "content");
  const done = Array.from(
    { length: n },
    (): DoneOrder => ({
      id: ids.next(),
      instrument: instrument.next(),
      status: status.next() as DoneOrder["status"],
      open: open.next(),
      filled: filled.next(),
      content: content.next(),
    }),
  );
  // Version 5 wrote each obligation as the clearing holds it (its fields in the order the clearing house makes them),
  // sorted by id.
  const obligations = Engine.restore(structuredClone(snapshot))
    .clearingHouse.clearing.all()
    .map((o) => ({ ...o }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const house = { ...snapshot.house, clearing: { obligations } };
  return { ...snapshot, version: 5, done, house };
}
