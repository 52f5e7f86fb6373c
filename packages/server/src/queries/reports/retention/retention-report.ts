import { ERR_QUERY_INVALID, SightlineError } from '@sightline/shared';
import { z } from 'zod';
import type { PeriodUnit } from '../../analyses/cohort-sql.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { defineReport } from '../define-report.ts';
import { eventSelectorSchema, periodSchema, resolvePeriod } from './shared-params.ts';
import { computeRetentionMatrix, type RetentionMatrixOptions } from './retention-matrix.ts';

const DEFAULT_PERIODS: Record<PeriodUnit, number> = { day: 7, week: 8, month: 6 };
const COHORT_BY = ['first_event', 'signup', 'first_purchase'] as const;
const VALUES = ['retention', 'revenue', 'repeat_purchase'] as const;

export const retentionParams = z.object({
  cohortBy: z
    .enum(COHORT_BY)
    .optional()
    .describe(
      'What puts a person in a cohort: first valid event ever, first sign_up event, or first paid ' +
        'order. Default signup (first_purchase for repeat_purchase).',
    ),
  period: periodSchema
    .optional()
    .describe('Cohort and offset period (local calendar). Default: the granularity (day).'),
  periods: z
    .number()
    .int()
    .min(0)
    .max(120)
    .optional()
    .describe('Offsets 0..periods. Default 7 by day, 8 by week, 6 by month.'),
  value: z.enum(VALUES).default('retention'),
  returnEvent: eventSelectorSchema
    .optional()
    .describe('value retention: the event that counts as a return (default any valid event)'),
  monthlyDiscount: z
    .number()
    .min(0)
    .max(1)
    .default(0)
    .describe('value revenue by month: discount rate d, each month τ divided by (1+d)^τ'),
});
export type RetentionParams = z.infer<typeof retentionParams>;

const cellSchema = z.object({
  offset: z.number(),
  count: z
    .number()
    .describe(
      'retention: people active in the period; repeat_purchase: people who bought again by the ' +
        'end of the period; revenue: cumulative GMV of the cohort (minor units, not discounted)',
    ),
  value: z
    .number()
    .nullable()
    .describe('rate (0..1), or LTV per member for revenue; null until the period has ended'),
  complete: z.boolean().describe('the period has ended (its end is at or before now)'),
});
const retentionResult = z.object({
  cohortBy: z.enum(COHORT_BY),
  period: periodSchema,
  periods: z.number(),
  value: z.enum(VALUES),
  monthlyDiscount: z.number(),
  offsets: z.array(z.object({ offset: z.number(), label: z.string() })),
  cohorts: z.array(
    z.object({
      label: z.string(),
      start: z.string(),
      size: z.number().describe('people in the cohort'),
      cells: z.array(cellSchema),
    }),
  ),
  average: z.object({
    size: z.number(),
    cells: z.array(
      z.object({
        offset: z.number(),
        value: z.number().nullable().describe('mean of the complete cells, weighted by size'),
        cohorts: z.number(),
        size: z.number(),
      }),
    ),
  }),
});
export type RetentionResult = z.infer<typeof retentionResult>;

function invalid(reason: string): SightlineError {
  return new SightlineError(ERR_QUERY_INVALID, { reason });
}

/** The params with their defaults filled in, or the reason they do not fit together. */
export function resolveRetentionOptions(
  ctx: Pick<QueryContext, 'granularity'>,
  params: RetentionParams,
): RetentionMatrixOptions {
  const period = resolvePeriod(params.period, ctx.granularity, 'period');
  const cohortBy =
    params.cohortBy ?? (params.value === 'repeat_purchase' ? 'first_purchase' : 'signup');
  if (params.value === 'repeat_purchase' && cohortBy !== 'first_purchase')
    throw invalid('repeat_purchase needs cohortBy first_purchase');
  if (params.returnEvent && params.value !== 'retention')
    throw invalid('returnEvent applies to value retention only');
  if (params.monthlyDiscount > 0 && (params.value !== 'revenue' || period !== 'month'))
    throw invalid('monthlyDiscount applies to value revenue with period month');
  return {
    cohortBy,
    period,
    periods: params.periods ?? DEFAULT_PERIODS[period],
    value: params.value,
    returnEvent: params.returnEvent ?? null,
    monthlyDiscount: params.monthlyDiscount,
  };
}

export const retentionReport = defineReport({
  id: 'retention',
  summary: 'Cohort retention, LTV and repeat purchase heatmap',
  description:
    'People are grouped into cohorts by the local period (day, week, month) of their first valid ' +
    'event, sign-up or first paid order inside the range. Each cell is a period offset after the ' +
    'cohort period: the share of the cohort active again (retention), the cumulative GMV per ' +
    'member (revenue: LTV, optionally discounted monthly) or the share who bought again ' +
    '(repeat_purchase). Cells whose period has not ended are marked incomplete and have no value; ' +
    'the average row weights complete cells by cohort size. Anonymous ids linked to a user count ' +
    'as that user. See docs/reports/retention-and-lifecycle.md.',
  params: retentionParams,
  result: retentionResult,
  defaultGranularity: 'day',
  async run(ctx, params) {
    const options = resolveRetentionOptions(ctx, params);
    const matrix = await computeRetentionMatrix(ctx, options);
    return {
      cohortBy: options.cohortBy,
      period: options.period,
      periods: options.periods,
      value: options.value,
      monthlyDiscount: options.monthlyDiscount,
      ...matrix,
    };
  },
  toTable(result) {
    const [countName, valueName] =
      result.value === 'revenue'
        ? ['gmv', 'ltv']
        : result.value === 'repeat_purchase'
          ? ['repeat_buyers', 'rate']
          : ['retained', 'rate'];
    const columns = ['cohort', 'size', 'measure', ...result.offsets.map((o) => o.label)];
    const rows = result.cohorts.flatMap((cohort) => [
      [cohort.label, cohort.size, countName, ...cohort.cells.map((cell) => cell.count)],
      [cohort.label, cohort.size, valueName, ...cohort.cells.map((cell) => cell.value)],
    ]);
    rows.push([
      'average',
      result.average.size,
      valueName,
      ...result.average.cells.map((cell) => cell.value),
    ]);
    return { columns, rows };
  },
});
