import type { SqlValue, StoreRow } from '../../../store/index.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import type { FunnelParams } from './funnel-params.ts';
import { buildBestAttemptListsQuery, fitsLists } from './best-attempt-lists-sql.ts';
import { onlyPeople } from './for-each-person.ts';
import { buildFunnelRows, stepTallySql } from './funnel-sql.ts';
import {
  createTally,
  mergeInto,
  type FunnelTallies,
  type FunnelTally,
} from './summarise-funnel.ts';

/** Ranks a person's anchors by level, then position: a person's positions stay below this. */
const POSITIONS_PER_LEVEL = 2 ** 40;
/** Running counts over a row frame: a range frame would also count events tied with this one. */
const FRAME = 'ROWS UNBOUNDED PRECEDING';

/**
 * Whether the funnel is computed in SQL (buildBestAttemptQuery): ordered steps, all required,
 * no exclusions, people counted once. Every other combination walks people in TypeScript.
 */
export function isBestAttemptInSql(params: FunnelParams): boolean {
  return (
    params.order === 'ordered' &&
    params.count === 'unique' &&
    params.exclusions.length === 0 &&
    params.steps.every((step) => !step.optional)
  );
}

/**
 * The tallies of an ordered funnel of required steps without exclusions, counted once per
 * person, from the attempt walkPerson would pick for each person. One row per breakdown value
 * (a single row without a breakdown): grp (NULL for no value), then per step k: n<k> (people
 * who did it), r<k> (amount of their events) and d<k> (ms from step k - 1 to step k, each).
 *
 * The walk's rules, in SQL. A person's events are positioned by (t, rank, id). An attempt
 * starts at a step-0 event in [from, to) (an anchor) and takes, step after step, the first
 * event of the next step positioned after the previous one while it is before the anchor's
 * time plus the window: the earliest event never does worse, so this reaches as far as any
 * choice could. A person's attempt is the one reaching the furthest step, the earliest anchor
 * among equals.
 *
 * One window pass numbers each event among the person's events of each step (c<k>: how many
 * events of step k are positioned at or before it), so the first event of step k after an
 * event is the one numbered c<k> + 1: equi-joins, never a comparison of event pairs, and a
 * single sort. The chain from each step-1 event is joined once (anchors sharing their next
 * step-1 event share it), then each anchor to its chain.
 */
export function buildBestAttemptQuery(
  ctx: QueryContext,
  params: FunnelParams,
  people: readonly string[] | null = null,
): { sql: string; values: SqlValue[] } {
  const { dialect } = ctx;
  const sql = new SqlParams();
  const all = buildFunnelRows(ctx, params, sql).sql;
  const rows = people ? onlyPeople(all, people, sql) : all;
  const n = params.steps.length;
  const steps = params.steps.map((_, k) => k);
  const later = steps.slice(1);
  const window = sql.add(params.windowSeconds * 1000);
  // A sum, not a filtered count: DuckDB evaluates a FILTER in a window frame by frame, which
  // takes quadratic time on a person with many events.
  const counts = later.map(
    (k) => `, sum(CASE WHEN s${k} THEN 1 ELSE 0 END) OVER (w ${FRAME}) AS c${k}`,
  );
  // The breakdown value is carried only when there is one: the sort moves every column.
  const grp = params.breakdown ? ', grp' : '';
  const numbered =
    `SELECT person, t, amount${grp}, ${steps.map((k) => `s${k}`).join(', ')}, ` +
    `row_number() OVER w AS pos${counts.join('')} FROM (${rows}) f ` +
    `WINDOW w AS (PARTITION BY person ORDER BY t, rank, id)`;
  // Step k's events by number (o); nx: the number the first step-(k+1) event after one has.
  const stepRows = (k: number) =>
    `(SELECT person, c${k} AS o, t, amount${k < n - 1 ? `, c${k + 1} AS nx` : ''} ` +
    `FROM numbered WHERE s${k})`;
  const chain =
    `SELECT j1.person, j1.o` +
    later.map((k) => `, j${k}.t AS t${k}, j${k}.amount AS a${k}`).join('') +
    ` FROM ${stepRows(1)} j1` +
    later
      .slice(1)
      .map(
        (k) =>
          ` LEFT JOIN ${stepRows(k)} j${k} ` +
          `ON j${k}.person = j${k - 1}.person AND j${k}.o = j${k - 1}.nx + 1`,
      )
      .join('');
  const reached = later.map((k) => `CASE WHEN c.t${k} < a.t + ${window} THEN 1 ELSE 0 END`);
  const attempts =
    `SELECT a.person, a.pos${grp ? ', a.grp' : ''}, a.t AS t0, a.amount AS a0` +
    later.map((k) => `, c.t${k}, c.a${k}`).join('') +
    `, ${reached.join(' + ')} AS lvl FROM (SELECT person, pos, t, amount${grp}, c1 ` +
    `FROM numbered WHERE s0 AND t >= ${sql.add(ctx.from)} AND t < ${sql.add(ctx.to)}) a ` +
    `LEFT JOIN chain c ON c.person = a.person AND c.o = a.c1 + 1`;
  // argMin skips NULL values: the steps an attempt reached have their event, and whether the
  // breakdown value is NULL is taken apart from the value.
  const picked = [
    ['lvl', 'lvl'],
    ...(params.breakdown ? [['grp IS NULL', 'nogrp'] as const, ['grp', 'grp'] as const] : []),
    ...steps.flatMap((k) => [
      [`t${k}`, `t${k}`],
      [`a${k}`, `a${k}`],
    ]),
  ].map(([expr, name]) => `${dialect.argMin(expr, 'k')} AS ${name}`);
  const best =
    `SELECT ${picked.join(', ')} FROM (SELECT *, (${n - 1} - lvl) * ${POSITIONS_PER_LEVEL} + pos ` +
    `AS k FROM attempts) x GROUP BY person`;
  const key = params.breakdown ? 'CASE WHEN nogrp THEN NULL ELSE grp END' : 'NULL';
  return {
    sql:
      `WITH numbered AS (${numbered}), chain AS (${chain}), attempts AS (${attempts}), ` +
      `best AS (${best}) SELECT ${key} AS grp${stepTallySql(dialect, n)} FROM best` +
      (params.breakdown ? ' GROUP BY 1' : ''),
    values: sql.values,
  };
}

