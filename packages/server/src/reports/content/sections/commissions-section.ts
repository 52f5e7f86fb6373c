import type { ReportSection } from '../../report-document.ts';
import type { SectionContext } from '../content-types.ts';
import { formatValue } from '../format-value.ts';
import { runTrendTable } from '../run-trend-table.ts';

/** Commission total, commission ratio and agent GMV per bucket, with the period's totals. */
export async function buildCommissionsSection(ctx: SectionContext): Promise<ReportSection> {
  const { texts } = ctx;
  const trend = await runTrendTable(ctx, [
    { metric: 'commission_total', label: texts.columns.commission, unit: 'currency' },
    { metric: 'commission_ratio', label: texts.columns.commissionRatio, unit: 'ratio' },
    { metric: 'agent_gmv', label: texts.columns.agentGmv, unit: 'currency' },
  ]);
  return {
    id: 'commissions',
    title: texts.titles.commissions,
    summary: texts.summaries.commissions({
      commission: formatValue(trend.total('commission_total') ?? 0, 'currency'),
      gmv: formatValue(trend.total('agent_gmv') ?? 0, 'currency'),
      ratio: formatValue(trend.total('commission_ratio'), 'ratio'),
    }),
    table: trend.table,
    chart: {
      id: 'commissions_trend',
      title: texts.charts.commissions,
      kind: 'line',
      unit: 'currency',
      categories: trend.categories,
      series: [{ name: texts.columns.commission, values: trend.values('commission_total') }],
    },
  };
}
