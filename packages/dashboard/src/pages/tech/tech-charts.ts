import type { MetricUnit } from '@sightline/shared';
import type { Locale } from '../../i18n/index.ts';
import type { ReportEnvelope } from '../../lib/api.ts';
import type { ChartOption, ChartTable } from '../../lib/charts.ts';
import { formatBucket, formatValue } from '../../lib/format.ts';
import type { TrendsResult } from '../../lib/trends.ts';
import type { ApiSliResult, QualityAnswer } from './tech-types.ts';

export interface Chart {
  option: ChartOption;
  table: ChartTable;
}

const GOOD = '#16a37f';
const POOR = '#e5484d';

/** A value axis labelled in the unit of its numbers. */
function valueAxis(unit: MetricUnit, locale: Locale, extra: Record<string, unknown> = {}) {
  return {
    type: 'value' as const,
    axisLabel: { formatter: (value: number) => formatValue(value, unit, locale) },
    ...extra,
  };
}

const tooltipOf = (unit: MetricUnit, locale: Locale) => ({
  trigger: 'axis' as const,
  // Kept inside the chart: its box clips (see TechChart.vue).
  confine: true,
  valueFormatter: (value: unknown) =>
    formatValue(typeof value === 'number' ? value : null, unit, locale),
});

/**
 * One figure of api_sli's per-endpoint series (p95 or error rate) for the busiest endpoints, one
 * line each; a threshold (the slow limit) is drawn as a dashed line.
 */
export function endpointChart(
  answer: ReportEnvelope<ApiSliResult>,
  figure: 'p95Ms' | 'errorRate',
  locale: Locale,
  threshold?: { value: number; label: string },
): Chart {
  const { series } = answer.result;
  const unit: MetricUnit = figure === 'p95Ms' ? 'ms' : 'ratio';
  const labels = series.buckets.map((bucket) =>
    formatBucket(bucket.start, answer.result.granularity, answer.timeZone, locale),
  );
  // The limit is drawn when the lines come near it; far above them it would flatten them.
  const highest = Math.max(
    0,
    ...series.endpoints.flatMap((endpoint) => endpoint[figure].map((value) => value ?? 0)),
  );
  const limit = threshold && highest >= threshold.value / 2 ? threshold : undefined;
  const option: ChartOption = {
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    tooltip: tooltipOf(unit, locale),
    legend: { type: 'scroll', top: 0, left: 0, right: 0 },
    xAxis: { type: 'category', data: labels, boundaryGap: false },
    yAxis: valueAxis(
      unit,
      locale,
      limit ? { max: (range: { max: number }) => niceMax(range.max, limit.value) } : {},
    ),
    series: series.endpoints.map((endpoint, i) => ({
      type: 'line' as const,
      name: endpoint.endpoint,
      data: endpoint[figure],
      showSymbol: false,
      connectNulls: false,
      ...(i === 0 && limit
        ? {
            markLine: {
              silent: true,
              symbol: 'none',
              lineStyle: { color: POOR, type: 'dashed' as const },
              label: { formatter: limit.label, position: 'insideEndTop' as const },
              data: [{ yAxis: limit.value }],
            },
          }
        : {}),
    })),
  };
  return {
    option,
    table: {
      columns: ['', ...series.endpoints.map((endpoint) => endpoint.endpoint)],
      rows: labels.map((label, i) => [
        label,
        ...series.endpoints.map((endpoint) => endpoint[figure][i] ?? null),
      ]),
    },
  };
}

/** Axis top that keeps a threshold in view without flattening the data far below it. */
function niceMax(dataMax: number, threshold: number): number {
  const top = Math.max(dataMax, threshold) * 1.1;
  const step = 10 ** Math.floor(Math.log10(top || 1));
  return Math.ceil(top / step) * step;
}

export interface VitalSpec {
  metric: string;
  name: string;
  unit: MetricUnit;
  /** Google's Web Vitals limits at p75: good up to `good`, poor above `poor`. */
  good: number;
  poor: number;
}

