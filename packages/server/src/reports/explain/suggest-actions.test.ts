import { describe, expect, it } from 'vitest';
import type { ChangeExplanation, ReportLocale, ReportSuggestion } from '../report-document.ts';
import { suggestActions } from './suggest-actions.ts';
import { withSignals, type Overrides } from './suggestion-signals-fixture.ts';

function gmvExplanation(
  previous: number,
  current: number,
  driver?: { dimension: string; segment: string; share: number; previous: number; current: number },
): ChangeExplanation {
  return {
    metric: 'gmv',
    metricName: 'GMV (paid)',
    unit: 'currency',
    current,
    previous,
    change: current - previous,
    dimension: driver?.dimension ?? null,
    drivers: driver
      ? [
          {
            ...driver,
            dimensionName: driver.dimension,
            contribution: driver.share * (current - previous),
          },
        ]
      : [],
    text: '',
  };
}

const DOUYIN = { dimension: 'channel', segment: 'douyin', share: 240_000 / 245_000 };

const cases: Array<{
  name: string;
  locale?: ReportLocale;
  signals?: Overrides;
  explanations?: ChangeExplanation[];
  want: ReportSuggestion[];
}> = [
  {
    name: 'nothing crossed a threshold',
    explanations: [gmvExplanation(100_000, 95_000)],
    want: [],
  },
  {
    name: 'refund spike in one product type',
    signals: {
      refunds: {
        amount: { current: 56_000, previous: 12_000 },
        rate: { current: 0.065, previous: 0.02 },
        topProductType: {
          dimension: 'product_type',
          segment: 'membership',
          share: 0.82,
          current: 40_000,
          previous: 4_000,
        },
        topChannel: {
          dimension: 'channel',
          segment: 'douyin',
          share: 0.4,
          current: 1,
          previous: 0,
        },
      },
    },
    want: [
      {
        rule: 'refund_spike_product',
        severity: 'warning',
        text: 'Refunds ¥120 → ¥560, refund rate 2% → 6.5%; product type membership accounts for 82% of the increase (¥40 → ¥400): check its quality, description and logistics.',
      },
    ],
  },
  {
    name: 'refund spike in one channel, critical refund rate (zh-CN)',
    locale: 'zh-CN',
    signals: {
      refunds: {
        amount: { current: 30_000, previous: 10_000 },
        rate: { current: 0.12, previous: 0.04 },
        topProductType: null,
        topChannel: {
          dimension: 'channel',
          segment: 'kuaishou',
          share: 0.7,
          current: 15_000,
          previous: 1_000,
        },
      },
    },
    want: [
      {
        rule: 'refund_spike_channel',
        severity: 'critical',
        text: '退款金额 ¥100 → ¥300，退款率 4% → 12%；其中渠道 kuaishou 占增量的 70%（¥10 → ¥150）：请排查该渠道的订单（活动承诺、客群、刷单）。',
      },
    ],
  },
  {
    name: 'refund rate high and rising, spread out',
    signals: {
      refunds: {
        amount: { current: 13_000, previous: 12_000 },
        rate: { current: 0.055, previous: 0.04 },
        topProductType: {
          dimension: 'product_type',
          segment: 'goods',
          share: 0.45,
          current: 2,
          previous: 1,
        },
      },
    },
    want: [
      {
        rule: 'refund_spike',
        severity: 'warning',
        text: 'Refunds ¥120 → ¥130, refund rate 4% → 5.5%, not concentrated in one product type or channel: review refund reasons and after-sales feedback.',
      },
    ],
  },
  {
    name: 'GMV drop explained by one channel',
    explanations: [
      gmvExplanation(1_000_000, 755_000, { ...DOUYIN, previous: 400_000, current: 160_000 }),
    ],
    want: [
      {
        rule: 'gmv_drop_channel',
        severity: 'warning',
        text: "GMV (paid) fell 24.5% (¥10,000 → ¥7,550); channel douyin accounts for 98% of the drop (¥4,000 → ¥1,600): check that channel's campaigns, ad spend and traffic.",
      },
    ],
  },
  {
    name: 'GMV drop over 30% explained by a province (zh-CN)',
    locale: 'zh-CN',
    explanations: [
      {
        ...gmvExplanation(1_000_000, 600_000, {
          dimension: 'province',
          segment: '北京',
          share: 0.9,
          previous: 500_000,
          current: 140_000,
        }),
        metricName: 'GMV（支付金额）',
      },
    ],
    want: [
      {
        rule: 'gmv_drop_segment',
        severity: 'critical',
        text: 'GMV（支付金额）下降 40.0%（¥10,000 → ¥6,000）；其中省份 北京 占降幅的 90%（¥5,000 → ¥1,400）：请检查其库存、配送与活动。',
      },
    ],
  },
  {
    name: 'GMV drop with no single driver',
    explanations: [gmvExplanation(1_000_000, 880_000)],
    want: [
      {
        rule: 'gmv_drop',
        severity: 'warning',
        text: 'GMV (paid) fell 12.0% (¥10,000 → ¥8,800), not concentrated in one segment: check prices, stock and site availability.',
      },
    ],
  },
  {
    name: 'new users down, driven by one channel',
    signals: {
      tasks: { failureRate: { current: 0.04, previous: 0.03 } },
      newUsers: {
        count: { current: 700, previous: 1_000 },
        topChannel: {
          dimension: 'channel',
          segment: 'baidu',
          share: 0.8,
          current: 260,
          previous: 500,
        },
      },
    },
    want: [
      {
        rule: 'new_users_drop_channel',
        severity: 'warning',
        text: "New users fell 30.0% (1,000 → 700); channel baidu accounts for 80% of the drop (500 → 260): check that channel's campaigns and tracking.",
      },
    ],
  },
  {
    name: 'conversion drops and a commission ratio above the previous period',
    signals: {
      conversion: {
        pay: { current: 0.08, previous: 0.12 },
        registration: { current: 0.15, previous: 0.2 },
      },
      commission: { ratio: { current: 0.13, previous: 0.1 } },
    },
    want: [
      {
        rule: 'pay_conversion_drop',
        severity: 'warning',
        text: 'Payment conversion fell from 12% to 8%: check checkout, payment methods and prices.',
      },
      {
        rule: 'commission_ratio_high',
        severity: 'warning',
        text: 'Commission ratio rose from 10% to 13%, above the previous period: check commission rules and the agents with unusual rates (commission anomalies report).',
      },
      {
        rule: 'registration_conversion_drop',
        severity: 'info',
        text: 'Registration conversion fell from 20% to 15%: check the sign-up page and the quality of landing traffic.',
      },
    ],
  },
  {
    name: 'a commission ratio 15% up is normal',
    signals: { commission: { ratio: { current: 0.115, previous: 0.1 } } },
    want: [],
  },
];

describe('suggestActions', () => {
  it.each(cases)('$name', ({ locale, signals, explanations, want }) => {
    expect(
      suggestActions({
        locale: locale ?? 'en',
        explanations: explanations ?? [],
        signals: withSignals(signals ?? {}),
      }),
    ).toEqual(want);
  });
});
