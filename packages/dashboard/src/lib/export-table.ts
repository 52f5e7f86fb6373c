import type { MetricUnit } from '@sightline/shared';

/** A table to export: header, rows, and each column's unit (null: text or a plain number). */
export interface ExportTable {
  columns: string[];
  rows: Array<Array<string | number | null>>;
  units?: Array<MetricUnit | null>;
}

/** A value as it goes into a file: money in yuan (the API's fen / 100), everything else as is. */
export function exportValue(
  value: string | number | null,
  unit: MetricUnit | null | undefined,
): string | number | null {
  return typeof value === 'number' && unit === 'currency' ? value / 100 : value;
}
