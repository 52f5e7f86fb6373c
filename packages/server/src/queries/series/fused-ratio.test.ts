import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { EventStore } from '../../store/index.ts';
import { countingStore } from '../../testing/counting-store.ts';
import { makeEventRow } from '../../testing/event-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import { computeMetricSeries } from './metric-series.ts';

const START = Date.parse('2026-11-19T16:00:00Z'); // local midnight in Shanghai
const HOUR_MS = 3_600_000;

/** Ratios whose numerator is the denominator narrowed by more conditions: one pass each. */
const FUSED = [
  ['api_error_rate', 'api_errors', 'api_requests'],
  ['task_success_rate', 'tasks_succeeded', 'tasks'],
  ['task_failure_rate', 'tasks_failed', 'tasks'],
] as const;

const eventArb = fc.record({
  hour: fc.integer({ min: 0, max: 71 }),
  kind: fc.constantFrom('api', 'task'),
  status: fc.constantFrom(200, 404, 500),
  task: fc.constantFrom('t1', 't2', 't3', 't4'),
  ok: fc.boolean(),
  timeout: fc.boolean(),
  route: fc.constantFrom('/api/a', '/api/b'),
});

/** Counts the statements that aggregate (bucket lists are listed once per range and kept). */
const counting = (store: EventStore) =>
  countingStore(store, (sql) => !sql.includes('generate_series'));

describe('ratios in one pass', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
  });
  afterAll(() => f.close());

  it('equal numerator / denominator computed apart, with and without rollups', async () => {
    let project = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 1, maxLength: 80 }),
        fc.constantFrom('hour' as const, 'day' as const, 'all' as const),
        fc.boolean(),
        async (events, granularity, useRollups) => {
          project += 1;
          const projectId = `p${project}`;
          await f.load({
            events: events.map((e) =>
              makeEventRow({
                projectId,
                userId: 'u1',
                eventTime: START + e.hour * HOUR_MS,
                receivedAt: START + e.hour * HOUR_MS,
                type: e.kind === 'api' ? 'api' : 'event',
                name: e.kind === 'api' ? 'api_call' : 'task_completed',
                status: e.kind === 'api' ? e.status : null,
                props: JSON.stringify(
                  e.kind === 'api'
                    ? { route: e.route, ...(e.timeout ? { timeout: true } : {}) }
                    : { task_id: e.task, status: e.ok ? 'success' : 'failed' },
                ),
              }),
            ),
          });
          const ctx = f.ctx({ projectId, from: START, to: START + 3 * 24 * HOUR_MS, useRollups });
          for (const [ratio, numerator, denominator] of FUSED) {
            const spy = counting(ctx.store);
            const fused = await computeMetricSeries({ ...ctx, store: spy.store }, ratio, {
              granularity,
            });
            const top = await computeMetricSeries(ctx, numerator, { granularity });
            const alone = counting(ctx.store);
            const bottom = await computeMetricSeries({ ...ctx, store: alone.store }, denominator, {
              granularity,
            });
            // As many statements as the denominator alone.
            expect(spy.count(), `${ratio} in one pass`).toBe(alone.count());
            const expected = top.groups[0]?.values.map((value, i) => {
              const d = bottom.groups[0]?.values[i];
              return value === null || !d ? null : value / d;
            });
            expect({ ratio, values: fused.groups[0]?.values }).toEqual({
              ratio,
              values: expected,
            });
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it('keeps the overall denominator of a breakdown in its own query', async () => {
    const ctx = f.ctx({ projectId: 'p_overall', from: START, to: START + 24 * HOUR_MS });
    await f.load({
      events: [200, 500, 500, 404].map((status, i) =>
        makeEventRow({
          projectId: 'p_overall',
          eventTime: START + i * HOUR_MS,
          receivedAt: START + i * HOUR_MS,
          type: 'api',
          name: 'api_call',
          status,
          props: JSON.stringify({ route: i < 2 ? '/api/a' : '/api/b' }),
        }),
      ),
    });
    const series = await computeMetricSeries(ctx, 'api_error_rate', {
      granularity: 'all',
      breakdown: { dimension: 'route', limit: 5 },
    });
    // Errors per route over all four requests: /api/a 1 of 4, /api/b 2 of 4.
    const byRoute = Object.fromEntries(series.groups.map((g) => [g.key, g.values[0]]));
    expect(byRoute).toEqual({ '/api/a': 0.25, '/api/b': 0.5 });
  });
});