function toTally(row: StoreRow, size: number): FunnelTally {
  return createTally(size).map((_, k) => {
    const ms = row[`d${k}`];
    return {
      count: Number(row[`n${k}`] ?? 0),
      revenue: Number(row[`r${k}`] ?? 0),
      seconds: Array.isArray(ms) ? ms.map((value) => Number(value) / 1000) : [],
    };
  });
}

/** Adds tally rows (one per breakdown value, or one) into the tallies. */
function addRows(into: FunnelTallies, rows: readonly StoreRow[], params: FunnelParams): void {
  const size = params.steps.length;
  for (const row of rows) {
    const tally = toTally(row, size);
    mergeInto(into.overall, tally);
    if (!params.breakdown) continue;
    const key = typeof row.grp === 'string' ? row.grp : null;
    const group = into.groups.get(key);
    if (group) mergeInto(group, tally);
    else into.groups.set(key, tally);
  }
}

/**
 * How tallyBestAttempts counts: `lists` keys events into per-person lists (no sort) and counts
 * the people they leave unsettled with the window, or everyone with it when more than `cap`;
 * `window` sorts every event (buildBestAttemptQuery).
 */
export type BestAttemptMethod = { lists: { cap: number } } | 'window';

/** At most this many unsettled people are counted by the window beside the lists. */
export const UNSETTLED_CAP = 1_000;

/** The funnel's tallies, overall and per breakdown value, computed in SQL. */
export async function tallyBestAttempts(
  ctx: QueryContext,
  params: FunnelParams,
  method: BestAttemptMethod = { lists: { cap: UNSETTLED_CAP } },
): Promise<FunnelTallies> {
  const tallies: FunnelTallies = { overall: createTally(params.steps.length), groups: new Map() };
  const byWindow = async (people: readonly string[] | null) => {
    const query = buildBestAttemptQuery(ctx, params, people);
    addRows(tallies, await runQuery(ctx, query.sql, query.values), params);
    return tallies;
  };
  if (method === 'window' || !fitsLists(ctx, params)) return byWindow(null);
  const { cap } = method.lists;
  const query = buildBestAttemptListsQuery(ctx, params, cap);
  const rows = await runQuery(ctx, query.sql, query.values);
  const people = rows.find((row) => row.kind === 'unsettled')?.people;
  const unsettled = Array.isArray(people) ? people.map(String) : [];
  if (unsettled.length > cap) return byWindow(null);
  addRows(
    tallies,
    rows.filter((row) => row.kind === 'tally'),
    params,
  );
  return unsettled.length > 0 ? byWindow(unsettled) : tallies;
}
