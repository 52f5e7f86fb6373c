import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import {
  startOfDay,
  EVENTS,
  IDENTITIES,
  atLocal,
  NOW,
} from '../reports/retention/retention-test-data.ts';
import { listBuckets } from '../series/buckets.ts';
import { computeMetricSeries } from '../series/metric-series.ts';
import { computeChurn } from './churn.ts';

// The week of data described in retention-test-data.ts (Shanghai, November 2026).
describe('retention and churn analyses', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({ events: EVENTS, identities: IDENTITIES });
  });
  afterAll(() => f.close());

  const metric = async (
    id: string,
    granularity: 'day' | 'week' | 'all',
    range: { from: number; to: number; now: number },
  ) => (await computeMetricSeries(f.ctx(range), id, { granularity })).groups[0]?.values;

  describe('retention_d1 / retention_d7', () => {
    it.each([
      // Signups: u1, u2 on the 20th (both back on the 21st); u3, u4 on the 21st (u3 back on
      // the 22nd as its linked anonymous id; u4 only as a bot and an API call); u5 on the 22nd
      // (not back on the 23rd).
      ['retention_d1', 'day', NOW, [1, 0.5, 0]],
      // (2 + 1 + 0) / (2 + 2 + 1): ratios of sums, not means of ratios.
      ['retention_d1', 'week', NOW, [0.6]],
      ['retention_d1', 'all', NOW, [0.6]],
      // At noon on the 23rd the 22nd's day 1 is not over: left out.
      ['retention_d1', 'day', atLocal(23, 12), [1, 0.5, null]],
      ['retention_d1', 'week', atLocal(23, 12), [0.75]],
      // The 23rd ended at midnight: exactly then the 22nd's cohort is complete.
      ['retention_d1', 'day', startOfDay(24), [1, 0.5, 0]],
      ['retention_d1', 'day', startOfDay(24) - 1, [1, 0.5, null]],
      ['retention_d7', 'day', NOW, [null, null, null]],
      ['retention_d7', 'day', startOfDay(30), [0, 0, 0]],
    ] as const)('%s by %s, now %i', async (id, granularity, now, expected) => {
      expect(
        await metric(id, granularity, { from: startOfDay(20), to: startOfDay(23), now }),
      ).toEqual(expected);
    });

    it('is null for a range without signups', async () => {
      expect(
        await metric('retention_d1', 'day', {
          from: startOfDay(26),
          to: startOfDay(28),
          now: startOfDay(30),
        }),
      ).toEqual([null, null]);
    });
  });

  describe('churn', () => {
    const churn = async (
      days: number,
      granularity: 'day' | 'week' | 'all',
      range: { from: number; to: number; now: number },
    ) => {
      const ctx = f.ctx(range);
      const buckets = await listBuckets(ctx, granularity);
      const series = await computeChurn(ctx, { days }, { granularity, buckets, groupBy: null });
      return series.groups[0]?.values;
    };
    const range = { from: startOfDay(20), to: startOfDay(26), now: NOW };

    it('windows end on each day; today is the last day of its window; later days are null', async () => {
      // 2-day windows ending on the 20th … 25th. On the 22nd: active on the 19th–20th were u3,
      // u9 (23:59:59.999 on the 19th), u1, u2; on the 21st–22nd all but u9 came back: 1/4.
      // On the 24th (today, noon): base u1–u5, back u1, u2, u5 (08:00): u3, u4 churned.
      expect(await churn(2, 'day', range)).toEqual([null, 0.5, 0.25, 0.25, 0.4, null]);
    });

    it('takes each bucket’s last day, clipped to today', async () => {
      expect(await churn(2, 'week', range)).toEqual([0.25, 0.4]);
      expect(await churn(2, 'all', range)).toEqual([0.4]);
    });

    it('does not read events after now', async () => {
      // At 07:00 on the 24th u5's login at 08:00 has not happened: u5 churned too.
      expect(await churn(2, 'all', { ...range, now: atLocal(24, 7) })).toEqual([0.6]);
    });

    it('is null for a range that starts after now', async () => {
      expect(await churn(2, 'day', { from: startOfDay(25), to: startOfDay(27), now: NOW })).toEqual(
        [null, null],
      );
    });

    it('churn_rate_14d: of u8 and u9 (active on 1 Nov), u8 never came back', async () => {
      expect(
        await metric('churn_rate_14d', 'day', {
          from: startOfDay(20),
          to: startOfDay(24),
          now: NOW,
        }),
      ).toEqual([0.5, 0.5, 0.5, 0.5]);
    });
  });
});
