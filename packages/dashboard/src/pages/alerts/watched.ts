import type { MetricUnit } from '@sightline/shared';
import { t } from '../../i18n/index.ts';
import { catalog, metricName } from '../../lib/catalog.ts';
import { isMetricUnit } from '../../lib/format.ts';
import type { AlertView, InsightAnnotation, RuleQuery, SavedInsight } from './alerts-api.ts';

/** What a rule watches, named for a reader, with the unit its values are in. */
export interface Watched {
  name: string;
  unit: MetricUnit;
}

/** Insights a rule can watch: they yield one number per window (the server refuses others). */
export const isWatchable = (insight: SavedInsight): boolean =>
  insight.kind === 'trends' || insight.kind === 'funnel';

const asUnit = (value: unknown): MetricUnit => (isMetricUnit(value) ? value : 'count');
const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : []);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

const metricUnit = (metric: string): MetricUnit => catalog.value.get(metric)?.unit ?? 'count';

export interface InsightSeries {
  metric: string | null;
  label: string;
  unit: MetricUnit;
}

/** A trends insight's series, labelled as the trends report labels them. */
export function insightSeries(insight: SavedInsight): InsightSeries[] {
  return list(insight.params.series).map((raw) => {
    const series = record(raw);
    const metric = text(series.metric);
    if (metric) return { metric, label: metricName(metric), unit: metricUnit(metric) };
    const aggregation = text(series.aggregation) ?? 'count';
    const property = text(series.property);
    const what =
      aggregation === 'count' ? '' : ` ${aggregation}${property ? ` of ${property}` : ''}`;
    return {
      metric: null,
      label: `${text(series.event) ?? ''}${what}`,
      unit: aggregation === 'unique_users' ? 'users' : 'count',
    };
  });
}

/** A funnel insight's steps as the funnel report labels them. */
export function insightSteps(insight: SavedInsight): string[] {
  return list(insight.params.steps).map((raw) => {
    const step = record(raw);
    const anyOf = list(step.anyOf).map((matcher) => text(record(matcher).event) ?? '');
    return text(step.label) ?? (anyOf.length > 0 ? anyOf.join(' or ') : (text(step.event) ?? ''));
  });
}

/** The dimension or property the insight breaks down by: a rule on it may group by that. */
export function insightBreakdown(insight: SavedInsight): string | null {
  const breakdown = record(insight.params.breakdown);
  return text(breakdown.dimension) ?? text(breakdown.property) ?? null;
}

function describeInsight(annotation: Omit<InsightAnnotation, 'id' | 'kind'>): string {
  const { series, step } = annotation;
  const what = series
    ? series.metric
      ? metricName(series.metric)
      : series.label
    : step
      ? t(step.from === 'first' ? 'alerts.insight.stepFirst' : 'alerts.insight.stepPrevious', {
          n: step.number,
          label: step.label,
        })
      : t('alerts.insight.overall');
  return t('alerts.insight.watched', {
    insight: t('alerts.insight.named', { name: annotation.name }),
    what,
  });
}

/**
 * What a rule's query watches: the metric, or the saved insight (from the project's insights;
 * null while they load) and what of it.
 */
export function watchedOfQuery(
  query: RuleQuery,
  insights: readonly SavedInsight[] | null,
): Watched {
  if (query.source !== 'insight')
    return { name: metricName(query.metric), unit: metricUnit(query.metric) };
  const insight = insights?.find((candidate) => candidate.id === query.insightId);
  if (!insight)
    return {
      name: insights
        ? t('alerts.insight.missing', { id: query.insightId })
        : t('alerts.insight.named', { name: query.insightId }),
      unit: 'count',
    };
  if (insight.kind === 'trends') {
    const series = insightSeries(insight)[query.seriesIndex] ?? null;
    return {
      name: describeInsight({ name: insight.name, series, step: null }),
      unit: series?.unit ?? 'count',
    };
  }
  const steps = insightSteps(insight);
  const step =
    query.step === null
      ? null
      : { number: query.step, label: steps[query.step - 1] ?? '', from: query.stepFrom };
  return { name: describeInsight({ name: insight.name, series: null, step }), unit: 'ratio' };
}

/** What an alert's rule watched when it was last evaluated (null for Alertmanager's alerts). */
export function watchedOfAlert(alert: AlertView): Watched | null {
  const { metric, insight, unit } = alert.annotations;
  if (insight) return { name: describeInsight(insight), unit: asUnit(unit) };
  if (metric) return { name: metricName(metric), unit: metricUnit(metric) };
  return null;
}
