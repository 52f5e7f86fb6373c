import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import { countPathsInSql, PATHS_METHODS, type PathsMethod } from './count-paths.ts';
import { pathsParams } from './paths-params.ts';
import { computePaths } from './paths-report.ts';

// Edges where the SQL path (one window reading a few events past each anchor) is built unlike
// the walk: each case has its own project, and every answer is checked by SQL alone (when SQL
// settles it), by the default methods and by the walk.

// Shanghai is UTC+8: local day 2026-11-20 runs from 2026-11-19T16:00Z to 2026-11-20T16:00Z.
const D20 = Date.parse('2026-11-19T16:00:00Z');
const D21 = D20 + 86_400_000;
const T = Date.parse('2026-11-20T02:00:00Z');
const s = (seconds: number) => T + seconds * 1000;
const ms = (milliseconds: number) => T + milliseconds;
const SQL_ONLY: PathsMethod[] = [{ spare: 4, timeEach: false, lostCap: 0 }];

let ids = 0;
/** Event ids in the order of creation, unless given: ties at one millisecond go by id. */
const nextId = () => `00000000-0000-4000-8000-${String((ids += 1)).padStart(12, '0')}`;

function ev(
  projectId: string,
  who: string | [string | null, string | null],
  session: string | null,
  time: number,
  what: string,
  extra: Partial<EventRow> = {},
): EventRow {
  const [userId, anonymousId] = typeof who === 'string' ? [who, null] : who;
  const page = what.startsWith('/');
  return makeEventRow({
    projectId,
    eventId: nextId(),
    userId,
    anonymousId,
    sessionId: session,
    eventTime: time,
    receivedAt: time,
    type: page ? 'page' : what === 'js_error' ? 'error' : 'event',
    name: page ? 'page_view' : what,
    page: page ? what : null,
    ...extra,
  });
}

const page = (value: string) => ({
  event: 'page_view',
  filters: [{ dimension: 'page', op: 'eq' as const, value }],
});
const runs = (from: number, count: number, at: (i: number) => number, what: string) =>
  Array.from({ length: count }, (_, i) => ev('p_runs', 'u9', 's9', at(from + i), what));

const events: EventRow[] = [
  // Ties: '/b' and '/a' share a millisecond and go by id ('/a' was created first, so it is
  // the smaller id even though it is listed second here); so do '/x', '/home' and '/y'.
  ev('p_ties', 'u1', 's1', s(0), '/home'),
  ...[ev('p_ties', 'u1', 's1', s(1), '/a'), ev('p_ties', 'u1', 's1', s(1), '/b')].reverse(),
  ev('p_ties', 'u1', 's1', s(2), '/c'),
  ev('p_ties', 'u2', 's2', s(0), '/x'),
  ev('p_ties', 'u2', 's2', s(0), '/home'),
  ev('p_ties', 'u2', 's2', s(0), '/y'),
  // Window edges, 60 s: 59.999 s away is in, 60 s is out, on both sides.
  ev('p_edges', 'u3', null, s(0), 'add_to_cart'),
  ev('p_edges', 'u3', null, ms(59_999), 'view_product'),
  ev('p_edges', 'u3', null, s(60), 'checkout'),
  ev('p_edges', 'u3', null, ms(119_998), 'share'),
  // Identity: a5 is linked to u5, so the visit is one person's, whichever id each event has.
  ev('p_ids', [null, 'a5'], 's5', s(0), '/home'),
  ev('p_ids', ['u5', 'a5'], 's5', s(10), '/list'),
  ev('p_ids', [null, 'a5'], 's5', s(20), '/cart'),
  ev('p_ids', [null, 'a6'], 's5', s(15), '/me'), // same visit id, another (unlinked) person
  // Range ends: anchors in [D20, D21); their paths run past the range as far as the reach.
  ev('p_range', 'u6', 's6', D21 - 1, '/home'),
  ev('p_range', 'u6', 's6', D21 + 1000, '/list'),
  ev('p_range', 'u6', 's6', D21 + 2000, '/home'), // after the range: a node, not an anchor
  ev('p_range', 'u6', 's6', D21 + 3000, '/cart'),
  ev('p_range', 'u7', 's7', D20 - 1000, '/a'),
  ev('p_range', 'u7', 's7', D20, '/home'),
  ev('p_range', 'u7', 's7', D20 - 2000, '/home'), // before the range: not an anchor
  // Anchors that are no node (an error; a page view without a page) sit inside runs of '/a':
  // each run stays one node, and a path from them compares its first node with their name.
  ev('p_error', 'u8', 's8', s(0), '/a'),
  ev('p_error', 'u8', 's8', s(1), 'js_error'),
  ev('p_error', 'u8', 's8', s(2), '/a'),
  ev('p_error', 'u8', 's8', s(3), 'js_error'),
  ev('p_error', 'u8', 's8', s(4), '/a'),
  ev('p_error', 'u8', 's8', s(5), '/b'),
  ev('p_error', 'u12', 's12', s(0), '/a'),
  ev('p_error', 'u12', 's12', s(1), '/a', { page: null }),
  ev('p_error', 'u12', 's12', s(2), '/a'),
  ev('p_error', 'u12', 's12', s(3), '/b'),
  // Longer than the window reads: a run of 30 '/list', and a visit spanning more than a day.
  ev('p_runs', 'u9', 's9', s(0), '/home'),
  ...runs(1, 30, s, '/list'),
  ev('p_runs', 'u9', 's9', s(31), '/cart'),
  ev('p_runs', 'u10', 's10', D20 + 3_600_000, '/home'),
  ev('p_runs', 'u10', 's10', D20 + 3_600_000 + 86_400_000, '/list'),
  ev('p_runs', 'u11', 's11', s(0), '/home'),
  ev('p_runs', 'u11', 's11', s(1), '/list'),
];