/** One web vital's p75 by bucket with its good / poor limits, and the compared period dashed. */
export function vitalChart(
  answer: ReportEnvelope<TrendsResult>,
  index: number,
  spec: VitalSpec,
  locale: Locale,
  text: { good: string; poor: string; compareName?: string | undefined },
): Chart {
  const { result } = answer;
  const labels = result.buckets.map((bucket) =>
    formatBucket(bucket.start, result.granularity, answer.timeZone, locale),
  );
  const series = result.series[index];
  const values = series?.groups[0]?.values ?? labels.map(() => null);
  const past = series?.compare.previous?.[0] ?? series?.compare.year?.[0];
  const show = (value: number) => formatValue(value, spec.unit, locale);
  // Each label on its own side of its line: "good" in the good zone below, "poor" above.
  const limit = (value: number, color: string, name: string, below: boolean) => ({
    yAxis: value,
    lineStyle: { color, type: 'dashed' as const },
    label: {
      formatter: `${name} ${show(value)}`,
      color,
      position: below ? ('insideEndBottom' as const) : ('insideEndTop' as const),
    },
  });
  // The good limit is always in view; the poor one once the values pass the good one.
  const highest = Math.max(0, ...values.map((value) => value ?? 0));
  const nearPoor = highest > spec.good;
  const lines: NonNullable<ChartOption['series']> = [
    {
      type: 'line',
      name: spec.name,
      data: values,
      showSymbol: false,
      markLine: {
        silent: true,
        symbol: 'none',
        data: nearPoor
          ? [limit(spec.good, GOOD, text.good, true), limit(spec.poor, POOR, text.poor, false)]
          : [limit(spec.good, GOOD, text.good, true)],
      },
    },
  ];
  if (past && text.compareName)
    lines.push({
      type: 'line',
      name: text.compareName,
      data: past.values,
      showSymbol: false,
      lineStyle: { type: 'dashed', width: 1 },
    });
  const option: ChartOption = {
    grid: {
      left: 8,
      right: 16,
      top: past && text.compareName ? 32 : 12,
      bottom: 8,
      containLabel: true,
    },
    tooltip: tooltipOf(spec.unit, locale),
    ...(past && text.compareName ? { legend: { top: 0, left: 0 } } : {}),
    xAxis: { type: 'category', data: labels, boundaryGap: false },
    yAxis: valueAxis(spec.unit, locale, {
      max: (range: { max: number }) => niceMax(range.max, nearPoor ? spec.poor : spec.good),
    }),
    series: lines,
  };
  const compared = past && text.compareName;
  return {
    option,
    table: {
      columns: ['', spec.name, ...(compared ? [text.compareName ?? ''] : [])],
      rows: labels.map((label, i) => [
        label,
        values[i] ?? null,
        ...(compared ? [past.values[i] ?? null] : []),
      ]),
    },
  };
}

const SMALL_COUNTS = { duplicates: '#f0a020', rejected: POOR, dropped: '#7a869a' };
type IngestCount = 'accepted' | 'duplicates' | 'rejected' | 'dropped';

/**
 * Ingest counts per hour of receipt, one line each. Accepted events and the few duplicates,
 * rejects and drops go in separate charts: on one axis the small ones would be flat at zero.
 */
export function ingestChart(
  answer: QualityAnswer,
  timeZone: string,
  locale: Locale,
  lines: Array<{ key: IngestCount; name: string }>,
): Chart {
  const labels = answer.hours.map((hour) => formatBucket(hour.hour, 'hour', timeZone, locale));
  const pick = (key: IngestCount) => answer.hours.map((hour) => hour[key]);
  const single = lines.length === 1;
  const option: ChartOption = {
    // Room on the right for half of the last hour label.
    grid: { left: 8, right: 36, top: single ? 12 : 32, bottom: 8, containLabel: true },
    tooltip: tooltipOf('count', locale),
    ...(single ? {} : { legend: { top: 0, left: 0 } }),
    xAxis: { type: 'category', data: labels, boundaryGap: false },
    yAxis: valueAxis('count', locale, { minInterval: 1 }),
    series: lines.map((line) => ({
      type: 'line' as const,
      name: line.name,
      data: pick(line.key),
      showSymbol: false,
      lineStyle: { width: 1 },
      ...(line.key === 'accepted'
        ? { areaStyle: { opacity: 0.25 } }
        : { color: SMALL_COUNTS[line.key] }),
    })),
  };
  return {
    option,
    table: {
      columns: ['', ...lines.map((line) => line.name)],
      rows: answer.hours.map((hour, i) => [
        labels[i] ?? hour.hour,
        ...lines.map((line) => hour[line.key]),
      ]),
    },
  };
}

/** Delivery delay per hour (p50 and p95 of received_at − event_time). */
export function delayChart(
  answer: QualityAnswer,
  timeZone: string,
  locale: Locale,
  names: { p50: string; p95: string },
): Chart {
  const labels = answer.hours.map((hour) => formatBucket(hour.hour, 'hour', timeZone, locale));
  const p50 = answer.hours.map((hour) => hour.delayP50Ms);
  const p95 = answer.hours.map((hour) => hour.delayP95Ms);
  const option: ChartOption = {
    grid: { left: 8, right: 36, top: 32, bottom: 8, containLabel: true },
    tooltip: tooltipOf('ms', locale),
    legend: { top: 0, left: 0 },
    xAxis: { type: 'category', data: labels, boundaryGap: false },
    yAxis: valueAxis('ms', locale),
    series: [
      { type: 'line', name: names.p50, data: p50, showSymbol: false },
      { type: 'line', name: names.p95, data: p95, showSymbol: false },
    ],
  };
  return {
    option,
    table: {
      columns: ['', names.p50, names.p95],
      rows: labels.map((label, i) => [label, p50[i] ?? null, p95[i] ?? null]),
    },
  };
}

/** An instant as a short local date and time in the project's time zone. */
export function formatTime(iso: string, timeZone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/**
 * Requests per second; below 1/s with three significant digits, since the shared format's two
 * decimals would show a quiet endpoint's 0.0046/s as 0/s.
 */
export function formatRate(value: number | null, locale: Locale): string {
  if (value === null || !Number.isFinite(value) || value === 0 || Math.abs(value) >= 1)
    return formatValue(value, 'per_second', locale);
  return `${new Intl.NumberFormat(locale, { maximumSignificantDigits: 3 }).format(value)}/s`;
}
