import type { Condition } from '@sightline/shared';
import { z } from 'zod';
import type { QueryContext } from '../../context/query-context.ts';
import { metricCondition, scopeConditions } from '../../context/scope-conditions.ts';
import { openSource } from '../../context/sources.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { defineReport } from '../define-report.ts';
import { rankDescending } from './rank-descending.ts';

const PAID_LINE: readonly Condition[] = [{ field: 'order.status', op: 'eq', value: 'paid' }];
const SORT_COLUMNS = { revenue: 'revenue', quantity: 'quantity', orders: 'orders' } as const;

export const topProductsParams = z.object({
  by: z
    .enum(['product', 'category'])
    .default('product')
    .describe('Rank products, or categories (as recorded on order lines)'),
  sortBy: z.enum(['revenue', 'quantity', 'orders']).default('revenue'),
  limit: z.number().int().min(1).max(500).default(20),
});
export type TopProductsParams = z.infer<typeof topProductsParams>;

const figures = {
  revenue: z.number().describe('Sum of line amounts (unit price × quantity as recorded)'),
  quantity: z.number(),
  orders: z.number().describe('Distinct paid orders with the product'),
  refundAmount: z
    .number()
    .describe("Refunds of those orders, split over lines by each line's share of the order"),
};
const topProductsResult = z.object({
  by: z.enum(['product', 'category']),
  sortBy: z.enum(['revenue', 'quantity', 'orders']),
  totals: z.object({ ...figures, groups: z.number() }),
  rows: z.array(
    z.object({
      rank: z.number(),
      key: z.string().nullable().describe('product_id, or the category (null: none recorded)'),
      name: z.string().nullable().describe('Product name from the catalogue (by product)'),
      category: z.string().nullable(),
      ...figures,
      revenueShare: z.number().nullable(),
    }),
  ),
});
export type TopProductsResult = z.infer<typeof topProductsResult>;

/**
 * Lines of orders paid in the range, each with its share of its order's refunds: refunds made
 * at any time up to now, split by the line's share of the order's line amounts (equally when
 * all lines are 0). Shares use every line of the order, also lines the filters leave out.
 */
function linesCte(ctx: QueryContext, params: SqlParams): string {
  const { dialect } = ctx;
  const source = openSource('order_items', ctx, params);
  const project = params.shared(ctx.projectId);
  const where = [
    ...scopeConditions(ctx, source, params),
    ...PAID_LINE.map((c) => metricCondition(c, source, params, dialect)),
  ];
  const a = source.alias;
  return (
    `sel AS (SELECT ${a}.order_id, ${a}.product_id, ${a}.category, ${a}.quantity, ${a}.amount ` +
    `FROM ${source.from()} WHERE ${where.join(' AND ')}), ` +
    `order_totals AS (SELECT t.order_id, sum(t.amount) AS lines_amount, count(*) AS line_count ` +
    `FROM order_items t WHERE t.project_id = ${project} AND t.order_id IN (SELECT order_id FROM sel) ` +
    `GROUP BY t.order_id), ` +
    `order_refunds AS (SELECT r.order_id, sum(r.amount) AS refunded FROM refunds r ` +
    `WHERE r.project_id = ${project} AND r.order_id IN (SELECT order_id FROM sel) GROUP BY r.order_id), ` +
    `lines AS (SELECT sel.*, coalesce(f.refunded, 0) * CASE WHEN ot.lines_amount = 0 ` +
    `THEN 1.0 / ot.line_count ELSE CAST(sel.amount AS DOUBLE) / ot.lines_amount END AS refund_share ` +
    `FROM sel JOIN order_totals ot ON ot.order_id = sel.order_id ` +
    `LEFT JOIN order_refunds f ON f.order_id = sel.order_id)`
  );
}

const FIGURES_SQL =
  'sum(quantity) AS quantity, sum(amount) AS revenue, count(DISTINCT order_id) AS orders, ' +
  'sum(refund_share) AS refund_amount';

function readFigures(row: Record<string, unknown> | undefined) {
  return {
    revenue: Number(row?.revenue ?? 0),
    quantity: Number(row?.quantity ?? 0),
    orders: Number(row?.orders ?? 0),
    refundAmount: Number(row?.refund_amount ?? 0),
  };
}

export const topProductsReport = defineReport({
  id: 'top_products',
  summary: 'Best-selling products or categories: revenue, quantity, orders and refunds',
  description:
    'Order lines of orders paid in the range (by payment time), per product or per category: ' +
    'revenue (sum of line amounts), quantity, distinct orders, and the refunds of those orders ' +
    "split over lines by each line's share of its order's line amounts. Sorted by sortBy, then key.",
  params: topProductsParams,
  result: topProductsResult,
  defaultGranularity: 'all',
  async run(ctx, params): Promise<TopProductsResult> {
    const params1 = new SqlParams();
    const key = params.by === 'product' ? 'product_id' : 'category';
    const sort = SORT_COLUMNS[params.sortBy];
    const project = params1.shared(ctx.projectId);
    const top = await runQuery(
      ctx,
      `WITH ${linesCte(ctx, params1)}, agg AS (SELECT ${key} AS key, min(category) AS category, ` +
        `${FIGURES_SQL} FROM lines GROUP BY ${key}) ` +
        `SELECT agg.*, p.name AS name FROM agg LEFT JOIN products p ON p.project_id = ${project} ` +
        `AND p.product_id = agg.key ORDER BY ${sort} DESC, key ASC NULLS LAST LIMIT ${params.limit}`,
      params1.values,
    );
    const params2 = new SqlParams();
    const [totalsRow] = await runQuery(
      ctx,
      `WITH ${linesCte(ctx, params2)} SELECT ${FIGURES_SQL}, ` +
        `count(DISTINCT ${key}) + max(CASE WHEN ${key} IS NULL THEN 1 ELSE 0 END) AS group_count ` +
        `FROM lines`,
      params2.values,
    );
    const totals = readFigures(totalsRow);
    const ranks = rankDescending(top.map((row) => Number(row[sort])));
    const rows = top.map((row, index) => {
      const values = readFigures(row);
      return {
        rank: ranks[index] ?? index + 1,
        key: typeof row.key === 'string' ? row.key : null,
        name: params.by === 'product' && typeof row.name === 'string' ? row.name : null,
        category: typeof row.category === 'string' ? row.category : null,
        ...values,
        revenueShare: totals.revenue === 0 ? null : values.revenue / totals.revenue,
      };
    });
    return {
      by: params.by,
      sortBy: params.sortBy,
      totals: { ...totals, groups: Number(totalsRow?.group_count ?? 0) },
      rows,
    };
  },
  toTable(result) {
    return {
      columns: [
        'rank',
        result.by,
        'name',
        'category',
        'revenue',
        'quantity',
        'orders',
        'refund_amount',
        'revenue_share',
      ],
      rows: result.rows.map((r) => [
        r.rank,
        r.key,
        r.name,
        r.category,
        r.revenue,
        r.quantity,
        r.orders,
        r.refundAmount,
        r.revenueShare,
      ]),
    };
  },
});
