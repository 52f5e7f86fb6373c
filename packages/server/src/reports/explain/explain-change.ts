import { getDimension } from '@sightline/shared';
import { z } from 'zod';
import { requireMetric, withRange, type QueryContext } from '../../queries/index.ts';
import {
  REPORT_LOCALES,
  type ChangeExplanation,
  type ContributionItem,
  type ReportLocale,
} from '../report-document.ts';
import { chooseDrivers, type DimensionContributions } from './choose-drivers.ts';
import { computeContributions } from './compute-contributions.ts';
import { computeTotal } from './compute-total.ts';
import { describeChange } from './describe-change.ts';
import { describePreviousPeriod } from './describe-previous-period.ts';
import { getDecompositionKind } from './get-decomposition-kind.ts';
import { parseParams } from './parse-params.ts';
import { toValueUnit } from '../to-value-unit.ts';

const rangeSchema = z
  .object({ from: z.number().int().nonnegative(), to: z.number().int().nonnegative() })
  .refine((range) => range.to > range.from, { message: 'to must be after from' });

export const explainChangeParams = z.object({
  metric: z.string().min(1).max(64),
  /** The comparison range, [from, to) epoch ms. */
  previous: rangeSchema,
  /** Dimensions to look at; those the metric cannot be broken down by are skipped. */
  dimensions: z.array(z.string().min(1).max(64)).max(20),
  locale: z.enum(REPORT_LOCALES),
  /** Most segments named (default 3). */
  maxDrivers: z.number().int().min(1).max(10).default(3),
  /** Top N segments per period and dimension; the rest is "$other" (default 20). */
  breakdownLimit: z.number().int().min(1).max(50).default(20),
});
/** What explainChange takes; checked against explainChangeParams. */
export interface ExplainChangeParams {
  metric: string;
  previous: { from: number; to: number };
  dimensions: readonly string[];
  locale: ReportLocale;
  /** Default 3. */
  maxDrivers?: number;
  /** Default 20. */
  breakdownLimit?: number;
}

function toItem(
  dimension: string,
  locale: ReportLocale,
  item: DimensionContributions['items'][number],
): ContributionItem {
  return {
    dimension,
    dimensionName: getDimension(dimension)?.name[locale] ?? dimension,
    segment: item.segment,
    current: item.current,
    previous: item.previous,
    contribution: item.contribution,
    share: item.share,
  };
}

/**
 * Explains a metric's change from the previous range to the context's range: the headline
 * values (granularity all, no breakdown, as the kpis report), the contribution of each segment
 * of each dimension the metric supports, and the dimension whose few segments explain the most
 * of it (chooseDrivers). No change, or no value on either side: no drivers.
 */
export async function explainChange(
  ctx: QueryContext,
  params: ExplainChangeParams,
): Promise<ChangeExplanation> {
  const p = parseParams(explainChangeParams, { ...params, dimensions: [...params.dimensions] });
  const metric = requireMetric(p.metric);
  const previousCtx = withRange(ctx, p.previous.from, p.previous.to);
  const [current, previous] = await Promise.all([
    computeTotal(ctx, metric.id),
    computeTotal(previousCtx, metric.id),
  ]);
  const change = current === null || previous === null ? null : current - previous;
  const plan = getDecompositionKind(metric);
  const dimensions = plan
    ? [...new Set(p.dimensions)].filter((dimension) => metric.dimensions.includes(dimension))
    : [];
  const searched = change !== null && change !== 0 && dimensions.length > 0;
  let choice = chooseDrivers([], { maxDrivers: p.maxDrivers });
  if (searched) {
    const analysed = await Promise.all(
      dimensions.map((dimension) =>
        computeContributions(ctx, previousCtx, {
          metric,
          dimension,
          breakdownLimit: p.breakdownLimit,
          total: { current, previous },
        }),
      ),
    );
    choice = chooseDrivers(
      analysed.filter((entry): entry is DimensionContributions => entry !== null),
      { maxDrivers: p.maxDrivers },
    );
  }
  const unit = toValueUnit(metric.unit);
  const metricName = metric.name[p.locale];
  const chosen = choice.dimension;
  const drivers = chosen ? choice.drivers.map((item) => toItem(chosen, p.locale, item)) : [];
  return {
    metric: metric.id,
    metricName,
    unit,
    current,
    previous,
    change,
    dimension: choice.dimension,
    drivers,
    text: describeChange({
      locale: p.locale,
      metricName,
      unit,
      current,
      previous,
      periodLabel: describePreviousPeriod(p.previous, ctx.timeZone, p.locale),
      drivers,
      searched,
    }),
  };
}
