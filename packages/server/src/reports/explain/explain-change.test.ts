import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetricSeries, findReport, type QueryContext } from '../../queries/index.ts';
import type { OrderRow } from '../../store/index.ts';
import { makeOrderRow } from '../../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import { explainChange } from './explain-change.ts';

const DAY_MS = 86_400_000;
/** Local midnight starting 2026-11-<d> in Asia/Shanghai (UTC+8). */
const dayStart = (d: number) => Date.UTC(2026, 10, d) - 8 * 3_600_000;
const PROVINCES = ['浙江', '广东', '北京'] as const;
const PRICE: Record<string, number> = { douyin: 20_000, wechat: 10_000, web: 15_000, app: 5_000 };

let next = 0;
/** `counts[i]` paid orders of `channel` in PROVINCES[i] on day d, each of `amount`. */
function makeOrders(d: number, channel: string, counts: readonly number[], amount?: number) {
  const rows: OrderRow[] = [];
  counts.forEach((count, p) => {
    for (let i = 0; i < count; i += 1) {
      next += 1;
      rows.push(
        makeOrderRow({
          orderId: `o${next}`,
          userId: `u${next}`,
          channel,
          province: PROVINCES[p] ?? null,
          payAmount: amount ?? PRICE[channel] ?? 0,
          paidAt: dayStart(d) + 3_600_000 + next * 1000,
        }),
      );
    }
  });
  return rows;
}

