import type { Condition } from '@sightline/shared';
import type { QueryContext } from '../../context/query-context.ts';
import { metricCondition, scopeConditions } from '../../context/scope-conditions.ts';
import { openSource } from '../../context/sources.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';

/** Front-end errors people's browsers reported (bots left out, as in the js_errors metric). */
const JS_ERROR: readonly Condition[] = [
  { field: 'is_bot', op: 'eq', value: false },
  { field: 'name', op: 'eq', value: 'js_error' },
];
/** Most distinct (message, stack) pairs read per report; the most frequent are kept. */
export const MAX_ERROR_PAIRS = 20_000;
/** Stacks are fingerprinted from their first characters (the top frames live there). */
export const STACK_PREFIX_CHARS = 8_000;
/** Occurrences listed for one group. */
export const OCCURRENCE_LIMIT = 50;

/** One distinct (message, stack) of js_error events in the range. */
export interface ErrorPair {
  /** md5(message) || md5(stack): how later queries refer to the pair. */
  pair: string;
  message: string;
  /** The first STACK_PREFIX_CHARS characters. */
  stack: string;
  /** The stack is longer than STACK_PREFIX_CHARS: `stack` is its beginning. */
  stackCut: boolean;
  count: number;
  firstSeen: number;
  lastSeen: number;
}

export interface GroupFacts {
  users: number;
  releases: Array<{ release: string | null; count: number }>;
  pages: Array<{ page: string | null; count: number }>;
}

export interface ErrorOccurrence {
  time: string;
  user: string | null;
  page: string | null;
  release: string | null;
  browser: string | null;
  os: string | null;
  message: string | null;
}

/** js_error events in the context, with their message, stack and pair key as SQL. */
function openErrors(ctx: QueryContext, params: SqlParams) {
  const { dialect } = ctx;
  const source = openSource('events', ctx, params);
  const message = `coalesce(${dialect.jsonText(`${source.alias}.props`, 'message')}, '')`;
  const stack = `coalesce(${dialect.jsonText(`${source.alias}.props`, 'stack')}, '')`;
  const where = [
    ...scopeConditions(ctx, source, params),
    ...JS_ERROR.map((c) => metricCondition(c, source, params, dialect)),
  ];
  const pairOf = (m: string, s: string) => `${dialect.hashText(m)} || ${dialect.hashText(s)}`;
  return { source, message, stack, where, pairOf };
}

/** Distinct (message, stack) pairs with counts, most frequent first; one more than the cap. */
export async function fetchErrorPairs(ctx: QueryContext): Promise<ErrorPair[]> {
  const params = new SqlParams();
  const { dialect } = ctx;
  const err = openErrors(ctx, params);
  const sql =
    `WITH err AS (SELECT ${err.message} AS msg_text, ${err.stack} AS stack_text, ` +
    `${err.source.time} AS t FROM ${err.source.from()} WHERE ${err.where.join(' AND ')}) ` +
    `SELECT ${err.pairOf('msg_text', 'stack_text')} AS pair, msg_text AS message, ` +
    `substring(stack_text, 1, ${STACK_PREFIX_CHARS}) AS stack, ` +
    `length(stack_text) > ${STACK_PREFIX_CHARS} AS stack_cut, ` +
    `count(*) AS n, ${dialect.epochMs('min(t)')} AS first_ms, ${dialect.epochMs('max(t)')} AS last_ms ` +
    `FROM err GROUP BY msg_text, stack_text ORDER BY n DESC, pair LIMIT ${MAX_ERROR_PAIRS + 1}`;
  const rows = await runQuery(ctx, sql, params.values);
  return rows.map((row) => ({
    pair: String(row.pair),
    message: String(row.message),
    stack: String(row.stack),
    stackCut: row.stack_cut === true,
    count: Number(row.n),
    firstSeen: Number(row.first_ms),
    lastSeen: Number(row.last_ms),
  }));
}

/** `sel(pair, grp)` as a VALUES list of bound pair keys. */
function selectionCte(params: SqlParams, groups: ReadonlyArray<readonly string[]>): string {
  const rows = groups.flatMap((pairs, index) =>
    pairs.map((pair) => `(${params.add(pair)}, ${index})`),
  );
  return `sel(pair, grp) AS (VALUES ${rows.join(', ')})`;
}

/**
 * Per group (a list of pair keys): distinct people (identity-merged, counted once across all
 * the group's pairs), events per release and per page.
 */
