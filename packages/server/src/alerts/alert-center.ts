import { ERR_ALERT_NOT_FIRING, ERR_ALERT_NOT_FOUND, SightlineError } from '@sightline/shared';
import { sql } from 'kysely';
import type { AuditLog } from '../audit/index.ts';
import type { Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { MetaDb } from '../store/index.ts';
import { recordAlertEvent, toAlertInstance, type AlertInstance } from './alert-instances.ts';
import { toDeliveryLogEntry, type DeliveryLogEntry } from './delivery-log.ts';
import { findSilence } from './match-silences.ts';
import { findInhibited } from './plan-notifications.ts';
import type { PolicyService } from './policy-service.ts';
import type { SilenceService } from './silence-service.ts';

export interface AlertView extends Omit<AlertInstance, 'recentValues' | 'breaches'> {
  ruleName: string;
  /** The silence muting it now, if any. */
  silencedBy: string | null;
  /** Muted by a firing P0 with the same labels. */
  inhibited: boolean;
}

export interface AlertEventView {
  id: number;
  alertId: string;
  at: number;
  kind: string;
  fromState: string | null;
  toState: string | null;
  value: number | null;
  actor: string | null;
  comment: string | null;
  labels?: Record<string, string>;
}

export interface NoiseReport {
  from: number;
  to: number;
  /** Firing episodes that began in the period: what a page-per-firing system would send. */
  rawFirings: number;
  /** Notifications about firing alerts sent or attempted (a group sent to two channels counts once). */
  notifications: number;
  outcomes: Record<'notified' | 'silenced' | 'inhibited' | 'absorbed' | 'unrouted', number>;
  /** notified firings minus notifications: what grouping folded together. */
  groupedAway: number;
  /** 1 − notifications / routed raw firings (leaving out `unrouted`); null without any. */
  reduction: number | null;
  /** Acknowledgements in the period, and their mean delay after the alert fired (seed 001: < 5 min). */
  acknowledgements: number;
  meanTimeToAcknowledgeMs: number | null;
}

export interface AlertCenterDeps {
  db: MetaDb;
  clock: Clock;
  audit: AuditLog;
  projects: Pick<ProjectService, 'get'>;
  silences: SilenceService;
  policies: PolicyService;
}

const ACTIVE_STATES = ['firing', 'pending'];

/** The alert center: current alerts, acknowledgement and comments, history, noise, deliveries. */
export function createAlertCenter(deps: AlertCenterDeps) {
  const { db, clock } = deps;

  async function getInstance(projectId: string, alertId: string): Promise<AlertInstance> {
    const row = await db
      .selectFrom('alert_instances')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '=', alertId)
      .executeTakeFirst();
    if (!row) throw new SightlineError(ERR_ALERT_NOT_FOUND, { alertId, projectId });
    return toAlertInstance(row);
  }

  async function view(projectId: string, alerts: AlertInstance[]): Promise<AlertView[]> {
    const project = await deps.projects.get(projectId);
    const silences = await deps.silences.list(projectId);
    const policy = await deps.policies.get(projectId);
    const active = (
      await db
        .selectFrom('alert_instances')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('state', '=', 'firing')
        .execute()
    ).map(toAlertInstance);
    const inhibited = findInhibited(active, policy.inhibitEqual);
    const now = clock.now();
    return alerts.map(({ recentValues: _values, breaches: _breaches, ...alert }) => ({
      ...alert,
      ruleName: alert.labels.alertname ?? alert.fingerprint,
      silencedBy: findSilence(alert.labels, silences, now, project.timeZone)?.id ?? null,
      inhibited: inhibited.has(alert.fingerprint),
    }));
  }

  async function record(
    alert: AlertInstance,
    kind: 'acknowledged' | 'unacknowledged' | 'comment',
    actor: string,
    comment: string | null,
  ) {
    await recordAlertEvent(db, {
      projectId: alert.projectId,
      instanceId: alert.id,
      at: clock.now(),
      kind,
      fromState: alert.state,
      toState: alert.state,
      value: alert.value,
      actor,
      comment,
    });
    await deps.audit.record({
      actor,
      action: `alert.${kind === 'comment' ? 'comment' : kind === 'acknowledged' ? 'acknowledge' : 'unacknowledge'}`,
      projectId: alert.projectId,
      target: alert.id,
      details: { alertname: alert.labels.alertname ?? null, comment },
    });
  }

  /** Each acknowledgement's delay after the firing transition of the episode it acknowledged. */
  async function timeToAcknowledge(projectId: string, from: number, to: number) {
    const { rows } = await sql<{ delay: number | null }>`
      SELECT e.at - (
        SELECT max(f.at) FROM alert_events f
        WHERE f.instance_id = e.instance_id AND f.kind = 'transition' AND f.to_state = 'firing'
          AND f.at <= e.at
      ) AS delay
      FROM alert_events e
      WHERE e.project_id = ${projectId} AND e.kind = 'acknowledged'
        AND e.at >= ${from} AND e.at < ${to}`.execute(db);
    const delays = rows.map((row) => row.delay).filter((d): d is number => d !== null);
    return {
      acknowledgements: rows.length,
      meanTimeToAcknowledgeMs:
        delays.length > 0 ? delays.reduce((sum, d) => sum + d, 0) / delays.length : null,
    };
  }

  return {
    async projectsWithActiveAlerts(): Promise<string[]> {
      const rows = await db
        .selectFrom('alert_instances')
        .select('project_id')
        .distinct()
        .where('state', 'in', ACTIVE_STATES)
        .execute();
      return rows.map((row) => row.project_id);
    },

    /** The project an alert belongs to (ERR_ALERT_NOT_FOUND when there is none). */
    async findProjectOf(alertId: string): Promise<string> {
      const row = await db
        .selectFrom('alert_instances')
        .select('project_id')
        .where('id', '=', alertId)
        .executeTakeFirst();
      if (!row) throw new SightlineError(ERR_ALERT_NOT_FOUND, { alertId, projectId: '-' });
      return row.project_id;
    },

    /** Firing and pending alerts, plus those resolved within `resolvedWithinMs`. */
    async list(
      projectId: string,
      options: { resolvedWithinMs?: number } = {},
    ): Promise<AlertView[]> {
      const since = clock.now() - (options.resolvedWithinMs ?? 24 * 3_600_000);
      const rows = await db
        .selectFrom('alert_instances')
        .selectAll()
        .where('project_id', '=', projectId)
        .where((eb) =>
          eb.or([
            eb('state', 'in', ACTIVE_STATES),
            eb.and([eb('state', '=', 'resolved'), eb('resolved_at', '>=', since)]),
          ]),
        )
        .execute();
      const order = { firing: 0, pending: 1, resolved: 2, inactive: 3 };
      const alerts = rows
        .map(toAlertInstance)
        .sort(
          (a, b) =>
            order[a.state] - order[b.state] ||
            a.severity.localeCompare(b.severity) ||
            (b.firingSince ?? b.pendingSince ?? 0) - (a.firingSince ?? a.pendingSince ?? 0),
        );
      return view(projectId, alerts);
    },

    async get(
      projectId: string,
      alertId: string,
    ): Promise<{ alert: AlertView; events: AlertEventView[] }> {
      const alert = await getInstance(projectId, alertId);
      const [shown] = await view(projectId, [alert]);
      const rows = await db
        .selectFrom('alert_events')
        .selectAll()
        .where('instance_id', '=', alertId)
        .orderBy('id', 'desc')
        .limit(200)
        .execute();
      return { alert: shown as AlertView, events: rows.map(toEventView) };
    },

    /** Stops reminders for the current firing episode; cleared when it resolves. */
    async acknowledge(projectId: string, alertId: string, actor: string, comment: string | null) {
      const alert = await getInstance(projectId, alertId);
      if (alert.state !== 'firing')
        throw new SightlineError(ERR_ALERT_NOT_FIRING, { alertId, state: alert.state });
      // Only the acknowledgement columns, and only while firing: the loop may be moving the
      // alert at the same moment, and its state is the loop's to write.
      const updated = await db
        .updateTable('alert_instances')
        .set({ ack_at: clock.now(), ack_by: actor, ack_comment: comment })
        .where('id', '=', alertId)
        .where('state', '=', 'firing')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0)
        throw new SightlineError(ERR_ALERT_NOT_FIRING, { alertId, state: 'resolved' });
      await record(alert, 'acknowledged', actor, comment);
      return this.get(projectId, alertId);
    },

    async unacknowledge(projectId: string, alertId: string, actor: string) {
      const alert = await getInstance(projectId, alertId);
      await db
        .updateTable('alert_instances')
        .set({ ack_at: null, ack_by: null, ack_comment: null })
        .where('id', '=', alertId)
        .execute();
      await record(alert, 'unacknowledged', actor, null);
      return this.get(projectId, alertId);
    },

    async comment(projectId: string, alertId: string, actor: string, comment: string) {
      const alert = await getInstance(projectId, alertId);
      await record(alert, 'comment', actor, comment);
      return this.get(projectId, alertId);
    },

    /** Every transition, acknowledgement and comment of the project in a period, newest first. */
    async history(projectId: string, options: { from: number; to: number; limit: number }) {
      const rows = await db
        .selectFrom('alert_events')
        .innerJoin('alert_instances', 'alert_instances.id', 'alert_events.instance_id')
        .selectAll('alert_events')
        .select('alert_instances.labels')
        .where('alert_events.project_id', '=', projectId)
        .where('alert_events.kind', '!=', 'outcome')
        .where('alert_events.at', '>=', options.from)
        .where('alert_events.at', '<', options.to)
        .orderBy('alert_events.id', 'desc')
        .limit(options.limit)
        .execute();
      return rows.map((row) => ({
        ...toEventView(row),
        labels: JSON.parse(row.labels) as Record<string, string>,
      }));
    },

    async noise(projectId: string, from: number, to: number): Promise<NoiseReport> {
      const events = await db
        .selectFrom('alert_events')
        .select(['kind', 'to_state', 'comment', (eb) => eb.fn.countAll<number>().as('n')])
        .where('project_id', '=', projectId)
        .where('at', '>=', from)
        .where('at', '<', to)
        .where('kind', 'in', ['transition', 'outcome'])
        .groupBy(['kind', 'to_state', 'comment'])
        .execute();
      const count = (kind: string, match: (row: (typeof events)[number]) => boolean) =>
        events
          .filter((row) => row.kind === kind && match(row))
          .reduce((sum, row) => sum + Number(row.n), 0);
      const rawFirings = count('transition', (row) => row.to_state === 'firing');
      const outcome = (name: string) => count('outcome', (row) => row.comment === name);
      const sent = await db
        .selectFrom('alert_notifications')
        // One plan step sends the same group to each of its channels: count it once.
        .select(sql<number>`count(distinct group_key || ':' || created_at)`.as('n'))
        .where('project_id', '=', projectId)
        .where('kind', '=', 'firing')
        .where('created_at', '>=', from)
        .where('created_at', '<', to)
        .executeTakeFirstOrThrow();
      const notifications = Number(sent.n);
      const outcomes = {
        notified: outcome('notified'),
        silenced: outcome('silenced'),
        inhibited: outcome('inhibited'),
        absorbed: outcome('absorbed'),
        unrouted: outcome('unrouted'),
      };
      return {
        from,
        to,
        rawFirings,
        notifications,
        outcomes,
        groupedAway: Math.max(0, outcomes.notified - notifications),
        ...(await timeToAcknowledge(projectId, from, to)),
        // Firings with no channel were never going to page anyone: they are not noise removed.
        reduction:
          rawFirings - outcomes.unrouted > 0
            ? 1 - notifications / (rawFirings - outcomes.unrouted)
            : null,
      };
    },

    async deliveries(projectId: string, limit: number): Promise<DeliveryLogEntry[]> {
      const rows = await db
        .selectFrom('alert_notifications')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toDeliveryLogEntry);
    },
  };
}

export type AlertCenter = ReturnType<typeof createAlertCenter>;

function toEventView(row: {
  id: number;
  instance_id: string;
  at: number;
  kind: string;
  from_state: string | null;
  to_state: string | null;
  value: number | null;
  actor: string | null;
  comment: string | null;
}): AlertEventView {
  return {
    id: row.id,
    alertId: row.instance_id,
    at: row.at,
    kind: row.kind,
    fromState: row.from_state,
    toState: row.to_state,
    value: row.value,
    actor: row.actor,
    comment: row.comment,
  };
}
