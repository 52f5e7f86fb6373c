import {
  breakdownSchema,
  COMPARISONS,
  controlSchema,
  ERR_QUERY_INVALID,
  getMetric,
  SightlineError,
  type AggregateFormula,
  type Condition,
  type Control,
  type Formula,
} from '@sightline/shared';
import { z } from 'zod';
import {
  addLocalDays,
  addLocalMonths,
  startOfLocalDate,
  toLocalDate,
} from '../../../platform/index.ts';
import { withControlFilters, withRange, type QueryContext } from '../../context/query-context.ts';
import type { Series } from '../../series/aggregate-series.ts';
import {
  computeFormulaSeries,
  computeFormulaSeriesWithTotal,
  rankGroups,
  type RankedGroups,
} from '../../series/metric-series.ts';
import { defineReport } from '../define-report.ts';
import { formatBucket } from '../format-bucket.ts';

const EVENT_COLUMNS_NUMERIC = new Set(['duration_ms', 'amount', 'status']);
const AGGREGATIONS = ['count', 'unique_users', 'sum', 'avg', 'min', 'max', 'percentile'] as const;

const seriesSchema = z.union([
  z.object({ metric: z.string().max(64) }),
  z.object({
    event: z.string().min(1).max(200),
    aggregation: z.enum(AGGREGATIONS).default('count'),
    property: z
      .string()
      .regex(/^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/)
      .optional()
      .describe(
        'props key, or duration_ms / amount / status; required for sum, avg, min, max, percentile',
      ),
    percentile: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .describe('for aggregation percentile, e.g. 95'),
  }),
]);

export const trendsParams = z.object({
  series: z.array(seriesSchema).min(1).max(10),
  breakdown: breakdownSchema.optional(),
  compare: z.array(z.enum(COMPARISONS)).max(3).default([]),
  control: controlSchema
    .optional()
    .describe('The control group of compare "control": filters replacing the filter bar\'s'),
  totals: z
    .boolean()
    .default(true)
    .describe(
      "false: each group's total over the range is left out (null), for a client that draws " +
        'only the series; a distinct count or percentile then costs one pass less',
    ),
});
export type TrendsParams = z.infer<typeof trendsParams>;

const groupSchema = z.object({
  key: z.string().nullable(),
  values: z.array(z.number().nullable()),
  total: z.number().nullable(),
});
const trendsResult = z.object({
  granularity: z.string(),
  buckets: z.array(z.object({ start: z.string(), label: z.string() })),
  series: z.array(
    z.object({
      label: z.string(),
      metric: z.string().nullable(),
      unit: z.string(),
      groups: z.array(groupSchema),
      compare: z.object({
        previous: z.array(groupSchema).optional().describe('环比: the period before, same length'),
        year: z.array(groupSchema).optional().describe('同比: the same dates a year earlier'),
        control: z
          .array(groupSchema)
          .optional()
          .describe('The control group: the same range with the control filters'),
      }),
    }),
  ),
});
export type TrendsResult = z.infer<typeof trendsResult>;

type SeriesSpec = TrendsParams['series'][number];

/** The formula an ad-hoc event series stands for. */
export function eventFormula(spec: Extract<SeriesSpec, { event: string }>): AggregateFormula {
  const where: Condition[] = [
    { field: 'is_bot', op: 'eq', value: false },
    { field: 'name', op: 'eq', value: spec.event },
  ];
  const field = spec.property
    ? EVENT_COLUMNS_NUMERIC.has(spec.property)
      ? spec.property
      : `props.${spec.property}`
    : null;
  if (spec.aggregation === 'count') return { kind: 'count', source: 'events', where };
  if (spec.aggregation === 'unique_users')
    return { kind: 'distinct', source: 'events', of: 'person', where };
  if (!field)
    throw new SightlineError(ERR_QUERY_INVALID, { reason: `${spec.aggregation} needs a property` });
  if (spec.aggregation === 'percentile') {
    if (spec.percentile === undefined)
      throw new SightlineError(ERR_QUERY_INVALID, {
        reason: 'percentile needs percentile (0-100)',
      });
    return { kind: 'quantile', source: 'events', field, q: spec.percentile / 100, where };
  }
  return { kind: spec.aggregation, source: 'events', field, where };
}

function resolveSeries(spec: SeriesSpec): {
  formula: Formula;
  label: string;
  metric: string | null;
  unit: string;
} {
  if ('metric' in spec) {
    const metric = getMetric(spec.metric);
    if (!metric)
      throw new SightlineError(ERR_QUERY_INVALID, { reason: `unknown metric ${spec.metric}` });
    return { formula: metric.formula, label: metric.name.en, metric: metric.id, unit: metric.unit };
  }
  const what =
    spec.aggregation === 'count'
      ? ''
      : ` ${spec.aggregation}${spec.property ? ` of ${spec.property}` : ''}`;
  return {
    formula: eventFormula(spec),
    label: `${spec.event}${what}`,
    metric: null,
    unit:
      spec.aggregation === 'count'
        ? 'count'
        : spec.aggregation === 'unique_users'
          ? 'users'
          : 'number',
  };
}

/**
 * The range a comparison looks at: `previous` is the same number of days just before (whole
 * local days; otherwise the same duration), `year` the same local dates a year earlier.
 */
