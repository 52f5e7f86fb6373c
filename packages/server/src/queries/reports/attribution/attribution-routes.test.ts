import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../../platform/index.ts';
import { createWriteBatch } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';

// The test project is in Asia/Shanghai: local 2026-11-20 is 2026-11-19T16:00Z … 11-20T16:00Z.
const NOW = Date.parse('2026-11-21T04:00:00Z');
const CONVERTED = Date.parse('2026-11-20T02:00:00Z');
const DAY = 86_400_000;

describe('POST /api/v1/projects/:projectId/reports/attribution', () => {
  let t: TestApp;
  const clock = createFakeClock(NOW);

  beforeEach(async () => {
    clock.set(NOW);
    t = await createTestApp({ clock });
    const projectId = t.project.id;
    const ev = (name: string, eventTime: number, extra = {}) =>
      makeEventRow({ projectId, userId: 'u1', name, eventTime, ...extra });
    await t.app.services.eventStore.commit(
      createWriteBatch({
        events: [
          ev('page_view', CONVERTED - 14 * DAY, { channel: 'baidu' }),
          ev('page_view', CONVERTED, { channel: 'wechat' }),
          ev('order_completed', CONVERTED, { amount: 9_000 }),
        ],
      }),
    );
  });
  afterEach(() => t.close());

  const post = (path: string, body: Record<string, unknown>) =>
    t.app.fastify.inject({
      method: 'POST',
      url: `/api/v1/projects/${t.project.id}/reports/${path}`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: body,
    });

  it('credits the conversion under every model, as JSON and CSV', async () => {
    // Half-life 14 days: baidu (14 days old) weighs ½ against wechat (same instant) → ⅓ and ⅔.
    const body = { from: '2026-11-20', to: '2026-11-20', halfLifeDays: 14 };
    const res = await post('attribution', body);
    expect(res.statusCode).toBe(200);
    const { result } = res.json();
    expect(result).toMatchObject({ conversions: 1, revenue: 9_000, withoutTouch: 0 });
    const wechat = result.rows.find((row: { value: string }) => row.value === 'wechat');
    expect(wechat.firstTouch).toEqual({ conversions: 0, revenue: 0 });
    expect(wechat.lastTouch).toEqual({ conversions: 1, revenue: 9_000 });
    expect(wechat.linear).toEqual({ conversions: 0.5, revenue: 4_500 });
    expect(wechat.timeDecay.revenue).toBeCloseTo(6_000, 9);

    const csv = await post('attribution.csv', { ...body, lookbackDays: 7 });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split('\r\n')).toEqual([
      '\uFEFFvalue,first_touch_conversions,first_touch_revenue,last_touch_conversions,last_touch_revenue,linear_conversions,linear_revenue,time_decay_conversions,time_decay_revenue',
      'wechat,1,9000,1,9000,1,9000,1,9000',
      '',
    ]);
  });

  it('refuses invalid parameters', async () => {
    const res = await post('attribution', { range: 'today', lookbackDays: 400 });
    expect(res.statusCode).toBe(400);
  });
});
