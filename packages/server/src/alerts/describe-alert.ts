import { getMetric, type Locale, type MetricUnit } from '@sightline/shared';
import { z } from 'zod';
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

/** What a rule watches, named for a reader. */
export interface Watched {
  name: string;
  unit: MetricUnit;
}

// What evaluate-due-rules.ts writes into an insight rule's alert annotations.
const insightAnnotation = z.object({
  name: z.string(),
  series: z.object({ metric: z.string().nullable(), label: z.string() }).nullable(),
  step: z
    .object({ number: z.number(), label: z.string(), from: z.enum(['previous', 'first']) })
    .nullable(),
});
const UNITS = ['count', 'users', 'ratio', 'currency', 'ms', 'score', 'per_second', 'seconds'];
const isUnit = (value: unknown): value is MetricUnit =>
  typeof value === 'string' && UNITS.includes(value);

/**
 * The metric's name, or the saved insight's (as its alert last saw it, so a renamed insight
 * shows its new name) with what of it is watched: "Insight “Checkout” · overall conversion".
 */
export function describeWatched(
  spec: AlertRuleSpec,
  annotations: Readonly<Record<string, unknown>> | null,
  locale: Locale,
): Watched {
  const query = spec.query;
  if (query.source === 'metric') {
    const metric = getMetric(query.metric);
    return { name: metric?.name[locale] ?? query.metric, unit: metric?.unit ?? 'count' };
  }
  const zh = locale === 'zh-CN';
  const unit = isUnit(annotations?.unit) ? annotations.unit : 'count';
  const insight = insightAnnotation.safeParse(annotations?.insight);
  if (!insight.success)
    return { name: zh ? `已保存分析 ${query.insightId}` : `Insight ${query.insightId}`, unit };
  const { name, series, step } = insight.data;
  const title = zh ? `已保存分析「${name}」` : `Insight “${name}”`;
  let what: string;
  if (series)
    what = (series.metric ? getMetric(series.metric)?.name[locale] : null) ?? series.label;
  else if (!step) what = zh ? '整体转化率' : 'overall conversion';
  else if (zh)
    what = `第 ${step.number} 步（${step.label}）转化率（较${step.from === 'first' ? '第 1 步' : '上一步'}）`;
  else
    what = `conversion into step ${step.number} (${step.label}) from ${step.from === 'first' ? 'step 1' : 'the previous step'}`;
  // 「」 already closes the name in Chinese; a space before the dot would look loose.
  return { name: `${title}${zh ? '· ' : ' · '}${what}`, unit };
}

/** The rule's metric and condition in words: "API latency p95 > 1.5 s (last 5 min)". */
export function describeCondition(
  spec: AlertRuleSpec,
  locale: Locale,
  watched: Watched = describeWatched(spec, null, locale),
): string {
  const { name, unit } = watched;
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
  unit: MetricUnit = describeWatched(spec, null, locale).unit,
): string {
  const text = formatMetricValue(value, unit, locale);
  if (
    reference === null ||
    (spec.condition.kind !== 'change' && spec.condition.kind !== 'baseline')
  )
    return text;
  const label = locale === 'zh-CN' ? '参照' : 'expected';
  return `${text} (${label} ${formatMetricValue(reference, unit, locale)})`;
}
