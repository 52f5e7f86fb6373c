import { controlSchema } from '@sightline/shared';
import { z } from 'zod';
import { withRange, type QueryContext } from '../../context/query-context.ts';
import { MAX_RANGE_DAYS } from '../../series/buckets.ts';
import {
  computeMetricOverSpans,
  computeMetricSeries,
  requireMetric,
} from '../../series/metric-series.ts';
import { defineReport } from '../define-report.ts';
import { comparisonRange, controlContext } from '../trends/trends-report.ts';

const DAY_MS = 86_400_000;
const COMPARE = [
  'previous',
  'year',
  'same_time_yesterday',
  'same_time_last_week',
  'control',
] as const;

export const kpisParams = z.object({
  metrics: z.array(z.string().max(64)).min(1).max(30),
  compare: z.enum(COMPARE).default('previous'),
  control: controlSchema
    .optional()
    .describe('The control group of compare "control": filters replacing the filter bar\'s'),
});
export type KpisParams = z.infer<typeof kpisParams>;

const kpisResult = z.object({
  compareFrom: z.string(),
  compareTo: z.string(),
  kpis: z.array(
    z.object({
      metric: z.string(),
      name: z.object({ 'zh-CN': z.string(), en: z.string() }),
      unit: z.string(),
      value: z.number().nullable(),
      previous: z.number().nullable(),
      /** value − previous */
      change: z.number().nullable(),
      /** (value − previous) / previous; null when previous is 0 or missing */
      changeRatio: z.number().nullable(),
      higherIsBetter: z.boolean(),
    }),
  ),
});
export type KpisResult = z.infer<typeof kpisResult>;

/**
 * The range a KPI is compared with. `same_time_yesterday` / `_last_week` shift the range by one
 * or seven days and cut it at the same clock time as now, so "today so far" meets "yesterday up
 * to this time".
 */
export function kpiComparisonRange(ctx: QueryContext, compare: KpisParams['compare']) {
  if (compare === 'control') return { from: ctx.from, to: ctx.to };
  if (compare === 'previous' || compare === 'year') return comparisonRange(ctx, compare);
  const shift = compare === 'same_time_yesterday' ? DAY_MS : 7 * DAY_MS;
  const end = Math.min(ctx.to, Math.max(ctx.now, ctx.from));
  return { from: ctx.from - shift, to: end - shift };
}

async function valueOf(ctx: QueryContext, metric: string): Promise<number | null> {
  if (ctx.to <= ctx.from) return null;
  const series = await computeMetricSeries(ctx, metric, { granularity: 'all' });
  return series.groups[0]?.values[0] ?? null;
}

/**
 * A metric's value over the range and over the comparison range. The period just before the
 * range (`previous`) is asked with it in one pass when that saves work (computeMetricOverSpans);
 * otherwise, and for other comparisons, each on its own.
 */
async function valuesOf(
  ctx: QueryContext,
  compareCtx: QueryContext,
  metric: string,
  compare: KpisParams['compare'],
): Promise<[number | null, number | null]> {
  const adjacent =
    compare === 'previous' &&
    compareCtx.to === ctx.from &&
    compareCtx.from < ctx.from &&
    ctx.from < ctx.to &&
    ctx.to - compareCtx.from <= MAX_RANGE_DAYS * DAY_MS;
  if (adjacent) {
    const both = withRange(ctx, compareCtx.from, ctx.to);
    const spans = await computeMetricOverSpans(both, metric, [compareCtx.from, ctx.from]);
    if (spans) return [spans[1] ?? null, spans[0] ?? null];
  }
  return Promise.all([valueOf(ctx, metric), valueOf(compareCtx, metric)]);
}

export const kpisReport = defineReport({
  id: 'kpis',
  summary: 'KPI cards: metric values for the range with their change against a comparison',
  description:
    'Each metric over the whole range (granularity all) and over the comparison range: the ' +
    'previous period (环比), the same dates last year (同比), the same time yesterday / last ' +
    'week (the range shifted and cut at the current clock time), or a control group (the same ' +
    "range with `control.filters` in place of the filter bar's filters on those fields).",
  params: kpisParams,
  result: kpisResult,
  defaultGranularity: 'all',
  async run(ctx, params) {
    const range = kpiComparisonRange(ctx, params.compare);
    const compareCtx =
      params.compare === 'control'
        ? controlContext(ctx, params)
        : withRange(ctx, range.from, range.to);
    // Cards are independent: their queries run side by side (the store has several readers).
    const kpis: KpisResult['kpis'] = await Promise.all(
      params.metrics.map(async (id) => {
        const metric = requireMetric(id);
        const [value, previous] = await valuesOf(ctx, compareCtx, id, params.compare);
        const change = value === null || previous === null ? null : value - previous;
        return {
          metric: id,
          name: { ...metric.name },
          unit: metric.unit,
          value,
          previous,
          change,
          changeRatio: change === null || !previous ? null : change / previous,
          higherIsBetter: metric.higherIsBetter ?? true,
        };
      }),
    );
    return {
      compareFrom: new Date(range.from).toISOString(),
      compareTo: new Date(range.to).toISOString(),
      kpis,
    };
  },
  toTable(result) {
    return {
      columns: ['metric', 'name', 'value', 'previous', 'change', 'change_ratio'],
      rows: result.kpis.map((kpi) => [
        kpi.metric,
        kpi.name.en,
        kpi.value,
        kpi.previous,
        kpi.change,
        kpi.changeRatio,
      ]),
    };
  },
});