describe('explainChange', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    const channels = Object.keys(PRICE);
    await f.load({
      orders: [
        // Days 20 → 21: douyin loses 60% of its orders, the others wobble by one order.
        ...channels.flatMap((channel) => makeOrders(20, channel, [7, 7, 6])),
        ...makeOrders(21, 'douyin', [3, 3, 2]),
        ...makeOrders(21, 'wechat', [7, 7, 7]),
        ...makeOrders(21, 'web', [7, 6, 6]),
        ...makeOrders(21, 'app', [7, 7, 6]),
        // Days 22 → 23: 北京 loses 60% in every channel; 浙江 one web order less.
        ...channels.flatMap((channel) => makeOrders(22, channel, [10, 10, 10])),
        ...channels.flatMap((channel) =>
          makeOrders(23, channel, [channel === 'web' ? 9 : 10, 10, 4]),
        ),
        // Days 24 → 25: AOV falls because cheap douyin orders triple (mix), prices unchanged.
        ...makeOrders(24, 'douyin', [4, 3, 3], 10_000),
        ...makeOrders(24, 'wechat', [4, 3, 3], 30_000),
        ...makeOrders(25, 'douyin', [12, 9, 9], 10_000),
        ...makeOrders(25, 'wechat', [4, 3, 3], 30_000),
      ],
    });
  });
  afterAll(() => f.close());

  const dayCtx = (d: number): QueryContext =>
    f.ctx({ from: dayStart(d), to: dayStart(d) + DAY_MS });
  const previousDay = (d: number) => ({ from: dayStart(d - 1), to: dayStart(d) });
  const DIMENSIONS = ['channel', 'province', 'platform', 'page'];

  it('names the channel that lost its orders, with its hand-computed share', async () => {
    const ctx = dayCtx(21);
    const explanation = await explainChange(ctx, {
      metric: 'gmv',
      previous: previousDay(21),
      dimensions: DIMENSIONS,
      locale: 'en',
    });
    // Day 20: 400000 + 200000 + 300000 + 100000; day 21: 160000 + 210000 + 285000 + 100000.
    expect(explanation).toMatchObject({
      metric: 'gmv',
      metricName: 'GMV (paid)',
      unit: 'currency',
      current: 755_000,
      previous: 1_000_000,
      change: -245_000,
      dimension: 'channel',
    });
    expect(explanation.drivers).toEqual([
      {
        dimension: 'channel',
        dimensionName: 'Channel',
        segment: 'douyin',
        current: 160_000,
        previous: 400_000,
        contribution: -240_000,
        share: 240_000 / 245_000,
      },
    ]);
    expect(explanation.text).toBe(
      'GMV (paid) fell 24.5% (−¥2,450) vs the previous day; channel douyin explains 98% of it (¥4,000 → ¥1,600).',
    );
  });

  it('uses the same headline numbers as computeMetricSeries and the kpis report', async () => {
    const ctx = dayCtx(21);
    const explanation = await explainChange(ctx, {
      metric: 'gmv',
      previous: previousDay(21),
      dimensions: ['channel'],
      locale: 'zh-CN',
    });
    const series = await computeMetricSeries(ctx, 'gmv', { granularity: 'all' });
    const kpis = findReport('kpis');
    if (!kpis) throw new Error('kpis report missing');
    const result = (await kpis.run(
      ctx,
      kpis.params.parse({ metrics: ['gmv'], compare: 'previous' }),
    )) as { kpis: Array<{ value: number | null; previous: number | null }> };
    expect(series.groups[0]?.values[0]).toBe(explanation.current);
    expect([result.kpis[0]?.value, result.kpis[0]?.previous]).toEqual([
      explanation.current,
      explanation.previous,
    ]);
    expect(explanation.text).toBe(
      'GMV（支付金额）较前一日下降 24.5%（−¥2,450），其中渠道 douyin 贡献 98%（¥4,000 → ¥1,600）。',
    );
  });

  it('still finds a segment that fell out of the current top N', async () => {
    // Top 1 on day 21 is web (285000); douyin, first on day 20, must still be compared.
    const explanation = await explainChange(dayCtx(21), {
      metric: 'gmv',
      previous: previousDay(21),
      dimensions: ['channel'],
      locale: 'en',
      breakdownLimit: 1,
    });
    expect(explanation.drivers.map((d) => [d.segment, d.share])).toEqual([
      ['douyin', 240_000 / 245_000],
    ]);
  });

  it('names the province when the change is planted there', async () => {
    const explanation = await explainChange(dayCtx(23), {
      metric: 'gmv',
      previous: previousDay(23),
      dimensions: DIMENSIONS,
      locale: 'en',
    });
    // 北京: 500000 → 200000 of a 1500000 → 1185000 drop; 浙江 −15000 is below the bar.
    expect([explanation.current, explanation.previous, explanation.dimension]).toEqual([
      1_185_000,
      1_500_000,
      'province',
    ]);
    expect(explanation.drivers.map((d) => [d.segment, d.previous, d.current, d.share])).toEqual([
      ['北京', 500_000, 200_000, 300_000 / 315_000],
    ]);
    expect(explanation.text).toBe(
      'GMV (paid) fell 21.0% (−¥3,150) vs the previous day; province 北京 explains 95% of it (¥5,000 → ¥2,000).',
    );
  });

  it('blames a ratio change on the segment whose weight grew (AOV mix shift)', async () => {
    const explanation = await explainChange(dayCtx(25), {
      metric: 'aov',
      previous: previousDay(25),
      dimensions: DIMENSIONS,
      locale: 'en',
    });
    // AOV 400000 / 20 = 20000 → 600000 / 40 = 15000; douyin's own AOV stays 10000, its
    // orders go from 10 to 30: ((300000 − 100000) − 20000 × 20) / 40 = −5000, all of it.
    expect([explanation.current, explanation.previous, explanation.change]).toEqual([
      15_000, 20_000, -5_000,
    ]);
    expect(explanation.dimension).toBe('channel');
    expect(explanation.drivers).toEqual([
      {
        dimension: 'channel',
        dimensionName: 'Channel',
        segment: 'douyin',
        current: 10_000,
        previous: 10_000,
        contribution: -5_000,
        share: 1,
      },
    ]);
    expect(explanation.text).toBe(
      'Average order value (AOV) fell 25.0% (−¥50) vs the previous day; channel douyin explains 100% of it (¥100 → ¥100).',
    );
  });

  it('says flat or unavailable, with no drivers', async () => {
    const flat = await explainChange(dayCtx(21), {
      metric: 'refund_amount',
      previous: previousDay(21),
      dimensions: DIMENSIONS,
      locale: 'en',
    });
    expect(flat).toMatchObject({
      current: 0,
      previous: 0,
      change: 0,
      dimension: null,
      drivers: [],
    });
    expect(flat.text).toBe('Refund amount was flat vs the previous day (¥0).');
    const none = await explainChange(dayCtx(26), {
      metric: 'aov',
      previous: previousDay(26),
      dimensions: DIMENSIONS,
      locale: 'zh-CN',
    });
    expect(none).toMatchObject({ current: null, previous: 15_000, change: null, drivers: [] });
    expect(none.text).toBe('客单价（AOV）本期无数据。');
  });

  it('refuses invalid parameters', async () => {
    await expect(
      explainChange(dayCtx(21), {
        metric: 'gmv',
        previous: { from: dayStart(21), to: dayStart(20) },
        dimensions: [],
        locale: 'en',
      }),
    ).rejects.toMatchObject({ code: 'ERR_QUERY_INVALID' });
    await expect(
      explainChange(dayCtx(21), {
        metric: 'no_such_metric',
        previous: previousDay(21),
        dimensions: [],
        locale: 'en',
      }),
    ).rejects.toMatchObject({ code: 'ERR_QUERY_METRIC_UNKNOWN' });
  });
});
