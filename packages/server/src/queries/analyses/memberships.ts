import { zoneArg } from '../context/zone-arg.ts';
import { PAID_ORDER_CONDITIONS, type Condition } from '@sightline/shared';
import type { QueryContext } from '../context/query-context.ts';
import { metricCondition, scopeConditions } from '../context/scope-conditions.ts';
import { openSource } from '../context/sources.ts';
import { groupExpr } from '../series/aggregate-sql.ts';
import { layOut, type FormulaRun, type Series } from '../series/aggregate-series.ts';
import { runQuery } from '../sql/run-query.ts';
import { SqlParams } from '../sql/sql-params.ts';
import { firstRowSql } from './cohort-sql.ts';

const DAY_MS = 86_400_000;
const MEMBERSHIP: readonly Condition[] = [
  ...PAID_ORDER_CONDITIONS,
  { field: 'product_type', op: 'eq', value: 'membership' },
];

function getBucketExpr(
  ctx: QueryContext,
  sql: SqlParams,
  run: FormulaRun,
  instant: string,
): string {
  return run.granularity === 'all'
    ? `${sql.add(ctx.from)}::BIGINT`
    : ctx.dialect.epochMs(ctx.dialect.bucketStart(run.granularity, instant, zoneArg(ctx, sql)));
}

/**
 * Membership purchase rate: people whose first paid membership order ever is in the bucket /
 * people whose first paid order ever (any product) is in the bucket. Not a share of one group
 * in another: a member who first paid for goods earlier is in the numerator only. No new paying
 * people: null.
 */
export async function computeMembershipPurchaseRate(
  ctx: QueryContext,
  _p: unknown,
  run: FormulaRun,
): Promise<Series> {
  const sql = new SqlParams();
  const range = { from: ctx.from, to: ctx.to };
  const options = { range, groupBy: run.groupBy };
  const members = firstRowSql(ctx, sql, 'orders', MEMBERSHIP, options);
  const payers = firstRowSql(ctx, sql, 'orders', PAID_ORDER_CONDITIONS, options);
  const bucket = getBucketExpr(ctx, sql, run, 'entered');
  const query =
    `WITH m AS (SELECT ${bucket} AS bucket, grp, count(*) AS n FROM (${members}) x GROUP BY ALL), ` +
    `p AS (SELECT ${bucket} AS bucket, grp, count(*) AS n FROM (${payers}) y GROUP BY ALL) ` +
    `SELECT p.bucket AS bucket, p.grp AS grp, coalesce(m.n, 0) / p.n AS value FROM p LEFT JOIN m ` +
    `ON m.bucket = p.bucket AND m.grp IS NOT DISTINCT FROM p.grp`;
  return layOut(run, await runQuery(ctx, query, sql.values), null);
}

/**
 * Membership renewal rate. A paid membership order expires at its payment time + period_days
 * × 24 h (period_days: a prop of its order_completed event; orders without it have no known
 * expiry and are left out). People with a membership expiring in the bucket whose grace period
 * (expiry + graceDays) has ended by now are due; a due person renewed when another membership
 * order of theirs was paid after the expiring one and before expiry + graceDays. Rate = renewed
 * people / due people; none due: null. The breakdown is the expiring order's.
 */
export async function computeRenewalRate(
  ctx: QueryContext,
  params: Readonly<Record<string, number>>,
  run: FormulaRun,
): Promise<Series> {
  const graceMs = (params.graceDays ?? 7) * DAY_MS;
  const { dialect } = ctx;
  const sql = new SqlParams();
  const orders = openSource('orders', ctx, sql);
  const person = orders.person;
  const group = groupExpr(orders, run.groupBy, sql);
  const orderWhere = [
    ...scopeConditions(ctx, orders, sql, { range: null }),
    ...MEMBERSHIP.map((c) => metricCondition(c, orders, sql, dialect)),
    `${person} IS NOT NULL`,
  ];
  const events = openSource('events', ctx, sql);
  const eventWhere = [
    ...scopeConditions(ctx, events, sql, { range: null }),
    metricCondition({ field: 'name', op: 'eq', value: 'order_completed' }, events, sql, dialect),
  ];
  const orderId = dialect.jsonText('e.props', 'order_id');
  const grace = sql.add(graceMs);
  const expiry = dialect.fromEpochMs('d.exp_ms');
  const query =
    `WITH m AS (SELECT o.order_id AS id, ${person} AS who, ${dialect.epochMs(orders.time)} AS paid_ms, ` +
    `${group} AS grp FROM ${orders.from()} WHERE ${orderWhere.join(' AND ')}), ` +
    `pd AS (SELECT ${orderId} AS id, max(${dialect.jsonNumber('e.props', 'period_days')}) AS days ` +
    `FROM ${events.from()} WHERE ${eventWhere.join(' AND ')} GROUP BY 1), ` +
    `d AS (SELECT m.*, m.paid_ms + CAST(pd.days * ${DAY_MS} AS BIGINT) AS exp_ms FROM m ` +
    `JOIN pd ON pd.id = m.id WHERE pd.days > 0), ` +
    `due AS (SELECT d.*, EXISTS (SELECT 1 FROM m r WHERE r.who = d.who AND r.id <> d.id ` +
    `AND (r.paid_ms > d.paid_ms OR (r.paid_ms = d.paid_ms AND r.id > d.id)) ` +
    `AND r.paid_ms < d.exp_ms + ${grace}) AS renewed FROM d ` +
    `WHERE d.exp_ms >= ${sql.add(ctx.from)} AND d.exp_ms < ${sql.add(ctx.to)} ` +
    `AND d.exp_ms + ${grace} <= ${sql.add(ctx.now)}) ` +
    `SELECT ${getBucketExpr(ctx, sql, run, expiry)} AS bucket, d.grp AS grp, ` +
    `${dialect.countDistinct('CASE WHEN d.renewed THEN d.who END')} / ` +
    `${dialect.countDistinct('d.who')} AS value FROM due d GROUP BY ALL`;
  return layOut(run, await runQuery(ctx, query, sql.values), null);
}
