import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Granularity } from '@sightline/shared';
import { makeEventRow } from '../../testing/event-row-fixture.ts';
import { countingStore } from '../../testing/counting-store.ts';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import type { QueryContext } from '../context/query-context.ts';
import { computeFormulaSeries, rankGroups, requireMetric } from './metric-series.ts';

// Local (Shanghai) midnight of 2026-11-20; six local days of activity from there.
const START = Date.parse('2026-11-19T16:00:00Z');
const DAY_MS = 86_400_000;
const CHANNELS = ['wechat', 'douyin', 'baidu', 'organic', 'xhs'];

const eventArb = fc.record({
  day: fc.integer({ min: 0, max: 5 }),
  ms: fc.integer({ min: 0, max: DAY_MS - 1 }),
  user: fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8'),
  anonymous: fc.boolean(),
  channel: fc.option(fc.constantFrom(...CHANNELS), { nil: null }),
});

describe('DAU breakdowns ranked by their daily values', () => {
  let f: QueryFixture;
  let run = 0;
  beforeAll(async () => {
    f = await createQueryFixture();
  });
  afterAll(() => f.close());

  it('give what the breakdown query gives, ranked by the average day, with fewer queries', async () => {
    const dau = requireMetric('dau').formula;
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom<Granularity>('day', 'all'),
        // Ranges from local midnight, and from 03:00 (a first day that is not whole).
        fc.constantFrom(0, 3 * 3_600_000),
        async (events, limit, granularity, fromOffset) => {
          // Each case is a project of its own in one store.
          const projectId = `p_ranked_${(run += 1)}`;
          await f.load({
            events: events.map((e) =>
              makeEventRow({
                projectId,
                // Some visits are anonymous, linked to their user by an identity below.
                userId: e.anonymous ? null : e.user,
                anonymousId: e.anonymous ? `anon-${e.user}` : null,
                eventTime: START + e.day * DAY_MS + e.ms,
                name: 'login',
                channel: e.channel,
              }),
            ),
            identities: ['u1', 'u2', 'u3', 'u4'].map((user) => ({
              projectId,
              anonymousId: `anon-${user}`,
              userId: user,
              linkedAt: START,
            })),
          });
          const ctx: QueryContext = f.ctx({
            projectId,
            from: START + fromOffset,
            to: START + 6 * DAY_MS,
            now: START + 6 * DAY_MS,
            granularity,
          });
          const breakdown = { dimension: 'channel', limit };
          // Aggregate statements only: bucket lists are listed once per range and kept.
          const statements = countingStore(ctx.store, (sql) => sql.includes('count(DISTINCT'));
          const shown = await computeFormulaSeries({ ...ctx, store: statements.store }, dau, {
            granularity,
            breakdown,
          });
          const queries = statements.count();
          // The same groups through the breakdown query (nothing reused from the ranking).
          const ranking = await rankGroups(ctx, dau, breakdown);
          const queried = await computeFormulaSeries(ctx, dau, {
            granularity,
            breakdown,
            keep: ranking?.keep ?? null,
            ranked: null,
          });
          expect(shown).toEqual(queried);
          // Kept groups are the channels seen with the highest average day, ties by name.
          const seen = new Set(events.flatMap((e) => (e.channel ? [e.channel] : [])));
          const everyChannel = await computeFormulaSeries(ctx, dau, {
            granularity: 'all',
            breakdown,
            keep: CHANNELS,
            ranked: null,
          });
          const expected = everyChannel.groups
            .filter((group) => group.key !== null && seen.has(group.key))
            .sort(
              (a, b) =>
                (b.values[0] ?? 0) - (a.values[0] ?? 0) ||
                String(a.key).localeCompare(String(b.key)),
            )
            .slice(0, limit)
            .map((group) => group.key);
          expect(ranking?.keep).toEqual(expected);
          // Ranking read the breakdown too when at most one channel was left out (by day,
          // only when each day is whole: ranking reads days from their local midnight).
          const reused = seen.size <= limit + 1 && (granularity === 'all' || fromOffset === 0);
          expect(queries).toBe(reused ? 1 : 2);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
