import type { ResultTable } from '../reports/define-report.ts';

function cell(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  // Quote when needed; a leading = + - @ is prefixed so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** RFC 4180 CSV with a UTF-8 byte-order mark, so spreadsheet apps read Chinese text right. */
export function toCsv(table: ResultTable): string {
  const lines = [table.columns, ...table.rows].map((row) => row.map(cell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** One CSV record with its CRLF, cells escaped as toCsv does (for files written row by row). */
export function toCsvLine(row: ReadonlyArray<string | number | boolean | null>): string {
  return `${row.map(cell).join(',')}\r\n`;
}
