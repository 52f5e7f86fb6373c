import type { StoreRow } from '../../../store/index.ts';
import type { Dialect } from '../../sql/dialect.ts';
import {
  addPathCounts,
  createPathsTally,
  idOf,
  type NodeTally,
  type PathCounts,
} from './summarise-paths.ts';

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** What buildPathTallySql needs besides the paths (`limit` and `lostCap` are placeholders). */
export interface PathTallyOptions {
  steps: number;
  direction: 'start' | 'end';
  limit: string;
  /** Lost people's paths come back only when there are at most this many of them. */
  lostCap: string;
}

/**
 * Counts what the report shows from one row per anchor (`person, n0, p1 … p<steps>, ok`, see
 * buildPathWindowSql), in the same units as createPathsTally: person-paths are a person's
 * distinct paths, top paths count people and occurrences.
 *
 * People with an anchor that is not ok are "lost": they are counted like everyone else (with
 * whatever their unsettled paths say), and their person-paths come back too, so the caller can
 * take them out again and count these people by the walk instead. That keeps the common case,
 * nobody lost, to one pass over the person-paths.
 *
 * Only paths that can make the top `limit` come back: the top `limit` by people and occurrences
 * with every tie, and, when people are lost, every path that taking out and adding back their
 * paths could lift there (each lost person moves a path by at most one person either way). The
 * text order that breaks the remaining ties is applied in TypeScript (finishPaths), as for the walk.
 *
 * Rows by kind: path (x people, y occurrences, n0 … p<steps>), node (depth, a name, x person-
 * paths through it), link (depth of a, a, b, x), end (depth, a, x person-paths ending there
 * short of steps, y people with one), total (x people, y person-paths, z occurrences, w lost
 * people) and lost (a person, y occurrences, n0 … p<steps>: one of their person-paths).
 */
export function buildPathTallySql(dialect: Dialect, paths: string, o: PathTallyOptions): string {
  const s = o.steps;
  const col = (k: number) => (k === 0 ? 'n0' : `p${k}`);
  const cols = [0, ...upTo(s)].map(col).join(', ');
  const none = [0, ...upTo(s)].map(() => 'NULL').join(', ');
  const sign = o.direction === 'start' ? '' : '-';
  // Only for paths short of steps: their length, and their farthest node (in both directions).
  const length = `CASE WHEN ${col(s)} IS NULL THEN ${[
    '1',
    ...upTo(s - 1).map((k) => `CAST(p${k} IS NOT NULL AS INTEGER)`),
  ].join(' + ')} END`;
  const far = `CASE WHEN ${col(s)} IS NULL THEN coalesce(${[
    ...upTo(s - 1)
      .reverse()
      .map(col),
    'n0',
  ].join(', ')}) END`;
  const nodes = [0, ...upTo(s)]
    .map(
      (k) =>
        `SELECT ${sign}${k} AS depth, ${col(k)} AS name, people FROM d` +
        (k ? ` WHERE ${col(k)} IS NOT NULL` : ''),
    )
    .join(' UNION ALL ');
  // A link runs in time order: for `end` from the farther node (p<k>) to the nearer one.
  const links = upTo(s)
    .map((k) => {
      const [depth, a, b] =
        o.direction === 'start' ? [k - 1, col(k - 1), col(k)] : [-k, col(k), col(k - 1)];
      return `SELECT ${depth} AS depth, ${a} AS a, ${b} AS b, people FROM d WHERE ${col(k)} IS NOT NULL`;
    })
    .join(' UNION ALL ');
  const lost = '(SELECT count(*) FROM lost)';
  const limitPeople = `(SELECT min(people) FROM (SELECT people FROM d ORDER BY people DESC LIMIT ${o.limit}) l)`;
  const head = (
    kind: string,
    depth: string,
    a: string,
    x: string,
    y: string,
    z = 'NULL',
    w = 'NULL',
  ) =>
    `SELECT '${kind}' AS kind, ${depth} AS depth, ${a} AS a, NULL AS b, ${x} AS x, ${y} AS y, ` +
    `${z} AS z, ${w} AS w`;
  // One grouping of the anchors gives each path's people and occurrences (g_path 0), the people
  // whose paths end short at each node (g_end 0) and the totals (both 1). Person-paths are a
  // path's people summed: a person has each of their paths once.
  return (
    `WITH a AS MATERIALIZED (${paths}), ` +
    `g AS MATERIALIZED (SELECT GROUPING(n0) AS g_path, GROUPING(len) AS g_end, ${cols}, len, far, ` +
    `count(*) AS occ, ${dialect.countDistinct('person')} AS people FROM (` +
    `SELECT person, ${cols}, ${length} AS len, ${far} AS far FROM a) q ` +
    `GROUP BY GROUPING SETS ((${cols}), (len, far), ())), ` +
    `d AS (SELECT ${cols}, people, occ FROM g WHERE g_path = 0), ` +
    `lost AS MATERIALIZED (SELECT DISTINCT person FROM a WHERE NOT ok) ` +
    `${head('path', 'NULL', 'NULL', 'people', 'occ')}, ${cols} FROM (` +
    `SELECT *, rank() OVER (ORDER BY people DESC, occ DESC) AS place FROM d) r ` +
    `WHERE place <= ${o.limit} OR (${lost} > 0 AND people + 2 * ${lost} >= ${limitPeople}) ` +
    `UNION ALL SELECT 'node', depth, name, NULL, sum(people), NULL, NULL, NULL, ${none} ` +
    `FROM (${nodes}) n GROUP BY depth, name ` +
    `UNION ALL SELECT 'link', depth, a, b, sum(people), NULL, NULL, NULL, ${none} ` +
    `FROM (${links}) l GROUP BY depth, a, b ` +
    `UNION ALL ${head('end', `${sign}(e.len - 1)`, 'e.far', 'e.paths', 'u.people')}, ${none} ` +
    `FROM (SELECT len, far, sum(people) AS paths FROM (SELECT people, ${length} AS len, ` +
    `${far} AS far FROM d) s WHERE len IS NOT NULL GROUP BY len, far) e ` +
    `JOIN (SELECT len, far, people FROM g WHERE g_end = 0) u ON u.len = e.len AND u.far = e.far ` +
    `UNION ALL ${head('total', 'NULL', 'NULL', 'people', '(SELECT sum(people) FROM d)', 'occ', lost)}, ` +
    `${none} FROM g WHERE g_path = 1 AND g_end = 1 ` +
    `UNION ALL ${head('lost', 'NULL', 'person', 'NULL', 'count(*)')}, ${cols} FROM a ` +
    `WHERE person IN (SELECT person FROM lost) AND ${lost} <= ${o.lostCap} GROUP BY person, ${cols}`
  );
}

