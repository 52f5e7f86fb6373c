import type { MetricUnit } from '@sightline/shared';
import { hasMessage, t, type Locale } from '../../i18n/index.ts';
import type { ReportEnvelope } from '../../lib/api.ts';
import type { ChartOption, ChartTable } from '../../lib/charts.ts';
import { formatBucket, formatValue } from '../../lib/format.ts';
import type { TrendsResult } from '../../lib/trends.ts';

/**
 * Charts of the commerce page that lib/trends.ts does not draw: donuts of a breakdown, grouped
 * bars of report rows and the customer growth of service_stats. Only reshaping: every number is
 * the server's.
 */

/** A dimension value as people read it: documented values translated, others as they are. */
export function valueLabel(dimension: string, key: string | null): string {
  if (key === null) return t('commerce.unknown');
  if (key === '$other') return t('commerce.other');
  const message = `commerce.value.${dimension}.${key}`;
  return hasMessage(message) ? t(message) : key;
}

/** A donut of a trends breakdown's totals (first series), with the numbers as a table. */
export function breakdownDonut(
  answer: ReportEnvelope<TrendsResult>,
  dimension: string,
  name: string,
  locale: Locale,
): { option: ChartOption; table: ChartTable } {
  const series = answer.result.series[0];
  const unit = (series?.unit ?? 'count') as MetricUnit;
  const slices = (series?.groups ?? []).map((group) => ({
    name: valueLabel(dimension, group.key),
    value: group.total,
  }));
  const option: ChartOption = {
    tooltip: {
      trigger: 'item',
      valueFormatter: (value) => formatValue(value as number, unit, locale),
    },
    legend: { type: 'plain', orient: 'vertical', right: 0, top: 'middle' },
    series: [
      {
        type: 'pie',
        name,
        radius: ['42%', '70%'],
        center: ['38%', '50%'],
        avoidLabelOverlap: true,
        label: { formatter: '{d}%' },
        // A pie has no gap: a group without a value is a slice of 0.
        data: slices.map((slice) => ({ name: slice.name, value: slice.value ?? 0 })),
      },
    ],
  };
  return { option, table: { columns: ['', name], rows: slices.map((s) => [s.name, s.value]) } };
}

/** Horizontal bars, one group of bars per row, first row on top. */
export function groupedBars(
  labels: string[],
  series: Array<{ name: string; data: Array<number | null> }>,
  unit: MetricUnit,
  locale: Locale,
): { option: ChartOption; table: ChartTable } {
  const option: ChartOption = {
    grid: { left: 8, right: 24, top: series.length > 1 ? 28 : 8, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (value) => formatValue(value as number, unit, locale),
    },
    ...(series.length > 1 ? { legend: { top: 0, left: 0 } } : {}),
    xAxis: {
      type: 'value',
      minInterval: unit === 'count' ? 1 : 0,
      axisLabel: { formatter: (value: number) => formatValue(value, unit, locale) },
    },
    yAxis: { type: 'category', data: [...labels].reverse() },
    series: series.map((s) => ({ type: 'bar', name: s.name, data: [...s.data].reverse() })),
  };
  return {
    option,
    table: {
      columns: ['', ...series.map((s) => s.name)],
      rows: labels.map((label, i) => [label, ...series.map((s) => s.data[i] ?? null)]),
    },
  };
}

/** Customers by the end of each bucket (line) and new customers per bucket (bars, right axis). */
export function customerGrowth(
  answer: ReportEnvelope<{
    buckets: Array<{ start: string }>;
    customers: { totalByBucket: number[]; newByBucket: number[] } | null;
  }>,
  names: { total: string; new: string },
  locale: Locale,
): { option: ChartOption; table: ChartTable } | null {
  const customers = answer.result.customers;
  if (!customers) return null;
  const labels = answer.result.buckets.map((bucket) =>
    formatBucket(bucket.start, answer.granularity, answer.timeZone, locale),
  );
  const count = (value: number) => formatValue(value, 'count', locale);
  const option: ChartOption = {
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, left: 0 },
    xAxis: { type: 'category', data: labels, boundaryGap: true },
    yAxis: [
      { type: 'value', scale: true, minInterval: 1, axisLabel: { formatter: count } },
      {
        type: 'value',
        minInterval: 1,
        axisLabel: { formatter: count },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        type: 'line',
        name: names.total,
        data: customers.totalByBucket,
        showSymbol: false,
      },
      { type: 'bar', name: names.new, yAxisIndex: 1, data: customers.newByBucket },
    ],
  };
  return {
    option,
    table: {
      columns: ['', names.total, names.new],
      rows: labels.map((label, i) => [
        label,
        customers.totalByBucket[i] ?? null,
        customers.newByBucket[i] ?? null,
      ]),
    },
  };
}
