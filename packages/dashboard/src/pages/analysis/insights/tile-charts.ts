import type { MetricUnit } from '@sightline/shared';
import type { Locale } from '../../../i18n/index.ts';
import type { ReportEnvelope } from '../../../lib/api.ts';
import type { ChartOption, ChartTable } from '../../../lib/charts.ts';
import { formatBucket, formatValue } from '../../../lib/format.ts';
import type { TrendsResult } from '../../../lib/trends.ts';

/** A number a tile states in words next to its chart (and tests compare with the API). */
export interface Figure {
  label: string;
  text: string;
}

export interface TileView {
  option: ChartOption;
  table: ChartTable;
  figures: Figure[];
}

/** The parts of the funnel, retention and paths results a tile draws (docs/reports). */
export interface FunnelResult {
  steps: Array<{ step: number; label: string; count: number; conversionFromFirst: number | null }>;
  overallConversion: number | null;
}
export interface RetentionResult {
  value: 'retention' | 'revenue' | 'repeat_purchase';
  offsets: Array<{ offset: number; label: string }>;
  cohorts: Array<{
    label: string;
    size: number;
    cells: Array<{ offset: number; value: number | null }>;
  }>;
  average: { size: number; cells: Array<{ offset: number; value: number | null }> };
}
export interface PathsResult {
  totals: { occurrences: number; people: number };
  topPaths: Array<{ nodes: string[]; people: number; occurrences: number }>;
}

const MAX_LINES = 8;

/**
 * Lines of a trends answer: each series (its first group), or with a breakdown of one series,
 * each group (top 8). Figures are the totals over the range as the server computed them.
 */
export function trendsTile(
  answer: ReportEnvelope<TrendsResult>,
  locale: Locale,
  names: { series: (index: number) => string; other: string; unknown: string },
): TileView {
  const { result } = answer;
  const first = result.series[0];
  const byGroup = result.series.length === 1 && (first?.groups.length ?? 0) > 1;
  const lines = byGroup
    ? (first?.groups ?? []).slice(0, MAX_LINES).map((group) => ({
        name: group.key === '$other' ? names.other : (group.key ?? names.unknown),
        unit: (first?.unit ?? 'count') as MetricUnit,
        group,
      }))
    : result.series.flatMap((series, index) => {
        const group = series.groups[0];
        return group ? [{ name: names.series(index), unit: series.unit as MetricUnit, group }] : [];
      });
  const labels = result.buckets.map((bucket) =>
    formatBucket(bucket.start, result.granularity, answer.timeZone, locale),
  );
  const unit = lines[0]?.unit ?? 'count';
  const option: ChartOption = {
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, left: 0, type: 'scroll' },
    xAxis: { type: 'category', data: labels, boundaryGap: false },
    yAxis: {
      type: 'value',
      ...(unit === 'users' || unit === 'count' ? { minInterval: 1 } : {}),
      axisLabel: { formatter: (value: number) => formatValue(value, unit, locale) },
    },
    series: lines.map((line) => ({
      type: 'line',
      name: line.name,
      data: line.group.values,
      showSymbol: labels.length <= 2,
    })),
  };
  return {
    option,
    table: {
      columns: ['', ...lines.map((line) => line.name)],
      rows: labels.map((label, i) => [label, ...lines.map((line) => line.group.values[i] ?? null)]),
    },
    figures: lines.map((line) => ({
      label: line.name,
      text: formatValue(line.group.total, line.unit, locale),
    })),
  };
}

/** Steps as a funnel chart, with the overall conversion and each step's count as figures. */
export function funnelTile(
  result: FunnelResult,
  locale: Locale,
  names: { overall: string },
): TileView {
  const count = (value: number) => formatValue(value, 'count', locale);
  const option: ChartOption = {
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        left: '5%',
        width: '90%',
        top: 8,
        bottom: 8,
        minSize: '8%',
        gap: 2,
        label: { show: true, position: 'inside', formatter: '{b}: {c}' },
        data: result.steps.map((step) => ({ name: step.label, value: step.count })),
      },
    ],
  };
  return {
    option,
    table: {
      columns: ['', 'count', 'conversionFromFirst'],
      rows: result.steps.map((step) => [step.label, step.count, step.conversionFromFirst]),
    },
    figures: [
      { label: names.overall, text: formatValue(result.overallConversion, 'ratio', locale) },
      ...result.steps.map((step) => ({ label: step.label, text: count(step.count) })),
    ],
  };
}

export interface HeatRow {
  label: string;
  size: string;
  cells: Array<{ text: string; shade: number | null }>;
}

/** The retention matrix as table rows (average first), each cell with a 0..1 shade. */
export function retentionRows(
  result: RetentionResult,
  locale: Locale,
  names: { average: string },
): HeatRow[] {
  const unit: MetricUnit = result.value === 'revenue' ? 'currency' : 'ratio';
  // Offset 0 of retention is 100 % by definition: left out of the colour scale.
  const scaled = (offset: number) => !(result.value === 'retention' && offset === 0);
  const values = [result.average, ...result.cohorts].flatMap((row) =>
    row.cells.filter((cell) => scaled(cell.offset)).map((cell) => cell.value ?? 0),
  );
  const max = Math.max(0, ...values);
  const row = (label: string, size: number, cells: RetentionResult['average']['cells']) => ({
    label,
    size: formatValue(size, 'count', locale),
    cells: result.offsets.map(({ offset }) => {
      const cell = cells.find((c) => c.offset === offset);
      const value = cell?.value ?? null;
      return {
        text: value === null ? '' : formatValue(value, unit, locale),
        shade: value === null || max === 0 ? null : scaled(offset) ? value / max : 1,
      };
    }),
  });
  return [
    row(names.average, result.average.size, result.average.cells),
    ...result.cohorts.map((cohort) => row(cohort.label, cohort.size, cohort.cells)),
  ];
}
