import {
  breakdownSchema,
  ERR_ALERT_INSIGHT_UNSUPPORTED,
  ERR_ALERT_RULE_INVALID,
  getMetric,
  SightlineError,
  type Breakdown,
  type Filter,
  type MetricUnit,
} from '@sightline/shared';
import { z } from 'zod';
import { getInsightScope, type StoredInsight } from '../insights/index.ts';
import { findReport, type AnyReport } from '../queries/index.ts';
import { FUNNEL_ENTRIES, type AlertRuleSpec, type InsightQuery } from './alert-rule-schema.ts';

/** Insight kinds a rule can watch: each yields one number per window (and group). */
export const WATCHABLE_INSIGHT_KINDS = ['trends', 'funnel'] as const;
type WatchableKind = (typeof WATCHABLE_INSIGHT_KINDS)[number];

/** A watched insight in words: its live name and what of it is watched. */
export interface InsightSubject {
  source: 'insight';
  insightId: string;
  name: string;
  kind: WatchableKind;
  /** Trends: the watched series (a catalog metric, or an event aggregate's label). */
  series: { metric: string | null; label: string } | null;
  /** Funnels: the step whose conversion is watched; null for the overall conversion. */
  step: { number: number; label: string; from: 'previous' | 'first' } | null;
  unit: MetricUnit;
}

/** Everything needed to measure an insight over a window, checked against the rule. */
export interface InsightWatch {
  kind: WatchableKind;
  report: AnyReport;
  /** The insight's report request for one series (trends) without its breakdown. */
  params: Record<string, unknown>;
  /** The insight's breakdown when the rule groups by it, else null. */
  breakdown: Breakdown | null;
  maxGroups: number;
  /** The insight's filter bar and its own filters, then the rule's. */
  filters: Filter[];
  segmentId: string | null;
  subject: InsightSubject;
}

// Views of the parts of a (report-validated) request this module reads.
const trendsView = z.object({
  series: z
    .array(
      z.object({
        metric: z.string().optional(),
        event: z.string().optional(),
        aggregation: z.string().optional(),
        property: z.string().optional(),
      }),
    )
    .min(1),
  breakdown: breakdownSchema.optional(),
});
const matcherView = z.object({ event: z.string() });
const funnelView = z.object({
  steps: z
    .array(
      matcherView.partial().extend({
        label: z.string().optional(),
        anyOf: z.array(matcherView).optional(),
      }),
    )
    .min(2),
  breakdown: breakdownSchema.optional(),
});

const invalid = (reason: string) => new SightlineError(ERR_ALERT_RULE_INVALID, { reason });

/**
 * Checks that the rule can watch this insight as it is now and says how: a trends insight's
 * series (first by default) or a funnel insight's conversion (overall, or into a step), with the
 * insight's filters and the rule's, grouped by the insight's breakdown when the rule asks.
 * Throws ERR_ALERT_INSIGHT_UNSUPPORTED for retention and paths, ERR_ALERT_RULE_INVALID naming
 * the field that no longer fits.
 */
export function resolveInsightWatch(insight: StoredInsight, spec: AlertRuleSpec): InsightWatch {
  const query = spec.query as InsightQuery;
  const kind = insight.kind;
  const report = kind === 'trends' || kind === 'funnel' ? findReport(kind) : undefined;
  if (!report || (kind !== 'trends' && kind !== 'funnel'))
    throw new SightlineError(ERR_ALERT_INSIGHT_UNSUPPORTED, { insightId: insight.id, kind });
  const named = `insight “${insight.name}”`;
  const request = report.params.safeParse(insight.params);
  if (!request.success)
    throw invalid(
      `query.insightId: ${named} is no valid ${kind} request: ${request.error.issues[0]?.message ?? 'invalid'}`,
    );
  const scope = getInsightScope(insight);
  const base = {
    kind,
    report,
    maxGroups: query.maxGroups,
    filters: [...scope.filters, ...query.filters],
    segmentId: scope.segmentId,
  };
  const subject = { source: 'insight' as const, insightId: insight.id, name: insight.name, kind };
  let watch: InsightWatch;
  if (kind === 'trends') {
    if (query.step !== null)
      throw invalid(`query.step: ${named} is a trends insight, not a funnel`);
    const view = trendsView.parse(request.data);
    const series = view.series[query.seriesIndex];
    if (!series)
      throw invalid(`query.seriesIndex: ${named} has ${view.series.length} series (0-based)`);
    const metric = series.metric ? getMetric(series.metric) : undefined;
    // As the trends report labels an event series.
    const what =
      series.aggregation && series.aggregation !== 'count'
        ? ` ${series.aggregation}${series.property ? ` of ${series.property}` : ''}`
        : '';
    const label = metric?.id ?? `${series.event ?? ''}${what}`;
    watch = {
      ...base,
      params: { ...request.data, series: [view.series[query.seriesIndex]], compare: [] },
      breakdown: groupedBreakdown(view.breakdown, query, named),
      subject: {
        ...subject,
        series: { metric: metric?.id ?? null, label },
        step: null,
        unit: metric?.unit ?? (series.aggregation === 'unique_users' ? 'users' : 'count'),
      },
    };
  } else {
    if (query.seriesIndex !== 0)
      throw invalid(`query.seriesIndex: ${named} is a funnel insight; it has no series`);
    const view = funnelView.parse(request.data);
    const step = query.step === null ? null : view.steps[query.step - 1];
    if (query.step !== null && !step)
      throw invalid(`query.step: ${named} has ${view.steps.length} steps`);
    const label = step
      ? (step.label ?? step.anyOf?.map((m) => m.event).join(' or ') ?? step.event ?? '')
      : '';
    watch = {
      ...base,
      params: request.data,
      breakdown: groupedBreakdown(view.breakdown, query, named),
      subject: {
        ...subject,
        series: null,
        step: query.step === null ? null : { number: query.step, label, from: query.stepFrom },
        unit: 'ratio',
      },
    };
  }
  checkVolumeMetric(spec, watch);
  return watch;
}

/** The insight's breakdown when the rule groups by it; the rule may group by nothing else. */
function groupedBreakdown(
  breakdown: Breakdown | undefined,
  query: InsightQuery,
  named: string,
): Breakdown | null {
  if (query.groupBy === null) return null;
  const field = breakdown ? (breakdown.dimension ?? breakdown.property) : undefined;
  if (!breakdown || field !== query.groupBy)
    throw invalid(
      `query.groupBy: ${named} ${field ? `breaks down by ${field}` : 'has no breakdown'}; a rule on it can group by its breakdown only`,
    );
  return breakdown;
}

function checkVolumeMetric(spec: AlertRuleSpec, watch: InsightWatch): void {
  const name = spec.minVolume?.metric;
  if (name === undefined) return;
  if (name === FUNNEL_ENTRIES) {
    if (watch.kind !== 'funnel')
      throw invalid(`minVolume.metric: ${FUNNEL_ENTRIES} counts the entries of a funnel insight`);
    return;
  }
  const metric = getMetric(name);
  if (!metric) throw invalid(`minVolume.metric: unknown metric ${name}`);
  const dimension = watch.breakdown?.dimension;
  if (dimension && !metric.dimensions.includes(dimension))
    throw invalid(`minVolume.metric: ${name} cannot be split by ${dimension}`);
}
