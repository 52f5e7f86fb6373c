import type { MetricUnit } from '@sightline/shared';

/** A column of one field of the rows; `format` gets that field's value, typed. */
export type Column<R> = {
  [K in keyof R & string]: {
    key: K;
    label: string;
    /** Shown text of a value (the CSV keeps the raw value). */
    format?: (value: R[K], row: R) => string;
    numeric?: boolean;
    /** The value's unit, for exports: money is written in yuan, with spreadsheet formats. */
    unit?: MetricUnit;
  };
}[keyof R & string];

/** Any column of any rows: what DataTable takes (a `Column<R>[]` fits). */
export interface AnyColumn {
  key: string;
  label: string;
  format?: (value: never, row: never) => string;
  numeric?: boolean;
  unit?: MetricUnit;
}

/** The raw value of a row's field. */
export function cellOf(row: object, key: string): unknown {
  return (row as Record<string, unknown>)[key];
}

/** The shown text of a row's field: the column's format, else the value as text. */
export function cellText(column: AnyColumn, row: object): string {
  const value = cellOf(row, column.key);
  if (column.format) return (column.format as (value: unknown, row: object) => string)(value, row);
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}

/** Orders rows by a field: numbers and text, missing values last; a copy. */
export function sortRows<R extends object>(
  rows: readonly R[],
  key: string,
  descending: boolean,
): R[] {
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = cellOf(a, key) as string | number | null | undefined;
    const y = cellOf(b, key) as string | number | null | undefined;
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (x < y ? -1 : 1) * sign;
  });
}
