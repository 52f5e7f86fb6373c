import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEventRow } from '../../testing/event-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import type { EventRow, IdentityRow } from '../../store/index.ts';
import { computeMetricSeries } from './metric-series.ts';

const DAY_MS = 86_400_000;
const START = Date.parse('2026-11-01T00:00:00Z');
const METRICS = [
  'dau',
  'wau',
  'mau',
  'active_users',
  'events',
  'pv',
  'api_requests',
  'api_errors',
  'api_5xx',
  'api_timeouts',
  'js_errors',
  'qps_avg',
  'new_users',
  'returning_users',
  'uv',
  'tasks',
  'tasks_succeeded',
  'tasks_failed',
  'task_success_rate',
  'task_failure_rate',
];
const ZONES = ['Asia/Shanghai', 'Asia/Kolkata', 'UTC', 'America/New_York'];

const eventArb = fc.record({
  // Few distinct minutes, so rollup rows add up several events; local midnights of the zones
  // below (16:00Z, 18:30Z, 04:00Z/05:00Z) and quarter-hour edges are among them.
  offsetMs: fc
    .tuple(
      fc.integer({ min: 0, max: 9 }),
      fc.constantFrom(14, 15, 240, 960, 1110),
      fc.integer({ min: 0, max: 59_999 }),
    )
    .map(([day, minute, ms]) => day * DAY_MS + minute * 60_000 + ms),
  // Anonymous often (one in three), so identity links change who people are.
  user: fc.option(fc.constantFrom('u1', 'u2', 'u3', 'u4'), { nil: null, freq: 3 }),
  anon: fc.option(fc.constantFrom('a1', 'a2', 'a3', 'a4', 'a5'), { nil: null }),
  device: fc.option(fc.constantFrom('d1', 'd2'), { nil: null }),
  kind: fc.constantFrom('page', 'event', 'api', 'error', 'identify', 'task'),
  bot: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  status: fc.option(fc.constantFrom(200, 500), { nil: null }),
  timeout: fc.boolean(),
  // A task's id and status: a task may finish twice, in other minutes and with another status;
  // an id may be missing, a number, or empty text, and a status missing.
  task: fc.constantFrom('t1', 't2', 't3', 7, '', null),
  taskStatus: fc.constantFrom('success', 'failed', null),
  channel: fc.option(fc.constantFrom('wechat', 'douyin', 'organic'), { nil: null }),
  platform: fc.option(fc.constantFrom('web', 'ios'), { nil: null }),
  province: fc.option(fc.constantFrom('广东省', '浙江省'), { nil: null }),
});

type GeneratedEvent = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;
const NAMES = {
  page: 'page_view',
  event: 'login',
  api: 'api_call',
  error: 'js_error',
  identify: '$identify',
  task: 'task_completed',
} as const;

function propsOf(e: GeneratedEvent): string {
  if (e.kind === 'api' && e.timeout) return '{"timeout":true}';
  if (e.kind !== 'task') return '{}';
  const props: Record<string, unknown> = { task_id: e.task };
  if (e.taskStatus !== null) props.status = e.taskStatus;
  return JSON.stringify(props);
}

function toRow(e: GeneratedEvent): EventRow {
  const time = START + e.offsetMs;
  const name = NAMES[e.kind];
  return makeEventRow({
    eventTime: time,
    receivedAt: time,
    userId: e.user,
    anonymousId: e.anon ?? (e.user || e.device ? null : 'a9'),
    deviceId: e.device,
    type: e.kind === 'task' ? 'event' : e.kind,
    name,
    isBot: e.bot,
    status: e.status,
    props: propsOf(e),
    channel: e.channel,
    platform: e.platform,
    province: e.province,
  });
}

