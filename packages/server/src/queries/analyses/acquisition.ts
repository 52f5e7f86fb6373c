import { zoneArg } from '../context/zone-arg.ts';
import { PAID_ORDER_CONDITIONS } from '@sightline/shared';
import type { QueryContext } from '../context/query-context.ts';
import { metricCondition, scopeConditions } from '../context/scope-conditions.ts';
import { openSource, type SourceQuery } from '../context/sources.ts';
import { groupExpr, type GroupBy } from '../series/aggregate-sql.ts';
import { layOut, type FormulaRun, type Series } from '../series/aggregate-series.ts';
import { runQuery } from '../sql/run-query.ts';
import { SqlParams } from '../sql/sql-params.ts';
import { firstEventsSql } from './first-seen.ts';

/*
 * Acquisition economics (seed 001 §1.2): spend from campaign_costs against the people each
 * channel or campaign brought. A person's acquisition channel and campaign are those of their
 * first valid event ever (first touch); filters and breakdowns apply to that first event.
 * Spend is not per person, so inside a segment neither has a value (rather than a CAC of 0).
 */

interface Cell {
  bucket: number;
  grp: string | null;
  value: number;
}

function bucketOf(ctx: QueryContext, params: SqlParams, run: FormulaRun, time: string): string {
  return run.granularity === 'all'
    ? `${params.add(ctx.from)}::BIGINT`
    : ctx.dialect.epochMs(ctx.dialect.bucketStart(run.granularity, time, zoneArg(ctx, params)));
}

/** The filter bar applies to the acquisition event and the spend, not to the orders. */
const withoutFilters = (ctx: QueryContext): QueryContext => Object.freeze({ ...ctx, filters: [] });

/** Person → acquisition group ('' counts as no value), for people whose first event passes the scope. */
function acquisitionSql(ctx: QueryContext, params: SqlParams, groupBy: GroupBy | null): string {
  const source = openSource('events', ctx, params, firstEventsSql(ctx, params));
  const group = groupExpr(source, groupBy, params);
  const where = scopeConditions(ctx, source, params, { range: null });
  return `SELECT e.first_person AS person, nullif(${group}, '') AS grp FROM ${source.from()} WHERE ${where.join(' AND ')}`;
}

/**
 * Orders (one row per bucket and person) joined to their buyer's acquisition. With a filter or
 * row scope only buyers whose first event passes it count; without one, buyers with no recorded
 * event at all are kept with no group.
 */
function joinAcquisition(
  ctx: QueryContext,
  params: SqlParams,
  groupBy: GroupBy | null,
  orders: string,
  value: string,
): string {
  const join = ctx.filters.length > 0 || ctx.rowScope.length > 0 ? 'JOIN' : 'LEFT JOIN';
  return (
    `SELECT p.bucket, a.grp, ${value} AS value FROM (${orders}) p ${join} ` +
    `(${acquisitionSql(ctx, params, groupBy)}) a ON a.person = p.person GROUP BY ALL`
  );
}

/** Each person's first paid order ever, as an orders row with its person in first_person. */
function firstPaidOrdersSql(ctx: QueryContext, params: SqlParams): string {
  const inner = openSource('orders', ctx, params);
  const person = inner.person;
  const where = [
    `o.project_id = ${params.shared(ctx.projectId)}`,
    ...PAID_ORDER_CONDITIONS.map((c) => metricCondition(c, inner, params, ctx.dialect)),
    `${person} IS NOT NULL`,
  ];
  return (
    `(SELECT o.*, ${person} AS first_person FROM ${inner.from()} WHERE ${where.join(' AND ')} ` +
    `QUALIFY row_number() OVER (PARTITION BY ${person} ORDER BY ${inner.time}, o.order_id) = 1)`
  );
}

/** New paying users per bucket and acquisition group: first paid order ever in the bucket. */
async function newPayingUsers(ctx: QueryContext, run: FormulaRun, groupBy: GroupBy | null) {
  const params = new SqlParams();
  const source = openSource('orders', ctx, params, firstPaidOrdersSql(ctx, params));
  const where = scopeConditions(withoutFilters(ctx), source, params);
  const orders =
    `SELECT ${bucketOf(ctx, params, run, source.time)} AS bucket, o.first_person AS person ` +
    `FROM ${source.from()} WHERE ${where.join(' AND ')}`;
  return cells(ctx, joinAcquisition(ctx, params, groupBy, orders, 'count(*)'), params);
}

/** GMV of paid orders in each bucket by acquisition group of the buyer. */
async function acquiredGmv(ctx: QueryContext, run: FormulaRun, groupBy: GroupBy | null) {
  const params = new SqlParams();
  const source = openSource('orders', ctx, params);
  const person = source.person;
  const where = [
    ...scopeConditions(withoutFilters(ctx), source, params),
    ...PAID_ORDER_CONDITIONS.map((c) => metricCondition(c, source, params, ctx.dialect)),
  ];
  const orders =
    `SELECT ${bucketOf(ctx, params, run, source.time)} AS bucket, ${person} AS person, ` +
    `o.pay_amount FROM ${source.from()} WHERE ${where.join(' AND ')}`;
  return cells(ctx, joinAcquisition(ctx, params, groupBy, orders, 'sum(p.pay_amount)'), params);
}

