import type { MetricUnit } from '@sightline/shared';
import { hasMessage, t, type Locale } from '../../i18n/index.ts';
import type { ReportEnvelope } from '../../lib/api.ts';
import { PALETTE, type ChartOption, type ChartTable } from '../../lib/charts.ts';
import { formatBucket, formatValue } from '../../lib/format.ts';
import type { TrendGroup, TrendsResult } from '../../lib/trends.ts';

/**
 * Charts of the business page that lib/trends.ts does not draw: bars of several series matched by
 * group, a line per group, the duration box plot, the stickiness histogram, quota against revenue
 * and donuts. Only reshaping: every number is the server's.
 */

export type Drawn = { option: ChartOption; table: ChartTable };

/** A dimension value as people read it: documented values translated, others as they are. */
export function valueLabel(dimension: string, key: string | null): string {
  if (key === null) return t('business.unknown');
  if (key === '$other') return t('business.other');
  const message = `business.value.${dimension}.${key}`;
  return hasMessage(message) ? t(message) : key;
}

/** Product types keep their colour whatever their rank (the quota chart and the donut agree). */
const PRODUCT_TYPE_COLORS: Record<string, string | undefined> = {
  goods: PALETTE[1],
  membership: PALETTE[2],
  quota: PALETTE[3],
};
function colorOf(dimension: string, key: string | null, index: number): string | undefined {
  const fixed = dimension === 'product_type' && key !== null ? PRODUCT_TYPE_COLORS[key] : undefined;
  return fixed ?? PALETTE[index % PALETTE.length];
}

/** The labels of a trends answer's buckets, in the project's time zone. */
function bucketLabels(answer: ReportEnvelope<TrendsResult>, locale: Locale): string[] {
  return answer.result.buckets.map((bucket) =>
    formatBucket(bucket.start, answer.result.granularity, answer.timeZone, locale),
  );
}

const groupOf = (groups: TrendGroup[] | undefined, key: string | null) =>
  groups?.find((group) => group.key === key);

/**
 * The same answer with only the group `key` in every series and comparison, first: what
 * lib/trends.ts timeChart draws (it draws the first group).
 */
export function pickGroup(
  answer: ReportEnvelope<TrendsResult>,
  key: string | null,
): ReportEnvelope<TrendsResult> {
  const empty = (): TrendGroup => ({
    key,
    values: answer.result.buckets.map(() => null),
    total: null,
  });
  const only = (groups: TrendGroup[] | undefined) => [groupOf(groups, key) ?? empty()];
  return {
    ...answer,
    result: {
      ...answer.result,
      series: answer.result.series.map((series) => ({
        ...series,
        groups: only(series.groups),
        compare: {
          ...(series.compare.previous ? { previous: only(series.compare.previous) } : {}),
          ...(series.compare.year ? { year: only(series.compare.year) } : {}),
        },
      })),
    },
  };
}

/**
 * Horizontal bars of a breakdown's totals, one bar per series and group, the groups in the order
 * of the first series (each series is matched by key: the server ranks every series itself).
 * `highlight` dims every group but that one.
 */
export function keyedBars(
  answer: ReportEnvelope<TrendsResult>,
  dimension: string,
  series: Array<{ index: number; name: string }>,
  unit: MetricUnit,
  locale: Locale,
  highlight?: string | null,
): Drawn & { keys: Array<string | null> } {
  const keys = (answer.result.series[series[0]?.index ?? 0]?.groups ?? []).map((g) => g.key);
  const labels = keys.map((key) => valueLabel(dimension, key));
  // Group totals: a ratio or a distinct count over the whole range, as the server gives it.
  const data = series.map((s) =>
    keys.map((key) => groupOf(answer.result.series[s.index]?.groups, key)?.total ?? null),
  );
  const dim = (i: number) => highlight !== undefined && highlight !== keys[i];
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
      minInterval: unit === 'count' || unit === 'users' ? 1 : 0,
      axisLabel: { formatter: (value: number) => formatValue(value, unit, locale) },
    },
    yAxis: { type: 'category', data: [...labels].reverse() },
    series: series.map((s, j) => ({
      type: 'bar',
      name: s.name,
      data: (data[j] ?? [])
        .map((value, i) => ({
          value,
          itemStyle: { opacity: dim(i) ? 0.35 : 1 },
        }))
        .reverse(),
    })),
  };
  return {
    keys,
    option,
    table: {
      columns: ['', ...series.map((s) => s.name)],
      rows: labels.map((label, i) => [label, ...data.map((values) => values[i] ?? null)]),
    },
  };
}

