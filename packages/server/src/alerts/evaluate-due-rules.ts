import { SightlineError } from '@sightline/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { EventStore, MetaDb } from '../store/index.ts';
import { advanceAlert, NEW_LIFECYCLE } from './advance-alert.ts';
import {
  fingerprintLabels,
  newAlertId,
  recordAlertEvent,
  saveAlertInstance,
  toAlertInstance,
  type AlertInstance,
} from './alert-instances.ts';
import { evaluateRule, type RuleObservation } from './evaluate-rule.ts';
import { openRuleSource, type RuleSubject } from './rule-source.ts';
import { toAlertRule, type AlertRule } from './rule-service.ts';
import type { ValueHistory } from './score-baseline.ts';

/** Values kept per alert for the EWMA baseline (an hour of 1-minute evaluations). */
const RECENT_VALUES_KEPT = 60;

export interface EvaluateDueRulesDeps {
  db: MetaDb;
  store: EventStore;
  projects: Pick<ProjectService, 'get'>;
  clock: Clock;
  logger: FastifyBaseLogger;
  onEvaluated?: (outcome: 'ok' | 'error') => void;
}

export interface EvaluationPass {
  evaluated: number;
  failed: number;
  /** Projects whose alerts changed state: their notifications are due a look. */
  changedProjects: Set<string>;
}

/** Evaluates every enabled rule whose time has come, one after the other. */
export async function evaluateDueRules(deps: EvaluateDueRulesDeps): Promise<EvaluationPass> {
  const now = deps.clock.now();
  const rows = await deps.db
    .selectFrom('alert_rules')
    .selectAll()
    .where('enabled', '=', 1)
    .where('next_eval_at', '<=', now)
    .orderBy('next_eval_at')
    .execute();
  const pass: EvaluationPass = { evaluated: 0, failed: 0, changedProjects: new Set() };
  for (const row of rows) {
    const rule = toAlertRule(row);
    const started = Date.now();
    let error: string | null = null;
    try {
      const changed = await evaluateOneRule(deps, rule, now);
      if (changed) pass.changedProjects.add(rule.projectId);
      pass.evaluated += 1;
    } catch (caught) {
      pass.failed += 1;
      error =
        caught instanceof SightlineError
          ? `${caught.code}: ${caught.message}`
          : 'ERR_INTERNAL: evaluation failed (see the server log)';
      deps.logger.warn({ err: caught, ruleId: rule.id }, 'alert rule evaluation failed');
    }
    deps.onEvaluated?.(error ? 'error' : 'ok');
    await deps.db
      .updateTable('alert_rules')
      .set({
        last_eval_at: now,
        last_eval_ms: Date.now() - started,
        last_error: error,
        next_eval_at: now + rule.intervalSeconds * 1000,
      })
      .where('id', '=', rule.id)
      .execute();
  }
  return pass;
}

/** Labels every rule alert sets itself; a group-by of the same name must not overwrite them. */
const RESERVED_LABELS = new Set(['alertname', 'severity', 'insight_id']);
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/;

/**
 * The label that carries the group-by value. Catalog dimensions are label names already; an
 * insight's breakdown may be any event property (`$os`, `alertname`), which becomes
 * `group_<name>` with other characters as `_`, so it can neither overwrite the alert's name nor
 * escape Prometheus label rules that policies and silences match on.
 */
export function groupLabelName(groupBy: string): string {
  if (LABEL_NAME.test(groupBy) && !RESERVED_LABELS.has(groupBy)) return groupBy;
  return `group_${groupBy.replace(/[^a-zA-Z0-9_]/g, '_')}`.slice(0, 64);
}

/** The labels an alert of this rule carries for one group. */
export function ruleLabels(rule: AlertRule, group: string): Record<string, string> {
  const labels: Record<string, string> = {
    ...rule.labels,
    alertname: rule.name,
    severity: rule.severity,
  };
  // The insight's id, not its name: a renamed insight keeps its alerts.
  if (rule.query.source === 'insight') labels.insight_id = rule.query.insightId;
  if (rule.query.groupBy) labels[groupLabelName(rule.query.groupBy)] = group;
  return labels;
}

