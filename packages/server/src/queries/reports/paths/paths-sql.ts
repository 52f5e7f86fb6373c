import type { QueryContext } from '../../context/query-context.ts';
import { scopeConditions } from '../../context/scope-conditions.ts';
import { openSource } from '../../context/sources.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { onlyPeople, type PersonRowsQuery } from '../funnels/for-each-person.ts';
import type { Matcher } from '../funnels/funnel-params.ts';
import { matcherSql } from '../funnels/funnel-sql.ts';
import { SESSION_LIMIT_MS, type PathsParams } from './paths-params.ts';

/** How far from an anchor a path may reach, in ms. */
export function pathReachMs(params: PathsParams): number {
  return params.sessionScoped ? SESSION_LIMIT_MS : params.windowSeconds * 1000;
}

/**
 * One row per event a path is made of or anchored at: person (identity-merged), t (epoch ms),
 * id, session, node (the node name: the page or the event name; an anchor that is no node keeps
 * its event name), is_node and is_anchor. The scope covers the range widened by the reach on
 * the side paths extend to; anchors themselves are kept to the range when walking.
 */
export function buildPathRowsSql(
  ctx: QueryContext,
  params: PathsParams,
  anchorEvent: Matcher,
  sql: SqlParams,
): string {
  const source = openSource('events', ctx, sql);
  const a = source.alias;
  const anchor = matcherSql(ctx, source, sql, anchorEvent);
  const page = sql.shared('page');
  // Never NULL (type is NOT NULL), so it filters without a coalesce DuckDB cannot push down.
  const isNode =
    params.eventType === 'page'
      ? `(${a}.type = ${page} AND ${a}.page IS NOT NULL)`
      : `${a}.type IN (${page}, ${sql.shared('event')})`;
  const name = params.eventType === 'page' ? `${a}.page` : `${a}.name`;
  const reach = pathReachMs(params);
  const range = params.start
    ? { from: ctx.from, to: ctx.to + reach }
    : { from: ctx.from - reach, to: ctx.to };
  const person = source.person;
  const where = [
    ...scopeConditions(ctx, source, sql, { range }),
    `${a}.is_bot = ${sql.add(false)}`,
    `${person} IS NOT NULL`,
    ...(params.sessionScoped ? [`${a}.session_id IS NOT NULL`] : []),
    `(${isNode} OR ${anchor})`,
  ];
  return (
    `SELECT ${person} AS person, CAST(${ctx.dialect.epochMs(source.time)} AS DOUBLE) AS t, ` +
    `${a}.event_id AS id, ${a}.session_id AS session, ` +
    `CASE WHEN ${isNode} THEN ${name} ELSE ${a}.name END AS node, ` +
    `${isNode} AS is_node, ${anchor} AS is_anchor ` +
    `FROM ${source.from()} WHERE ${where.join(' AND ')}`
  );
}

/** The rows of buildPathRowsSql for the walk in TypeScript (of only `people` when given). */
export function buildPathsQuery(
  ctx: QueryContext,
  params: PathsParams,
  anchorEvent: Matcher,
  people: readonly string[] | null = null,
): PersonRowsQuery {
  const sql = new SqlParams();
  const rows = buildPathRowsSql(ctx, params, anchorEvent, sql);
  return {
    sql: people ? onlyPeople(rows, people, sql) : rows,
    values: sql.values,
    columns: ['t', ...(params.sessionScoped ? ['session'] : []), 'node', 'is_node', 'is_anchor'],
    orderBy: 't, id',
  };
}
