/**
 * A table of rows in columns, in its scrolling box: a header row naming the columns, then one row per item, each cell
 * written by its column (figures right-aligned, a column may be the row's header). With `empty`, no items show its
 * sentence instead of an empty table. Rows carry a key and, with `rowData`, data attributes that tests and styles find
 * them by.
 */

import type { ReactNode } from "react";

export interface Column<Row> {
  /** The column's name in its header; distinct within a table (it keys the column's cells). */
  readonly head: string;
  /** A figure: right-aligned in its header and cells (the `num` class). */
  readonly num?: boolean;
  /** The cells are the rows' headers (`<th scope="row">`). */
  readonly rowHeader?: boolean;
  /** More classes of the cells ("small muted"). */
  readonly className?: string;
  readonly testId?: string;
  readonly cell: (row: Row) => ReactNode;
}

export function Table<Row>({
  testId,
  caption,
  columns,
  rows,
  rowKey,
  rowData,
  empty,
}: {
  testId: string;
  caption?: ReactNode;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** Data attributes of a row: `{ kind: "buyer" }` writes `data-kind="buyer"`. */
  rowData?: (row: Row) => Readonly<Record<string, string>>;
  /** What no rows show instead of the table: the sentence and its test id. */
  empty?: { readonly testId: string; readonly text: string };
}) {
  if (empty && rows.length === 0) {
    return (
      <p className="muted small" data-testid={empty.testId}>
        {empty.text}
      </p>
    );
  }
  const classOf = (column: Column<Row>) =>
    [column.num ? "num" : "", column.className ?? ""].filter((name) => name !== "").join(" ") || undefined;
  return (
    <div className="table-scroll">
      <table data-testid={testId}>
        {caption === undefined ? null : <caption className="small muted">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.head} scope="col" className={column.num ? "num" : undefined}>
                {column.head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const data = Object.fromEntries(
              Object.entries(rowData?.(row) ?? {}).map(([name, value]) => [`data-${name}`, value]),
            );
            return (
              <tr key={rowKey(row)} {...data}>
                {columns.map((column) =>
                  column.rowHeader ? (
                    <th key={column.head} scope="row" className={classOf(column)} data-testid={column.testId}>
                      {column.cell(row)}
                    </th>
                  ) : (
                    <td key={column.head} className={classOf(column)} data-testid={column.testId}>
                      {column.cell(row)}
                    </td>
                  ),
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
