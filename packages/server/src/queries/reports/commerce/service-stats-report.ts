import { ERR_QUERY_DIMENSION_UNSUPPORTED, isSightlineError } from '@sightline/shared';
import { z } from 'zod';
import { addLocalDays, startOfLocalDate, toLocalDate } from '../../../platform/index.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { listBuckets } from '../../series/buckets.ts';
import { defineReport } from '../define-report.ts';
import { formatBucket } from '../format-bucket.ts';
import {
  CUSTOMER_DIMENSIONS,
  fetchActiveCustomers,
  fetchCustomerBreakdowns,
  fetchCustomerGrowth,
  fetchOrderFigures,
  fetchRecordBreakdowns,
  RECORD_DIMENSIONS,
  type KeyCount,
} from './service-stats-sql.ts';

export const serviceStatsParams = z.object({
  activeDays: z
    .number()
    .int()
    .min(1)
    .max(365)
    .default(30)
    .describe('A customer is active with a service record in this many days before the range end'),
});
export type ServiceStatsParams = z.infer<typeof serviceStatsParams>;

const customerRow = z.object({
  key: z.string().nullable(),
  total: z.number().describe('Customers created by the end of the range'),
  new: z.number().describe('Customers created in the range'),
});
const countRow = z.object({ key: z.string().nullable(), count: z.number(), share: z.number() });
const revenueRow = z.object({
  key: z.string().nullable(),
  orders: z.number(),
  revenue: z.number(),
  share: z.number().nullable().describe('Share of revenue'),
});
const serviceStatsResult = z.object({
  buckets: z.array(z.object({ start: z.string(), label: z.string() })),
  customers: z
    .object({
      total: z.number(),
      new: z.number(),
      active: z.number(),
      activeDays: z.number(),
      activeFrom: z.string(),
      newByBucket: z.array(z.number()),
      totalByBucket: z.array(z.number()).describe('Customers by the end of each bucket'),
      breakdowns: z.record(z.enum(CUSTOMER_DIMENSIONS), z.array(customerRow)),
    })
    .nullable()
    .describe('null when a filter has no counterpart on events'),
  serviceRecords: z
    .object({
      total: z.number(),
      breakdowns: z.record(z.enum(RECORD_DIMENSIONS), z.array(countRow)),
    })
    .nullable(),
  orders: z
    .object({
      total: z.number(),
      byStatus: z.array(countRow),
      paidOrders: z.number(),
      revenue: z.number(),
      revenueByProductType: z.array(revenueRow),
      paidOrdersByBucket: z.array(z.number()),
      revenueByBucket: z.array(z.number()),
    })
    .nullable()
    .describe('null when a filter has no counterpart on orders (industry, priority …)'),
});
export type ServiceStatsResult = z.infer<typeof serviceStatsResult>;

/** The activeDays local days before the end of the range (same wall-clock time). */
export function activeWindow(
  ctx: Pick<QueryContext, 'to' | 'timeZone'>,
  days: number,
): { from: number; to: number } {
  const day = toLocalDate(ctx.to, ctx.timeZone);
  const intoDay = ctx.to - startOfLocalDate(day, ctx.timeZone);
  return { from: startOfLocalDate(addLocalDays(day, -days), ctx.timeZone) + intoDay, to: ctx.to };
}

/** A section whose filters cannot apply to its source is left out rather than unfiltered. */
async function unlessUnsupported<T>(compute: () => Promise<T>): Promise<T | null> {
  try {
    return await compute();
  } catch (error) {
    if (isSightlineError(error) && error.code === ERR_QUERY_DIMENSION_UNSUPPORTED.code) return null;
    throw error;
  }
}

const byCountThenKey = <T extends { key: string | null }>(count: (row: T) => number) => {
  return (a: T, b: T) =>
    count(b) - count(a) ||
    (a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1);
};

function groupRows(rows: readonly KeyCount[], dim: string): KeyCount[] {
  return rows.filter((row) => row.dim === dim);
}

async function computeCustomers(ctx: QueryContext, days: number, buckets: readonly number[]) {
  const [breakdownRows, growth] = await Promise.all([
    fetchCustomerBreakdowns(ctx),
    fetchCustomerGrowth(ctx, ctx.granularity),
  ]);
  const window = activeWindow(ctx, days);
  const active = await fetchActiveCustomers(ctx, window);
  const typeRows = groupRows(breakdownRows, 'customer_type');
  const newByBucket = buckets.map((start) => growth.byBucket.get(start) ?? 0);
  let running = growth.before;
  const totalByBucket = newByBucket.map((n) => (running += n));
  const breakdowns = Object.fromEntries(
    CUSTOMER_DIMENSIONS.map((dim) => [
      dim,
      groupRows(breakdownRows, dim)
        .map((row) => ({ key: row.key, total: row.total, new: row.fresh }))
        .sort(byCountThenKey((row) => row.total)),
    ]),
  ) as Record<(typeof CUSTOMER_DIMENSIONS)[number], z.infer<typeof customerRow>[]>;
  return {
    total: typeRows.reduce((sum, row) => sum + row.total, 0),
    new: typeRows.reduce((sum, row) => sum + row.fresh, 0),
    active,
    activeDays: days,
    activeFrom: new Date(window.from).toISOString(),
    newByBucket,
    totalByBucket,
    breakdowns,
  };
}