/** Evaluates one rule at `now` and moves its alerts; true when any alert changed state. */
export async function evaluateOneRule(
  deps: Pick<EvaluateDueRulesDeps, 'db' | 'store' | 'projects'>,
  rule: AlertRule,
  now: number,
): Promise<boolean> {
  const project = await deps.projects.get(rule.projectId);
  const source = await openRuleSource({ store: deps.store, project, db: deps.db }, rule);
  const existing = (
    await deps.db.selectFrom('alert_instances').selectAll().where('rule_id', '=', rule.id).execute()
  ).map(toAlertInstance);
  const byFingerprint = new Map(existing.map((alert) => [alert.fingerprint, alert]));
  const groupOf = (alert: AlertInstance) =>
    rule.query.groupBy ? (alert.labels[groupLabelName(rule.query.groupBy)] ?? '') : '';
  const history = new Map<string, ValueHistory>();
  for (const alert of existing)
    if (alert.labels.alertname === rule.name) history.set(groupOf(alert), alert.recentValues);

  const observations = await evaluateRule(
    { store: deps.store, project, db: deps.db, source },
    {
      spec: rule,
      at: now,
      history,
      knownGroups: existing.filter((a) => a.state === 'firing').map(groupOf),
    },
  );
  const seen = new Set<string>();
  let changed = false;
  for (const observation of observations) {
    const labels = ruleLabels(rule, observation.group);
    const fingerprint = fingerprintLabels(labels);
    seen.add(fingerprint);
    const alert = byFingerprint.get(fingerprint) ?? newRuleAlert(rule, labels, fingerprint, now);
    changed =
      (await applyObservation(deps.db, {
        rule,
        alert,
        observation,
        subject: source.subject,
        now,
      })) || changed;
  }
  // Alerts whose group no longer shows up (or that the rule renamed away) stop breaching.
  for (const alert of existing)
    if (!seen.has(alert.fingerprint) && alert.state !== 'inactive')
      changed =
        (await applyObservation(deps.db, {
          rule,
          alert,
          observation: null,
          subject: source.subject,
          now,
        })) || changed;
  return changed;
}

function newRuleAlert(
  rule: AlertRule,
  labels: Record<string, string>,
  fingerprint: string,
  now: number,
): AlertInstance {
  return {
    ...NEW_LIFECYCLE,
    id: newAlertId(),
    projectId: rule.projectId,
    ruleId: rule.id,
    source: 'rule',
    fingerprint,
    labels,
    annotations: {},
    severity: rule.severity,
    value: null,
    recentValues: [],
    lastEvalAt: now,
  };
}

interface ObservationUpdate {
  rule: AlertRule;
  alert: AlertInstance;
  observation: RuleObservation | null;
  subject: RuleSubject;
  now: number;
}

/** What the alert's annotations say it watches: notifications name it from these. */
function subjectAnnotations(subject: RuleSubject): Record<string, unknown> {
  if (subject.source === 'metric') return { metric: subject.metric, unit: subject.unit };
  return {
    insight: {
      id: subject.insightId,
      name: subject.name,
      kind: subject.kind,
      series: subject.series,
      step: subject.step,
    },
    unit: subject.unit,
  };
}

async function applyObservation(db: MetaDb, update: ObservationUpdate): Promise<boolean> {
  const { rule, alert, observation, now } = update;
  const { next, transitions } = advanceAlert(alert, {
    breached: observation?.breached ?? false,
    now,
    forSeconds: rule.forSeconds,
    m: rule.breaches.m,
    n: rule.breaches.n,
  });
  const value = observation?.value ?? null;
  // Every value, breaching or not: the EWMA leaves outliers out of its state itself, and takes
  // a lasting level shift as the new normal after its warm-up.
  const recentValues = observation
    ? [...alert.recentValues, { at: now - rule.query.windowMinutes * 60_000, value }].slice(
        -RECENT_VALUES_KEPT,
      )
    : alert.recentValues;
  const updated: AlertInstance = {
    ...alert,
    ...next,
    severity: rule.severity,
    value,
    recentValues,
    lastEvalAt: now,
    annotations: {
      ...subjectAnnotations(update.subject),
      value,
      reference: observation?.reference ?? null,
      band: observation?.band ?? null,
      volume: observation?.volume ?? null,
      skipped: observation?.skipped ?? null,
      windowMinutes: rule.query.windowMinutes,
    },
  };
  await saveAlertInstance(db, updated);
  for (const transition of transitions)
    await recordAlertEvent(db, {
      projectId: alert.projectId,
      instanceId: alert.id,
      at: now,
      kind: 'transition',
      fromState: transition.from,
      toState: transition.to,
      value,
    });
  return transitions.length > 0;
}
