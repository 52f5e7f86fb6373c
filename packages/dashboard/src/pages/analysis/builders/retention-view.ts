import type { AnyColumn } from '../../../lib/table.ts';
import { matrixRows, type RetentionResult } from '../../../lib/retention-heatmap.ts';

/**
 * The matrix as table rows: cohort, size, and per offset `o<k>` the rate with the people
 * retained in brackets (`c<k>`); a period not over yet (`open<k>`) shows “…” and the count so far.
 */
export function retentionTable(
  result: RetentionResult,
  format: { rate: (value: number | null) => string; count: (value: number) => string },
  words: { cohort: string; size: string; average: string },
): { columns: AnyColumn[]; rows: Array<Record<string, string | number | null>> } {
  const rows = matrixRows(result, words.average);
  const columns: AnyColumn[] = [
    { key: 'cohort', label: words.cohort },
    {
      key: 'size',
      label: words.size,
      numeric: true,
      format: (value: number) => format.count(value),
    },
    ...result.offsets.map((offset, k) => ({
      key: `o${k}`,
      label: offset.label,
      numeric: true,
      format: (value: number | null, row: Record<string, number | null>) => {
        const count = row[`c${k}`];
        const rate = row[`open${k}`] ? '…' : format.rate(value);
        return typeof count === 'number' ? `${rate} (${format.count(count)})` : rate;
      },
    })),
  ];
  return {
    columns,
    rows: rows.map((row) => {
      const flat: Record<string, string | number | null> = { cohort: row.label, size: row.size };
      row.values.forEach((value, k) => {
        flat[`o${k}`] = value;
        flat[`c${k}`] = row.counts[k] ?? null;
        flat[`open${k}`] = row.complete[k] ? 0 : 1;
      });
      return flat;
    }),
  };
}
