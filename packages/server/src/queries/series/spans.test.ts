import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentityRow } from '../../store/index.ts';
import { countingStore } from '../../testing/counting-store.ts';
import { makeEventRow } from '../../testing/event-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import { withRange } from '../context/query-context.ts';
import { findReport } from '../reports/registry.ts';
import { computeMetricOverSpans, computeMetricSeries } from './metric-series.ts';

const DAY_MS = 86_400_000;
const START = Date.parse('2026-11-01T16:00:00Z'); // local midnight in Shanghai

const eventArb = fc.record({
  offsetMs: fc.integer({ min: 0, max: 12 * DAY_MS }),
  user: fc.option(fc.constantFrom('u1', 'u2', 'u3'), { nil: null }),
  anon: fc.option(fc.constantFrom('a1', 'a2', 'a3', 'a4'), { nil: null }),
  name: fc.constantFrom('page_view', 'login', 'pay_order'),
  bot: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
  channel: fc.option(fc.constantFrom('wechat', 'douyin'), { nil: null }),
});

describe('a metric over adjacent spans in one pass', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
  });
  afterAll(() => f.close());

  it('gives each span what asking for it alone gives (new users)', async () => {
    let project = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 1, maxLength: 80 }),
        fc.array(
          fc.record({ anon: fc.constantFrom('a1', 'a2'), user: fc.constantFrom('u1', 'u4') }),
          {
            maxLength: 2,
          },
        ),
        // Span edges anywhere in the 11 days (off the quarter hour too): two or three spans.
        fc.uniqueArray(fc.integer({ min: 1, max: 1_050 }), { minLength: 1, maxLength: 2 }),
        fc.boolean(),
        fc.constantFrom(null, 'wechat'),
        async (events, links, edges, useRollups, channel) => {
          project += 1;
          const projectId = `p${project}`;
          await f.load({
            events: events.map((e) =>
              makeEventRow({
                projectId,
                eventTime: START + e.offsetMs,
                receivedAt: START + e.offsetMs,
                userId: e.user,
                anonymousId: e.anon,
                deviceId: e.user || e.anon ? null : 'd1',
                name: e.name,
                isBot: e.bot,
                channel: e.channel,
              }),
            ),
          });
          const identities: IdentityRow[] = links.map((link) => ({
            projectId,
            anonymousId: link.anon,
            userId: link.user,
            linkedAt: START,
          }));
          if (identities.length > 0) await f.load({ identities });
          const from = START + DAY_MS;
          const to = START + 12 * DAY_MS;
          const starts = [from, ...edges.sort((a, b) => a - b).map((q) => from + q * 900_007)];
          const ctx = f.ctx({
            from,
            to,
            projectId,
            useRollups,
            filters: channel ? [{ dimension: 'channel', op: 'eq', value: channel }] : [],
          });
          const spans = await computeMetricOverSpans(ctx, 'new_users', starts);
          const apart = await Promise.all(
            starts.map(async (start, i) => {
              const series = await computeMetricSeries(
                withRange(ctx, start, starts[i + 1] ?? to),
                'new_users',
                { granularity: 'all' },
              );
              return series.groups[0]?.values[0] ?? null;
            }),
          );
          expect(spans).toEqual(apart);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('is asked only for metrics where it saves work', async () => {
    const ctx = f.ctx({ from: START, to: START + 2 * DAY_MS });
    expect(await computeMetricOverSpans(ctx, 'dau', [START, START + DAY_MS])).toBeNull();
    await expect(
      computeMetricOverSpans(ctx, 'new_users', [START + 1, START + DAY_MS]),
    ).rejects.toThrow(/range start/);
  });

  it('answers KPI new users and the period before with one query, as two would', async () => {
    const projectId = 'kpi';
    const day = (n: number, hour: number) => START + n * DAY_MS + hour * 3_600_000;
    // u1 first seen on day 0, u2 on day 2, u3 on day 3 and again later, a1 (later u4) on day 4.
    await f.load({
      events: [
        ['u1', null, day(0, 10)],
        ['u2', null, day(2, 23)],
        ['u3', null, day(3, 1)],
        ['u3', null, day(4, 5)],
        [null, 'a1', day(4, 6)],
        ['u4', 'a1', day(5, 7)],
        ['u1', null, day(5, 8)],
      ].map(([user, anon, time]) =>
        makeEventRow({
          projectId,
          userId: user as string | null,
          anonymousId: anon as string | null,
          eventTime: time as number,
          receivedAt: time as number,
          name: 'login',
        }),
      ),
      identities: [{ projectId, anonymousId: 'a1', userId: 'u4', linkedAt: day(5, 7) }],
    });
    const counted = countingStore(f.store, (sql) => sql.includes('first_person'));
    const ctx = { ...f.ctx({ from: day(3, 0), to: day(6, 0), projectId }), store: counted.store };
    const kpis = findReport('kpis');
    if (!kpis) throw new Error('kpis report missing');
    const result = (await kpis.run(ctx, { metrics: ['new_users'], compare: 'previous' })) as {
      compareFrom: string;
      kpis: Array<{ value: number | null; previous: number | null }>;
    };
    // Days 3–5: u3 and u4 (first seen as a1 on day 4); days 0–2: u1 and u2.
    expect(result.compareFrom).toBe(new Date(day(0, 0)).toISOString());
    expect(result.kpis[0]).toMatchObject({ value: 2, previous: 2 });
    expect(counted.count()).toBe(1);
    // The same year-on-year is asked per range.
    await kpis.run(ctx, { metrics: ['new_users'], compare: 'same_time_yesterday' });
    expect(counted.count()).toBe(3);
  });
});
