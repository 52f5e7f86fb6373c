import type { StoreRow } from '../../../store/index.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { forEachPerson } from '../funnels/for-each-person.ts';
import type { Matcher } from '../funnels/funnel-params.ts';
import type { PathsParams } from './paths-params.ts';
import { buildPathRowsSql, buildPathsQuery, pathReachMs } from './paths-sql.ts';
import { buildPathTallySql, readPathTally, type PathTallyResult } from './paths-tally-sql.ts';
import { buildPathWindowSql } from './paths-window-sql.ts';
import { addPathCounts, createPathsTally, type PathCounts } from './summarise-paths.ts';
import { walkPaths, type PathEvent } from './walk-paths.ts';

/**
 * One way to count: in SQL, reading `spare` events past `steps` after each anchor (and each
 * one's time when `timeEach`, see buildPathWindowSql), with the people SQL cannot settle walked
 * in TypeScript unless there are more than `lostCap`; or the walk for everyone.
 */
export type PathsMethod = InSqlMethod | 'walk';
export interface InSqlMethod {
  spare: number;
  timeEach: boolean;
  lostCap: number;
}

/**
 * The default order of attempts. Four events of spare settle nearly every path (only long runs
 * of one node when repeats collapse, events that are no node, or visits longer than a day need
 * more); when too many people are lost to walk them, the second attempt reads much further.
 */
export const PATHS_METHODS: readonly PathsMethod[] = [
  { spare: 4, timeEach: false, lostCap: 200 },
  { spare: 24, timeEach: true, lostCap: 2_000 },
  'walk',
];

const directionOf = (params: PathsParams) => (params.start ? 'start' : 'end');

function toPathEvent(row: StoreRow): PathEvent {
  return {
    t: Number(row.t),
    session: typeof row.session === 'string' ? row.session : null,
    node: typeof row.node === 'string' ? row.node : '',
    isNode: row.is_node === true,
    isAnchor: row.is_anchor === true,
  };
}

/** Counts with the walk in TypeScript: every qualifying event, person by person. */
async function countByWalk(
  ctx: QueryContext,
  params: PathsParams,
  anchor: Matcher,
  people: readonly string[] | null,
): Promise<PathCounts> {
  const tally = createPathsTally(directionOf(params), params.steps);
  const options = {
    direction: directionOf(params),
    steps: params.steps,
    sessionScoped: params.sessionScoped,
    reachMs: pathReachMs(params),
    collapseRepeats: params.collapseRepeats,
    from: ctx.from,
    to: ctx.to,
  } as const;
  await forEachPerson(ctx, buildPathsQuery(ctx, params, anchor, people), (_person, personRows) =>
    tally.addPerson(walkPaths(personRows.map(toPathEvent), options)),
  );
  return tally.counts;
}

/** Counts in one SQL query; the people it names as lost are left out of the counts. */
export async function countPathsInSql(
  ctx: QueryContext,
  params: PathsParams,
  anchor: Matcher,
  method: InSqlMethod,
): Promise<PathTallyResult> {
  const sql = new SqlParams();
  const direction = directionOf(params);
  const paths = buildPathWindowSql(buildPathRowsSql(ctx, params, anchor, sql), {
    direction,
    steps: params.steps,
    sessionScoped: params.sessionScoped,
    collapseRepeats: params.collapseRepeats,
    lookahead: params.steps + method.spare,
    timeEach: method.timeEach,
    from: sql.add(ctx.from),
    to: sql.add(ctx.to),
    reach: sql.add(pathReachMs(params)),
  });
  const tally = buildPathTallySql(ctx.dialect, paths, {
    steps: params.steps,
    direction,
    limit: sql.add(params.limit),
    lostCap: sql.add(method.lostCap),
  });
  return readPathTally(await runQuery(ctx, tally, sql.values), {
    steps: params.steps,
    direction,
    lostCap: method.lostCap,
  });
}

/**
 * Counts paths by the first method that settles everyone: SQL, whose few lost people are walked
 * and added, or the walk. Every method counts exactly what walkPaths defines.
 */
export async function countPaths(
  ctx: QueryContext,
  params: PathsParams,
  anchor: Matcher,
  methods: readonly PathsMethod[] = PATHS_METHODS,
): Promise<PathCounts | null> {
  for (const method of methods) {
    if (method === 'walk') return countByWalk(ctx, params, anchor, null);
    const { counts, lost } = await countPathsInSql(ctx, params, anchor, method);
    if (!lost) continue;
    if (lost.length > 0) addPathCounts(counts, await countByWalk(ctx, params, anchor, lost));
    return counts;
  }
  return null;
}
