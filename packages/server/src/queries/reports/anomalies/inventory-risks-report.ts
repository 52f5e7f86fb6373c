import { z } from 'zod';
import { scopeConditions } from '../../context/scope-conditions.ts';
import { openSource } from '../../context/sources.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { defineReport } from '../define-report.ts';
import { DAY_MS, toNumberOrNull, toTextOrNull } from './order-facts-sql.ts';

export const inventoryRisksParams = z.object({
  salesDays: z
    .number()
    .int()
    .min(1)
    .max(366)
    .default(14)
    .describe('Average daily units sold are taken over these days before the end of the range'),
  defaultLeadTimeDays: z
    .number()
    .min(0)
    .max(366)
    .default(7)
    .describe('Lead time of products whose snapshot has no lead_time_days'),
  slowMoverDays: z
    .number()
    .int()
    .min(1)
    .max(3660)
    .default(30)
    .describe('In stock, stocked at least this long and no paid sale in these days'),
  limit: z.number().int().min(1).max(10_000).default(500),
});
export type InventoryRisksParams = z.infer<typeof inventoryRisksParams>;

const productSchema = z.object({
  productId: z.string(),
  name: z.string().nullable(),
  snapshotAt: z.string().describe('Latest snapshot before the end of the range'),
  onHand: z.number().describe('Summed over warehouses'),
  reserved: z.number(),
  inTransit: z.number(),
  available: z.number().describe('onHand − reserved + inTransit'),
  leadTimeDays: z.number(),
  leadTimeDefaulted: z.boolean().describe('No lead_time_days in the snapshot: the default used'),
  avgDailyUnits: z.number(),
  leadTimeNeed: z.number().describe('avgDailyUnits × leadTimeDays'),
  lastSoldAt: z.string().nullable(),
  stockedSince: z.string().describe('First snapshot of the product'),
});
const inventoryRisksResult = z.object({
  salesDays: z.number(),
  slowMoverDays: z.number(),
  lowStock: z.array(productSchema).describe('available < leadTimeNeed'),
  slowMovers: z.array(productSchema),
});
export type InventoryRisksResult = z.infer<typeof inventoryRisksResult>;
export type InventoryRisk = z.infer<typeof productSchema>;

export const inventoryRisksReport = defineReport({
  id: 'anomaly_inventory_risks',
  summary: 'Products about to run out within their lead time, and slow movers',
  description:
    'From each product’s latest inventory snapshot before the end of the range (summed over ' +
    'warehouses): low stock when on hand − reserved + in transit is below the average daily ' +
    'paid units of the salesDays before × the lead time (lead_time_days, else ' +
    'defaultLeadTimeDays); slow movers when on hand > 0, first stocked at least slowMoverDays ' +
    'ago and without a paid sale in those days. The input of the inventory detectors.',
  params: inventoryRisksParams,
  result: inventoryRisksResult,
  defaultGranularity: 'all',
  async run(ctx, params): Promise<InventoryRisksResult> {
    const sqlParams = new SqlParams();
    const { dialect } = ctx;
    const project = sqlParams.shared(ctx.projectId);
    const to = dialect.instant(sqlParams.add(new Date(ctx.to).toISOString()));
    const items = openSource('order_items', ctx, sqlParams);
    const itemTime = dialect.epochMs(items.time);
    const itemWhere = [
      ...scopeConditions(ctx, items, sqlParams, { range: null }),
      `io.status = 'paid'`,
    ];
    const salesFrom = sqlParams.add(ctx.to - params.salesDays * DAY_MS);
    const toMs = sqlParams.add(ctx.to);
    const sql =
      `WITH snaps AS (SELECT * FROM inventory_snapshots WHERE project_id = ${project} ` +
      `AND snapshot_time < ${to}), ` +
      `latest AS (SELECT *, row_number() OVER (PARTITION BY product_id, warehouse ` +
      `ORDER BY snapshot_time DESC) AS n FROM snaps), ` +
      `stock AS (SELECT product_id, sum(on_hand) AS on_hand, sum(reserved) AS reserved, ` +
      `sum(in_transit) AS in_transit, max(lead_time_days) AS lead_time_days, ` +
      `max(${dialect.epochMs('snapshot_time')}) AS snapshot_t FROM latest WHERE n = 1 GROUP BY product_id), ` +
      `since AS (SELECT product_id, min(${dialect.epochMs('snapshot_time')}) AS stocked_t FROM snaps ` +
      `GROUP BY product_id), ` +
      `sales AS (SELECT i.product_id, sum(CASE WHEN ${itemTime} >= ${salesFrom} THEN i.quantity ` +
      `ELSE 0 END) AS units, max(${itemTime}) AS last_t FROM ${items.from()} ` +
      `WHERE ${itemWhere.join(' AND ')} AND ${itemTime} < ${toMs} GROUP BY i.product_id) ` +
      `SELECT s.*, si.stocked_t, coalesce(sa.units, 0) AS units, sa.last_t, p.name ` +
      `FROM stock s JOIN since si ON si.product_id = s.product_id ` +
      `LEFT JOIN sales sa ON sa.product_id = s.product_id ` +
      `LEFT JOIN products p ON p.project_id = ${project} AND p.product_id = s.product_id ` +
      `ORDER BY s.product_id`;
    const rows = await runQuery(ctx, sql, sqlParams.values);
    const products = rows.map((row): InventoryRisk => {
      const lead = toNumberOrNull(row.lead_time_days);
      const leadTimeDays = lead ?? params.defaultLeadTimeDays;
      const avgDailyUnits = Number(row.units) / params.salesDays;
      const onHand = Number(row.on_hand);
      const reserved = Number(row.reserved);
      const inTransit = Number(row.in_transit);
      const lastT = toNumberOrNull(row.last_t);
      return {
        productId: String(row.product_id),
        name: toTextOrNull(row.name),
        snapshotAt: new Date(Number(row.snapshot_t)).toISOString(),
        onHand,
        reserved,
        inTransit,
        available: onHand - reserved + inTransit,
        leadTimeDays,
        leadTimeDefaulted: lead === null,
        avgDailyUnits,
        leadTimeNeed: avgDailyUnits * leadTimeDays,
        lastSoldAt: lastT === null ? null : new Date(lastT).toISOString(),
        stockedSince: new Date(Number(row.stocked_t)).toISOString(),
      };
    });
    const slowSince = ctx.to - params.slowMoverDays * DAY_MS;
    return {
      salesDays: params.salesDays,
      slowMoverDays: params.slowMoverDays,
      lowStock: products
        .filter((p) => p.avgDailyUnits > 0 && p.available < p.leadTimeNeed)
        .slice(0, params.limit),
      slowMovers: products
        .filter(
          (p) =>
            p.onHand > 0 &&
            Date.parse(p.stockedSince) <= slowSince &&
            (p.lastSoldAt === null || Date.parse(p.lastSoldAt) < slowSince),
        )
        .slice(0, params.limit),
    };
  },
  toTable(result) {
    const columns = ['risk', 'product_id', 'name', 'available', 'lead_time_need', 'last_sold_at'];
    const row = (risk: string, p: InventoryRisk) => [
      risk,
      p.productId,
      p.name,
      p.available,
      p.leadTimeNeed,
      p.lastSoldAt,
    ];
    return {
      columns,
      rows: [
        ...result.lowStock.map((p) => row('low_stock', p)),
        ...result.slowMovers.map((p) => row('slow_mover', p)),
      ],
    };
  },
});
