import type { MetricUnit } from '@sightline/shared';
import type { Locale } from '../../i18n/index.ts';
import type { ChartOption, ChartTable } from '../../lib/charts.ts';
import { formatValue } from '../../lib/format.ts';
import type { TrendsResult } from '../../lib/trends.ts';

/** One step of the funnel report's result (docs/reports/funnels-and-paths.md#result). */
export interface FunnelStep {
  step: number;
  label: string;
  count: number;
  conversionFromFirst: number | null;
  conversionFromPrevious: number | null;
  revenue: number;
}
export interface FunnelResult {
  steps: FunnelStep[];
  overallConversion: number | null;
  groups: Array<{
    key: string | null;
    steps: FunnelStep[];
    overallConversion: number | null;
  }> | null;
}

/** One row of the attribution report (four models side by side). */
export interface AttributionRow {
  value: string;
  firstTouch: { conversions: number; revenue: number };
  lastTouch: { conversions: number; revenue: number };
  linear: { conversions: number; revenue: number };
  timeDecay: { conversions: number; revenue: number };
}
export interface AttributionResult {
  conversions: number;
  revenue: number;
  withoutTouch: number;
  rows: AttributionRow[];
}

export const MODELS = ['firstTouch', 'lastTouch', 'linear', 'timeDecay'] as const;
export type Model = (typeof MODELS)[number];

/** The funnel's steps as a funnel chart, widest first, with the people at each step. */
export function funnelChart(
  steps: readonly FunnelStep[],
  names: readonly string[],
  labels: { people: string; fromFirst: string },
  locale: Locale,
): { option: ChartOption; table: ChartTable } {
  const data = steps.map((step, i) => ({ name: names[i] ?? step.label, value: step.count }));
  const percent = (value: number | null) => formatValue(value, 'ratio', locale);
  return {
    option: {
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'funnel',
          sort: 'none',
          left: '10%',
          width: '80%',
          minSize: '8%',
          gap: 2,
          label: {
            position: 'inside',
            formatter: (params: { dataIndex: number; name: string; value: unknown }) =>
              `${params.name}  ${formatValue(Number(params.value), 'users', locale)}  ${percent(steps[params.dataIndex]?.conversionFromFirst ?? null)}`,
          },
          data,
        },
      ],
    },
    table: {
      columns: ['', labels.people, labels.fromFirst],
      rows: steps.map((step, i) => [names[i] ?? step.label, step.count, step.conversionFromFirst]),
    },
  };
}

/**
 * Rows of a trends answer broken down by one dimension, one column per series: the union of the
 * groups of every series (each series ranks its own), in the first series' order.
 */
export function breakdownRows(
  result: TrendsResult,
  labels: { other: string; none: string },
): Array<Record<string, string | number | null>> {
  const keys: Array<string | null> = [];
  for (const series of result.series)
    for (const group of series.groups) if (!keys.includes(group.key)) keys.push(group.key);
  return keys.map((key) => {
    const row: Record<string, string | number | null> = {
      key: key === '$other' ? labels.other : (key ?? labels.none),
    };
    result.series.forEach((series, i) => {
      row[`s${i}`] = series.groups.find((group) => group.key === key)?.total ?? null;
    });
    return row;
  });
}

/** Revenue per value under each model, as grouped bars. */
export function attributionChart(
  result: AttributionResult,
  modelName: (model: Model) => string,
  locale: Locale,
): { option: ChartOption; table: ChartTable } {
  const rows = result.rows.slice(0, 10);
  const unit: MetricUnit = 'currency';
  return {
    option: {
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, left: 0 },
      xAxis: { type: 'category', data: rows.map((row) => row.value) },
      yAxis: {
        type: 'value',
        axisLabel: { formatter: (value: number) => formatValue(value, unit, locale) },
      },
      series: MODELS.map((model) => ({
        type: 'bar' as const,
        name: modelName(model),
        data: rows.map((row) => row[model].revenue),
      })),
    },
    table: {
      columns: ['', ...MODELS.map(modelName)],
      rows: rows.map((row) => [row.value, ...MODELS.map((model) => row[model].revenue)]),
    },
  };
}
