import type { MetricUnit } from '@sightline/shared';
import type { Locale } from '../i18n/index.ts';
import type { ReportEnvelope } from './api.ts';
import type { ChartOption, ChartTable } from './charts.ts';
import { formatBucket, formatValue } from './format.ts';

export interface TrendGroup {
  key: string | null;
  values: Array<number | null>;
  total: number | null;
}
export interface TrendsResult {
  granularity: string;
  buckets: Array<{ start: string; label: string }>;
  series: Array<{
    label: string;
    metric: string | null;
    unit: string;
    groups: TrendGroup[];
    compare: { previous?: TrendGroup[]; year?: TrendGroup[]; control?: TrendGroup[] };
  }>;
}

export interface LineSpec {
  /** Index of the series in the result. */
  series: number;
  name: string;
  kind?: 'line' | 'bar';
  /** Second y axis (a different unit). */
  right?: boolean;
}

/**
 * A time chart of trend series (first group of each), with the comparison of the first series as
 * a dashed line when one was asked for, and the same numbers as a table.
 */
export function timeChart(
  answer: ReportEnvelope<TrendsResult>,
  lines: LineSpec[],
  locale: Locale,
  compareName?: string,
): { option: ChartOption; table: ChartTable } {
  const { result } = answer;
  const labels = result.buckets.map((bucket) =>
    formatBucket(bucket.start, result.granularity, answer.timeZone, locale),
  );
  const unitOf = (index: number) => (result.series[index]?.unit ?? 'count') as MetricUnit;
  const valuesOf = (index: number) =>
    result.series[index]?.groups[0]?.values ?? labels.map(() => null);
  const compare = result.series[lines[0]?.series ?? 0]?.compare;
  const past = compare?.previous?.[0] ?? compare?.year?.[0] ?? compare?.control?.[0];
  const chartSeries: NonNullable<ChartOption['series']> = lines.map((line) => ({
    type: line.kind ?? 'line',
    name: line.name,
    yAxisIndex: line.right ? 1 : 0,
    data: valuesOf(line.series),
    showSymbol: false,
    smooth: false,
  }));
  if (past && compareName)
    chartSeries.push({
      type: 'line',
      name: compareName,
      data: past.values,
      showSymbol: false,
      lineStyle: { type: 'dashed', width: 1 },
    });
  const axis = (index: number) => ({
    type: 'value' as const,
    // People and counts come in whole numbers: no 0.5 ticks.
    ...(unitOf(index) === 'users' || unitOf(index) === 'count' ? { minInterval: 1 } : {}),
    axisLabel: {
      formatter: (value: number) => formatValue(value, unitOf(index), locale),
    },
    splitLine: { show: index === 0 },
  });
  const rightIndex = lines.find((line) => line.right)?.series;
  const option: ChartOption = {
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, left: 0 },
    xAxis: { type: 'category', data: labels, boundaryGap: lines.some((l) => l.kind === 'bar') },
    yAxis:
      rightIndex === undefined
        ? axis(lines[0]?.series ?? 0)
        : [axis(lines[0]?.series ?? 0), axis(rightIndex)],
    series: chartSeries,
  };
  const columns = [
    '',
    ...lines.map((line) => line.name),
    ...(past && compareName ? [compareName] : []),
  ];
  const rows = labels.map((label, i) => [
    label,
    ...lines.map((line) => valuesOf(line.series)[i] ?? null),
    ...(past && compareName ? [past.values[i] ?? null] : []),
  ]);
  const units = [
    null,
    ...lines.map((line) => unitOf(line.series)),
    ...(past && compareName ? [unitOf(lines[0]?.series ?? 0)] : []),
  ];
  return { option, table: { columns, rows, units } };
}

/** Bars of a breakdown's totals (one series), largest first, with the table. */
export function breakdownBars(
  answer: ReportEnvelope<TrendsResult>,
  name: string,
  locale: Locale,
  labels: { other: string; unknown: string },
): { option: ChartOption; table: ChartTable } {
  const series = answer.result.series[0];
  const unit = (series?.unit ?? 'count') as MetricUnit;
  const groups = (series?.groups ?? []).map((group) => ({
    name: group.key === '$other' ? labels.other : (group.key ?? labels.unknown),
    value: group.total,
  }));
  const option: ChartOption = {
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'value',
      axisLabel: { formatter: (value: number) => formatValue(value, unit, locale) },
    },
    yAxis: { type: 'category', data: groups.map((g) => g.name).reverse() },
    series: [{ type: 'bar', name, data: groups.map((g) => g.value).reverse() }],
  };
  return {
    option,
    table: { columns: ['', name], rows: groups.map((g) => [g.name, g.value]), units: [null, unit] },
  };
}
