import { z } from 'zod';
import type { QueryContext } from '../../context/query-context.ts';
import { metricCondition, scopeConditions } from '../../context/scope-conditions.ts';
import { openSource } from '../../context/sources.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { defineReport } from '../define-report.ts';
import { AGENT_ORDERS } from './agent-leaderboard-report.ts';

/** How far back an agent's usual commission ratio is learnt from. */
export const HISTORY_DAYS = 90;
const HISTORY_MS = HISTORY_DAYS * 86_400_000;
/** 0.6745 is the 75th percentile of the standard normal: it scales the MAD to a σ estimate. */
export const MAD_SCALE = 0.6745;
/** |robust z| above this is outside the agent's normal range (Iglewicz and Hoaglin). */
export const Z_THRESHOLD = 3.5;

export const commissionAnomaliesParams = z.object({
  flaggedOnly: z.boolean().default(false).describe('Only orders with at least one flag'),
  limit: z.number().int().min(1).max(10_000).default(1000).describe('Orders listed, newest first'),
});
export type CommissionAnomaliesParams = z.infer<typeof commissionAnomaliesParams>;

const orderSchema = z.object({
  orderId: z.string(),
  agentId: z.string(),
  buyerId: z.string().nullable().describe('The buyer (identity-merged)'),
  paidAt: z.string(),
  payAmount: z.number(),
  commissionAmount: z.number().nullable(),
  commissionRatio: z.number().nullable().describe('commission / pay amount'),
  agentMedianRatio: z
    .number()
    .nullable()
    .describe(`Median ratio of the agent's paid orders in the ${HISTORY_DAYS} days before`),
  agentRatioMad: z.number().nullable().describe('Median absolute deviation of those ratios'),
  historyOrders: z.number().describe('Orders the median and MAD were computed from'),
  robustZ: z
    .number()
    .nullable()
    .describe(`${MAD_SCALE} × (ratio − median) / MAD; null when MAD is 0 or unknown`),
  costAmount: z.number().nullable(),
  margin: z
    .number()
    .nullable()
    .describe('pay − cost − commission; null when cost or commission is unknown'),
  negativeMargin: z.boolean(),
  buyerIsAgent: z.boolean(),
  ratioOutlier: z.boolean().describe(`|robustZ| > ${Z_THRESHOLD}`),
  flagged: z.boolean().describe('Any of the three flags'),
});
const commissionAnomaliesResult = z.object({
  historyDays: z.number(),
  zThreshold: z.number(),
  orderCount: z.number().describe('Orders matching (before limit)'),
  truncated: z.boolean(),
  orders: z.array(orderSchema),
});
export type CommissionAnomaliesResult = z.infer<typeof commissionAnomaliesResult>;

/** Agent orders of the range (targets) and of the range plus the history window before it. */
function agentOrdersSql(
  ctx: QueryContext,
  params: SqlParams,
  range: { from: number; to: number } | undefined,
): string {
  const { dialect } = ctx;
  const source = openSource('orders', ctx, params);
  const a = source.alias;
  const person = source.person;
  const where = [
    ...scopeConditions(ctx, source, params, range ? { range } : {}),
    ...AGENT_ORDERS.map((c) => metricCondition(c, source, params, dialect)),
  ];
  return (
    `SELECT ${a}.order_id, ${a}.agent_id, ${person} AS buyer, ${dialect.epochMs(source.time)} AS t, ` +
    `${a}.pay_amount, ${a}.commission_amount, ${a}.cost_amount, CASE WHEN ${a}.pay_amount > 0 ` +
    `THEN CAST(${a}.commission_amount AS DOUBLE) / ${a}.pay_amount END AS ratio ` +
    `FROM ${source.from()} WHERE ${where.join(' AND ')}`
  );
}

