import { computeMetricSeries, type QueryContext } from '../../queries/index.ts';

/** The metric over a whole range, as the kpis report computes it (so headlines match). */
export async function computeTotal(ctx: QueryContext, metric: string): Promise<number | null> {
  if (ctx.to <= ctx.from) return null;
  const series = await computeMetricSeries(ctx, metric, { granularity: 'all' });
  return series.groups[0]?.values[0] ?? null;
}
