import type { EventStore, StoreColumns, StoreRow, SqlValue } from '../../store/index.ts';
import type { QueryContext } from '../context/query-context.ts';
import { compactParams } from './sql-params.ts';

/** Queries running now, per store, by statement and parameters. */
const inFlight = new WeakMap<EventStore, Map<string, Promise<StoreRow[]>>>();

/**
 * Runs report SQL on the context's store: with runColumnsQuery, the one place report queries
 * reach the engine. A query identical to one still running shares its answer (a trend's daily
 * DAU and its average over the range, the same denominator in several cards) instead of
 * running twice. Callers must not change the rows they get.
 */
export function runQuery(
  ctx: Pick<QueryContext, 'store'>,
  sql: string,
  values: readonly SqlValue[],
): Promise<StoreRow[]> {
  const compact = compactParams(sql, values);
  let running = inFlight.get(ctx.store);
  if (!running) {
    running = new Map();
    inFlight.set(ctx.store, running);
  }
  const key = JSON.stringify([compact.sql, compact.params], (_k, v: unknown) =>
    typeof v === 'bigint' ? { bigint: String(v) } : v,
  );
  const shared = running.get(key);
  if (shared) return shared;
  const query = ctx.store.query(compact.sql, compact.params).finally(() => running.delete(key));
  running.set(key, query);
  return query;
}

/**
 * runQuery for reads of many rows, returned by column (EventStore.queryColumns): the walks that
 * read a person's events in TypeScript. Not shared between callers: each pass is its own.
 */
export function runColumnsQuery(
  ctx: Pick<QueryContext, 'store'>,
  sql: string,
  values: readonly SqlValue[],
): Promise<StoreColumns> {
  const compact = compactParams(sql, values);
  return ctx.store.queryColumns(compact.sql, compact.params);
}
