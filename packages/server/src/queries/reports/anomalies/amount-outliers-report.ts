import { z } from 'zod';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { defineReport } from '../define-report.ts';
import { DAY_MS, MAD_SCALE, orderFactsSql, toTextOrNull } from './order-facts-sql.ts';

export const amountOutliersParams = z.object({
  zThreshold: z
    .number()
    .min(0)
    .max(1000)
    .default(10)
    // Order amounts are right-skewed: at 5 the demo's ordinary big baskets are flagged too.
    .describe('Flag paid orders whose robust z of the pay amount is above this'),
  historyDays: z
    .number()
    .int()
    .min(1)
    .max(366)
    .default(90)
    .describe('Days median and MAD are learnt from'),
  limit: z.number().int().min(1).max(1000).default(100),
});
export type AmountOutliersParams = z.infer<typeof amountOutliersParams>;

const outlierSchema = z.object({
  orderId: z.string(),
  account: z.string().nullable(),
  paidAt: z.string(),
  payAmount: z.number(),
  robustZ: z.number(),
  ipHash: z.string().nullable(),
  deviceId: z.string().nullable(),
});
const amountOutliersResult = z.object({
  historyDays: z.number(),
  zThreshold: z.number(),
  median: z.number().nullable().describe('Median paid order amount of the history window'),
  mad: z.number().nullable().describe('Median absolute deviation; no outliers when 0'),
  orders: z.array(outlierSchema),
});
export type AmountOutliersResult = z.infer<typeof amountOutliersResult>;

export const amountOutliersReport = defineReport({
  id: 'anomaly_amount_outliers',
  summary: 'Paid orders far above the usual amount (robust z-score)',
  description:
    'Paid orders in the range with robust z = ' +
    `${MAD_SCALE} × (pay amount − median) / MAD above zThreshold, median and MAD taken over the ` +
    'paid orders of the historyDays before the end of the range. Only high amounts are flagged. ' +
    'The input of the amount_outlier detector.',
  params: amountOutliersParams,
  result: amountOutliersResult,
  defaultGranularity: 'all',
  async run(ctx, params): Promise<AmountOutliersResult> {
    const sqlParams = new SqlParams();
    const history = { from: ctx.to - params.historyDays * DAY_MS, to: ctx.to };
    const targets = orderFactsSql(ctx, sqlParams, { paidOnly: true });
    const recent = orderFactsSql(ctx, sqlParams, { range: history, paidOnly: true });
    const median = ctx.dialect.quantile('pay_amount', 0.5);
    const threshold = sqlParams.add(params.zThreshold);
    const statsSql =
      `WITH h AS (${recent}), m AS (SELECT ${median} AS median FROM h) ` +
      `SELECT m.median, (SELECT ${ctx.dialect.quantile('abs(h.pay_amount - m.median)', 0.5)} ` +
      `FROM h) AS mad FROM m`;
    const sql =
      `WITH stats AS (${statsSql}), scored AS (SELECT tg.*, ${MAD_SCALE} * ` +
      `(tg.pay_amount - stats.median) / stats.mad AS z FROM (${targets}) tg CROSS JOIN stats ` +
      `WHERE stats.mad > 0) SELECT * FROM scored WHERE z > ${threshold} ` +
      `ORDER BY t DESC, order_id LIMIT ${params.limit}`;
    const [rows, statsRows] = await Promise.all([
      runQuery(ctx, sql, sqlParams.values),
      runQuery(ctx, statsSql, sqlParams.values),
    ]);
    const stats = statsRows[0];
    const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
    return {
      historyDays: params.historyDays,
      zThreshold: params.zThreshold,
      median: num(stats?.median),
      mad: num(stats?.mad),
      orders: rows.map((row) => ({
        orderId: String(row.order_id),
        account: toTextOrNull(row.account),
        paidAt: new Date(Number(row.t)).toISOString(),
        payAmount: Number(row.pay_amount),
        robustZ: Number(row.z),
        ipHash: toTextOrNull(row.ip_hash),
        deviceId: toTextOrNull(row.device_id),
      })),
    };
  },
  toTable(result) {
    return {
      columns: ['order_id', 'account', 'paid_at', 'pay_amount', 'robust_z'],
      rows: result.orders.map((o) => [o.orderId, o.account, o.paidAt, o.payAmount, o.robustZ]),
    };
  },
});
