import type { StoreRow, SqlValue } from '../../store/index.ts';
import type { QueryContext } from '../context/query-context.ts';
import { compactParams } from './sql-params.ts';

/** Runs report SQL on the context's store: the one place report queries reach the engine. */
export function runQuery(
  ctx: Pick<QueryContext, 'store'>,
  sql: string,
  values: readonly SqlValue[],
): Promise<StoreRow[]> {
  const compact = compactParams(sql, values);
  return ctx.store.query(compact.sql, compact.params);
}
