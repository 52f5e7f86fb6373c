import type { QueryContext } from '../../context/query-context.ts';
import { scopeConditions } from '../../context/scope-conditions.ts';
import { openSource } from '../../context/sources.ts';
import type { SqlParams } from '../../sql/sql-params.ts';

export const DAY_MS = 86_400_000;
/** 0.6745 is the 75th percentile of the standard normal: it scales the MAD to a σ estimate. */
export const MAD_SCALE = 0.6745;

export interface OrderFactsOptions {
  /** Default: the context's range; null: all time. */
  range?: { from: number; to: number } | null;
  paidOnly?: boolean;
}

/**
 * The orders of the context's project (and filter bar) with the facts the anomaly detectors
 * look at: the identity-merged account, network and device fingerprints and the time in ms.
 */
export function orderFactsSql(
  ctx: QueryContext,
  params: SqlParams,
  options: OrderFactsOptions = {},
): string {
  const source = openSource('orders', ctx, params);
  const a = source.alias;
  const account = source.person;
  const where = scopeConditions(
    ctx,
    source,
    params,
    options.range === undefined ? {} : { range: options.range },
  );
  if (options.paidOnly) where.push(`${a}.status = 'paid'`);
  return (
    `SELECT ${a}.order_id, ${account} AS account, ${source.user} AS user_id, ${a}.ip_hash, ` +
    `${a}.device_id, ${a}.address_hash, ${a}.pay_amount, ${a}.status, ` +
    `${ctx.dialect.epochMs(source.time)} AS t FROM ${source.from()} WHERE ${where.join(' AND ')}`
  );
}

/** A row value as a number, null kept. */
export const toNumberOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

/** A row value as text; null (or anything that is not text or a number) as null. */
export const toTextOrNull = (value: unknown): string | null =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'bigint'
      ? String(value)
      : null;