async function computeRecords(ctx: QueryContext) {
  const rows = await fetchRecordBreakdowns(ctx);
  const total = groupRows(rows, 'status').reduce((sum, row) => sum + row.total, 0);
  const breakdowns = Object.fromEntries(
    RECORD_DIMENSIONS.map((dim) => [
      dim,
      groupRows(rows, dim)
        .map((row) => ({ key: row.key, count: row.total, share: row.total / total }))
        .sort(byCountThenKey((row) => row.count)),
    ]),
  ) as Record<(typeof RECORD_DIMENSIONS)[number], z.infer<typeof countRow>[]>;
  return { total, breakdowns };
}

async function computeOrders(ctx: QueryContext, buckets: readonly number[]) {
  const rows = await fetchOrderFigures(ctx, ctx.granularity);
  const status = rows.filter((row) => row.kind === 'status');
  const types = rows.filter((row) => row.kind === 'product_type');
  const perBucket = new Map(
    rows.filter((row) => row.kind === 'bucket').map((row) => [row.bucket, row]),
  );
  const total = status.reduce((sum, row) => sum + row.count, 0);
  const revenue = types.reduce((sum, row) => sum + row.revenue, 0);
  return {
    total,
    byStatus: status
      .map((row) => ({ key: row.key, count: row.count, share: row.count / total }))
      .sort(byCountThenKey((row) => row.count)),
    paidOrders: types.reduce((sum, row) => sum + row.count, 0),
    revenue,
    revenueByProductType: types
      .map((row) => ({
        key: row.key,
        orders: row.count,
        revenue: row.revenue,
        share: revenue === 0 ? null : row.revenue / revenue,
      }))
      .sort(byCountThenKey((row) => row.revenue)),
    paidOrdersByBucket: buckets.map((start) => perBucket.get(start)?.count ?? 0),
    revenueByBucket: buckets.map((start) => perBucket.get(start)?.revenue ?? 0),
  };
}

export const serviceStatsReport = defineReport({
  id: 'service_stats',
  summary: 'Customers, service records and orders of a B-end service business',
  description:
    'From customer_created and service_record events and the orders table (seed 003 §3.1): ' +
    'customers in total and new, by type, source, channel, region, industry and size, growth per ' +
    'bucket, active customers (a service record in the last activeDays days); service records by ' +
    'the status, priority, assignee and service type of their latest event in the range; orders ' +
    'by status and paid revenue by product type.',
  params: serviceStatsParams,
  result: serviceStatsResult,
  defaultGranularity: 'day',
  async run(ctx, params): Promise<ServiceStatsResult> {
    const buckets = await listBuckets(ctx, ctx.granularity);
    const customers = await unlessUnsupported(() =>
      computeCustomers(ctx, params.activeDays, buckets),
    );
    const serviceRecords = await unlessUnsupported(() => computeRecords(ctx));
    const orders = await unlessUnsupported(() => computeOrders(ctx, buckets));
    return {
      buckets: buckets.map((start) => ({
        start: new Date(start).toISOString(),
        label: formatBucket(start, ctx.timeZone, ctx.granularity),
      })),
      customers,
      serviceRecords,
      orders,
    };
  },
  toTable(result) {
    const rows: Array<Array<string | number | null>> = [];
    const add = (
      section: string,
      group: string,
      key: string | null,
      metric: string,
      value: number | null,
    ) => rows.push([section, group, key ?? '(none)', metric, value]);
    const c = result.customers;
    if (c) {
      add('customers', 'all', null, 'total', c.total);
      add('customers', 'all', null, 'new', c.new);
      add('customers', 'all', null, 'active', c.active);
      for (const [dim, list] of Object.entries(c.breakdowns))
        for (const row of list) {
          add('customers', dim, row.key, 'total', row.total);
          add('customers', dim, row.key, 'new', row.new);
        }
      result.buckets.forEach((bucket, i) => {
        add('customers', 'bucket', bucket.label, 'new', c.newByBucket[i] ?? 0);
        add('customers', 'bucket', bucket.label, 'total', c.totalByBucket[i] ?? 0);
      });
    }
    const s = result.serviceRecords;
    if (s) {
      add('service_records', 'all', null, 'records', s.total);
      for (const [dim, list] of Object.entries(s.breakdowns))
        for (const row of list) add('service_records', dim, row.key, 'records', row.count);
    }
    const o = result.orders;
    if (o) {
      for (const row of o.byStatus) add('orders', 'status', row.key, 'orders', row.count);
      for (const row of o.revenueByProductType) {
        add('orders', 'product_type', row.key, 'paid_orders', row.orders);
        add('orders', 'product_type', row.key, 'revenue', row.revenue);
      }
      result.buckets.forEach((bucket, i) => {
        add('orders', 'bucket', bucket.label, 'paid_orders', o.paidOrdersByBucket[i] ?? 0);
        add('orders', 'bucket', bucket.label, 'revenue', o.revenueByBucket[i] ?? 0);
      });
    }
    return { columns: ['section', 'group', 'key', 'metric', 'value'], rows };
  },
});