export function comparisonRange(
  ctx: QueryContext,
  compare: 'previous' | 'year',
): { from: number; to: number } {
  const zone = ctx.timeZone;
  const fromDate = toLocalDate(ctx.from, zone);
  const toDate = toLocalDate(ctx.to, zone);
  const wholeDays =
    startOfLocalDate(fromDate, zone) === ctx.from && startOfLocalDate(toDate, zone) === ctx.to;
  if (compare === 'year') {
    if (!wholeDays) return { from: ctx.from - 365 * 86_400_000, to: ctx.to - 365 * 86_400_000 };
    return {
      from: startOfLocalDate(addLocalMonths(fromDate, -12), zone),
      to: startOfLocalDate(addLocalMonths(toDate, -12), zone),
    };
  }
  if (!wholeDays) return { from: ctx.from - (ctx.to - ctx.from), to: ctx.from };
  const days = Math.round(
    (startOfLocalDate(toDate, 'UTC') - startOfLocalDate(fromDate, 'UTC')) / 86_400_000,
  );
  return { from: startOfLocalDate(addLocalDays(fromDate, -days), zone), to: ctx.from };
}

/** The control group's context: the same range, the control filters (refused without them). */
export function controlContext(
  ctx: QueryContext,
  params: { control?: Control | undefined },
): QueryContext {
  if (!params.control)
    throw new SightlineError(ERR_QUERY_INVALID, {
      reason: 'compare "control" needs control: { filters: [...] }',
    });
  return withControlFilters(ctx, params.control.filters);
}

async function withTotals(
  ctx: QueryContext,
  formula: Formula,
  breakdown: TrendsParams['breakdown'] | null,
  ranking: RankedGroups | null,
) {
  const keep = ranking?.keep ?? null;
  const ranked = ranking?.ranked ?? null;
  const options = { breakdown, keep, ranked };
  const both = await computeFormulaSeriesWithTotal(ctx, formula, {
    ...options,
    granularity: ctx.granularity,
  });
  if (both) return { series: both.series, groups: joinTotals(both.series, both.total) };
  const [series, totals] = await Promise.all([
    computeFormulaSeries(ctx, formula, { ...options, granularity: ctx.granularity }),
    computeFormulaSeries(ctx, formula, { ...options, granularity: 'all' }),
  ]);
  return { series, groups: joinTotals(series, totals) };
}

/** The series alone: every group's total null (params.totals false). */
async function withoutTotals(
  ctx: QueryContext,
  formula: Formula,
  breakdown: TrendsParams['breakdown'] | null,
  ranking: RankedGroups | null,
) {
  const series = await computeFormulaSeries(ctx, formula, {
    breakdown,
    keep: ranking?.keep ?? null,
    ranked: ranking?.ranked ?? null,
    granularity: ctx.granularity,
  });
  return { series, groups: series.groups.map((group) => ({ ...group, total: null })) };
}

function joinTotals(series: Series, totals: Series) {
  const byKey = new Map(totals.groups.map((group) => [group.key, group.values[0] ?? null]));
  return series.groups.map((group) => ({
    key: group.key,
    values: group.values,
    total: byKey.get(group.key) ?? null,
  }));
}

export const trendsReport = defineReport({
  id: 'trends',
  summary: 'Trends of metrics or events over time, with breakdown and comparison',
  description:
    'Each series is a catalog metric or an event aggregate (count, unique users, sum / avg / min / ' +
    'max / percentile of a property). Breakdown keeps the top N groups and sums the rest into ' +
    '`$other` (distinct counts are recomputed, not summed). Comparisons align the previous period ' +
    '(环比) and the same dates a year earlier (同比) bucket by bucket.',
  params: trendsParams,
  result: trendsResult,
  defaultGranularity: 'day',
  async run(ctx, params) {
    const breakdown = params.breakdown ?? null;
    // Series and their comparisons are independent queries: they run side by side. A
    // breakdown's groups are ranked once, on the current range, and shown in every comparison.
    const computed = await Promise.all(
      params.series.map(async (spec) => {
        const { formula, label, metric, unit } = resolveSeries(spec);
        const ranking = breakdown ? await rankGroups(ctx, formula, breakdown) : null;
        // Comparisons keep the same groups; what ranking read belongs to this range only.
        const kept = ranking && { keep: ranking.keep, ranked: null };
        const compute = params.totals ? withTotals : withoutTotals;
        const [current, ...others] = await Promise.all([
          compute(ctx, formula, breakdown, ranking),
          ...params.compare.map((which) => {
            if (which === 'control')
              return compute(controlContext(ctx, params), formula, breakdown, kept);
            const range = comparisonRange(ctx, which);
            return compute(withRange(ctx, range.from, range.to), formula, breakdown, kept);
          }),
        ]);
        const compare: TrendsResult['series'][number]['compare'] = {};
        params.compare.forEach((which, i) => {
          compare[which] = others[i]?.groups ?? [];
        });
        return {
          buckets: current.series.buckets,
          series: { label, metric, unit, groups: current.groups, compare },
        };
      }),
    );
    const out: TrendsResult['series'] = computed.map((c) => c.series);
    const buckets = computed.at(-1)?.buckets ?? [];
    return {
      granularity: ctx.granularity,
      buckets: buckets.map((start) => ({
        start: new Date(start).toISOString(),
        label: formatBucket(start, ctx.timeZone, ctx.granularity),
      })),
      series: out,
    };
  },
  toTable(result) {
    const columns = ['series', 'group', ...result.buckets.map((bucket) => bucket.label), 'total'];
    const rows = result.series.flatMap((series) =>
      series.groups.map((group) => [series.label, group.key, ...group.values, group.total]),
    );
    return { columns, rows };
  },
});
