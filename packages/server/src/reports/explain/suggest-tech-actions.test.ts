import { describe, expect, it } from 'vitest';
import type { ReportLocale, ReportSuggestion } from '../report-document.ts';
import { suggestActions } from './suggest-actions.ts';
import { withSignals, type Overrides } from './suggestion-signals-fixture.ts';

const cases: Array<{
  name: string;
  locale?: ReportLocale;
  signals: Overrides;
  want: ReportSuggestion[];
}> = [
  {
    name: 'API error rate above 2% with the worst route',
    signals: {
      api: {
        errorRate: { current: 0.034, previous: 0.008 },
        rate5xx: { current: 0.012, previous: 0.001 },
        worstErrorRoute: { route: 'POST /api/orders', requests: 200, errorRate: 0.125, p95Ms: 900 },
      },
    },
    want: [
      {
        rule: 'api_error_rate_high',
        severity: 'warning',
        text: 'API error rate is 3.4% (5xx 1.2%; previous 0.8%), above 2%; route POST /api/orders fails 12.5% of 200 requests: check its recent releases, dependencies and logs.',
      },
    ],
  },
  {
    name: 'API error rate of exactly 2% is not above it',
    signals: { api: { errorRate: { current: 0.02, previous: 0.01 } } },
    want: [],
  },
  {
    name: 'a slow route, critical past 3 s, and a high error rate without a route (zh-CN)',
    locale: 'zh-CN',
    signals: {
      api: {
        errorRate: { current: 0.06, previous: 0.01 },
        worstErrorRoute: null,
        slowestRoute: { route: 'GET /api/search', requests: 1_200, errorRate: 0, p95Ms: 3_500 },
      },
    },
    want: [
      {
        rule: 'api_error_rate_high',
        severity: 'critical',
        text: '接口错误率 6%（5xx 0.2%；上期 1%），超过 2%：请检查最近的发布与依赖服务。',
      },
      {
        rule: 'route_latency_high',
        severity: 'critical',
        text: '接口 GET /api/search 的 P95 响应时间 3.5 s（1,200 次请求），超过 1.5 s：请检查其慢查询与下游调用。',
      },
    ],
  },
  {
    name: 'a route p95 over 1.5 s',
    signals: {
      api: {
        slowestRoute: { route: 'GET /api/search', requests: 1_200, errorRate: 0, p95Ms: 2_300 },
      },
    },
    want: [
      {
        rule: 'route_latency_high',
        severity: 'warning',
        text: 'Route GET /api/search has a p95 latency of 2.3 s over 1,200 requests, above 1.5 s: check its slow queries and downstream calls.',
      },
    ],
  },
  {
    name: 'task failures up with one dominant error code',
    signals: {
      tasks: {
        failureRate: { current: 0.08, previous: 0.02 },
        topErrorCode: { code: 'E_MODEL_TIMEOUT', failed: 30, share: 0.75 },
      },
    },
    want: [
      {
        rule: 'task_failure_error_code',
        severity: 'warning',
        text: 'Task failure rate rose from 2% to 8%; error code E_MODEL_TIMEOUT accounts for 75% of failed tasks (30): check what raises it (dependent services, quotas, inputs).',
      },
    ],
  },
  {
    name: 'task failures up across codes; a rise under 2 pp is not',
    signals: {
      tasks: {
        failureRate: { current: 0.25, previous: 0.1 },
        topErrorCode: { code: 'E_A', failed: 3, share: 0.3 },
      },
      newUsers: { count: { current: 70, previous: 100 } },
    },
    want: [
      {
        rule: 'task_failure_rise',
        severity: 'critical',
        text: 'Task failure rate rose from 10% to 25%, not concentrated in one error code: check recent releases and the task workers.',
      },
      {
        rule: 'new_users_drop',
        severity: 'info',
        text: 'New users fell 30.0% (100 → 70), not concentrated in one channel: check acquisition spend and the sign-up flow.',
      },
    ],
  },
];

describe('suggestActions: API and task rules', () => {
  it.each(cases)('$name', ({ locale, signals, want }) => {
    expect(
      suggestActions({ locale: locale ?? 'en', explanations: [], signals: withSignals(signals) }),
    ).toEqual(want);
  });
});