/** What readPathTally found: the counts of everyone, and whom SQL could not count. */
export interface PathTallyResult {
  /** Everyone's counts, the lost people's taken out again. */
  counts: PathCounts;
  /** People to count by the walk (and add); null when there were more than the cap. */
  lost: string[] | null;
}

const num = (value: unknown) => Number(value ?? 0);
const text = (value: unknown) => String(value);

/** The rows of buildPathTallySql as counts without the lost people, and who they are. */
export function readPathTally(
  rows: readonly StoreRow[],
  o: { steps: number; direction: 'start' | 'end'; lostCap: number },
): PathTallyResult {
  const counts: PathCounts = {
    totals: { occurrences: 0, people: 0, personPaths: 0 },
    paths: new Map(),
    nodes: new Map(),
    links: new Map(),
  };
  const lostPaths = new Map<string, string[][]>();
  let lostPeople = 0;
  const node = (depth: number, name: string): NodeTally => {
    const id = idOf(depth, name);
    let found = counts.nodes.get(id);
    if (!found)
      counts.nodes.set(id, (found = { name, depth, through: 0, ended: 0, endedPeople: 0 }));
    return found;
  };
  const pathOf = (row: StoreRow) => {
    const near = [0, ...upTo(o.steps)]
      .map((k) => row[k === 0 ? 'n0' : `p${k}`])
      .filter((name) => name !== null && name !== undefined)
      .map(text);
    return o.direction === 'start' ? near : near.reverse();
  };
  for (const row of rows) {
    if (row.kind === 'path') {
      const nodes = pathOf(row);
      counts.paths.set(JSON.stringify(nodes), {
        nodes,
        people: num(row.x),
        occurrences: num(row.y),
      });
    } else if (row.kind === 'node') {
      node(num(row.depth), text(row.a)).through = num(row.x);
    } else if (row.kind === 'link') {
      counts.links.set(JSON.stringify([num(row.depth), text(row.a), text(row.b)]), num(row.x));
    } else if (row.kind === 'end') {
      const last = node(num(row.depth), text(row.a));
      last.ended = num(row.x);
      last.endedPeople = num(row.y);
    } else if (row.kind === 'total') {
      counts.totals = { people: num(row.x), personPaths: num(row.y), occurrences: num(row.z) };
      lostPeople = num(row.w);
    } else if (row.kind === 'lost') {
      const mine = lostPaths.get(text(row.a)) ?? [];
      const path = pathOf(row);
      for (let i = num(row.y); i > 0; i -= 1) mine.push(path);
      lostPaths.set(text(row.a), mine);
    }
  }
  if (lostPeople > o.lostCap) return { counts, lost: null };
  const taken = createPathsTally(o.direction, o.steps);
  for (const mine of lostPaths.values()) taken.addPerson(mine);
  addPathCounts(counts, taken.counts, -1);
  return { counts, lost: [...lostPaths.keys()] };
}
