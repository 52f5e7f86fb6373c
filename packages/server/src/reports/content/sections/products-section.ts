import { z } from 'zod';
import type { ReportSection } from '../../report-document.ts';
import type { SectionContext } from '../content-types.ts';
import { formatValue } from '../format-value.ts';
import { toPeriodRequest } from '../period-request.ts';

export const TOP_PRODUCTS = 10;

const figures = { revenue: z.number(), quantity: z.number(), orders: z.number() };
const topProductsResultSchema = z.object({
  totals: z.object({ ...figures, groups: z.number() }),
  rows: z.array(z.object({ key: z.string().nullable(), name: z.string().nullable(), ...figures })),
});

/** The 10 products with the most revenue (top_products, by product, sorted by revenue). */
export async function buildProductsSection(ctx: SectionContext): Promise<ReportSection> {
  const { texts, params } = ctx;
  const result = await ctx.runner.run(
    'top_products',
    toPeriodRequest(params.period, { by: 'product', sortBy: 'revenue', limit: TOP_PRODUCTS }),
    topProductsResultSchema,
  );
  const name = (row: { key: string | null; name: string | null }) =>
    row.name ?? row.key ?? texts.noValue;
  const [top] = result.rows;
  return {
    id: 'products',
    title: texts.titles.products,
    summary: top
      ? texts.summaries.products({
          top: name(top),
          revenue: formatValue(top.revenue, 'currency'),
          share: formatValue(
            result.totals.revenue === 0 ? null : top.revenue / result.totals.revenue,
            'ratio',
          ),
          total: formatValue(result.totals.revenue, 'currency'),
          count: formatValue(result.totals.groups, 'count'),
        })
      : texts.summaries.noProducts,
    table: {
      columns: [
        { key: 'product', label: texts.columns.product, unit: 'text' },
        { key: 'revenue', label: texts.columns.revenue, unit: 'currency' },
        { key: 'quantity', label: texts.columns.quantity, unit: 'count' },
        { key: 'orders', label: texts.columns.orders, unit: 'count' },
      ],
      rows: result.rows.map((row) => [name(row), row.revenue, row.quantity, row.orders]),
    },
    chart: {
      id: 'products_revenue',
      title: texts.charts.products,
      kind: 'bar',
      unit: 'currency',
      categories: result.rows.map(name),
      series: [{ name: texts.columns.revenue, values: result.rows.map((row) => row.revenue) }],
    },
  };
}
