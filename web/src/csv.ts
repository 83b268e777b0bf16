/**
 * CSV files the browser writes itself (a member's own orders, fills and obligations): RFC 4180 quoting, a header row,
 * raw unit-named integers (tiyn per tonne, kg, tiyn) and UTC ISO times, so a spreadsheet or a script reads exactly what
 * the exchange holds.
 */

export type Cell = string | number | boolean | null | undefined;

function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return "";
  const text = String(cell);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvOf(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows]
    .map((row) => row.map(cellText).join(","))
    .join("\r\n")
    .concat("\r\n");
}

export const isoOf = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? "" : new Date(ms).toISOString();
