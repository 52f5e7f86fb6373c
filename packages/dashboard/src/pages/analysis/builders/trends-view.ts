import type { Locale } from '../../../i18n/index.ts';
import type { ReportEnvelope } from '../../../lib/api.ts';
import { PALETTE, type ChartOption, type ChartTable } from '../../../lib/charts.ts';
import { formatBucket } from '../../../lib/format.ts';
import type { AnyColumn } from '../../../lib/table.ts';
import type { TrendGroup, TrendsResult } from '../../../lib/trends.ts';
import { formatUnit } from './format.ts';

/** One line of the answer: a series, or one group of a series broken down. */
export interface TrendLine {
  name: string;
  seriesName: string;
  groupName: string | null;
  unit: string;
  values: Array<number | null>;
  total: number | null;
  previous: TrendGroup | null;
  year: TrendGroup | null;
}

/**
 * The lines of a trends answer in its order: each series, each group in rank order (then
 * `$other`, then no value). `seriesNames` and `units` are per series of the request.
 */
export function trendLines(
  result: TrendsResult,
  seriesNames: readonly string[],
  units: readonly string[],
  words: { other: string; unknown: string },
  brokenDown: boolean,
): TrendLine[] {
  return result.series.flatMap((series, s) =>
    series.groups.map((group) => {
      const seriesName = seriesNames[s] ?? series.label;
      const groupName = brokenDown
        ? group.key === '$other'
          ? words.other
          : (group.key ?? words.unknown)
        : null;
      const same = (past: TrendGroup[] | undefined) =>
        past?.find((candidate) => candidate.key === group.key) ?? null;
      return {
        name: groupName === null ? seriesName : `${seriesName} · ${groupName}`,
        seriesName,
        groupName,
        unit: units[s] ?? series.unit,
        values: group.values,
        total: group.total,
        previous: same(series.compare.previous),
        year: same(series.compare.year),
      };
    }),
  );
}

/**
 * The lines over time, one y axis per unit (the first on the left, the others on the right),
 * each comparison drawn dashed in its line's colour; the same numbers as a table.
 */
export function trendsChart(
  answer: ReportEnvelope<TrendsResult>,
  lines: readonly TrendLine[],
  kind: 'line' | 'bar',
  compareNames: { previous: string; year: string },
  locale: Locale,
): { option: ChartOption; table: ChartTable } {
  const { result } = answer;
  const labels = result.buckets.map((bucket) =>
    formatBucket(bucket.start, result.granularity, answer.timeZone, locale),
  );
  const units = [...new Set(lines.map((line) => line.unit))];
  const axisOf = (unit: string) => Math.max(0, units.indexOf(unit));
  const past = lines.flatMap((line, i) =>
    (['previous', 'year'] as const).flatMap((which) => {
      const group = line[which];
      return group
        ? [{ line, i, which, group, name: `${line.name} · ${compareNames[which]}` }]
        : [];
    }),
  );
  const colour = (i: number) => PALETTE[i % PALETTE.length] ?? '#2f6bff';
  const series: NonNullable<ChartOption['series']> = [
    ...lines.map((line, i) => ({
      type: kind,
      name: line.name,
      yAxisIndex: axisOf(line.unit),
      data: line.values,
      showSymbol: labels.length <= 40,
      itemStyle: { color: colour(i) },
      lineStyle: { color: colour(i) },
    })),
    ...past.map(({ line, i, which, group, name }) => ({
      type: 'line' as const,
      name,
      yAxisIndex: axisOf(line.unit),
      data: group.values,
      showSymbol: false,
      itemStyle: { color: colour(i) },
      lineStyle: {
        color: colour(i),
        type: which === 'year' ? ('dotted' as const) : ('dashed' as const),
        width: 1,
      },
    })),
  ];
  const right = Math.max(0, units.length - 2);
  const option: ChartOption = {
    grid: { left: 8, right: 8 + right * 64, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, type: 'scroll' },
    xAxis: { type: 'category', data: labels, boundaryGap: kind === 'bar' },
    yAxis: units.map((unit, i) => ({
      type: 'value' as const,
      position: i === 0 ? ('left' as const) : ('right' as const),
      offset: i <= 1 ? 0 : (i - 1) * 64,
      ...(unit === 'users' || unit === 'count' ? { minInterval: 1 } : {}),
      axisLabel: { formatter: (value: number) => formatUnit(value, unit, locale) },
      splitLine: { show: i === 0 },
    })),
    series,
  };
  // The tooltip shows each line in its own unit.
  option.tooltip = {
    trigger: 'axis',
    formatter: (params: unknown) => {
      const items = params as Array<{
        seriesIndex: number;
        seriesName: string;
        marker: string;
        value: number | null;
        axisValueLabel: string;
      }>;
      const head = items[0]?.axisValueLabel ?? '';
      const unitOf = (index: number) =>
        (lines[index] ?? past[index - lines.length]?.line)?.unit ?? 'count';
      return [
        head,
        ...items.map(
          (item) =>
            `${item.marker}${item.seriesName}: ${formatUnit(item.value, unitOf(item.seriesIndex), locale)}`,
        ),
      ].join('<br/>');
    },
  };
  const table: ChartTable = {
    columns: ['', ...lines.map((line) => line.name), ...past.map((p) => p.name)],
    rows: labels.map((label, b) => [
      label,
      ...lines.map((line) => line.values[b] ?? null),
      ...past.map((p) => p.group.values[b] ?? null),
    ]),
  };
  return { option, table };
}

/** The values per bucket as table rows: `bucket`, then `l<i>` per line and `p<i>` per comparison. */
export function bucketTable(
  answer: ReportEnvelope<TrendsResult>,
  lines: readonly TrendLine[],
  compareNames: { previous: string; year: string },
  bucketWord: string,
  locale: Locale,
): { columns: AnyColumn[]; rows: Array<Record<string, string | number | null>> } {
  const { result } = answer;
  const pastColumns = lines.flatMap((line, i) =>
    (['previous', 'year'] as const).flatMap((which) => {
      const group = line[which];
      return group
        ? [{ key: `${which}${i}`, name: `${line.name} · ${compareNames[which]}`, line, group }]
        : [];
    }),
  );
  const format = (unit: string) => (value: number | null) => formatUnit(value, unit, locale);
  const columns: AnyColumn[] = [
    { key: 'bucket', label: bucketWord },
    ...lines.map((line, i) => ({
      key: `l${i}`,
      label: line.name,
      numeric: true,
      format: format(line.unit),
    })),
    ...pastColumns.map((column) => ({
      key: column.key,
      label: column.name,
      numeric: true,
      format: format(column.line.unit),
    })),
  ];
  const rows = result.buckets.map((bucket, b) => {
    const row: Record<string, string | number | null> = {
      bucket: formatBucket(bucket.start, result.granularity, answer.timeZone, locale),
    };
    lines.forEach((line, i) => (row[`l${i}`] = line.values[b] ?? null));
    for (const column of pastColumns) row[column.key] = column.group.values[b] ?? null;
    return row;
  });
  return { columns, rows };
}
