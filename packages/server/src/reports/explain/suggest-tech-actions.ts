import type { ReportLocale, ReportSuggestion } from '../report-document.ts';
import { formatPercent, formatValue } from './format-text.ts';
import type { SuggestionSignals } from './suggestion-signals.ts';
import { SUGGESTION_THRESHOLDS as T } from './suggestion-thresholds.ts';

/** API error rate above 2% (naming the worst route) and a route whose p95 passes 1.5 s. */
export function suggestApiActions(
  api: SuggestionSignals['api'],
  locale: ReportLocale,
): ReportSuggestion[] {
  const zh = locale === 'zh-CN';
  const ratio = (value: number | null) => formatValue(value, 'ratio', locale);
  const count = (value: number) => formatValue(value, 'count', locale);
  const out: ReportSuggestion[] = [];
  const rate = api.errorRate.current;
  if (rate !== null && rate > T.apiErrorRate) {
    const head = zh
      ? `接口错误率 ${ratio(rate)}（5xx ${ratio(api.rate5xx.current)}；上期 ${ratio(api.errorRate.previous)}），超过 ${formatPercent(T.apiErrorRate, 0)}`
      : `API error rate is ${ratio(rate)} (5xx ${ratio(api.rate5xx.current)}; previous ${ratio(api.errorRate.previous)}), above ${formatPercent(T.apiErrorRate, 0)}`;
    const route = api.worstErrorRoute;
    const tail = route
      ? zh
        ? `；接口 ${route.route} 的 ${count(route.requests)} 次请求中错误率 ${ratio(route.errorRate)}：请检查该接口最近的发布、依赖与日志。`
        : `; route ${route.route} fails ${ratio(route.errorRate)} of ${count(route.requests)} requests: check its recent releases, dependencies and logs.`
      : zh
        ? '：请检查最近的发布与依赖服务。'
        : ': check recent releases and dependent services.';
    out.push({
      rule: 'api_error_rate_high',
      severity: rate > T.apiErrorRateCritical ? 'critical' : 'warning',
      text: `${head}${tail}`,
    });
  }
  const slow = api.slowestRoute;
  if (slow?.p95Ms !== null && slow?.p95Ms !== undefined && slow.p95Ms > T.routeP95Ms) {
    const p95 = formatValue(slow.p95Ms, 'ms', locale);
    const limit = formatValue(T.routeP95Ms, 'ms', locale);
    out.push({
      rule: 'route_latency_high',
      severity: slow.p95Ms > T.routeP95CriticalMs ? 'critical' : 'warning',
      text: zh
        ? `接口 ${slow.route} 的 P95 响应时间 ${p95}（${count(slow.requests)} 次请求），超过 ${limit}：请检查其慢查询与下游调用。`
        : `Route ${slow.route} has a p95 latency of ${p95} over ${count(slow.requests)} requests, above ${limit}: check its slow queries and downstream calls.`,
    });
  }
  return out;
}

/** Task failure rate up, with one dominant error code or spread across codes. */
export function suggestTaskActions(
  tasks: SuggestionSignals['tasks'],
  locale: ReportLocale,
): ReportSuggestion[] {
  const zh = locale === 'zh-CN';
  const { current, previous } = tasks.failureRate;
  if (current === null) return [];
  const rose =
    previous === null
      ? current >= T.taskFailureRisePoints
      : current - previous >= T.taskFailureRisePoints &&
        current >= previous * T.taskFailureRiseRatio;
  if (!rose) return [];
  const severity = current >= T.taskFailureCritical ? 'critical' : 'warning';
  const from = formatValue(previous, 'ratio', locale);
  const to = formatValue(current, 'ratio', locale);
  const code = tasks.topErrorCode;
  if (code && code.share >= T.concentratedShare) {
    const share = formatPercent(code.share, 0);
    const failed = formatValue(code.failed, 'count', locale);
    return [
      {
        rule: 'task_failure_error_code',
        severity,
        text: zh
          ? `任务失败率由 ${from} 升至 ${to}；错误码 ${code.code} 占失败任务的 ${share}（${failed} 个）：请排查产生该错误码的环节（依赖服务、配额、输入）。`
          : `Task failure rate rose from ${from} to ${to}; error code ${code.code} accounts for ${share} of failed tasks (${failed}): check what raises it (dependent services, quotas, inputs).`,
      },
    ];
  }
  return [
    {
      rule: 'task_failure_rise',
      severity,
      text: zh
        ? `任务失败率由 ${from} 升至 ${to}，未集中在某一错误码：请检查最近的发布与任务执行节点。`
        : `Task failure rate rose from ${from} to ${to}, not concentrated in one error code: check recent releases and the task workers.`,
    },
  ];
}
