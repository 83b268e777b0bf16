/**
 * An id (instrument, order, trade, obligation) written so that a narrow column wraps it only between its parts: after
 * a hyphen or an underscore ("PB-PAVLODAR_REFINERY-|NORTH_KAZAKHSTAN-|2026-01"), never inside a word, which a phone's
 * `word-break: break-all` did ("PB-PAVLODAR_REF|INERY"). The text is unchanged: `<wbr>` adds no character, so the id
 * reads, copies and is found as it is.
 */

import { Fragment } from "react";

/** After these an id may wrap: the separators of sauda's ids. */
const SEPARATORS = /(?<=[-_])/;

export function BreakableId({ id }: { id: string }) {
  const parts = id.split(SEPARATORS);
  return (
    <>
      {parts.map((part, i) => (
        // The parts of one id are fixed for the id; their position is their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: the same part may recur in one id ("2026-01-01").
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 ? <wbr /> : null}
        </Fragment>
      ))}
    </>
  );
}
