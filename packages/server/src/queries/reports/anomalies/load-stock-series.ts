import type { QueryContext } from '../../context/query-context.ts';
import { scopeConditions } from '../../context/scope-conditions.ts';
import { openSource } from '../../context/sources.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { toNumberOrNull, toTextOrNull } from './order-facts-sql.ts';

/** A product's stock at one snapshot time, summed over its warehouses. */
export interface StockPoint {
  /** Epoch ms of the snapshot. */
  t: number;
  onHand: number;
  inTransit: number;
  /**
   * Paid units of the product from `salesFrom` up to and including `t`: the units sold between
   * two points are the difference of their counts.
   */
  soldCum: number;
}

export interface StockSeries {
  productId: string;
  name: string | null;
  /** Unit cost from the product catalogue (minor units), when known. */
  unitCost: number | null;
  /** Oldest first. */
  points: StockPoint[];
}

export interface LoadStockSeriesOptions {
  /**
   * Snapshots from here on (and each warehouse's latest one before it, so totals are complete)
   * up to the end of the context's range.
   */
  snapshotsFrom: number;
  /** Sales are counted from here on; points before it have no sales to compare with. */
  salesFrom: number;
}

/**
 * Each product's stock over time from its inventory snapshots: at every snapshot time the sum over
 * warehouses of each warehouse's latest count (a warehouse counted at another time carries its
 * count forward), with the running count of paid units sold, so the movement between two counts
 * can be set against the sales in between.
 */
export async function loadStockSeries(
  ctx: QueryContext,
  options: LoadStockSeriesOptions,
): Promise<StockSeries[]> {
  const sqlParams = new SqlParams();
  const { dialect } = ctx;
  const project = sqlParams.shared(ctx.projectId);
  const snapFrom = dialect.instant(sqlParams.add(new Date(options.snapshotsFrom).toISOString()));
  const to = dialect.instant(sqlParams.add(new Date(ctx.to).toISOString()));
  const columns = 'product_id, warehouse, snapshot_time, on_hand, in_transit';
  const items = openSource('order_items', ctx, sqlParams);
  const itemTime = dialect.epochMs(items.time);
  const itemWhere = [
    ...scopeConditions(ctx, items, sqlParams, {
      range: { from: options.salesFrom, to: ctx.to },
    }),
    `io.status = 'paid'`,
  ];
  const sql =
    // The window, plus each warehouse's latest count before it as the starting level.
    `WITH kept AS (SELECT ${columns} FROM inventory_snapshots WHERE project_id = ${project} ` +
    `AND snapshot_time >= ${snapFrom} AND snapshot_time < ${to} ` +
    `UNION ALL SELECT ${columns} FROM (SELECT ${columns}, row_number() OVER (PARTITION BY ` +
    `product_id, warehouse ORDER BY snapshot_time DESC) AS r FROM inventory_snapshots ` +
    `WHERE project_id = ${project} AND snapshot_time < ${snapFrom}) b WHERE r = 1), ` +
    `ws AS (SELECT *, row_number() OVER (PARTITION BY product_id, warehouse ` +
    `ORDER BY snapshot_time) AS n FROM kept), ` +
    // A warehouse's change since its previous count; summed and accumulated per product, that is
    // the product's total at every snapshot time.
    `deltas AS (SELECT c.product_id, c.snapshot_time, c.on_hand - coalesce(p.on_hand, 0) AS d_on, ` +
    `c.in_transit - coalesce(p.in_transit, 0) AS d_transit FROM ws c LEFT JOIN ws p ` +
    `ON p.product_id = c.product_id AND p.warehouse = c.warehouse AND p.n = c.n - 1), ` +
    `moves AS (SELECT product_id, snapshot_time, sum(d_on) AS d_on, sum(d_transit) AS d_transit ` +
    `FROM deltas GROUP BY product_id, snapshot_time), ` +
    `totals AS (SELECT product_id, ${dialect.epochMs('snapshot_time')} AS t, ` +
    `sum(d_on) OVER (PARTITION BY product_id ORDER BY snapshot_time ROWS UNBOUNDED PRECEDING) ` +
    `AS on_hand, sum(d_transit) OVER (PARTITION BY product_id ORDER BY snapshot_time ROWS ` +
    `UNBOUNDED PRECEDING) AS in_transit FROM moves), ` +
    // Counts and sales in one stream by time: a sale at a count's exact time is before the count.
    `marks AS (SELECT product_id, t, 1 AS ord, 0 AS units FROM totals UNION ALL ` +
    `SELECT i.product_id, ${itemTime} AS t, 0 AS ord, i.quantity AS units FROM ${items.from()} ` +
    `WHERE ${itemWhere.join(' AND ')} AND i.product_id IN (SELECT product_id FROM totals)), ` +
    `cum AS (SELECT product_id, t, ord, sum(units) OVER (PARTITION BY product_id ORDER BY t, ord ` +
    `ROWS UNBOUNDED PRECEDING) AS sold_cum FROM marks) ` +
    `SELECT tt.product_id, tt.t, tt.on_hand, tt.in_transit, c.sold_cum, p.name, p.cost ` +
    `FROM totals tt JOIN cum c ON c.product_id = tt.product_id AND c.t = tt.t AND c.ord = 1 ` +
    `LEFT JOIN products p ON p.project_id = ${project} AND p.product_id = tt.product_id ` +
    `ORDER BY tt.product_id, tt.t`;
  const rows = await runQuery(ctx, sql, sqlParams.values);
  const series: StockSeries[] = [];
  let current: StockSeries | undefined;
  for (const row of rows) {
    const productId = String(row.product_id);
    if (current?.productId !== productId) {
      current = {
        productId,
        name: toTextOrNull(row.name),
        unitCost: toNumberOrNull(row.cost),
        points: [],
      };
      series.push(current);
    }
    current.points.push({
      t: Number(row.t),
      onHand: Number(row.on_hand),
      inTransit: Number(row.in_transit),
      soldCum: Number(row.sold_cum ?? 0),
    });
  }
  return series;
}
