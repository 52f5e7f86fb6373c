import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow, IdentityRow } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import { computeMetricSeries } from '../../series/metric-series.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { segmentMatchSchema, type SegmentRule } from './segment-definition.ts';
import {
  buildSegmentMembersSql,
  countSegmentMembers,
  readSegmentMembers,
  refreshSegmentMembers,
  type SegmentScope,
} from './segment-members.ts';

const DAY = 86_400_000;
// Local midnight starting 2026-11-21 in Shanghai.
const NOW = Date.parse('2026-11-20T16:00:00Z');

function ev(
  who: { userId?: string; anonymousId?: string },
  name: string,
  eventTime: number,
  extra: Partial<EventRow> = {},
): EventRow {
  return makeEventRow({
    userId: who.userId ?? null,
    anonymousId: who.anonymousId ?? null,
    name,
    type: name === 'page_view' ? 'page' : 'event',
    eventTime,
    receivedAt: eventTime,
    ...extra,
  });
}

const u = (userId: string) => ({ userId });

describe('segment members', () => {
  let f: QueryFixture;
  let scope: SegmentScope;
  beforeAll(async () => {
    f = await createQueryFixture();
    scope = { store: f.store, projectId: 'p_test', now: NOW };
    await f.load({
      events: [
        // u1: three page views in the last 7 days (one exactly 7 days before now), plan free → pro.
        ev(u('u1'), 'page_view', NOW - DAY, { channel: 'wechat' }),
        ev(u('u1'), 'page_view', NOW - 2 * DAY),
        ev(u('u1'), 'page_view', NOW - 7 * DAY),
        ev(u('u1'), 'login', NOW - 20 * DAY, { props: '{"plan":"free"}' }),
        ev(u('u1'), 'login', NOW - 2 * DAY, { props: '{"plan":"pro"}' }),
        // u2: two add_to_cart as anon-2 (later linked to u2) and one as u2; a page view just
        // outside 7 days.
        ev({ anonymousId: 'anon-2' }, 'add_to_cart', NOW - 3 * DAY),
        ev({ anonymousId: 'anon-2' }, 'add_to_cart', NOW - 3 * DAY + 3_600_000),
        ev(u('u2'), 'add_to_cart', NOW - DAY),
        ev(u('u2'), 'page_view', NOW - 7 * DAY - 1, { channel: 'douyin' }),
        // u3: old activity; plan pro as an identify trait 100 days ago.
        ev(u('u3'), 'page_view', NOW - 40 * DAY),
        ev({ userId: 'u3', anonymousId: 'anon-3' }, '$identify', NOW - 100 * DAY, {
          type: 'identify',
          props: '{"plan":"pro"}',
        }),
        // u5: a page view after now does not count yet; plan free.
        ev(u('u5'), 'page_view', NOW + 3_600_000),
        ev(u('u5'), 'login', NOW - 10 * DAY, { props: '{"plan":"free"}' }),
        // u6: a late event (received now, happened 5 days ago) counts by when it happened.
        ev(u('u6'), 'page_view', NOW - 5 * DAY, { receivedAt: NOW }),
        // Not people of the segment universe: a bot and a server API call.
        ev(u('bot'), 'page_view', NOW - DAY, { isBot: true }),
        ev(u('u4'), 'api_call', NOW - DAY, { type: 'api' }),
      ],
      identities: [
        { projectId: 'p_test', anonymousId: 'anon-2', userId: 'u2', linkedAt: NOW - DAY },
      ],
    });
  });
  afterAll(() => f.close());

  async function members(match: 'all' | 'any', rules: unknown[]): Promise<string[]> {
    const parsed = segmentMatchSchema.parse({ match, rules });
    const params = new SqlParams();
    const sql = buildSegmentMembersSql(scope, parsed, params);
    const rows = await runQuery(f, `${sql} ORDER BY 1`, params.values);
    return rows.map((row) => String(row.person_id));
  }

  const views = (op: string, count: number, withinDays: number, extra = {}) => ({
    kind: 'behavior',
    event: 'page_view',
    op,
    count,
    withinDays,
    ...extra,
  });
  const plan = (op: string, value?: unknown, withinDays?: number) => ({
    kind: 'property',
    property: 'plan',
    op,
    ...(value === undefined ? {} : { value }),
    ...(withinDays === undefined ? {} : { withinDays }),
  });

  it.each([
    [
      'page views ≥ 1 in 7 days (future and 7 d + 1 ms ago left out)',
      'all',
      [views('gte', 1, 7)],
      ['u1', 'u6'],
    ],
    ['page views ≥ 3 in 7 days (exactly 7 days ago counts)', 'all', [views('gte', 3, 7)], ['u1']],
    ['page views = 1 in 7 days', 'all', [views('eq', 1, 7)], ['u6']],
    ['page views = 2 in 7 days', 'all', [views('eq', 2, 7)], []],
    [
      'add_to_cart ≥ 3 in 7 days: anonymous events merge into the linked user',
      'all',
      [{ kind: 'behavior', event: 'add_to_cart', op: 'gte', count: 3, withinDays: 7 }],
      ['u2'],
    ],
    [
      'no page view in 30 days',
      'all',
      [{ kind: 'behavior', event: 'page_view', did: false, withinDays: 30 }],
      ['u3', 'u5'],
    ],
    ['page views ≤ 0 in 30 days', 'all', [views('lte', 0, 30)], ['u3', 'u5']],
    ['latest plan is pro (default 90 days)', 'all', [plan('eq', 'pro')], ['u1']],
    [
      'latest plan is pro within 365 days (identify traits count)',
      'all',
      [plan('eq', 'pro', 365)],
      ['u1', 'u3'],
    ],
    [
      'latest plan is not pro: people without a plan match',
      'all',
      [plan('neq', 'pro')],
      ['u2', 'u3', 'u5', 'u6'],
    ],
    ['plan is set', 'all', [plan('is_set')], ['u1', 'u5']],
    ['plan is not set', 'all', [plan('not_set')], ['u2', 'u3', 'u6']],
    [
      'latest channel in wechat, douyin within 30 days',
      'all',
      [
        {
          kind: 'property',
          dimension: 'channel',
          op: 'in',
          value: ['wechat', 'douyin'],
          withinDays: 30,
        },
      ],
      ['u1', 'u2'],
    ],
    ['any: ≥ 3 views or plan free', 'any', [views('gte', 3, 7), plan('eq', 'free')], ['u1', 'u5']],
    [
      'all: a view in 30 days and plan not pro',
      'all',
      [views('gte', 1, 30), plan('neq', 'pro')],
      ['u2', 'u6'],
    ],
    [
      'behaviour filters: wechat page views',
      'all',
      [views('gte', 1, 7, { filters: [{ dimension: 'channel', op: 'eq', value: 'wechat' }] })],
      ['u1'],
    ],
  ])('%s', async (_name, match, rules, expected) => {
    expect(await members(match as 'all' | 'any', rules)).toEqual(expected);
  });

  it('counts nobody in a project without events', async () => {
    const empty = { ...scope, projectId: 'nobody' };
    const match = segmentMatchSchema.parse({ rules: [views('gte', 0, 7)] });
    expect(await countSegmentMembers(empty, match)).toBe(0);
  });

  it('refreshes members in place, and the segment filter counts only them', async () => {
    const match = segmentMatchSchema.parse({ rules: [views('gte', 1, 7)] });
    expect(await refreshSegmentMembers(scope, 'seg_a', match)).toBe(2);
    // A second refresh replaces the rows rather than adding to them.
    expect(await refreshSegmentMembers(scope, 'seg_a', match)).toBe(2);
    const stored = await f.store.query(
      `SELECT person_id FROM segment_members WHERE segment_id = 'seg_a' ORDER BY 1`,
    );
    expect(stored.map((row) => row.person_id)).toEqual(['u1', 'u6']);

    // Page views of the 8 days before now: u1 ×3, u2 ×1, u6 ×1 (the bot's and u5's future one
    // left out); the segment holds u1 and u6.
    const range = { from: NOW - 8 * DAY, to: NOW };
    const all = await computeMetricSeries(f.ctx(range), 'pv', { granularity: 'all' });
    const only = await computeMetricSeries(f.ctx({ ...range, segmentId: 'seg_a' }), 'pv', {
      granularity: 'all',
    });
    expect(all.groups[0]?.values).toEqual([5]);
    expect(only.groups[0]?.values).toEqual([4]);
  });

  it('reads stored members a page at a time', async () => {
    const everyone = segmentMatchSchema.parse({ rules: [views('gte', 0, 365)] });
    expect(await refreshSegmentMembers(scope, 'seg_all', everyone)).toBe(5);
    const pages: string[][] = [];
    for await (const page of readSegmentMembers(f.store, 'p_test', 'seg_all', 2)) pages.push(page);
    expect(pages).toEqual([['u1', 'u2'], ['u3', 'u5'], ['u6']]);
  });

  it('matches a naive evaluation of random rules over random events (property)', async () => {
    let run = 0;
    const people = ['a', 'b', 'c', 'd'];
    const event = fc.record({
      who: fc.constantFrom(...people),
      anonymous: fc.boolean(),
      name: fc.constantFrom('view', 'buy'),
      ageMs: fc.integer({ min: -DAY, max: 40 * DAY }),
      tier: fc.constantFrom('x', 'y', null),
      isBot: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    });
    const rule: fc.Arbitrary<SegmentRule> = fc.oneof(
      fc.record({
        kind: fc.constant('behavior' as const),
        event: fc.constantFrom('view', 'buy'),
        op: fc.constantFrom('gte' as const, 'lte' as const, 'eq' as const),
        count: fc.integer({ min: 0, max: 3 }),
        withinDays: fc.integer({ min: 1, max: 30 }),
      }),
      fc.record({
        kind: fc.constant('behavior' as const),
        event: fc.constantFrom('view', 'buy'),
        did: fc.constant(false as const),
        withinDays: fc.integer({ min: 1, max: 30 }),
      }),
      fc.record({
        kind: fc.constant('property' as const),
        property: fc.constant('tier'),
        op: fc.constantFrom('eq' as const, 'neq' as const),
        value: fc.constantFrom('x', 'y'),
        withinDays: fc.integer({ min: 1, max: 30 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { minLength: 0, maxLength: 120 }),
        fc.subarray(people),
        fc.array(rule, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('all' as const, 'any' as const),
        async (events, linked, rules, match) => {
          const projectId = `prop-${(run += 1)}`;
          const rows = events.map((e) =>
            makeEventRow({
              projectId,
              userId: e.anonymous ? null : e.who,
              anonymousId: e.anonymous ? `anon-${e.who}` : null,
              name: e.name,
              eventTime: NOW - e.ageMs,
              isBot: e.isBot,
              props: JSON.stringify(e.tier === null ? {} : { tier: e.tier }),
            }),
          );
          const identities: IdentityRow[] = linked.map((who) => ({
            projectId,
            anonymousId: `anon-${who}`,
            userId: who,
            linkedAt: NOW,
          }));
          await f.load({ events: rows, identities });
          const params = new SqlParams();
          const parsed = segmentMatchSchema.parse({ match, rules });
          const sql = buildSegmentMembersSql({ ...scope, projectId }, parsed, params);
          const got = await runQuery(f, `${sql} ORDER BY 1`, params.values);
          expect(got.map((row) => String(row.person_id))).toEqual(
            naiveMembers(rows, new Set(linked), parsed.rules, match),
          );
        },
      ),
      { numRuns: 25, seed: 2026 },
    );
  });
});

/** The definition read literally, one person and one rule at a time. */
function naiveMembers(
  events: readonly EventRow[],
  linked: ReadonlySet<string>,
  rules: readonly SegmentRule[],
  match: 'all' | 'any',
): string[] {
  const personOf = (e: EventRow) => {
    if (e.userId) return e.userId;
    const who = (e.anonymousId ?? '').replace(/^anon-/, '');
    return linked.has(who) ? who : e.anonymousId;
  };
  const past = events.filter((e) => e.eventTime < NOW);
  const universe = [...new Set(past.filter((e) => !e.isBot).map(personOf))].filter(
    (p): p is string => p !== null,
  );
  const inWindow = (e: EventRow, days: number) => e.eventTime >= NOW - days * DAY;
  const holds = (person: string, rule: SegmentRule): boolean => {
    const mine = past.filter(
      (e) => !e.isBot && personOf(e) === person && inWindow(e, rule.withinDays),
    );
    if (rule.kind === 'behavior') {
      const n = mine.filter((e) => e.name === rule.event).length;
      if ('did' in rule) return n === 0;
      return rule.op === 'gte'
        ? n >= rule.count
        : rule.op === 'lte'
          ? n <= rule.count
          : n === rule.count;
    }
    const carrying = mine
      .map((e) => ({ e, tier: (JSON.parse(e.props) as { tier?: string }).tier }))
      .filter((x) => x.tier !== undefined)
      .sort((a, b) => b.e.eventTime - a.e.eventTime || (a.e.eventId < b.e.eventId ? 1 : -1));
    const latest = carrying[0]?.tier;
    if (rule.op === 'eq') return latest === rule.value;
    return latest !== rule.value;
  };
  return universe
    .filter((person) =>
      match === 'all' ? rules.every((r) => holds(person, r)) : rules.some((r) => holds(person, r)),
    )
    .sort();
}