export async function fetchGroupFacts(
  ctx: QueryContext,
  groups: ReadonlyArray<readonly string[]>,
  pageLimit: number,
): Promise<GroupFacts[]> {
  const facts: GroupFacts[] = groups.map(() => ({ users: 0, releases: [], pages: [] }));
  if (groups.every((pairs) => pairs.length === 0)) return facts;
  const params = new SqlParams();
  const err = openErrors(ctx, params);
  const a = err.source.alias;
  const person = err.source.person;
  const sql =
    `WITH ${selectionCte(params, groups)}, ` +
    `err AS (SELECT ${err.pairOf(err.message, err.stack)} AS pair, ${person} AS person, ` +
    `${a}.release AS release, ${a}.page AS page FROM ${err.source.from()} ` +
    `WHERE ${err.where.join(' AND ')}), ` +
    `j AS (SELECT sel.grp, err.person, err.release, err.page FROM err JOIN sel ON sel.pair = err.pair) ` +
    `SELECT grp, 'users' AS kind, NULL AS value, ${ctx.dialect.countDistinct('person')} AS n FROM j GROUP BY grp ` +
    `UNION ALL SELECT grp, 'release', release, count(*) FROM j GROUP BY grp, release ` +
    `UNION ALL SELECT grp, 'page', page, count(*) FROM j GROUP BY grp, page`;
  const rows = await runQuery(ctx, sql, params.values);
  for (const row of rows) {
    const target = facts[Number(row.grp)];
    if (!target) continue;
    const value = typeof row.value === 'string' ? row.value : null;
    const count = Number(row.n);
    if (row.kind === 'users') target.users = count;
    else if (row.kind === 'release') target.releases.push({ release: value, count });
    else target.pages.push({ page: value, count });
  }
  for (const target of facts) {
    target.releases.sort((x, y) => y.count - x.count || compareText(x.release, y.release));
    target.pages.sort((x, y) => y.count - x.count || compareText(x.page, y.page));
    target.pages = target.pages.slice(0, pageLimit);
  }
  return facts;
}

/** Full message and stack texts of some pairs (their stacks were cut in fetchErrorPairs). */
export async function fetchPairTexts(
  ctx: QueryContext,
  pairs: readonly string[],
): Promise<Map<string, { message: string; stack: string }>> {
  const texts = new Map<string, { message: string; stack: string }>();
  if (pairs.length === 0) return texts;
  const params = new SqlParams();
  const err = openErrors(ctx, params);
  const sql =
    `WITH ${selectionCte(params, [pairs])}, err AS (SELECT ${err.message} AS msg_text, ` +
    `${err.stack} AS stack_text FROM ${err.source.from()} WHERE ${err.where.join(' AND ')}) ` +
    `SELECT ${err.pairOf('msg_text', 'stack_text')} AS pair, min(msg_text) AS message, ` +
    `min(stack_text) AS stack FROM err WHERE ${err.pairOf('msg_text', 'stack_text')} IN ` +
    `(SELECT pair FROM sel) GROUP BY 1`;
  for (const row of await runQuery(ctx, sql, params.values))
    texts.set(String(row.pair), { message: String(row.message), stack: String(row.stack) });
  return texts;
}

/** The latest occurrences of a group, newest first. */
export async function fetchOccurrences(
  ctx: QueryContext,
  pairs: readonly string[],
): Promise<ErrorOccurrence[]> {
  if (pairs.length === 0) return [];
  const params = new SqlParams();
  const err = openErrors(ctx, params);
  const a = err.source.alias;
  const person = err.source.person;
  const sql =
    `WITH ${selectionCte(params, [pairs])} ` +
    `SELECT ${ctx.dialect.epochMs(err.source.time)} AS t, ${person} AS person, ${a}.page AS page, ` +
    `${a}.release AS release, ${a}.ua_browser AS browser, ${a}.ua_os AS os, ` +
    `${ctx.dialect.jsonText(`${a}.props`, 'message')} AS message FROM ${err.source.from()} ` +
    `WHERE ${err.where.join(' AND ')} AND ${err.pairOf(err.message, err.stack)} IN (SELECT pair FROM sel) ` +
    `ORDER BY ${err.source.time} DESC, ${a}.event_id DESC LIMIT ${OCCURRENCE_LIMIT}`;
  const rows = await runQuery(ctx, sql, params.values);
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return rows.map((row) => ({
    time: new Date(Number(row.t)).toISOString(),
    user: text(row.person),
    page: text(row.page),
    release: text(row.release),
    browser: text(row.browser),
    os: text(row.os),
    message: text(row.message),
  }));
}

/** Nulls last, then by code point (stable across engines and locales). */
export function compareText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
