import type { QueryContext } from '../../context/query-context.ts';
import {
  filterCondition,
  resolveDimension,
  scopeConditions,
} from '../../context/scope-conditions.ts';
import { openSource, type SourceQuery } from '../../context/sources.ts';
import type { Dialect } from '../../sql/dialect.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import type { PersonRowsQuery } from './for-each-person.ts';
import { matchersOf, type FunnelParams, type Matcher } from './funnel-params.ts';

/** Rank of events that match no step: after every step event of the same millisecond. */
export const NO_STEP_RANK = 99;

/** Whether an event is the matcher's event and meets its conditions (never NULL). */
export function matcherSql(
  ctx: QueryContext,
  source: SourceQuery,
  params: SqlParams,
  matcher: Matcher,
): string {
  const conditions = [
    `${source.alias}.name = ${params.shared(matcher.event)}`,
    ...(matcher.filters ?? []).map((f) => filterCondition(f, source, params, ctx.dialect)),
  ];
  return `coalesce((${conditions.join(' AND ')}), FALSE)`;
}

function anySql(conditions: readonly string[]): string {
  return conditions.length === 1 ? (conditions[0] as string) : `(${conditions.join(' OR ')})`;
}

function bitsSql(columns: readonly string[]): string {
  if (columns.length === 0) return 'CAST(0 AS INTEGER)';
  return `CAST(${columns.map((c, i) => `CASE WHEN ${c} THEN ${2 ** i} ELSE 0 END`).join(' + ')} AS INTEGER)`;
}

/**
 * Where the funnel stops reading events: a window after the range, or `now` when that comes
 * first. Events after now exist only when a range is measured as of a past moment (an alert's
 * previous window, as of its end): conversions that came later must not count there, or a
 * window whose attempts are still open would be compared with one read later.
 */
export function funnelEnd(ctx: QueryContext, params: Pick<FunnelParams, 'windowSeconds'>): number {
  return Math.min(ctx.to + params.windowSeconds * 1000, Math.max(ctx.now, ctx.to));
}

/**
 * The tally columns of a funnel whose kept attempts are rows with lvl (the last step reached),
 * a<k> (amounts) and t<k> (epoch ms): per step k, n<k> (attempts reaching it), r<k> (their
 * amounts) and, past the first step, d<k> (ms from step k - 1, ordered). `where` narrows
 * every aggregate (rows counted elsewhere); the columns come with a leading comma.
 */
export function stepTallySql(dialect: Dialect, steps: number, where: string | null = null): string {
  return Array.from({ length: steps }, (_, k) => {
    const did = where ? `${where} AND lvl >= ${k}` : `lvl >= ${k}`;
    const tallied = `, ${dialect.countIf(did)} AS n${k}, sum(a${k}) FILTER (WHERE ${did}) AS r${k}`;
    if (k === 0) return tallied;
    const ms = `t${k} - t${k - 1}`;
    return `${tallied}, ${dialect.listAgg(ms, ms)} FILTER (WHERE ${did}) AS d${k}`;
  }).join('');
}

/** The funnel's events as SQL: what buildFunnelRows returns. */
export interface FunnelRows {
  /** A SELECT with person, t, id, amount, grp, typed, s<i> per step, x<j> per exclusion, rank. */
  sql: string;
  /** The boolean step columns (s0, s1, …) and exclusion columns (x0, …). */
  stepCols: string[];
  exclCols: string[];
}

/**
 * One row per event that matters to the funnel: person (identity-merged), t (epoch ms), id,
 * s<i> (matches step i), x<j> (matches exclusion j), rank (lowest step matched, orders events
 * of the same millisecond by step), typed (its name is one of the steps' names: what a strict
 * funnel looks at), amount and grp (the breakdown value as text).
 *
 * Every event passes the query scope over [from, to + window): an attempt starts in the range
 * and may finish up to a window later, but not after the context's `now` (funnelEnd). Bots are
 * left out.
 */
export function buildFunnelRows(
  ctx: QueryContext,
  params: FunnelParams,
  sql: SqlParams,
): FunnelRows {
  const { dialect } = ctx;
  const source = openSource('events', ctx, sql);
  const a = source.alias;
  const steps = params.steps.map((step) =>
    anySql(matchersOf(step).map((m) => matcherSql(ctx, source, sql, m))),
  );
  const exclusions = params.exclusions.map((m) => matcherSql(ctx, source, sql, m));
  const stepNames = [...new Set(params.steps.flatMap((s) => matchersOf(s).map((m) => m.event)))];
  const allNames = [...new Set([...stepNames, ...params.exclusions.map((m) => m.event)])];
  const inList = (names: string[]) => names.map((name) => sql.shared(name)).join(', ');
  const group = params.breakdown
    ? `CAST(${resolveDimension(source, params.breakdown).sql} AS VARCHAR)`
    : 'CAST(NULL AS VARCHAR)';
  const person = source.person;
  const where = [
    ...scopeConditions(ctx, source, sql, {
      range: { from: ctx.from, to: funnelEnd(ctx, params) },
    }),
    `${a}.is_bot = ${sql.add(false)}`,
    `${a}.name IN (${inList(allNames)})`,
    `${person} IS NOT NULL`,
  ];
  const stepCols = steps.map((_, i) => `s${i}`);
  const exclCols = exclusions.map((_, j) => `x${j}`);
  const inner =
    `SELECT ${person} AS person, CAST(${dialect.epochMs(source.time)} AS DOUBLE) AS t, ` +
    `${a}.event_id AS id, CAST(coalesce(${a}.amount, 0) AS DOUBLE) AS amount, ${group} AS grp, ` +
    `${a}.name IN (${inList(stepNames)}) AS typed` +
    [
      ...steps.map((c, i) => `, ${c} AS s${i}`),
      ...exclusions.map((c, j) => `, ${c} AS x${j}`),
    ].join('') +
    ` FROM ${source.from()} WHERE ${where.join(' AND ')}`;
  const rank = `CASE ${stepCols.map((c, i) => `WHEN ${c} THEN ${i}`).join(' ')} ELSE ${NO_STEP_RANK} END`;
  // Strict funnels also need events of a step's name that fail its filters: they break a run.
  const keep = [...stepCols, ...exclCols, ...(params.order === 'strict' ? ['typed'] : [])];
  return {
    sql: `SELECT *, ${rank} AS rank FROM (${inner}) f WHERE ${keep.join(' OR ')}`,
    stepCols,
    exclCols,
  };
}

/**
 * The funnel's events for the walk in TypeScript (buildFunnelRows), with the step and
 * exclusion columns folded into bit masks: steps (bit i: matches step i) and excl.
 */
export function buildFunnelQuery(ctx: QueryContext, params: FunnelParams): PersonRowsQuery {
  const sql = new SqlParams();
  const { sql: rows, stepCols, exclCols } = buildFunnelRows(ctx, params, sql);
  return {
    sql:
      `SELECT person, t, id, amount, grp, typed, ${bitsSql(stepCols)} AS steps, ` +
      `${bitsSql(exclCols)} AS excl, rank FROM (${rows}) r`,
    values: sql.values,
    columns: [
      't',
      'steps',
      'amount',
      ...(exclCols.length > 0 ? ['excl'] : []),
      ...(params.order === 'strict' ? ['typed'] : []),
      ...(params.breakdown ? ['grp'] : []),
    ],
    orderBy: 't, rank, id',
  };
}
