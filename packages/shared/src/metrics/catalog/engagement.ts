import { defineMetric } from '../metric-types.ts';
import { ACTIVE, PAGE_VIEW, text, USER_DIMENSIONS } from './common.ts';

const PAGE_DIMENSIONS = [...USER_DIMENSIONS, 'page'] as const;

export const ENGAGEMENT_METRICS = [
  defineMetric({
    id: 'pv',
    version: 1,
    group: 'engagement',
    unit: 'count',
    name: text('浏览量（PV）', 'Page views (PV)'),
    definition: text('page_view 事件数（不含机器人）。', 'page_view events (bots excluded).'),
    formula: { kind: 'count', source: 'events', where: PAGE_VIEW },
    dimensions: PAGE_DIMENSIONS,
    aggregation: 'sum',
    seed: 'seed 001 §2.1 页面浏览',
  }),
  defineMetric({
    id: 'uv',
    version: 1,
    group: 'engagement',
    unit: 'users',
    name: text('访客数（UV）', 'Visitors (UV)'),
    definition: text(
      '有 page_view 的去重访客（登录用户按 user_id，未登录按匿名 id，identify 后合并）。',
      'Distinct visitors with a page_view: logged-in people by user_id, others by anonymous id, merged after identify.',
    ),
    formula: { kind: 'distinct', source: 'events', of: 'person', where: PAGE_VIEW },
    dimensions: PAGE_DIMENSIONS,
    aggregation: 'recompute',
    seed: 'seed 001 §2.1 页面浏览',
  }),
  defineMetric({
    id: 'sessions',
    version: 1,
    group: 'engagement',
    unit: 'count',
    name: text('会话数', 'Sessions'),
    definition: text(
      '有效事件中的去重 session_id 数。',
      'Distinct session_ids among valid events.',
    ),
    formula: { kind: 'distinct', source: 'events', of: 'session_id', where: ACTIVE },
    dimensions: USER_DIMENSIONS,
    aggregation: 'recompute',
    seed: 'seed 001 §1.1 诊断指标',
  }),
  defineMetric({
    id: 'session_length',
    version: 1,
    group: 'engagement',
    unit: 'seconds',
    name: text('平均会话时长', 'Average session length'),
    definition: text(
      '会话首个到最后一个有效事件的时长（秒）的平均值；会话归属其开始时间所在时段；只有一个事件的会话时长为 0。',
      'Mean of the time (seconds) from a session’s first to its last valid event; a session belongs to the bucket it started in; a one-event session lasts 0 s.',
    ),
    formula: { kind: 'analysis', analysis: 'session_length' },
    dimensions: USER_DIMENSIONS,
    aggregation: 'recompute',
    seed: 'seed 001 §1.1 诊断指标',
  }),
  defineMetric({
    id: 'bounce_rate',
    version: 1,
    group: 'engagement',
    unit: 'ratio',
    name: text('跳出率', 'Bounce rate'),
    definition: text(
      '只有一次 page_view、且没有其他交互事件的会话 / 有 page_view 的会话。',
      'Sessions with a single page_view and no other interaction / sessions with a page_view.',
    ),
    formula: { kind: 'analysis', analysis: 'bounce_rate' },
    dimensions: USER_DIMENSIONS,
    aggregation: 'recompute',
    higherIsBetter: false,
    seed: 'seed 001 §1.1 诊断指标',
  }),
] as const;
