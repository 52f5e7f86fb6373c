import { defineMetric } from '../metric-types.ts';
import { text } from './common.ts';

const ops = 'seed 001 §1.2 运营类指标';

export const OPERATIONS_METRICS = [
  defineMetric({
    id: 'registration_conversion',
    version: 1,
    group: 'operations',
    unit: 'ratio',
    name: text('注册转化率', 'Registration conversion'),
    definition: text(
      '注册数 / 渠道 UV（按渠道拆分）。',
      'Sign-ups / channel UV (break down by channel).',
    ),
    formula: { kind: 'ratio', numerator: 'registered_users', denominator: 'uv' },
    dimensions: [
      'channel',
      'campaign',
      'utm_source',
      'utm_medium',
      'utm_campaign',
      'platform',
      'province',
    ],
    aggregation: 'recompute',
    seed: ops,
  }),
  defineMetric({
    id: 'pay_conversion',
    version: 1,
    group: 'operations',
    unit: 'ratio',
    name: text('付费转化率', 'Payment conversion'),
    definition: text(
      '付费人数 / 注册数（按渠道拆分）。',
      'Paying users / sign-ups (break down by channel).',
    ),
    formula: { kind: 'ratio', numerator: 'paying_users', denominator: 'registered_users' },
    dimensions: ['channel', 'platform', 'province'],
    aggregation: 'recompute',
    seed: ops,
  }),
  defineMetric({
    id: 'campaign_cost',
    version: 1,
    group: 'operations',
    unit: 'currency',
    name: text('渠道/活动花费', 'Channel and campaign spend'),
    definition: text(
      '录入的渠道与活动花费之和（按日）。',
      'Sum of the entered channel and campaign spend (per day).',
    ),
    formula: { kind: 'sum', source: 'campaign_costs', field: 'cost' },
    dimensions: ['channel', 'campaign'],
    aggregation: 'sum',
    higherIsBetter: false,
    seed: ops,
  }),
  defineMetric({
    id: 'cac',
    version: 1,
    group: 'operations',
    unit: 'currency',
    name: text('获客成本（CAC）', 'Customer acquisition cost (CAC)'),
    definition: text(
      '渠道花费 / 新增付费人数：当期首次支付、且首次访问来自该渠道的用户。',
      'Channel spend / new paying users: users whose first paid order is in the period and whose first visit came from the channel.',
    ),
    formula: { kind: 'analysis', analysis: 'cac' },
    dimensions: ['channel'],
    aggregation: 'recompute',
    higherIsBetter: false,
    seed: ops,
  }),
  defineMetric({
    id: 'campaign_roi',
    version: 1,
    group: 'operations',
    unit: 'ratio',
    name: text('活动 ROI', 'Campaign ROI'),
    definition: text(
      'ROI = (活动带来 GMV − 成本) / 成本；活动带来 GMV 为首次访问来自该活动的用户在当期支付的 GMV（首次接触归因，非严格增量）。',
      'ROI = (GMV from the campaign − cost) / cost, where GMV from the campaign is what users whose first visit came from it paid in the period (first-touch attribution, not a controlled increment).',
    ),
    formula: { kind: 'analysis', analysis: 'campaign_roi' },
    dimensions: ['campaign', 'channel'],
    aggregation: 'recompute',
    seed: ops,
  }),
] as const;
