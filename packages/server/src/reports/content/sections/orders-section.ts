import type { ReportSection } from '../../report-document.ts';
import type { SectionContext } from '../content-types.ts';
import { formatValue } from '../format-value.ts';
import { runTrendTable } from '../run-trend-table.ts';

/** Paid orders, GMV, refunds and AOV per hour (daily) or day, with the period's totals. */
export async function buildOrdersSection(ctx: SectionContext): Promise<ReportSection> {
  const { texts } = ctx;
  const trend = await runTrendTable(ctx, [
    { metric: 'orders', label: texts.columns.orders, unit: 'count' },
    { metric: 'gmv', label: texts.columns.gmv, unit: 'currency' },
    { metric: 'refund_amount', label: texts.columns.refundAmount, unit: 'currency' },
    { metric: 'aov', label: texts.columns.aov, unit: 'currency' },
  ]);
  return {
    id: 'orders',
    title: texts.titles.orders,
    summary: texts.summaries.orders({
      orders: formatValue(trend.total('orders') ?? 0, 'count'),
      gmv: formatValue(trend.total('gmv') ?? 0, 'currency'),
      refunds: formatValue(trend.total('refund_amount') ?? 0, 'currency'),
      aov: formatValue(trend.total('aov'), 'currency'),
    }),
    table: trend.table,
    chart: {
      id: 'orders_gmv',
      title: texts.charts.gmv,
      kind: 'line',
      unit: 'currency',
      categories: trend.categories,
      series: [{ name: texts.columns.gmv, values: trend.values('gmv') }],
    },
  };
}
