import type { QueryContext } from '../context/query-context.ts';
import { runQuery } from '../sql/run-query.ts';
import { buildRowCountQuery, type RowSourceParams } from './build-rows-query.ts';

/** How many rows readRowPages returns for the same context and params (a progress total). */
export async function countRows(ctx: QueryContext, params: RowSourceParams): Promise<number> {
  const query = buildRowCountQuery(ctx, params);
  const [row] = await runQuery(ctx, query.sql, query.values);
  return Number(row?.n ?? 0);
}
