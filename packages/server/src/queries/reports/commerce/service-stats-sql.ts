import { zoneArg } from '../../context/zone-arg.ts';
import type { Condition, Granularity } from '@sightline/shared';
import type { QueryContext } from '../../context/query-context.ts';
import { metricCondition, scopeConditions } from '../../context/scope-conditions.ts';
import { openSource } from '../../context/sources.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';

const named = (name: string): Condition[] => [
  { field: 'is_bot', op: 'eq', value: false },
  { field: 'name', op: 'eq', value: name },
];
/** Customer attributes the report breaks totals down by, and the SQL column of each. */
export const CUSTOMER_DIMENSIONS = [
  'customer_type',
  'source',
  'channel',
  'region',
  'industry',
  'size',
] as const;
export type CustomerDimension = (typeof CUSTOMER_DIMENSIONS)[number];
export const RECORD_DIMENSIONS = ['status', 'priority', 'assignee', 'service_type'] as const;
export type RecordDimension = (typeof RECORD_DIMENSIONS)[number];

export interface KeyCount {
  dim: string;
  key: string | null;
  total: number;
  /** Customers created in the range (customer breakdowns only). */
  fresh: number;
}

/** `latest` wins: by event time, then arrival, then id (late and resent events are fine). */
const LATEST = (a: string) => `${a}.event_time DESC, ${a}.received_at DESC, ${a}.event_id DESC`;

/**
 * Customers known by the end of the range, one row each (by customer_id): the attributes of its
 * latest customer_created event and the time of its first one.
 */
function customersCte(ctx: QueryContext, params: SqlParams): string {
  const { dialect } = ctx;
  const source = openSource('events', ctx, params);
  const a = source.alias;
  const prop = (key: string) => dialect.jsonText(`${a}.props`, key);
  const where = [
    ...scopeConditions(ctx, source, params, { range: { from: 0, to: ctx.to } }),
    ...named('customer_created').map((c) => metricCondition(c, source, params, dialect)),
    `${prop('customer_id')} IS NOT NULL`,
  ];
  return (
    `customers AS (SELECT *, ${dialect.epochMs('first_time')} AS first_ms FROM (SELECT ` +
    `${prop('customer_id')} AS customer_id, ${prop('customer_type')} AS c_customer_type, ` +
    `${prop('source')} AS c_source, ${a}.channel AS c_channel, ` +
    `coalesce(${prop('region')}, ${a}.province) AS c_region, ${prop('industry')} AS c_industry, ` +
    `${prop('size')} AS c_size, ` +
    `min(${a}.event_time) OVER (PARTITION BY ${prop('customer_id')}) AS first_time, ` +
    `row_number() OVER (PARTITION BY ${prop('customer_id')} ORDER BY ${LATEST(a)}) AS rn ` +
    `FROM ${source.from()} WHERE ${where.join(' AND ')}) c WHERE rn = 1)`
  );
}

/** Customers per attribute value: all by the end of the range, and those created in it. */
export async function fetchCustomerBreakdowns(ctx: QueryContext): Promise<KeyCount[]> {
  const params = new SqlParams();
  const from = params.add(ctx.from);
  const parts = CUSTOMER_DIMENSIONS.map(
    (dim) =>
      `SELECT '${dim}' AS dim, c_${dim} AS key, count(*) AS total, ` +
      `${ctx.dialect.countIf(`first_ms >= ${from}`)} AS fresh FROM customers GROUP BY c_${dim}`,
  );
  const sql = `WITH ${customersCte(ctx, params)} ${parts.join(' UNION ALL ')}`;
  return readKeyCounts(await runQuery(ctx, sql, params.values));
}

/** New customers per bucket (by their first customer_created), and those before the range. */
export async function fetchCustomerGrowth(
  ctx: QueryContext,
  granularity: Granularity,
): Promise<{ before: number; byBucket: Map<number, number> }> {
  const params = new SqlParams();
  const { dialect } = ctx;
  const zone = zoneArg(ctx, params);
  const from = params.add(ctx.from);
  const bucket =
    granularity === 'all'
      ? `${from}::BIGINT`
      : dialect.bucketStartMs(granularity, 'first_time', zone);
  const sql =
    `WITH ${customersCte(ctx, params)} SELECT CASE WHEN first_ms < ${from} THEN NULL ELSE ${bucket} END ` +
    `AS bucket, count(*) AS n FROM customers GROUP BY 1`;
  let before = 0;
  const byBucket = new Map<number, number>();
  for (const row of await runQuery(ctx, sql, params.values)) {
    if (row.bucket === null || row.bucket === undefined) before = Number(row.n);
    else byBucket.set(Number(row.bucket), Number(row.n));
  }
  return { before, byBucket };
}

