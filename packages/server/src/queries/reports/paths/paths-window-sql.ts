/** What the window query needs to know about the report (all values are bound placeholders). */
export interface PathWindowOptions {
  direction: 'start' | 'end';
  steps: number;
  sessionScoped: boolean;
  collapseRepeats: boolean;
  /** Events read past each anchor; paths that might need more are flagged, not guessed. */
  lookahead: number;
  /** Read each event's time even when session-scoped (see below). */
  timeEach: boolean;
  /** Placeholders: anchors in [from, to) epoch ms; events at least reach ms away end a path. */
  from: string;
  to: string;
  reach: string;
}

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const list = (n: number, item: (k: number) => string, glue = ', ') => upTo(n).map(item).join(glue);

/**
 * The path of every anchor, one row each: person, n0 (the anchor's node), p1 … p<steps> (the
 * nodes after it, or before it for `end`, nearest first, NULL past the path's end) and ok.
 *
 * One window over each person's (or person-session's) rows, ordered like the walk (t, id), reads
 * the next `lookahead` events of every anchor; the walk's rules then pick the path from them: an
 * event counts when it is a node, nearer than the reach and, when repeats collapse, not the same
 * node as the last one counted (the anchor's own node to begin with). `ok` is false when events
 * past the lookahead might still change the path (it is short of `steps` and the lookahead ended
 * before the rows or the reach did): the caller must not count such anchors.
 *
 * Session-scoped paths reach a day, which a visit hardly ever spans, so unless `timeEach` the
 * window reads, instead of each event's time, only the time of the partition's last (first, for
 * `end`) event: when it is within reach, so is every event; when not, the anchor is flagged.
 */
export function buildPathWindowSql(rows: string, o: PathWindowOptions): string {
  const m = Math.max(o.lookahead, o.steps);
  const start = o.direction === 'start';
  const ahead = start ? 'lead' : 'lag';
  const gap = (y: string) => (start ? `${y} - t` : `t - ${y}`);
  const timed = o.timeEach || !o.sessionScoped;
  const read = [
    list(m, (k) => `${ahead}(CASE WHEN is_node THEN node END, ${k}) OVER w AS x${k}`),
    timed
      ? list(m, (k) => `${ahead}(t, ${k}) OVER w AS y${k}`)
      : `${ahead}(t, ${m}) OVER w AS y${m}, ` +
        (start
          ? 'last_value(t) OVER (w ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS z'
          : 'first_value(t) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS z'),
  ].join(', ');
  const counted = (k: number) => {
    const last = [
      ...upTo(k - 1)
        .reverse()
        .map((j) => `x${j}`),
      'node',
    ].join(', ');
    return (
      `(x${k} IS NOT NULL` +
      (timed ? ` AND ${gap(`y${k}`)} < ${o.reach}` : '') +
      (o.collapseRepeats ? ` AND x${k} <> coalesce(${last})` : '') +
      `) AS g${k}`
    );
  };
  const running = (k: number) => `${list(k, (j) => `CAST(g${j} AS INTEGER)`, ' + ')} AS c${k}`;
  const pick = (i: number) =>
    `CASE ${list(m, (k) => (k >= i ? `WHEN g${k} AND c${k} = ${i} THEN x${k} ` : ''), '')}END AS p${i}`;
  const ok = timed
    ? `(c${m} >= ${o.steps} OR y${m} IS NULL OR ${gap(`y${m}`)} >= ${o.reach})`
    : `(${gap('z')} < ${o.reach} AND (c${m} >= ${o.steps} OR y${m} IS NULL))`;
  const keep = `person, node, t, y${m}${timed ? '' : ', z'}, ${list(m, (k) => `x${k}`)}`;
  return (
    `SELECT person, node AS n0, ${list(o.steps, pick)}, ${ok} AS ok FROM (` +
    `SELECT ${keep}, ${list(m, (k) => `g${k}`)}, ${list(m, running)} FROM (` +
    `SELECT ${keep}, ${list(m, counted)} FROM (` +
    `SELECT person, t, node, is_anchor, ${read} FROM (${rows}) r ` +
    `WINDOW w AS (PARTITION BY ${o.sessionScoped ? 'person, session' : 'person'} ORDER BY t, id)` +
    `) a WHERE is_anchor AND t >= ${o.from} AND t < ${o.to}) b) c`
  );
}