/** One line per group of a broken-down series over time. */
export function groupLines(
  answer: ReportEnvelope<TrendsResult>,
  dimension: string,
  locale: Locale,
): Drawn {
  const labels = bucketLabels(answer, locale);
  const series = answer.result.series[0];
  const unit = (series?.unit ?? 'count') as MetricUnit;
  const groups = series?.groups ?? [];
  const names = groups.map((group) => valueLabel(dimension, group.key));
  // Every group in the legend: more than four may take a second line, which the grid leaves.
  const option: ChartOption = {
    grid: { left: 8, right: 8, top: groups.length > 4 ? 54 : 32, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value) => formatValue(value as number, unit, locale),
    },
    legend: { top: 0, left: 0 },
    xAxis: { type: 'category', data: labels, boundaryGap: false },
    yAxis: {
      type: 'value',
      minInterval: unit === 'count' || unit === 'users' ? 1 : 0,
      axisLabel: { formatter: (value: number) => formatValue(value, unit, locale) },
    },
    series: groups.map((group, i) => ({
      type: 'line',
      name: names[i],
      data: group.values,
      showSymbol: false,
    })),
  };
  return {
    option,
    table: {
      columns: ['', ...names],
      rows: labels.map((label, i) => [label, ...groups.map((group) => group.values[i] ?? null)]),
    },
  };
}

/** The percentiles the duration request asks for, in this order (docs/api.md, trends series). */
export const DURATION_PERCENTILES = [0, 5, 25, 50, 75, 95, 100] as const;
type Percentile = (typeof DURATION_PERCENTILES)[number];
export type Whiskers = 'p5p95' | 'minMax';

/**
 * A box per feature from percentile series of task durations (ms): the box from p25 to p75 with
 * the median, whiskers at p5 / p95 or at the minimum / maximum.
 */
export function durationBoxes(
  answer: ReportEnvelope<TrendsResult>,
  whiskers: Whiskers,
  locale: Locale,
): Drawn {
  const series = answer.result.series;
  const at = (percentile: Percentile, key: string | null) =>
    groupOf(series[DURATION_PERCENTILES.indexOf(percentile)]?.groups, key)?.total ?? null;
  // Features in the order of the median's ranking (by tasks), those with a median only.
  const keys = (series[DURATION_PERCENTILES.indexOf(50)]?.groups ?? [])
    .map((group) => group.key)
    .filter((key) => at(50, key) !== null);
  const rows = keys.map((key) => ({
    name: valueLabel('feature', key),
    values: DURATION_PERCENTILES.map((p) => at(p, key)),
  }));
  const [low, high]: [Percentile, Percentile] = whiskers === 'minMax' ? [0, 100] : [5, 95];
  const pick = (values: Array<number | null>, p: Percentile) =>
    values[DURATION_PERCENTILES.indexOf(p)] ?? 0;
  const ms = (value: number | null) => formatValue(value, 'ms', locale);
  const names = [
    t('business.durations.min'),
    t('business.durations.p5'),
    t('business.durations.p25'),
    t('business.durations.median'),
    t('business.durations.p75'),
    t('business.durations.p95'),
    t('business.durations.max'),
  ];
  const option: ChartOption = {
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'item',
      formatter: (params) => {
        const index = (params as { dataIndex: number }).dataIndex;
        const row = rows[index];
        if (!row) return '';
        const lines = row.values.map((value, i) => `${names[i]}: ${ms(value)}`);
        return [`<strong>${row.name}</strong>`, ...lines].join('<br>');
      },
    },
    // Every feature named, long names on two lines.
    xAxis: {
      type: 'category',
      data: rows.map((row) => row.name),
      axisLabel: { interval: 0, width: 84, overflow: 'break' },
    },
    yAxis: {
      type: 'value',
      axisLabel: { formatter: (value: number) => ms(value) },
    },
    series: [
      {
        type: 'boxplot',
        name: t('business.durations.box'),
        data: rows.map((row) => [
          pick(row.values, low),
          pick(row.values, 25),
          pick(row.values, 50),
          pick(row.values, 75),
          pick(row.values, high),
        ]),
        itemStyle: { color: '#e8efff', borderColor: PALETTE[0] },
        boxWidth: [12, 48],
      },
    ],
  };
  return {
    option,
    table: {
      columns: ['', ...names.map((name) => `${name} (ms)`)],
      rows: rows.map((row) => [row.name, ...row.values]),
    },
  };
}

/** The `stickiness` report's result (docs/reports/retention-and-lifecycle.md#stickiness). */
export interface StickinessResult {
  interval: 'day' | 'week' | 'month';
  intervals: number;
  activePeople: number;
  distribution: Array<{ intervals: number; people: number; share: number | null }>;
  days: number;
  averageDailyActive: number | null;
  dauMauRatio: number | null;
}

