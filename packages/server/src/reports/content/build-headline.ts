import { getMetric } from '@sightline/shared';
import { z } from 'zod';
import type { ReportKpi } from '../report-document.ts';
import type { ReportContentParams } from './content-types.ts';
import type { ContentRunner } from './create-content-runner.ts';
import { toPeriodRequest } from './period-request.ts';
import { toValueUnit } from '../to-value-unit.ts';

/** The headline KPIs, in the order they are shown; ids the catalog lacks are left out. */
export const HEADLINE_METRICS = [
  'gmv',
  'orders',
  'aov',
  'paying_users',
  'refund_amount',
  'refund_rate_amount',
  'dau',
  'new_users',
  'commission_total',
  'task_success_rate',
  'api_error_rate',
] as const;

const nullableNumber = z.number().nullable();
const kpisResultSchema = z.object({
  kpis: z.array(
    z.object({
      metric: z.string(),
      name: z.object({ 'zh-CN': z.string(), en: z.string() }),
      unit: z.string(),
      value: nullableNumber,
      previous: nullableNumber,
      higherIsBetter: z.boolean(),
    }),
  ),
});

/**
 * The headline: value and last year's from one kpis run on the period with compare "year", and
 * the previous period's from a kpis run on that period (the calendar day, week or month before:
 * the kpis report's own "previous" is the same number of days, which is not last month). So each
 * figure is what the kpis API answers for its range.
 */
export async function buildHeadline(
  runner: ContentRunner,
  params: ReportContentParams,
): Promise<ReportKpi[]> {
  const metrics = HEADLINE_METRICS.filter((id) => getMetric(id) !== undefined);
  if (metrics.length === 0) return [];
  const [current, previous] = await Promise.all([
    runner.run(
      'kpis',
      toPeriodRequest(params.period, { metrics, compare: 'year' }),
      kpisResultSchema,
    ),
    runner.run('kpis', toPeriodRequest(params.previousPeriod, { metrics }), kpisResultSchema),
  ]);
  const previousValues = new Map(previous.kpis.map((kpi) => [kpi.metric, kpi.value]));
  return current.kpis.map((kpi) => ({
    metric: kpi.metric,
    name: kpi.name[params.locale],
    unit: toValueUnit(kpi.unit),
    value: kpi.value,
    previous: previousValues.get(kpi.metric) ?? null,
    lastYear: kpi.previous,
    higherIsBetter: kpi.higherIsBetter,
  }));
}