export const commissionAnomaliesReport = defineReport({
  id: 'commission_anomalies_input',
  summary: 'Per agent order: commission ratio against the agent’s usual ratio, margin and flags',
  description:
    'Every order paid in the range with an agent_id: pay amount, commission and ratio, the ' +
    `median and MAD of the agent's ratios over the ${HISTORY_DAYS} days before the order, the ` +
    `robust z-score ${MAD_SCALE} × (ratio − median) / MAD, cost and margin, and flags: negative ` +
    `margin, buyer is the agent, |z| > ${Z_THRESHOLD}. The input of the commission alert detector.`,
  params: commissionAnomaliesParams,
  result: commissionAnomaliesResult,
  defaultGranularity: 'all',
  async run(ctx, params): Promise<CommissionAnomaliesResult> {
    const sqlParams = new SqlParams();
    const { dialect } = ctx;
    const targets = agentOrdersSql(ctx, sqlParams, undefined);
    const history = agentOrdersSql(ctx, sqlParams, { from: ctx.from - HISTORY_MS, to: ctx.to });
    const flagged = params.flaggedOnly ? 'WHERE flagged' : '';
    const sql =
      `WITH target AS (${targets}), hist AS (SELECT agent_id, t, ratio FROM (${history}) h ` +
      `WHERE ratio IS NOT NULL), ` +
      // The agent's orders strictly before each target order, within the window.
      `pairs AS (SELECT tg.order_id, h.ratio FROM target tg JOIN hist h ON h.agent_id = tg.agent_id ` +
      `AND h.t >= tg.t - ${HISTORY_MS} AND h.t < tg.t), ` +
      `med AS (SELECT order_id, ${dialect.quantile('ratio', 0.5)} AS median, count(*) AS n ` +
      `FROM pairs GROUP BY order_id), ` +
      `mad AS (SELECT p.order_id, ${dialect.quantile('abs(p.ratio - m.median)', 0.5)} AS mad ` +
      `FROM pairs p JOIN med m ON m.order_id = p.order_id GROUP BY p.order_id), ` +
      `scored AS (SELECT tg.*, m.median, coalesce(m.n, 0) AS n, d.mad, ` +
      `CASE WHEN d.mad > 0 THEN ${MAD_SCALE} * (tg.ratio - m.median) / d.mad END AS z, ` +
      `tg.pay_amount - tg.cost_amount - tg.commission_amount AS margin ` +
      `FROM target tg LEFT JOIN med m ON m.order_id = tg.order_id ` +
      `LEFT JOIN mad d ON d.order_id = tg.order_id), ` +
      `flags AS (SELECT *, coalesce(margin < 0, FALSE) AS negative_margin, ` +
      `coalesce(buyer = agent_id, FALSE) AS buyer_is_agent, ` +
      `coalesce(abs(z) > ${Z_THRESHOLD}, FALSE) AS ratio_outlier FROM scored), ` +
      `result_rows AS (SELECT *, negative_margin OR buyer_is_agent OR ratio_outlier AS flagged FROM flags) ` +
      `SELECT *, count(*) OVER () AS total FROM result_rows ${flagged} ` +
      `ORDER BY t DESC, order_id LIMIT ${params.limit}`;
    const rows = await runQuery(ctx, sql, sqlParams.values);
    const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
    const orderCount = Number(rows[0]?.total ?? 0);
    return {
      historyDays: HISTORY_DAYS,
      zThreshold: Z_THRESHOLD,
      orderCount,
      truncated: orderCount > rows.length,
      orders: rows.map((row) => ({
        orderId: String(row.order_id),
        agentId: String(row.agent_id),
        buyerId: typeof row.buyer === 'string' ? row.buyer : null,
        paidAt: new Date(Number(row.t)).toISOString(),
        payAmount: Number(row.pay_amount),
        commissionAmount: num(row.commission_amount),
        commissionRatio: num(row.ratio),
        agentMedianRatio: num(row.median),
        agentRatioMad: num(row.mad),
        historyOrders: Number(row.n),
        robustZ: num(row.z),
        costAmount: num(row.cost_amount),
        margin: num(row.margin),
        negativeMargin: row.negative_margin === true,
        buyerIsAgent: row.buyer_is_agent === true,
        ratioOutlier: row.ratio_outlier === true,
        flagged: row.flagged === true,
      })),
    };
  },
  toTable(result) {
    const columns = [
      'order_id',
      'agent_id',
      'buyer_id',
      'paid_at',
      'pay_amount',
      'commission_amount',
      'commission_ratio',
      'agent_median_ratio',
      'agent_ratio_mad',
      'history_orders',
      'robust_z',
      'cost_amount',
      'margin',
      'negative_margin',
      'buyer_is_agent',
      'ratio_outlier',
    ];
    return {
      columns,
      rows: result.orders.map((o) => [
        o.orderId,
        o.agentId,
        o.buyerId,
        o.paidAt,
        o.payAmount,
        o.commissionAmount,
        o.commissionRatio,
        o.agentMedianRatio,
        o.agentRatioMad,
        o.historyOrders,
        o.robustZ,
        o.costAmount,
        o.margin,
        o.negativeMargin,
        o.buyerIsAgent,
        o.ratioOutlier,
      ]),
    };
  },
});
