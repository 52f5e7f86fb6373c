import {
  ERR_ALERT_INSIGHT_NOT_FOUND,
  getMetric,
  SightlineError,
  type MetricUnit,
} from '@sightline/shared';
import { readInsight } from '../insights/index.ts';
import type { EventStore, MetaDb } from '../store/index.ts';
import type { AlertRuleSpec } from './alert-rule-schema.ts';
import { openInsightSource } from './insight-source.ts';
import { measureMetric } from './measure-metric.ts';
import { resolveInsightWatch, type InsightSubject } from './resolve-insight-watch.ts';

/**
 * The watched value (or, given `metric`, that catalog metric as the volume) over [from, to),
 * per group. `keep` names the groups to measure (those of the current window); null ranks them.
 */
export type Measure = (
  from: number,
  to: number,
  keep: readonly string[] | null,
  metric?: string,
) => Promise<Map<string, number | null>>;

/** What a rule watches, in words for its alerts: a catalog metric, or a saved insight. */
export type RuleSubject = { source: 'metric'; metric: string; unit: MetricUnit } | InsightSubject;

/** Whatever a rule watches, measured the same way: conditions never ask where values come from. */
export interface RuleSource {
  subject: RuleSubject;
  measure: Measure;
}

export interface RuleSourceDeps {
  store: EventStore;
  project: { id: string; timeZone: string };
  /** The MetaStore, where saved insights are; needed by rules on an insight only. */
  db?: MetaDb;
}

/**
 * Opens what the rule watches. A saved insight is read now (rules follow its edits) and checked
 * again, so a deleted or changed insight fails the evaluation with a stable code.
 */
export async function openRuleSource(
  deps: RuleSourceDeps,
  spec: AlertRuleSpec,
): Promise<RuleSource> {
  const { query } = spec;
  if (query.source === 'metric') {
    const breakdown = query.groupBy ? { dimension: query.groupBy, limit: query.maxGroups } : null;
    return {
      subject: {
        source: 'metric',
        metric: query.metric,
        unit: getMetric(query.metric)?.unit ?? 'count',
      },
      measure: (from, to, keep, metric = query.metric) =>
        measureMetric(deps, { from, to, metric, filters: query.filters, breakdown, keep }),
    };
  }
  if (!deps.db) throw new Error('rules on a saved insight are evaluated with the MetaStore');
  const insight = await readInsight(deps.db, deps.project.id, query.insightId);
  if (!insight)
    throw new SightlineError(ERR_ALERT_INSIGHT_NOT_FOUND, {
      insightId: query.insightId,
      projectId: deps.project.id,
    });
  return openInsightSource(deps, resolveInsightWatch(insight, spec));
}
