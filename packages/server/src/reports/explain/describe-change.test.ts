import { describe, expect, it } from 'vitest';
import type { ContributionItem } from '../report-document.ts';
import { describeChange, type DescribeChangeParams } from './describe-change.ts';
import { describePreviousPeriod } from './describe-previous-period.ts';

const driver = (
  dimension: string,
  dimensionName: string,
  segment: string,
  share: number,
  previous: number | null,
  current: number | null,
): ContributionItem => ({
  dimension,
  dimensionName,
  segment,
  current,
  previous,
  contribution: 0,
  share,
});

const base: DescribeChangeParams = {
  locale: 'en',
  metricName: 'Orders',
  unit: 'count',
  current: 120,
  previous: 100,
  periodLabel: 'the previous week',
  drivers: [],
  searched: true,
};

describe('describeChange', () => {
  const cases: Array<{ name: string; params: Partial<DescribeChangeParams>; want: string }> = [
    {
      name: 'two drivers',
      params: {
        drivers: [
          driver('channel', 'Channel', 'wechat', 0.6, 40, 52),
          driver('channel', 'Channel', '$other', 0.25, 10, 15),
        ],
      },
      want: 'Orders rose 20.0% (+20) vs the previous week; channel wechat explains 60% of it (40 → 52), channel others 25% (10 → 15).',
    },
    {
      name: 'no driver found',
      params: { current: 80 },
      want: 'Orders fell 20.0% (−20) vs the previous week; no single segment stands out.',
    },
    {
      name: 'not decomposable: nothing about segments',
      params: { searched: false },
      want: 'Orders rose 20.0% (+20) vs the previous week.',
    },
    {
      name: 'from zero',
      params: { previous: 0, unit: 'currency', metricName: 'Refund amount', current: 1_050 },
      want: 'Refund amount rose by ¥10.50 vs the previous week (from ¥0); no single segment stands out.',
    },
    {
      name: 'a rate moves in percentage points, a missing segment value reads "(not set)"',
      params: {
        metricName: 'API error rate',
        unit: 'ratio',
        previous: 0.01,
        current: 0.025,
        drivers: [driver('route', 'API route', '$none', 0.8, 0.004, 0.016)],
      },
      want: 'API error rate rose 150.0% (+1.5 pp) vs the previous week; API route (not set) explains 80% of it (0.4% → 1.6%).',
    },
    {
      name: 'no previous value',
      params: { previous: null },
      want: 'Orders is 120, with no value for the previous week to compare with.',
    },
    {
      name: 'zh-CN rise with a driver',
      params: {
        locale: 'zh-CN',
        metricName: '支付订单数',
        periodLabel: '上周',
        drivers: [driver('province', '省份', '浙江', 0.7, 30, 44)],
      },
      want: '支付订单数较上周上升 20.0%（+20），其中省份 浙江 贡献 70%（30 → 44）。',
    },
    {
      name: 'zh-CN flat',
      params: { locale: 'zh-CN', metricName: '支付订单数', periodLabel: '上周', current: 100 },
      want: '支付订单数与上周持平（100）。',
    },
    {
      name: 'zh-CN no previous value, spread',
      params: { locale: 'zh-CN', metricName: '支付订单数', periodLabel: '上周', previous: null },
      want: '支付订单数为 120，上周无数据可比。',
    },
  ];
  it.each(cases)('$name', ({ params, want }) => {
    expect(describeChange({ ...base, ...params })).toBe(want);
  });
});

describe('describePreviousPeriod', () => {
  const zone = 'Asia/Shanghai';
  const at = (month: number, day: number) => Date.UTC(2026, month - 1, day) - 8 * 3_600_000;
  it.each([
    [{ from: at(11, 19), to: at(11, 20) }, 'en', 'the previous day'],
    [{ from: at(11, 9), to: at(11, 16) }, 'zh-CN', '上周'],
    [{ from: at(10, 1), to: at(11, 1) }, 'en', 'the previous month'],
    [{ from: at(2, 1), to: at(3, 1) }, 'zh-CN', '上月'],
    [{ from: at(10, 2), to: at(11, 2) }, 'en', 'the previous period'],
    [{ from: at(11, 19) + 3_600_000, to: at(11, 20) + 3_600_000 }, 'en', 'the previous period'],
  ] as const)('%j in %s → %s', (range, locale, want) => {
    expect(describePreviousPeriod(range, zone, locale)).toBe(want);
  });
});
