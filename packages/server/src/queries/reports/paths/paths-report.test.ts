import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import { pathsParams } from './paths-params.ts';
import { computePaths } from './paths-report.ts';

// Shanghai is UTC+8: local day 2026-11-20 runs from 2026-11-19T16:00Z to 2026-11-20T16:00Z.
const D20 = Date.parse('2026-11-19T16:00:00Z');
const D21 = D20 + 86_400_000;
const T = Date.parse('2026-11-20T02:00:00Z');
const at = (iso: string) => Date.parse(iso);
const s = (seconds: number) => T + seconds * 1000;

type Who = string | [string | null, string | null];
function ev(
  who: Who,
  session: string | null,
  time: number,
  what: string,
  extra: Partial<EventRow> = {},
) {
  const [userId, anonymousId] = typeof who === 'string' ? [who, null] : who;
  const page = what.startsWith('/');
  return makeEventRow({
    userId,
    anonymousId,
    sessionId: session,
    eventTime: time,
    receivedAt: time,
    type: page ? 'page' : 'event',
    name: page ? 'page_view' : what,
    page: page ? what : null,
    ...extra,
  });
}

const events: EventRow[] = [
  ev('u1', 's1', s(0), '/home'),
  ev('u1', 's1', s(60), '/list'),
  ev('u1', 's1', s(120), 'add_to_cart'),
  ev('u1', 's1', s(180), '/cart'),
  ev('u1', 's1', s(190), '/cart'), // an immediate repeat
  ev('u1', 's1', s(240), 'checkout'),
  ev('u1', 's2', s(7_200), '/home'), // a second visit, two hours later
  ev([null, 'a2'], 's3', s(300), '/home'), // anonymous, linked to u2
  ev(['u2', 'a2'], 's3', s(360), '/list', { receivedAt: at('2026-11-23T00:00:00Z') }), // late
  ev('u2', 's3', s(365), 'js_error', { type: 'error' }), // not a node
  ev('u2', 's3', s(370), '/list'),
  ev('u2', 's3', s(380), 'add_to_cart'),
  ev('u3', 's4', at('2026-11-19T16:00:00Z'), '/home'), // local 00:00 of the 20th
  ev('u4', 's5', at('2026-11-19T15:59:59.999Z'), '/home'), // local 19th: not an anchor
  ev('u4', 's5', at('2026-11-19T16:00:10Z'), 'add_to_cart'),
  ev('u4', null, at('2026-11-19T16:01:10Z'), 'share'), // no session
  ev('bot', 's9', s(0), '/home', { isBot: true }),
  ev('bot', 's9', s(10), '/list', { isBot: true }),
];

const home = {
  event: 'page_view',
  filters: [{ dimension: 'page', op: 'eq', value: '/home' }],
};