describe('paths in SQL, at the edges', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({
      events,
      identities: [{ projectId: 'p_ids', anonymousId: 'a5', userId: 'u5', linkedAt: s(10) }],
    });
  });
  afterAll(() => f.close());

  /** The top paths, checked to be the same by SQL alone (if it settles), default and walk. */
  async function topPaths(projectId: string, params: Record<string, unknown>, inSql = true) {
    const ctx = f.ctx({ from: D20, to: D21, projectId });
    const parsed = pathsParams.parse(params);
    const result = await computePaths(ctx, parsed);
    expect(await computePaths(ctx, parsed, ['walk'])).toEqual(result);
    const { lost } = await countPathsInSql(ctx, parsed, (parsed.start ?? parsed.end)!, {
      spare: 4,
      timeEach: false,
      lostCap: 1_000,
    });
    expect(lost?.length === 0).toBe(inSql);
    if (inSql) expect(await computePaths(ctx, parsed, SQL_ONLY)).toEqual(result);
    return result.topPaths.map((p) => [p.nodes.join(' '), p.people, p.occurrences]);
  }

  it('orders events of one millisecond by id, the anchor among them', async () => {
    const home = { start: page('/home'), steps: 3, eventType: 'page' };
    expect(await topPaths('p_ties', home)).toEqual([
      ['/home /a /b /c', 1, 1],
      ['/home /y', 1, 1],
    ]);
    expect(await topPaths('p_ties', { ...home, start: undefined, end: page('/home') })).toEqual([
      ['/home', 1, 1],
      ['/x /home', 1, 1],
    ]);
  });

  it('keeps the window half-open on both sides', async () => {
    const window = { steps: 3, sessionScoped: false, windowSeconds: 60 };
    expect(await topPaths('p_edges', { ...window, start: { event: 'add_to_cart' } })).toEqual([
      ['add_to_cart view_product', 1, 1],
    ]);
    expect(await topPaths('p_edges', { ...window, end: { event: 'checkout' } })).toEqual([
      ['view_product checkout', 1, 1],
    ]);
    expect(await topPaths('p_edges', { ...window, start: { event: 'checkout' } })).toEqual([
      ['checkout share', 1, 1],
    ]);
  });

  it('follows a merged identity through a visit and leaves other people out', async () => {
    const result = await topPaths('p_ids', { start: page('/home'), eventType: 'page' });
    expect(result).toEqual([['/home /list /cart', 1, 1]]);
  });

  it('takes anchors from the range only, and nodes beyond it within reach', async () => {
    const pages = { steps: 3, eventType: 'page' };
    // Ties in people and occurrences go by the paths' JSON text: a longer path comes first.
    expect(await topPaths('p_range', { ...pages, start: page('/home') })).toEqual([
      ['/home /list /home /cart', 1, 1],
      ['/home', 1, 1],
    ]);
    expect(await topPaths('p_range', { ...pages, end: page('/home') })).toEqual([
      ['/home /a /home', 1, 1],
      ['/home', 1, 1],
    ]);
  });

  it('collapses repeats across anchors that are no node, against their own name first', async () => {
    const pages = { steps: 3, eventType: 'page' };
    expect(await topPaths('p_error', { ...pages, start: { event: 'js_error' } })).toEqual([
      ['js_error /a /b', 1, 2],
    ]);
    expect(await topPaths('p_error', { ...pages, end: { event: 'js_error' } })).toEqual([
      ['/a js_error', 1, 2],
    ]);
    expect(await topPaths('p_error', { ...pages, start: { event: 'page_view' } })).toEqual([
      ['/a /b', 2, 5],
      ['/b', 2, 2],
      ['page_view /a /b', 1, 1],
    ]);
    const repeats = { ...pages, collapseRepeats: false };
    expect(await topPaths('p_error', { ...repeats, start: page('/a') })).toEqual([
      ['/a /a /b', 2, 2],
      ['/a /b', 2, 2],
      ['/a /a /a /b', 1, 1],
    ]);
  });

  it('walks the people whose paths reach past what the window read', async () => {
    const home = { start: page('/home'), steps: 3, eventType: 'page' };
    expect(await topPaths('p_runs', home, false)).toEqual([
      ['/home /list /cart', 1, 1],
      ['/home /list', 1, 1],
      ['/home', 1, 1],
    ]);
    const ctx = f.ctx({ from: D20, to: D21, projectId: 'p_runs' });
    const { lost } = await countPathsInSql(ctx, pathsParams.parse(home), page('/home'), {
      spare: 4,
      timeEach: false,
      lostCap: 1_000,
    });
    expect(lost?.sort()).toEqual(['u10', 'u9']);
    // Reading each event's time settles the visit longer than a day, not the long run.
    const timed = await countPathsInSql(ctx, pathsParams.parse(home), page('/home'), {
      spare: 24,
      timeEach: true,
      lostCap: 1_000,
    });
    expect(timed.lost).toEqual(['u9']);
    expect(PATHS_METHODS[0]).toEqual({ spare: 4, timeEach: false, lostCap: 200 });
  });
});