/** People by the number of intervals they were active in, as bars. */
export function stickinessBars(result: StickinessResult, axisName: string, locale: Locale): Drawn {
  const people = t('business.stickiness.people');
  const share = t('business.stickiness.share');
  const rows = result.distribution;
  const option: ChartOption = {
    grid: { left: 8, right: 8, top: 28, bottom: 20, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const item = (Array.isArray(params) ? params[0] : params) as { dataIndex: number };
        const row = rows[item.dataIndex];
        if (!row) return '';
        return `${axisName}: ${row.intervals}<br>${people}: ${formatValue(row.people, 'users', locale)}<br>${share}: ${formatValue(row.share, 'ratio', locale)}`;
      },
    },
    xAxis: {
      type: 'category',
      name: axisName,
      nameLocation: 'middle',
      nameGap: 24,
      data: rows.map((row) => String(row.intervals)),
    },
    yAxis: {
      type: 'value',
      name: people,
      minInterval: 1,
      axisLabel: { formatter: (value: number) => formatValue(value, 'users', locale) },
    },
    series: [{ type: 'bar', name: people, data: rows.map((row) => row.people) }],
  };
  return {
    option,
    table: {
      columns: [axisName, people, share],
      rows: rows.map((row) => [row.intervals, row.people, row.share]),
    },
  };
}

/**
 * Quota consumed per bucket (line, left axis) against GMV by product type (stacked bars, right
 * axis). Both answers cover the same range and granularity; revenue may be missing (refused).
 */
export function quotaRevenue(
  quota: ReportEnvelope<TrendsResult>,
  revenue: ReportEnvelope<TrendsResult> | null,
  quotaName: string,
  locale: Locale,
): Drawn {
  const labels = bucketLabels(quota, locale);
  const quotaValues = quota.result.series[0]?.groups[0]?.values ?? labels.map(() => null);
  const sameBuckets =
    revenue !== null &&
    revenue.result.buckets.length === quota.result.buckets.length &&
    revenue.result.buckets.every((b, i) => b.start === quota.result.buckets[i]?.start);
  const groups = sameBuckets ? (revenue.result.series[0]?.groups ?? []) : [];
  const typeNames = groups.map((group) =>
    t('business.quota.gmvOf', { type: valueLabel('product_type', group.key) }),
  );
  const money = (value: number) => formatValue(value, 'currency', locale);
  const count = (value: number) => formatValue(value, 'count', locale);
  // Axis ticks are round amounts: whole yuan, without the cents formatValue keeps.
  const wholeYuan = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'CNY',
    maximumFractionDigits: 0,
  });
  const axisMoney = (value: number) =>
    value === 0 || Math.abs(value) >= 100 ? wholeYuan.format(value / 100) : money(value);
  const option: ChartOption = {
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, left: 0 },
    xAxis: { type: 'category', data: labels, boundaryGap: true },
    yAxis: [
      { type: 'value', minInterval: 1, axisLabel: { formatter: count } },
      { type: 'value', axisLabel: { formatter: axisMoney }, splitLine: { show: false } },
    ],
    series: [
      ...groups.map((group, i) => ({
        type: 'bar' as const,
        name: typeNames[i],
        stack: 'gmv',
        yAxisIndex: 1,
        data: group.values,
        color: colorOf('product_type', group.key, i + 4),
        tooltip: { valueFormatter: (value: unknown) => money(value as number) },
      })),
      {
        type: 'line' as const,
        name: quotaName,
        data: quotaValues,
        showSymbol: false,
        color: PALETTE[0],
        lineStyle: { width: 2.5 },
        z: 5,
        tooltip: { valueFormatter: (value: unknown) => count(value as number) },
      },
    ],
  };
  return {
    option,
    table: {
      columns: ['', quotaName, ...typeNames],
      rows: labels.map((label, i) => [
        label,
        quotaValues[i] ?? null,
        ...groups.map((group) => group.values[i] ?? null),
      ]),
    },
  };
}

/** A donut of a breakdown's totals (first series). */
export function donut(
  answer: ReportEnvelope<TrendsResult>,
  dimension: string,
  name: string,
  locale: Locale,
): Drawn {
  const series = answer.result.series[0];
  const unit = (series?.unit ?? 'count') as MetricUnit;
  const slices = (series?.groups ?? []).map((group, i) => ({
    name: valueLabel(dimension, group.key),
    value: group.total,
    color: colorOf(dimension, group.key, i),
  }));
  const option: ChartOption = {
    tooltip: {
      trigger: 'item',
      valueFormatter: (value) => formatValue(value as number, unit, locale),
    },
    legend: { orient: 'vertical', right: 0, top: 'middle' },
    series: [
      {
        type: 'pie',
        name,
        radius: ['42%', '70%'],
        center: ['38%', '50%'],
        label: { formatter: '{d}%' },
        data: slices.map((slice) => ({
          name: slice.name,
          value: slice.value ?? 0,
          itemStyle: { color: slice.color },
        })),
      },
    ],
  };
  return { option, table: { columns: ['', name], rows: slices.map((s) => [s.name, s.value]) } };
}
