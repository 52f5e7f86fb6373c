import { getMetric, type Locale, type MetricUnit } from '@sightline/shared';
import type { AlertRuleSpec } from './alert-rule-schema.ts';

/** A metric value in words for a notification (money is in minor units, ratios 0..1). */
export function formatMetricValue(value: number | null, unit: MetricUnit, locale: Locale): string {
  if (value === null || !Number.isFinite(value)) return locale === 'zh-CN' ? '无数据' : 'no data';
  const number = (n: number, digits: number) =>
    n.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  switch (unit) {
    case 'ratio':
      return `${number(value * 100, 2)}%`;
    case 'currency':
      return `¥${number(value / 100, 2)}`;
    case 'ms':
      return value >= 1000 ? `${number(value / 1000, 2)} s` : `${number(value, 0)} ms`;
    case 'seconds':
      return `${number(value, 1)} s`;
    case 'per_second':
      return `${number(value, 2)}/s`;
    case 'score':
      return number(value, 3);
    case 'count':
    case 'users':
      return number(value, 2);
  }
}

const OPS: Record<string, string> = { gt: '>', gte: '≥', lt: '<', lte: '≤' };

/** The rule's metric and condition in words: "API latency p95 > 1.5 s (last 5 min)". */
export function describeCondition(spec: AlertRuleSpec, locale: Locale): string {
  const metric = getMetric(spec.query.metric);
  const unit = metric?.unit ?? 'count';
  const name = metric?.name[locale] ?? spec.query.metric;
  const zh = locale === 'zh-CN';
  const window = zh
    ? `（近 ${spec.query.windowMinutes} 分钟）`
    : ` (last ${spec.query.windowMinutes} min)`;
  const c = spec.condition;
  switch (c.kind) {
    case 'threshold':
      return `${name} ${OPS[c.op] ?? c.op} ${formatMetricValue(c.value, unit, locale)}${window}`;
    case 'no_data':
      return zh ? `${name} 无数据${window}` : `${name} has no data${window}`;
    case 'change': {
      const ref = zh
        ? c.compareTo === 'previous_window'
          ? '上一窗口'
          : '上周同期'
        : c.compareTo === 'previous_window'
          ? 'the previous window'
          : 'the same time last week';
      const dir = zh
        ? { up: '上升', down: '下降', both: '变化' }[c.direction]
        : { up: 'rises', down: 'falls', both: 'changes' }[c.direction];
      return zh
        ? `${name} 较${ref}${dir} ≥ ${c.percent}%${window}`
        : `${name} ${dir} by ≥ ${c.percent}% against ${ref}${window}`;
    }
    case 'baseline': {
      const method = c.method === 'seasonal' ? (zh ? '季节基线' : 'seasonal baseline') : 'EWMA';
      return zh
        ? `${name} 偏离${method}超过 ${c.sensitivity} 个标准差${window}`
        : `${name} is more than ${c.sensitivity} deviations off its ${method}${window}`;
    }
  }
}

/** The observed value in words, with the reference when the condition has one. */
export function describeValue(
  spec: AlertRuleSpec,
  value: number | null,
  reference: number | null,
  locale: Locale,
): string {
  const unit = getMetric(spec.query.metric)?.unit ?? 'count';
  const text = formatMetricValue(value, unit, locale);
  if (
    reference === null ||
    (spec.condition.kind !== 'change' && spec.condition.kind !== 'baseline')
  )
    return text;
  const label = locale === 'zh-CN' ? '参照' : 'expected';
  return `${text} (${label} ${formatMetricValue(reference, unit, locale)})`;
}
