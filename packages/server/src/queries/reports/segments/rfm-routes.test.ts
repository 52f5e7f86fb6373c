import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../../../platform/index.ts';
import { createWriteBatch } from '../../../store/index.ts';
import { makeOrderRow } from '../../../testing/order-row-fixture.ts';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';

// The test project is in Asia/Shanghai.
const NOW = Date.parse('2026-12-01T04:00:00Z');

describe('POST /api/v1/projects/:projectId/reports/rfm', () => {
  let t: TestApp;
  const clock = createFakeClock(NOW);

  beforeEach(async () => {
    clock.set(NOW);
    t = await createTestApp({ clock });
    const order = (orderId: string, userId: string, iso: string, payAmount: number) =>
      makeOrderRow({
        projectId: t.project.id,
        orderId,
        userId,
        paidAt: Date.parse(iso),
        payAmount,
      });
    await t.app.services.eventStore.commit(
      createWriteBatch({
        orders: [
          order('o1', 'vip', '2026-11-30T15:00:00Z', 30_000), // local 30th 23:00
          order('o2', 'vip', '2026-11-10T04:00:00Z', 20_000),
          order('o3', 'once', '2026-11-02T04:00:00Z', 1_000),
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

  it('answers segments and buyers as JSON and CSV', async () => {
    const body = { from: '2026-11-01', to: '2026-11-30' };
    const res = await post('rfm', body);
    expect(res.statusCode).toBe(200);
    const { result } = res.json();
    // vip beats once on every measure: R, F, M = 1 + ⌊5 × 1 / 2⌋ = 3; once: 1, 1, 1.
    expect(result.buyers).toBe(2);
    expect(result.topBuyers).toEqual([
      expect.objectContaining({
        personId: 'vip',
        recencyDays: 0,
        frequency: 2,
        monetary: 50_000,
        r: 3,
        f: 3,
        m: 3,
        segment: 'need_attention',
      }),
      expect.objectContaining({
        personId: 'once',
        recencyDays: 28,
        frequency: 1,
        monetary: 1_000,
        r: 1,
        f: 1,
        m: 1,
        segment: 'hibernating',
      }),
    ]);
    const csv = await post('rfm.csv', body);
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split('\r\n')).toEqual([
      '\uFEFFperson_id,recency_days,frequency,monetary,last_paid_at,r,f,m,segment,segment_zh',
      'vip,0,2,50000,2026-11-30T15:00:00.000Z,3,3,3,Need attention,需要关注客户',
      'once,28,1,1000,2026-11-02T04:00:00.000Z,1,1,1,Hibernating,沉睡客户',
      '',
    ]);
  });
});
