import type { SqlValue } from '../../../store/index.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import type { FunnelParams } from './funnel-params.ts';
import { buildFunnelRows, funnelEnd, stepTallySql } from './funnel-sql.ts';

/** Keys per millisecond: a key is (ms since the range start) * RANKS + the event's rank. */
const RANKS = 32;
/** Ranks a person's anchors by level, then key: every key stays below this. */
const KEYS_PER_LEVEL = 2 ** 45;
/**
 * Most key comparisons the chains of one person may take (anchors times later steps' events):
 * beyond it the window's sort is cheaper than the lists' scans, and the person is unsettled.
 */
export const MAX_COMPARISONS = 250_000;

/**
 * Whether buildBestAttemptListsQuery counts this funnel: no breakdown (looking up the kept
 * anchor's value costs more than the lists save), ranks (one per step) fit in RANKS, and every
 * key of the range plus its window stays below KEYS_PER_LEVEL.
 */
export function fitsLists(ctx: QueryContext, params: FunnelParams): boolean {
  const span = funnelEnd(ctx, params) - ctx.from;
  return (
    params.breakdown === undefined &&
    params.steps.length <= RANKS &&
    (span + 1) * RANKS < KEYS_PER_LEVEL
  );
}

/**
 * The tallies of buildBestAttemptQuery without sorting the events: one row of kind 'tally'
 * (n<k>, r<k>, d<k> per step) and one of kind 'unsettled', whose `people` lists up to `cap` + 1
 * people the lists leave to the window: they are left out of the tally.
 *
 * Each event gets a key, (ms since the range start) * RANKS + rank: keys order a person's
 * events like (t, rank) does. A person's events become one list of keys per step (the anchors:
 * step 0 in [from, to)), and from each anchor the chain takes, step after step, the smallest key
 * of the next step's list greater than the previous one: the first event positioned after it.
 * The walk also orders events by id, which keys cannot carry: two events of one person with one
 * key (one millisecond, one rank) could be taken in either order, so people with such a pair,
 * found as a repeated key in one step's list, are unsettled. So are people whose chains would
 * take more than MAX_COMPARISONS comparisons: a list is scanned per anchor, and a person with
 * thousands of events (a crawler not flagged as a bot) would cost more than sorting everyone.
 *
 * Amounts come from a sparse list looked up by the kept keys: a key names one event when the
 * person is settled.
 */
export function buildBestAttemptListsQuery(
  ctx: QueryContext,
  params: FunnelParams,
  cap: number,
): { sql: string; values: SqlValue[] } {
  const { dialect: d } = ctx;
  const sql = new SqlParams();
  const rows = buildFunnelRows(ctx, params, sql).sql;
  const n = params.steps.length;
  const steps = params.steps.map((_, k) => k);
  const later = steps.slice(1);
  const from = sql.add(ctx.from);
  const window = sql.add(params.windowSeconds * 1000);
  const lastAnchor = `(${sql.add(ctx.to)} - ${from}) * ${RANKS}`;
  const keyed =
    `SELECT person, CAST(t - ${from} AS BIGINT) * ${RANKS} + rank AS k, amount, ` +
    `${steps.map((k) => `s${k}`).join(', ')} FROM (${rows}) f`;
  const lists =
    `SELECT person, ${steps.map((k) => `${d.listOf('k', `s${k}`)} AS l${k}`).join(', ')}, ` +
    `${d.listOf(d.record({ k: 'k', a: 'amount' }), 'amount <> 0')} AS m FROM keyed GROUP BY person`;
  const repeats = steps
    .map((k) => `coalesce(${d.listLength(`l${k}`)} - ${d.listDistinctLength(`l${k}`)}, 0)`)
    .join(' + ');
  const comparisons = `${d.listLength('c0')} * (${later
    .map((k) => `coalesce(${d.listLength(`l${k}`)}, 0)`)
    .join(' + ')})`;
  const anchors =
    `SELECT person, CASE WHEN ${repeats} > 0 OR ${comparisons} > ${MAX_COMPARISONS} ` +
    `THEN 1 ELSE 0 END AS unsettled, c0, ${[...later.map((k) => `l${k}`), 'm'].join(', ')} ` +
    `FROM (SELECT *, ${d.listFilter('l0', 'x', `x < ${lastAnchor}`)} AS c0 FROM lists) a`;
  // c<k>[i]: the key step k takes in the chain from anchor i (NULL once a step has none).
  // Unsettled people skip the scans (CASE evaluates a branch only for the rows that take it).
  const settled = (expr: string) => `CASE WHEN unsettled = 0 THEN ${expr} END`;
  const chains = later.map(
    (k) =>
      `c${k} AS (SELECT *, ${settled(
        d.listMap(`c${k - 1}`, 'x', d.listMin(d.listFilter(`l${k}`, 'y', 'y > x'))),
      )} AS c${k} FROM c${k - 1}${k === 1 ? ` WHERE ${d.listLength('c0')} > 0` : ''})`,
  );
  const deadline = `(x // ${RANKS} + ${window}) * ${RANKS}`;
  const level = later
    .map((k) => `CASE WHEN ${d.listAt(`c${k}`, 'i')} < ${deadline} THEN 1 ELSE 0 END`)
    .join(' + ');
  const picked = `SELECT person, unsettled, ${settled(
    d.listMin(d.listMap('c0', 'x', `(${n - 1} - (${level})) * ${KEYS_PER_LEVEL} + x`, 'i')),
  )} AS pick, ${[...steps.map((k) => `c${k}`), 'm'].join(', ')} FROM c${n - 1}`;
  const at = `${d.listIndexOf('c0', `pick % ${KEYS_PER_LEVEL}`)}`;
  const amountOf = (key: string) =>
    `coalesce(${d.field(d.listAt(d.listFilter('m', 'y', `${d.field('y', 'k')} = ${key}`), '1'), 'a')}, 0)`;
  const best =
    `SELECT person, unsettled, lvl` +
    steps.map((k) => `, k${k} // ${RANKS} AS t${k}, ${amountOf(`k${k}`)} AS a${k}`).join('') +
    ` FROM (SELECT person, unsettled, ${n - 1} - pick // ${KEYS_PER_LEVEL} AS lvl` +
    steps.map((k) => `, ${d.listAt(`c${k}`, 'i')} AS k${k}`).join('') +
    `, m FROM (SELECT *, ${at} AS i FROM picked) p) b`;
  // Unsettled people are left out in each aggregate, not by a WHERE: DuckDB would push both
  // branches' conditions into `best` and work out who is unsettled twice.
  const tallies = stepTallySql(d, n, 'unsettled = 0');
  const blanks = steps
    .map((k) => `, NULL AS n${k}, NULL AS r${k}${k === 0 ? '' : `, NULL AS d${k}`}`)
    .join('');
  const limit = sql.add(cap + 1);
  return {
    sql:
      `WITH keyed AS (${keyed}), lists AS (${lists}), c0 AS (${anchors}), ${chains.join(', ')}, ` +
      `picked AS (${picked}), best AS MATERIALIZED (${best}) ` +
      `SELECT 'tally' AS kind, CAST(NULL AS VARCHAR[]) AS people` +
      `${tallies} FROM best ` +
      `UNION ALL SELECT 'unsettled', (SELECT ${d.listOf('person', 'TRUE')} FROM (SELECT person ` +
      `FROM best WHERE unsettled > 0 LIMIT ${limit}) t)${blanks}`,
    values: sql.values,
  };
}
