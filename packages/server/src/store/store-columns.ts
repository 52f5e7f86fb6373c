import type { StoreColumns, StoreRow } from './event-store.ts';

/** Row objects from columns, rows [start, end): what `query` would have returned for them. */
export function rowsOf(result: StoreColumns, start = 0, end = result.rowCount): StoreRow[] {
  const entries = Object.entries(result.columns);
  const rows: StoreRow[] = [];
  for (let row = start; row < end; row += 1) {
    const out: StoreRow = {};
    for (const [name, column] of entries) {
      if (column.kind === 'text') {
        const code = column.codes[row] as number;
        out[name] = code < 0 ? null : column.dictionary[code];
      } else if (column.nulls?.[row]) out[name] = null;
      else out[name] = column.kind === 'boolean' ? column.values[row] === 1 : column.values[row];
    }
    rows.push(out);
  }
  return rows;
}