/** Entered spend per bucket (a day's spend at the start of that local day) and group. */
async function spend(ctx: QueryContext, run: FormulaRun, groupBy: GroupBy | null) {
  const params = new SqlParams();
  const source: SourceQuery = openSource('campaign_costs', ctx, params);
  const group = groupExpr(source, groupBy, params);
  const where = scopeConditions(ctx, source, params);
  return cells(
    ctx,
    `SELECT ${bucketOf(ctx, params, run, source.time)} AS bucket, nullif(${group}, '') AS grp, ` +
      `sum(c.cost) AS value FROM ${source.from()} WHERE ${where.join(' AND ')} GROUP BY ALL`,
    params,
  );
}

async function cells(ctx: QueryContext, sql: string, params: SqlParams): Promise<Cell[]> {
  const rows = await runQuery(ctx, sql, params.values);
  return rows.map((row) => ({
    bucket: Number(row.bucket),
    grp: typeof row.grp === 'string' ? row.grp : null,
    value: Number(row.value ?? 0),
  }));
}

const cellKey = (bucket: number, grp: string | null) => JSON.stringify([bucket, grp]);

/** Pairs two cell lists by bucket and group (missing values are 0). */
function pair(a: readonly Cell[], b: readonly Cell[]) {
  const out = new Map<string, { bucket: number; grp: string | null; a: number; b: number }>();
  const at = (cell: Cell) => {
    const key = cellKey(cell.bucket, cell.grp);
    let found = out.get(key);
    if (!found) out.set(key, (found = { bucket: cell.bucket, grp: cell.grp, a: 0, b: 0 }));
    return found;
  };
  for (const cell of a) at(cell).a += cell.value;
  for (const cell of b) at(cell).b += cell.value;
  return [...out.values()];
}

const CHANNEL: GroupBy = { dimension: 'channel' };

/**
 * The breakdown to group by. The series engine cannot rank an analysis's groups beforehand and
 * hands it an empty `keep` list, which would fold every group into OTHER_GROUP: read that as
 * "keep every group" (channels and campaigns are few).
 */
function groupingOf(run: FormulaRun): GroupBy | null {
  if (!run.groupBy) return null;
  if (run.groupBy.keep?.length !== 0) return run.groupBy;
  return { dimension: run.groupBy.dimension, property: run.groupBy.property };
}

/**
 * CAC: spend / new paying users. By channel: the channel's spend over the new paying users
 * whose first event came from it. Without a breakdown: all spend over all new paying users
 * (blended). No value when a bucket has no new paying users.
 */
export async function computeCac(ctx: QueryContext, _p: unknown, run: FormulaRun): Promise<Series> {
  if (ctx.segmentId) return layOut(run, [], null);
  const groupBy = groupingOf(run);
  const [costs, payers] = await Promise.all([
    spend(ctx, run, groupBy),
    newPayingUsers(ctx, run, groupBy),
  ]);
  const rows = pair(costs, payers).map((cell) => ({
    ...cell,
    value: cell.b > 0 ? cell.a / cell.b : null,
  }));
  if (run.groupBy) return layOut(run, rows, null);
  const totals = sumUngrouped(costs, payers, () => true);
  return layOut(
    run,
    totals.map((t) => ({ ...t, value: t.other > 0 ? t.cost / t.other : null })),
    null,
  );
}

/**
 * ROI: (GMV paid in the bucket by the users a channel or campaign acquired − its spend) / its
 * spend. Without a breakdown: all spend against the GMV of users acquired through channels that
 * had spend in the bucket, so the total is the spend-weighted mean of the channels' ROI. No
 * value without spend.
 */
export async function computeCampaignRoi(
  ctx: QueryContext,
  _p: unknown,
  run: FormulaRun,
): Promise<Series> {
  if (ctx.segmentId) return layOut(run, [], null);
  const groupBy = groupingOf(run) ?? CHANNEL;
  const [costs, gmv] = await Promise.all([
    spend(ctx, run, groupBy),
    acquiredGmv(ctx, run, groupBy),
  ]);
  const roi = (cost: number, revenue: number) => (cost > 0 ? (revenue - cost) / cost : null);
  if (run.groupBy) {
    const rows = pair(costs, gmv).map((cell) => ({ ...cell, value: roi(cell.a, cell.b) }));
    return layOut(run, rows, null);
  }
  const spent = new Set(costs.filter((c) => c.value > 0).map((c) => cellKey(c.bucket, c.grp)));
  const totals = sumUngrouped(costs, gmv, (cell) => spent.has(cellKey(cell.bucket, cell.grp)));
  return layOut(
    run,
    totals.map((t) => ({ ...t, value: roi(t.cost, t.other) })),
    null,
  );
}

/** Per bucket: all spend, and the other measure summed over the groups `keep` accepts. */
function sumUngrouped(
  costs: readonly Cell[],
  other: readonly Cell[],
  keep: (cell: Cell) => boolean,
) {
  const byBucket = new Map<number, { bucket: number; grp: null; cost: number; other: number }>();
  const at = (bucket: number) => {
    let found = byBucket.get(bucket);
    if (!found) byBucket.set(bucket, (found = { bucket, grp: null, cost: 0, other: 0 }));
    return found;
  };
  for (const cell of costs) at(cell.bucket).cost += cell.value;
  for (const cell of other) if (keep(cell)) at(cell.bucket).other += cell.value;
  return [...byBucket.values()];
}
