import type { ReportSection } from '../../report-document.ts';
import type { SectionContext } from '../content-types.ts';
import { formatValue } from '../format-value.ts';
import { runTrendTable } from '../run-trend-table.ts';

const METRICS = ['dau', 'new_users', 'returning_users'] as const;

/**
 * DAU (by hour: the people active in that hour), new and returning users per bucket. The total
 * row is the trends total: DAU's is the daily average over the period.
 */
export async function buildUsersSection(ctx: SectionContext): Promise<ReportSection> {
  const { texts, params } = ctx;
  const labels = {
    dau: params.kind === 'daily' ? texts.columns.activeUsers : texts.columns.dau,
    new_users: texts.columns.newUsers,
    returning_users: texts.columns.returningUsers,
  };
  const trend = await runTrendTable(
    ctx,
    METRICS.map((metric) => ({ metric, label: labels[metric], unit: 'users' as const })),
  );
  return {
    id: 'users',
    title: texts.titles.users,
    summary: texts.summaries.users({
      dau: formatValue(trend.total('dau') ?? 0, 'users'),
      newUsers: formatValue(trend.total('new_users') ?? 0, 'users'),
      returningUsers: formatValue(trend.total('returning_users') ?? 0, 'users'),
    }),
    table: trend.table,
    chart: {
      id: 'users_trend',
      title: texts.charts.users,
      kind: 'line',
      unit: 'users',
      categories: trend.categories,
      series: METRICS.map((metric) => ({ name: labels[metric], values: trend.values(metric) })),
    },
  };
}
