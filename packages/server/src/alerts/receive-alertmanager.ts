import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../platform/index.ts';
import type { MetaDatabase } from '../store/index.ts';
import { NEW_LIFECYCLE, type AlertState } from './advance-alert.ts';
import {
  fingerprintLabels,
  newAlertId,
  recordAlertEvent,
  saveAlertInstance,
  toAlertInstance,
  type AlertInstance,
} from './alert-instances.ts';

const text = z.string().max(2_000);
const labelMap = z
  .record(z.string().max(128), text)
  .refine((m) => Object.keys(m).length <= 40, 'at most 40 labels or annotations');

/** Alertmanager's webhook payload (version 4); unknown fields are ignored. */
export const alertmanagerPayloadSchema = z.object({
  version: z.string().max(10).optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().max(200).optional(),
  groupLabels: labelMap.optional(),
  commonLabels: labelMap.optional(),
  externalURL: z.string().max(2_000).optional(),
  alerts: z
    .array(
      z.object({
        status: z.enum(['firing', 'resolved']),
        labels: labelMap,
        annotations: labelMap.default({}),
        startsAt: z.string().max(40).optional(),
        endsAt: z.string().max(40).optional(),
        generatorURL: z.string().max(2_000).optional(),
      }),
    )
    .max(1_000),
});
export type AlertmanagerPayload = z.infer<typeof alertmanagerPayloadSchema>;

/** Alertmanager's usual severities, and ours. */
const SEVERITY_OF: Record<string, string> = {
  critical: 'P0',
  page: 'P0',
  error: 'P1',
  warning: 'P1',
  info: 'P2',
  none: 'P2',
  p0: 'P0',
  p1: 'P1',
  p2: 'P2',
};

function parseTime(value: string | undefined, fallback: number): number {
  const parsed = value ? Date.parse(value) : Number.NaN;
  // Alertmanager sends 0001-01-01 for "no end yet".
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

/**
 * Takes Alertmanager's alerts into the alert center: each becomes (or updates) an alert with
 * source `alertmanager`, identified by its labels, firing or resolved as Alertmanager says.
 */
export async function receiveAlertmanager(options: {
  db: Kysely<MetaDatabase>;
  clock: Clock;
  projectId: string;
  payload: AlertmanagerPayload;
}): Promise<{ received: number; changed: number }> {
  const { db, clock, projectId, payload } = options;
  const now = clock.now();
  let changed = 0;
  for (const incoming of payload.alerts) {
    const labels = incoming.labels;
    const fingerprint = fingerprintLabels(labels);
    const row = await db
      .selectFrom('alert_instances')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('source', '=', 'alertmanager')
      .where('fingerprint', '=', fingerprint)
      .executeTakeFirst();
    const current: AlertInstance = row
      ? toAlertInstance(row)
      : {
          ...NEW_LIFECYCLE,
          id: newAlertId(),
          projectId,
          ruleId: null,
          source: 'alertmanager',
          fingerprint,
          labels,
          annotations: {},
          severity: 'P2',
          value: null,
          recentValues: [],
          lastEvalAt: now,
        };
    const target: AlertState = incoming.status;
    const next: AlertInstance = {
      ...current,
      labels,
      annotations: { ...incoming.annotations, generatorURL: incoming.generatorURL ?? null },
      severity: SEVERITY_OF[(labels.severity ?? '').toLowerCase()] ?? 'P2',
      lastEvalAt: now,
    };
    if (target === 'firing' && current.state !== 'firing') {
      next.state = 'firing';
      next.firingSince = parseTime(incoming.startsAt, now);
      next.resolvedAt = null;
    } else if (target === 'resolved' && current.state === 'firing') {
      next.state = 'resolved';
      next.resolvedAt = parseTime(incoming.endsAt, now);
      next.ackAt = null;
      next.ackBy = null;
      next.ackComment = null;
    }
    await saveAlertInstance(db, next);
    if (next.state !== current.state) {
      changed += 1;
      await recordAlertEvent(db, {
        projectId,
        instanceId: next.id,
        at: now,
        kind: 'transition',
        fromState: current.state,
        toState: next.state,
        actor: 'alertmanager',
      });
    }
  }
  return { received: payload.alerts.length, changed };
}
