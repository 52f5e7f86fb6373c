import { createHash, randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { AlertInstancesTable, MetaDatabase } from '../store/index.ts';
import type { AlertLifecycle, AlertState } from './advance-alert.ts';
import type { ValueHistory } from './score-baseline.ts';

export type AlertSource = 'rule' | 'alertmanager';
export type Labels = Readonly<Record<string, string>>;

/** An alert as the rest of the domain sees it (camelCase, parsed JSON). */
export interface AlertInstance extends AlertLifecycle {
  id: string;
  projectId: string;
  ruleId: string | null;
  source: AlertSource;
  fingerprint: string;
  labels: Labels;
  annotations: Readonly<Record<string, unknown>>;
  severity: string;
  value: number | null;
  recentValues: ValueHistory;
  lastEvalAt: number;
}

/** Prometheus-style identity: the same labels are the same alert. */
export function fingerprintLabels(labels: Labels): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((name) => [name, labels[name]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 32);
}

export function toAlertInstance(row: Selectable<AlertInstancesTable>): AlertInstance {
  return {
    id: row.id,
    projectId: row.project_id,
    ruleId: row.rule_id,
    source: row.source as AlertSource,
    fingerprint: row.fingerprint,
    labels: JSON.parse(row.labels) as Labels,
    annotations: JSON.parse(row.annotations) as Record<string, unknown>,
    severity: row.severity,
    state: row.state as AlertState,
    value: row.value,
    breaches: row.breaches,
    recentValues: (JSON.parse(row.recent_values) as Array<[number, number | null]>).map(
      ([at, value]) => ({ at, value }),
    ),
    pendingSince: row.pending_since,
    firingSince: row.firing_since,
    resolvedAt: row.resolved_at,
    lastEvalAt: row.last_eval_at,
    ackAt: row.ack_at,
    ackBy: row.ack_by,
    ackComment: row.ack_comment,
  };
}

function toRow(alert: AlertInstance): Selectable<AlertInstancesTable> {
  return {
    id: alert.id,
    project_id: alert.projectId,
    rule_id: alert.ruleId,
    source: alert.source,
    fingerprint: alert.fingerprint,
    labels: JSON.stringify(alert.labels),
    annotations: JSON.stringify(alert.annotations),
    severity: alert.severity,
    state: alert.state,
    value: alert.value,
    breaches: alert.breaches,
    recent_values: JSON.stringify(alert.recentValues.map((p) => [p.at, p.value])),
    pending_since: alert.pendingSince,
    firing_since: alert.firingSince,
    resolved_at: alert.resolvedAt,
    last_eval_at: alert.lastEvalAt,
    ack_at: alert.ackAt,
    ack_by: alert.ackBy,
    ack_comment: alert.ackComment,
  };
}

export function newAlertId(): string {
  return `alr_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
}

/** Inserts or replaces the alert (by id). */
export async function saveAlertInstance(
  db: Kysely<MetaDatabase>,
  alert: AlertInstance,
): Promise<void> {
  const row = toRow(alert);
  await db
    .insertInto('alert_instances')
    .values(row)
    .onConflict((c) => c.column('id').doUpdateSet(row))
    .execute();
}

export interface AlertEventInput {
  projectId: string;
  instanceId: string;
  at: number;
  kind: 'transition' | 'acknowledged' | 'unacknowledged' | 'comment' | 'outcome';
  fromState?: string | null;
  toState?: string | null;
  value?: number | null;
  actor?: string | null;
  comment?: string | null;
}

export async function recordAlertEvent(
  db: Kysely<MetaDatabase>,
  event: AlertEventInput,
): Promise<void> {
  await db
    .insertInto('alert_events')
    .values({
      project_id: event.projectId,
      instance_id: event.instanceId,
      at: event.at,
      kind: event.kind,
      from_state: event.fromState ?? null,
      to_state: event.toState ?? null,
      value: event.value ?? null,
      actor: event.actor ?? null,
      comment: event.comment ?? null,
    })
    .execute();
}
