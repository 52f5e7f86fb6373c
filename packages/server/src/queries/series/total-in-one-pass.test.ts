import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Granularity } from '@sightline/shared';
import { makeEventRow } from '../../testing/event-row-fixture.ts';
import { makeOrderRow } from '../../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import {
  computeFormulaSeries,
  computeFormulaSeriesWithTotal,
  requireMetric,
} from './metric-series.ts';

// Local (Shanghai) midnight of 2026-11-20; three local days from there.
const START = Date.parse('2026-11-19T16:00:00Z');
const DAY_MS = 86_400_000;
// Plain aggregates of each kind: counts (also from the rollup), distinct people, sums, averages,
// percentiles, requests per second; on events and on orders.
const METRICS = ['pv', 'uv', 'events', 'gmv', 'orders', 'api_latency_p95', 'qps_avg'];

const eventArb = fc.record({
  ms: fc.integer({ min: 0, max: 3 * DAY_MS - 1 }),
  user: fc.option(fc.constantFrom('u1', 'u2', 'u3'), { nil: null }),
  kind: fc.constantFrom('page', 'api', 'event'),
  duration: fc.integer({ min: 1, max: 2_000 }),
  channel: fc.option(fc.constantFrom('wechat', 'douyin', 'baidu'), { nil: null }),
});
const orderArb = fc.record({
  ms: fc.integer({ min: 0, max: 3 * DAY_MS - 1 }),
  amount: fc.integer({ min: 1, max: 50_000 }),
  channel: fc.option(fc.constantFrom('wechat', 'douyin'), { nil: null }),
});

describe('a series and its totals in one pass', () => {
  let f: QueryFixture;
  let run = 0;
  beforeAll(async () => {
    f = await createQueryFixture();
  });
  afterAll(() => f.close());

  it('gives what the series and its total by `all` give apart', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { maxLength: 40 }),
        fc.array(orderArb, { maxLength: 10 }),
        fc.constantFrom<Granularity>('hour', 'day', 'week'),
        fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
        async (events, orders, granularity, limit) => {
          const projectId = `p_total_${(run += 1)}`;
          await f.load({
            events: events.map((e) =>
              makeEventRow({
                projectId,
                userId: e.user,
                anonymousId: e.user ? null : 'anon',
                eventTime: START + e.ms,
                type: e.kind,
                name: e.kind === 'page' ? 'page_view' : e.kind === 'api' ? 'api_call' : 'login',
                durationMs: e.kind === 'api' ? e.duration : null,
                status: e.kind === 'api' ? 200 : null,
                channel: e.channel,
              }),
            ),
            orders: orders.map((o, i) =>
              makeOrderRow({
                projectId,
                orderId: `o${i}`,
                userId: 'u1',
                payAmount: o.amount,
                paidAt: START + o.ms,
                orderTime: START + o.ms,
                channel: o.channel,
              }),
            ),
          });
          // Ranges on and off the minute grid (the count rollup answers only on it).
          const ctx = f.ctx({
            projectId,
            from: START,
            to: START + 3 * DAY_MS - (run % 2) * 1_234,
            now: START + 2 * DAY_MS,
          });
          const breakdown = limit ? { dimension: 'channel', limit } : null;
          for (const id of METRICS) {
            const formula = requireMetric(id).formula;
            const ranked = breakdown ? { keep: ['wechat'], breakdown } : { breakdown };
            const both = await computeFormulaSeriesWithTotal(ctx, formula, {
              ...ranked,
              granularity,
            });
            const apart = {
              series: await computeFormulaSeries(ctx, formula, { ...ranked, granularity }),
              total: await computeFormulaSeries(ctx, formula, { ...ranked, granularity: 'all' }),
            };
            expect(both, id).toEqual(apart);
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it('leaves formulas that are not one aggregate to the caller', async () => {
    const ctx = f.ctx({ from: START, to: START + DAY_MS });
    for (const id of ['dau', 'aov', 'qps_peak', 'session_length'])
      expect(
        await computeFormulaSeriesWithTotal(ctx, requireMetric(id).formula, {
          granularity: 'hour',
        }),
        id,
      ).toBeNull();
  });
});