describe('rollups', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
  });
  afterAll(() => f.close());

  it('give the same numbers as the events, in any zone and granularity', async () => {
    let project = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 60, maxLength: 200 }),
        fc.array(
          fc.record({ anon: fc.constantFrom('a1', 'a2', 'a3'), user: fc.constantFrom('u1', 'u5') }),
          { minLength: 1, maxLength: 3 },
        ),
        fc.constantFrom(...ZONES),
        fc.constantFrom('hour' as const, 'day' as const, 'week' as const, 'all' as const),
        fc.integer({ min: 1, max: 3 }),
        // Which commit brings the links: with the first events, or after all of them (rows
        // written before a link must learn of it; a later link of the same id changes nothing).
        fc.constantFrom('first', 'last'),
        async (events, links, timeZone, granularity, commits, linkedIn) => {
          project += 1;
          const projectId = `p${project}`;
          const rows = events.map((e) => ({ ...toRow(e), projectId }));
          const identities: IdentityRow[] = links.map((link) => ({
            projectId,
            anonymousId: link.anon,
            userId: link.user,
            linkedAt: START,
          }));
          // Several commits, so rollup rows of one minute are added up across applies. Each is
          // applied before the next (a query applies what is pending), or they would be one.
          const load = async (batch: Parameters<QueryFixture['load']>[0]) => {
            await f.load(batch);
            await f.store.query('SELECT 1');
          };
          const size = Math.ceil(rows.length / commits);
          for (let i = 0; i < rows.length; i += size)
            await load({
              events: rows.slice(i, i + size),
              ...(i === 0 && linkedIn === 'first' ? { identities } : {}),
            });
          if (linkedIn === 'last') await load({ identities });
          const from = START + DAY_MS;
          const to = START + 9 * DAY_MS;
          for (const metric of METRICS) {
            const base = { from, to, projectId, timeZone, now: to };
            const fast = await computeMetricSeries(f.ctx({ ...base, useRollups: true }), metric, {
              granularity,
            });
            const slow = await computeMetricSeries(f.ctx({ ...base, useRollups: false }), metric, {
              granularity,
            });
            expect({ metric, ...fast }).toEqual({ metric, ...slow });
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it('give the same active, new and returning people as the events by channel, platform and place', async () => {
    let project = 0;
    const dimension = fc.constantFrom('channel', 'platform', 'province');
    const value = fc.constantFrom('wechat', 'douyin', 'web', 'ios', '广东省');
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 40, maxLength: 150 }),
        fc.constantFrom(...ZONES),
        fc.constantFrom('day' as const, 'week' as const, 'all' as const),
        fc.option(dimension, { nil: null }),
        fc.array(
          fc.record({
            dimension,
            op: fc.constantFrom('eq' as const, 'neq' as const, 'is_set' as const),
            value,
          }),
          { maxLength: 2 },
        ),
        fc.boolean(),
        async (events, timeZone, granularity, breakdown, filters, scoped) => {
          project += 1;
          const projectId = `dims${project}`;
          await f.load({ events: events.map((e) => ({ ...toRow(e), projectId })) });
          const base = {
            from: START + DAY_MS,
            to: START + 9 * DAY_MS,
            projectId,
            timeZone,
            now: START + 9 * DAY_MS,
            filters: scoped ? [] : filters,
            rowScope: scoped ? filters : [],
          };
          for (const metric of [
            'dau',
            'wau',
            'active_users',
            'uv',
            'new_users',
            'returning_users',
          ]) {
            const options = {
              granularity,
              breakdown: breakdown ? { dimension: breakdown, limit: 2 } : null,
            };
            const fast = await computeMetricSeries(
              f.ctx({ ...base, useRollups: true }),
              metric,
              options,
            );
            const slow = await computeMetricSeries(
              f.ctx({ ...base, useRollups: false }),
              metric,
              options,
            );
            // Groups come in no particular order (all of them are kept and ranked elsewhere).
            const sorted = (series: typeof fast) =>
              [...series.groups].sort((a, b) => String(a.key).localeCompare(String(b.key)));
            expect({ metric, groups: sorted(fast) }).toEqual({ metric, groups: sorted(slow) });
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
