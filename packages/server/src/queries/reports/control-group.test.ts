import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';

/**
 * Control-group comparisons (the filter bar's third compare mode next to 环比 and 同比): the
 * same range, with the control's filters in place of the filter bar's on the same fields.
 */
describe('compare with a control group', () => {
  let t: TestApp;
  const day = '2026-11-20';

  beforeAll(async () => {
    t = await createTestApp();
    // Bucket B (treatment): 3 people on wechat, 1 on douyin; bucket A (control): 2 on wechat.
    const people = [
      ['b1', 'B', 'wechat'],
      ['b2', 'B', 'wechat'],
      ['b3', 'B', 'wechat'],
      ['b4', 'B', 'douyin'],
      ['a1', 'A', 'wechat'],
      ['a2', 'A', 'wechat'],
    ] as const;
    const answer = await t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/batch',
      headers: {
        'x-sightline-key': t.project.writeKey,
        // A browser's: events without one count as bots, which active users leave out.
        'user-agent':
          'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/130.0 Safari/537.36',
      },
      payload: {
        batch: people.map(([user, bucket, channel], i) => ({
          event_id: randomUUID(),
          type: 'event',
          name: 'login',
          user_id: user,
          ab_bucket: bucket,
          channel,
          ts: `${day}T0${i}:00:00+08:00`,
        })),
      },
    });
    expect(answer.statusCode).toBe(200);
  });
  afterAll(() => t.close());

  async function report(name: string, body: Record<string, unknown>) {
    const answer = await t.app.fastify.inject({
      method: 'POST',
      url: `/api/v1/projects/${t.project.id}/reports/${name}`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: { from: day, to: day, ...body },
    });
    return answer;
  }

  it('compares KPI cards with the control bucket over the same range', async () => {
    const answer = await report('kpis', {
      metrics: ['active_users'],
      filters: [{ dimension: 'ab_bucket', op: 'eq', value: 'B' }],
      compare: 'control',
      control: { filters: [{ dimension: 'ab_bucket', op: 'eq', value: 'A' }] },
    });
    expect(answer.statusCode).toBe(200);
    const result = answer.json().result;
    expect(result.kpis[0]).toMatchObject({ value: 4, previous: 2, change: 2, changeRatio: 1 });
    // Same range: the control group is not another period.
    expect(result.compareFrom).toBe(answer.json().from);
    expect(result.compareTo).toBe(answer.json().to);
  });

  it('keeps the other filters of the filter bar for the control group', async () => {
    const answer = await report('trends', {
      granularity: 'all',
      series: [{ metric: 'active_users' }],
      filters: [
        { dimension: 'ab_bucket', op: 'eq', value: 'B' },
        { dimension: 'channel', op: 'eq', value: 'wechat' },
      ],
      compare: ['control', 'previous'],
      control: { filters: [{ dimension: 'ab_bucket', op: 'eq', value: 'A' }] },
    });
    expect(answer.statusCode).toBe(200);
    const series = answer.json().result.series[0];
    // Treatment on wechat: b1–b3; control on wechat: a1, a2; the day before: nobody.
    expect(series.groups).toEqual([{ key: null, values: [3], total: 3 }]);
    expect(series.compare.control).toEqual([{ key: null, values: [2], total: 2 }]);
    expect(series.compare.previous).toEqual([{ key: null, values: [0], total: 0 }]);
  });

  it('refuses compare "control" without control filters', async () => {
    const answer = await report('kpis', { metrics: ['active_users'], compare: 'control' });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().error.code).toBe('ERR_QUERY_INVALID');
    expect(answer.json().error.message).toContain('control');
  });
});
