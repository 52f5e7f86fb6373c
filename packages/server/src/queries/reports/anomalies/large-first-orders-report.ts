import { z } from 'zod';
import { openSource } from '../../context/sources.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { defineReport } from '../define-report.ts';
import { DAY_MS, orderFactsSql, toTextOrNull } from './order-facts-sql.ts';

const HOUR_MS = 3_600_000;

export const largeFirstOrdersParams = z.object({
  multiple: z
    .number()
    .min(1)
    .max(10_000)
    .default(30)
    .describe('Flag first orders of at least this many times the typical (median) paid order'),
  newAccountHours: z
    .number()
    .min(0)
    .max(24 * 365)
    .default(24)
    .describe('The account was first seen at most this many hours before its first order'),
  historyDays: z
    .number()
    .int()
    .min(1)
    .max(366)
    .default(90)
    .describe('Days the median is learnt from'),
  limit: z.number().int().min(1).max(1000).default(100),
});
export type LargeFirstOrdersParams = z.infer<typeof largeFirstOrdersParams>;

const firstOrderSchema = z.object({
  orderId: z.string(),
  account: z.string(),
  paidAt: z.string(),
  payAmount: z.number(),
  firstSeenAt: z.string().describe('First event or order of the account'),
  accountAgeMinutes: z.number().describe('From first seen to this order'),
  typicalAmount: z.number().describe('Median paid order amount of the history window'),
  multiple: z.number().describe('payAmount / typicalAmount'),
  ipHash: z.string().nullable(),
  deviceId: z.string().nullable(),
});
const largeFirstOrdersResult = z.object({
  typicalAmount: z.number().nullable().describe('null when the history has no paid order'),
  threshold: z.number().nullable().describe('multiple × typicalAmount'),
  orders: z.array(firstOrderSchema),
});
export type LargeFirstOrdersResult = z.infer<typeof largeFirstOrdersResult>;

export const largeFirstOrdersReport = defineReport({
  id: 'anomaly_large_first_orders',
  summary: 'New accounts whose first paid order is unusually large',
  description:
    'Paid orders in the range that are their account’s first paid order ever, placed at most ' +
    'newAccountHours after the account was first seen (its first event or order), for at least ' +
    'multiple × the median paid order amount of the historyDays before the end of the range. ' +
    'The input of the large_first_order detector.',
  params: largeFirstOrdersParams,
  result: largeFirstOrdersResult,
  defaultGranularity: 'all',
  async run(ctx, params): Promise<LargeFirstOrdersResult> {
    const sqlParams = new SqlParams();
    const history = { from: ctx.to - params.historyDays * DAY_MS, to: ctx.to };
    const allPaid = orderFactsSql(ctx, sqlParams, { range: null, paidOnly: true });
    const recent = orderFactsSql(ctx, sqlParams, { range: history, paidOnly: true });
    const events = openSource('events', ctx, sqlParams);
    const person = events.person;
    const seenSql =
      `SELECT ${person} AS account, min(${ctx.dialect.epochMs(events.time)}) AS first_seen ` +
      `FROM ${events.from()} WHERE ${events.alias}.project_id = ${sqlParams.shared(ctx.projectId)} ` +
      `AND ${person} IN (SELECT account FROM candidates) GROUP BY 1`;
    const from = sqlParams.add(ctx.from);
    const to = sqlParams.add(ctx.to);
    const newAccountMs = sqlParams.add(Math.round(params.newAccountHours * HOUR_MS));
    const multiple = sqlParams.add(params.multiple);
    const sql =
      `WITH paid AS (${allPaid}), ranked AS (SELECT *, row_number() OVER ` +
      `(PARTITION BY account ORDER BY t, order_id) AS n FROM paid WHERE account IS NOT NULL), ` +
      `candidates AS (SELECT * FROM ranked WHERE n = 1 AND t >= ${from} AND t < ${to}), ` +
      `typical AS (SELECT ${ctx.dialect.quantile('pay_amount', 0.5)} AS median FROM (${recent}) r), ` +
      `seen AS (${seenSql}) ` +
      `SELECT c.order_id, c.account, c.t, c.pay_amount, c.ip_hash, c.device_id, ty.median, ` +
      `least(coalesce(s.first_seen, c.t), c.t) AS first_seen FROM candidates c CROSS JOIN typical ty ` +
      `LEFT JOIN seen s ON s.account = c.account ` +
      `WHERE ty.median > 0 AND c.pay_amount >= ${multiple} * ty.median ` +
      `AND c.t - least(coalesce(s.first_seen, c.t), c.t) <= ${newAccountMs} ` +
      `ORDER BY c.t DESC, c.order_id LIMIT ${params.limit}`;
    const typicalSql = `SELECT ${ctx.dialect.quantile('pay_amount', 0.5)} AS median FROM (${recent}) r`;
    const [rows, typicalRows] = await Promise.all([
      runQuery(ctx, sql, sqlParams.values),
      runQuery(ctx, typicalSql, sqlParams.values),
    ]);
    const median = typicalRows[0]?.median;
    const typicalAmount = median === null || median === undefined ? null : Number(median);
    return {
      typicalAmount,
      threshold: typicalAmount === null ? null : typicalAmount * params.multiple,
      orders: rows.map((row) => {
        const t = Number(row.t);
        const firstSeen = Number(row.first_seen);
        const typical = Number(row.median);
        return {
          orderId: String(row.order_id),
          account: String(row.account),
          paidAt: new Date(t).toISOString(),
          payAmount: Number(row.pay_amount),
          firstSeenAt: new Date(firstSeen).toISOString(),
          accountAgeMinutes: Math.round((t - firstSeen) / 60_000),
          typicalAmount: typical,
          multiple: Number(row.pay_amount) / typical,
          ipHash: toTextOrNull(row.ip_hash),
          deviceId: toTextOrNull(row.device_id),
        };
      }),
    };
  },
  toTable(result) {
    const columns = ['order_id', 'account', 'paid_at', 'pay_amount', 'first_seen_at', 'multiple'];
    return {
      columns,
      rows: result.orders.map((o) => [
        o.orderId,
        o.account,
        o.paidAt,
        o.payAmount,
        o.firstSeenAt,
        o.multiple,
      ]),
    };
  },
});