/** Distinct customer_ids with a service_record event in the window. */
export async function fetchActiveCustomers(
  ctx: QueryContext,
  window: { from: number; to: number },
): Promise<number> {
  const params = new SqlParams();
  const { dialect } = ctx;
  const source = openSource('events', ctx, params);
  const customer = dialect.jsonText(`${source.alias}.props`, 'customer_id');
  const where = [
    ...scopeConditions(ctx, source, params, { range: window }),
    ...named('service_record').map((c) => metricCondition(c, source, params, dialect)),
  ];
  const [row] = await runQuery(
    ctx,
    `SELECT ${dialect.countDistinct(customer)} AS n FROM ${source.from()} WHERE ${where.join(' AND ')}`,
    params.values,
  );
  return Number(row?.n ?? 0);
}

/** Service records with an event in the range, by the props of each record's latest event. */
export async function fetchRecordBreakdowns(ctx: QueryContext): Promise<KeyCount[]> {
  const params = new SqlParams();
  const { dialect } = ctx;
  const source = openSource('events', ctx, params);
  const a = source.alias;
  const prop = (key: string) => dialect.jsonText(`${a}.props`, key);
  const where = [
    ...scopeConditions(ctx, source, params),
    ...named('service_record').map((c) => metricCondition(c, source, params, dialect)),
    `${prop('record_id')} IS NOT NULL`,
  ];
  const columns = RECORD_DIMENSIONS.map((dim) => `${prop(dim)} AS r_${dim}`).join(', ');
  const parts = RECORD_DIMENSIONS.map(
    (dim) =>
      `SELECT '${dim}' AS dim, r_${dim} AS key, count(*) AS total, 0 AS fresh ` +
      `FROM records GROUP BY r_${dim}`,
  );
  const sql =
    `WITH records AS (SELECT * FROM (SELECT ${prop('record_id')} AS record_id, ${columns}, ` +
    `row_number() OVER (PARTITION BY ${prop('record_id')} ORDER BY ${LATEST(a)}) AS rn ` +
    `FROM ${source.from()} WHERE ${where.join(' AND ')}) r WHERE rn = 1) ${parts.join(' UNION ALL ')}`;
  return readKeyCounts(await runQuery(ctx, sql, params.values));
}

/**
 * Orders of the range (by payment time, else order time): count per status; paid ones per
 * product type with revenue; paid orders and revenue per bucket.
 */
export async function fetchOrderFigures(ctx: QueryContext, granularity: Granularity) {
  const params = new SqlParams();
  const { dialect } = ctx;
  const source = openSource('orders', ctx, params);
  const a = source.alias;
  const zone = zoneArg(ctx, params);
  const bucket =
    granularity === 'all'
      ? `${params.add(ctx.from)}::BIGINT`
      : dialect.bucketStartMs(granularity, source.time, zone);
  const where = scopeConditions(ctx, source, params);
  const sql =
    `WITH o AS (SELECT ${a}.status, ${a}.product_type, ${a}.pay_amount, ${bucket} AS bucket ` +
    `FROM ${source.from()} WHERE ${where.join(' AND ')}) ` +
    `SELECT 'status' AS kind, status AS key, NULL AS bucket, count(*) AS n, 0 AS revenue FROM o GROUP BY status ` +
    `UNION ALL SELECT 'product_type', product_type, NULL, count(*), sum(pay_amount) FROM o ` +
    `WHERE status = 'paid' GROUP BY product_type ` +
    `UNION ALL SELECT 'bucket', NULL, bucket, count(*), sum(pay_amount) FROM o ` +
    `WHERE status = 'paid' GROUP BY bucket`;
  const rows = await runQuery(ctx, sql, params.values);
  return rows.map((row) => ({
    kind: String(row.kind),
    key: typeof row.key === 'string' ? row.key : null,
    bucket: row.bucket === null || row.bucket === undefined ? null : Number(row.bucket),
    count: Number(row.n),
    revenue: Number(row.revenue ?? 0),
  }));
}

function readKeyCounts(rows: ReadonlyArray<Record<string, unknown>>): KeyCount[] {
  return rows.map((row) => ({
    dim: String(row.dim),
    key: typeof row.key === 'string' ? row.key : null,
    total: Number(row.total),
    fresh: Number(row.fresh),
  }));
}