describe('paths report', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({
      events,
      identities: [{ projectId: 'p_test', anonymousId: 'a2', userId: 'u2', linkedAt: s(360) }],
    });
  });
  afterAll(() => f.close());

  const paths = (params: Record<string, unknown>, ctx = {}) =>
    computePaths(f.ctx({ from: D20, to: D21, ...ctx }), pathsParams.parse(params));

  it('follows pages after a start page within the session, collapsing repeats', async () => {
    const result = await paths({ start: home, steps: 3, eventType: 'page' });
    expect(result.totals).toEqual({ occurrences: 4, people: 3, personPaths: 4 });
    expect(result.topPaths).toEqual([
      { nodes: ['/home'], people: 2, occurrences: 2 },
      { nodes: ['/home', '/list', '/cart'], people: 1, occurrences: 1 },
      { nodes: ['/home', '/list'], people: 1, occurrences: 1 },
    ]);
    expect(result.dropOffs).toEqual([
      { id: '0:/home', name: '/home', depth: 0, paths: 2, people: 2, through: 4, rate: 0.5 },
      { id: '1:/list', name: '/list', depth: 1, paths: 1, people: 1, through: 2, rate: 0.5 },
      { id: '2:/cart', name: '/cart', depth: 2, paths: 1, people: 1, through: 1, rate: 1 },
    ]);
    expect(result.sankey).toEqual({
      nodes: [
        { id: '0:/home', name: '/home', depth: 0, value: 4 },
        { id: '1:/list', name: '/list', depth: 1, value: 2 },
        { id: '2:/cart', name: '/cart', depth: 2, value: 1 },
      ],
      links: [
        { source: '0:/home', target: '1:/list', value: 2 },
        { source: '1:/list', target: '2:/cart', value: 1 },
      ],
    });
  });

  it('keeps repeats when asked', async () => {
    const result = await paths({
      start: home,
      steps: 3,
      eventType: 'page',
      collapseRepeats: false,
    });
    expect(result.topPaths.map((p) => p.nodes)).toEqual([
      ['/home'],
      ['/home', '/list', '/cart', '/cart'],
      ['/home', '/list', '/list'],
    ]);
  });

  it('uses event names over a time window, with the rest of a depth merged into $other', async () => {
    const result = await paths({
      start: { event: 'add_to_cart' },
      steps: 2,
      sessionScoped: false,
      nodesPerDepth: 1,
    });
    expect(result.topPaths.map((p) => p.nodes)).toEqual([
      ['add_to_cart', 'page_view', 'checkout'],
      ['add_to_cart', 'share'],
      ['add_to_cart'],
    ]);
    expect(result.dropOffs.map((d) => [d.id, d.paths, d.through])).toEqual([
      ['0:add_to_cart', 1, 3],
      ['1:share', 1, 1],
    ]);
    expect(result.sankey).toEqual({
      nodes: [
        { id: '0:add_to_cart', name: 'add_to_cart', depth: 0, value: 3 },
        { id: '1:page_view', name: 'page_view', depth: 1, value: 1 },
        { id: '1:$other', name: '$other', depth: 1, value: 1 },
        { id: '2:checkout', name: 'checkout', depth: 2, value: 1 },
      ],
      links: [
        { source: '0:add_to_cart', target: '1:$other', value: 1 },
        { source: '0:add_to_cart', target: '1:page_view', value: 1 },
        { source: '1:page_view', target: '2:checkout', value: 1 },
      ],
    });
  });

  it('leaves events without a session out of session-scoped paths', async () => {
    const result = await paths({ start: { event: 'add_to_cart' }, steps: 2 });
    expect(result.topPaths.map((p) => [p.nodes, p.people])).toEqual([
      [['add_to_cart'], 2],
      [['add_to_cart', 'page_view', 'checkout'], 1],
    ]);
  });

  it('stops a windowed path at the window, which is half-open', async () => {
    const result = await paths({ start: home, steps: 2, sessionScoped: false, windowSeconds: 60 });
    expect(result.topPaths).toEqual([{ nodes: ['page_view'], people: 3, occurrences: 4 }]);
  });

  it('walks back from an end event, with negative depths', async () => {
    const result = await paths({ end: { event: 'checkout' }, steps: 3 });
    expect(result.topPaths).toEqual([
      { nodes: ['page_view', 'add_to_cart', 'page_view', 'checkout'], people: 1, occurrences: 1 },
    ]);
    expect(result.dropOffs).toEqual([]);
    expect(result.sankey.links).toEqual([
      { source: '-3:page_view', target: '-2:add_to_cart', value: 1 },
      { source: '-2:add_to_cart', target: '-1:page_view', value: 1 },
      { source: '-1:page_view', target: '0:checkout', value: 1 },
    ]);
  });

  it('answers nothing for an empty range, and refuses both or neither anchor', async () => {
    const empty = await paths(
      { start: home },
      { from: at('2026-01-01T00:00:00Z'), to: at('2026-01-02T00:00:00Z') },
    );
    expect(empty).toMatchObject({
      totals: { occurrences: 0, people: 0, personPaths: 0 },
      topPaths: [],
      dropOffs: [],
      sankey: { nodes: [], links: [] },
    });
    await expect(paths({})).rejects.toMatchObject({ code: 'ERR_QUERY_INVALID' });
    await expect(paths({ start: home, end: home })).rejects.toMatchObject({
      code: 'ERR_QUERY_INVALID',
    });
  });
});
