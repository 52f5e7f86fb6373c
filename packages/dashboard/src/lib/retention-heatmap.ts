import type { ChartOption, ChartTable } from './charts.ts';
import type { RetentionResult } from './retention-result.ts';

export type { RetentionResult } from './retention-result.ts';

/** One row of the matrix: the size-weighted average first, then each cohort. */
export interface MatrixRow {
  label: string;
  size: number;
  /** Per offset: the value, or null while the period is not over. */
  values: Array<number | null>;
  /** Per offset: the people counted (none for the average row). */
  counts: Array<number | null>;
  /** Per offset: the period is over (always for the average row, whose values say so). */
  complete: boolean[];
}

export function matrixRows(result: RetentionResult, average: string): MatrixRow[] {
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

export interface HeatmapWords {
  /** Header of the cohort column. */
  cohort: string;
  /** Header of the size column. */
  size: string;
  /** Name of the average row. */
  average: string;
  /** Series name (tooltip). */
  series: string;
}

const LIGHT = '#eef3ff';
const DARK = '#1f4fd1';
const INK = '#1c2433';

/**
 * A cohort matrix as a heatmap: one row per cohort (oldest on top, the size-weighted average
 * first), one column per offset, each cell showing its value (`format`). Cells of periods not yet
 * over have no value and stay blank. The colour scale ignores the first offset of a retention
 * matrix (always 100 % for signup and first-event cohorts), which would otherwise wash out the
 * rest; those cells take the darkest colour. The table holds the same formatted values.
 * `outlineOnHover` draws a dark border around the cell under the pointer.
 */
export function cohortHeatmap(
  result: RetentionResult,
  format: (value: number) => string,
  formatSize: (size: number) => string,
  words: HeatmapWords,
  options: { outlineOnHover?: boolean } = {},
): { option: ChartOption; table: ChartTable; height: number } {
  const columns = result.offsets.map((offset) => offset.label);
  const rows = matrixRows(result, words.average);
  const scaled = rows.flatMap((row) =>
    row.values.filter(
      (value, i): value is number =>
        value !== null && (result.value !== 'retention' || i > 0 || columns.length === 1),
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
        return `${row?.label ?? ''} · ${columns[value[0]] ?? ''}<br/>${words.series}: ${shown}`;
      },
    },
    xAxis: {
      type: 'category',
      data: columns,
      position: 'top',
      splitArea: { show: false },
      axisTick: { show: false },
    },
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
        name: words.series,
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
        ...(options.outlineOnHover
          ? { emphasis: { itemStyle: { borderColor: INK, borderWidth: 1 } } }
          : {}),
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
