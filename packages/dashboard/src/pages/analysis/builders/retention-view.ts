import type { ChartOption, ChartTable } from '../../../lib/charts.ts';
import type { AnyColumn } from '../../../lib/table.ts';
import type { RetentionResult } from './types.ts';

const LIGHT = '#eef3ff';
const DARK = '#1f4fd1';
const INK = '#1c2433';

/** One row of the matrix: the size-weighted average first, then each cohort. */
interface MatrixRow {
  label: string;
  size: number;
  values: Array<number | null>;
  counts: Array<number | null>;
  /** Per offset: the period is over (always for the average row, whose values say so). */
  complete: boolean[];
}

function matrixRows(result: RetentionResult, average: string): MatrixRow[] {
  return [
    {
      label: average,
      size: result.average.size,
      values: result.average.cells.map((cell) => cell.value),
      counts: result.average.cells.map(() => null),
      complete: result.average.cells.map(() => true),
    },
    ...result.cohorts.map((cohort) => ({
      label: cohort.label,
      size: cohort.size,
      values: cohort.cells.map((cell) => (cell.complete ? cell.value : null)),
      counts: cohort.cells.map((cell) => cell.count),
      complete: cohort.cells.map((cell) => cell.complete),
    })),
  ];
}

/**
 * The cohort matrix as a heatmap (offsets across, cohorts down, the average on top), each cell
 * labelled with its rate. Cells of periods not over stay blank; the colour scale leaves out D0
 * (100 % for cohorts of events), which would wash out the rest.
 */
export function retentionHeatmap(
  result: RetentionResult,
  format: (value: number) => string,
  formatSize: (size: number) => string,
  words: { cohort: string; size: string; average: string; rate: string },
): { option: ChartOption; table: ChartTable; height: number } {
  const columns = result.offsets.map((offset) => offset.label);
  const rows = matrixRows(result, words.average);
  const scaled = rows.flatMap((row) =>
    row.values.filter(
      (value, i): value is number => value !== null && (i > 0 || columns.length === 1),
    ),
  );
  const max = Math.max(...scaled, 0) || 1;
  const dense = rows.length > 24;
  const data = rows.flatMap((row, y) =>
    row.values.map((value, x) => ({
      value: [x, y, value ?? '-'] as [number, number, number | string],
      label: { color: value !== null && value / max > 0.55 ? '#ffffff' : INK },
    })),
  );
  const option: ChartOption = {
    grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
    tooltip: {
      position: 'top',
      formatter: (params: unknown) => {
        const { value } = params as { value: [number, number, number | string] };
        const row = rows[value[1]];
        const shown = typeof value[2] === 'number' ? format(value[2]) : '—';
        return `${row?.label ?? ''} · ${columns[value[0]] ?? ''}<br/>${words.rate}: ${shown}`;
      },
    },
    xAxis: { type: 'category', data: columns, position: 'top', axisTick: { show: false } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((row) => `${row.label}  (${formatSize(row.size)})`),
      axisTick: { show: false },
      axisLabel: { fontSize: dense ? 10 : 12 },
    },
    visualMap: {
      show: false,
      min: 0,
      max,
      dimension: 2,
      inRange: { color: [LIGHT, DARK] },
      outOfRange: { color: [DARK] },
    },
    series: [
      {
        type: 'heatmap',
        name: words.rate,
        data,
        label: {
          show: true,
          fontSize: dense ? 10 : 11,
          formatter: (params: unknown) => {
            const { value } = params as { value: [number, number, number | string] };
            return typeof value[2] === 'number' ? format(value[2]) : '';
          },
        },
        itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
      },
    ],
  };
  const table: ChartTable = {
    columns: [words.cohort, words.size, ...columns],
    rows: rows.map((row) => [
      row.label,
      row.size,
      ...row.values.map((value) => (value === null ? null : format(value))),
    ]),
  };
  const rowHeight = dense ? 18 : 26;
  return { option, table, height: Math.max(200, 56 + rows.length * rowHeight) };
}

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
