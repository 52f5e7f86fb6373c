import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { MetaDb } from '../store/index.ts';
import { toAlertInstance, type AlertInstance } from './alert-instances.ts';
import type { ChannelService } from './channel-service.ts';
import type { ChannelConfig, ChannelSender as FullChannelSender } from './channels/index.ts';
import type { DeliveryResult, NotificationMessage } from './channels/notification-types.ts';
import { buildNotificationMessage } from './build-notification-message.ts';
import { toDeliveryLogEntry, type DeliveryLogEntry } from './delivery-log.ts';
import { findSilence, type ActiveSilence } from './match-silences.ts';
import {
  findInhibited,
  planNotifications,
  type GroupRecord,
  type RoutedAlert,
} from './plan-notifications.ts';
import type { PolicyService } from './policy-service.ts';
import { toAlertRule } from './rule-service.ts';
import type { SilenceService } from './silence-service.ts';

/** Waits before attempts 2, 3, …; after the last a notification is marked failed. */
export const RETRY_DELAYS_MS = [30_000, 60_000, 120_000, 300_000, 600_000] as const;
/** Resolved alerts stay reportable (to groups that announced them) this long. */
const RESOLVED_KEPT_MS = 7 * 24 * 3_600_000;

export type ChannelSender = Pick<FullChannelSender, 'send'>;

export interface DispatcherDeps {
  db: MetaDb;
  clock: Clock;
  logger: FastifyBaseLogger;
  projects: Pick<ProjectService, 'get'>;
  channels: ChannelService;
  policies: PolicyService;
  silences: SilenceService;
  sender: ChannelSender;
  /** Base of links in notifications (config.publicUrl). */
  publicUrl: string;
  onDelivered?: (kind: string, ok: boolean) => void;
}

/**
 * Turns alert states into notifications: mutes (silences, inhibition), groups and times them
 * (plan-notifications.ts), writes each to the delivery log and delivers it, retrying with
 * backoff when the channel fails in a way worth retrying.
 */
export function createDispatcher(deps: DispatcherDeps) {
  const { db, clock } = deps;

  function openConfig(row: Parameters<ChannelService['open']>[0]): ChannelConfig | null {
    try {
      return deps.channels.open(row);
    } catch (error) {
      deps.logger.error({ err: error, channelId: row.id }, 'channel settings cannot be opened');
      return null;
    }
  }

  async function deliver(id: string): Promise<void> {
    const row = await db
      .selectFrom('alert_notifications')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const channelRow = await db
      .selectFrom('alert_channels')
      .selectAll()
      .where('id', '=', row.channel_id)
      .executeTakeFirst();
    let result: DeliveryResult;
    if (!channelRow) {
      result = {
        ok: false,
        status: null,
        retryable: false,
        error: 'channel deleted',
        durationMs: 0,
      };
    } else {
      const message = JSON.parse(row.message) as NotificationMessage;
      const config = openConfig(channelRow);
      result = config
        ? await deps.sender.send(config, message)
        : {
            ok: false,
            status: null,
            retryable: false,
            error: 'the channel settings cannot be read (was the server secret changed?)',
            durationMs: 0,
          };
      deps.onDelivered?.(channelRow.kind, result.ok);
    }
    const attempts = row.attempts + 1;
    const delay = RETRY_DELAYS_MS[attempts - 1];
    const retry = !result.ok && result.retryable && delay !== undefined;
    await db
      .updateTable('alert_notifications')
      .set({
        attempts,
        status: result.ok ? 'sent' : retry ? 'retrying' : 'failed',
        next_attempt_at: retry ? clock.now() + delay : null,
        last_status: result.status,
        last_error: result.error,
        sent_at: result.ok ? clock.now() : null,
      })
      .where('id', '=', id)
      .execute();
    if (!result.ok)
      deps.logger.warn(
        {
          notificationId: id,
          channelId: row.channel_id,
          status: result.status,
          error: result.error,
        },
        retry ? 'notification failed, will retry' : 'notification failed',
      );
  }

  async function enqueue(options: {
    projectId: string;
    channelId: string;
    groupKey: string | null;
    message: NotificationMessage;
  }): Promise<string> {
    const id = `ntf_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
    await db
      .insertInto('alert_notifications')
      .values({
        id,
        project_id: options.projectId,
        channel_id: options.channelId,
        group_key: options.groupKey,
        kind: options.message.status,
        alert_count: options.message.alerts.length,
        message: JSON.stringify(options.message),
        status: 'pending',
        attempts: 0,
        next_attempt_at: clock.now(),
        last_status: null,
        last_error: null,
        created_at: clock.now(),
        sent_at: null,
      })
      .execute();
    return id;
  }

  async function planProject(projectId: string): Promise<string[]> {
    const now = clock.now();
    const project = await deps.projects.get(projectId);
    const policy = await deps.policies.get(projectId);
    const alerts = (
      await db
        .selectFrom('alert_instances')
        .selectAll()
        .where('project_id', '=', projectId)
        .where((eb) =>
          eb.or([
            eb('state', '=', 'firing'),
            eb.and([eb('state', '=', 'resolved'), eb('resolved_at', '>', now - RESOLVED_KEPT_MS)]),
          ]),
        )
        .execute()
    ).map(toAlertInstance);
    const rules = new Map(
      (
        await db.selectFrom('alert_rules').selectAll().where('project_id', '=', projectId).execute()
      ).map((row) => [row.id, toAlertRule(row)]),
    );
    const channelRows = await db
      .selectFrom('alert_channels')
      .select(['id', 'send_resolved'])
      .where('project_id', '=', projectId)
      .where('enabled', '=', 1)
      .execute();
    const channels = new Map(
      channelRows.map((c) => [c.id, { sendResolved: c.send_resolved === 1 }]),
    );
    const silences: ActiveSilence[] = await deps.silences.list(projectId);
    const inhibited = findInhibited(alerts, policy.inhibitEqual);
    const routed: RoutedAlert[] = alerts.map((alert) => ({
      fingerprint: alert.fingerprint,
      labels: alert.labels,
      severity: alert.severity,
      state: alert.state,
      acknowledged: alert.ackAt !== null,
      channelIds: alert.ruleId
        ? (rules.get(alert.ruleId)?.channelIds ?? [])
        : policy.defaultChannelIds,
      muted: findSilence(alert.labels, silences, now, project.timeZone)
        ? 'silenced'
        : inhibited.has(alert.fingerprint)
          ? 'inhibited'
          : null,
    }));
    const groups = (
      await db.selectFrom('alert_groups').selectAll().where('project_id', '=', projectId).execute()
    ).map((row): GroupRecord => ({
      id: row.id,
      channelId: row.channel_id,
      groupKey: row.group_key,
      groupLabels: JSON.parse(row.group_labels) as Record<string, string>,
      firstSeenAt: row.first_seen_at,
      lastSentAt: row.last_sent_at,
      sentFiring: JSON.parse(row.sent_alerts) as string[],
    }));
    const plan = planNotifications({ alerts: routed, groups, policy, channels, now });
    const byFingerprint = new Map(alerts.map((a) => [a.fingerprint, a]));

    const queued: string[] = [];
    const notified = new Set<string>();
    for (const send of plan.sends) {
      const pick = (fps: readonly string[]) =>
        fps.map((fp) => byFingerprint.get(fp)).filter((a): a is AlertInstance => a !== undefined);
      const firing = pick(send.firing);
      for (const alert of firing) notified.add(alert.id);
      const message = buildNotificationMessage({
        project,
        policy,
        rules,
        firing,
        resolved: pick(send.resolved),
        groupLabels: send.groupLabels,
        publicUrl: deps.publicUrl,
        now,
      });
      queued.push(
        await enqueue({ projectId, channelId: send.channelId, groupKey: send.groupKey, message }),
      );
    }
    for (const group of plan.drop)
      if (group.id) await db.deleteFrom('alert_groups').where('id', '=', group.id).execute();
    for (const group of plan.save) await saveGroup(projectId, group);
    const unrouted = new Set(
      routed.filter((r) => !r.channelIds.some((id) => channels.has(id))).map((r) => r.fingerprint),
    );
    await recordOutcomes({ projectId, alerts, routed, notified, unrouted, now });
    return queued;
  }

  async function saveGroup(projectId: string, group: GroupRecord): Promise<void> {
    const values = {
      last_sent_at: group.lastSentAt,
      sent_alerts: JSON.stringify(group.sentFiring),
    };
    if (group.id) {
      await db.updateTable('alert_groups').set(values).where('id', '=', group.id).execute();
      return;
    }
    await db
      .insertInto('alert_groups')
      .values({
        id: `grp_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
        project_id: projectId,
        channel_id: group.channelId,
        group_key: group.groupKey,
        group_labels: JSON.stringify(group.groupLabels),
        first_seen_at: group.firstSeenAt,
        ...values,
      })
      .execute();
  }

  /**
   * What became of each firing episode, once: notified, silenced, inhibited, unrouted (no
   * enabled channel), or absorbed (it resolved before any notification named it). The noise
   * report counts these.
   */
  async function recordOutcomes(options: {
    projectId: string;
    alerts: readonly AlertInstance[];
    routed: readonly RoutedAlert[];
    notified: ReadonlySet<string>;
    unrouted: ReadonlySet<string>;
    now: number;
  }): Promise<void> {
    const { projectId, alerts, routed, notified, unrouted, now } = options;
    const episodes = alerts.filter((a) => a.firingSince !== null);
    if (episodes.length === 0) return;
    const last = new Map(
      (
        await db
          .selectFrom('alert_events')
          .select(['instance_id', (eb) => eb.fn.max('at').as('at')])
          .where('project_id', '=', projectId)
          .where('kind', '=', 'outcome')
          .where(
            'instance_id',
            'in',
            episodes.map((a) => a.id),
          )
          .groupBy('instance_id')
          .execute()
      ).map((row) => [row.instance_id, Number(row.at)]),
    );
    for (const [index, alert] of alerts.entries()) {
      if (alert.firingSince === null || (last.get(alert.id) ?? -1) >= alert.firingSince) continue;
      const muted = routed[index]?.muted ?? null;
      const outcome = notified.has(alert.id)
        ? 'notified'
        : muted
          ? muted
          : unrouted.has(alert.fingerprint)
            ? 'unrouted'
            : alert.state === 'resolved'
              ? 'absorbed'
              : null;
      if (!outcome) continue;
      await db
        .insertInto('alert_events')
        .values({
          project_id: projectId,
          instance_id: alert.id,
          at: Math.max(now, alert.firingSince),
          kind: 'outcome',
          from_state: null,
          to_state: null,
          value: alert.value,
          actor: null,
          comment: outcome,
        })
        .execute();
    }
  }

  return {
    /** Plans the given projects' notifications, then delivers everything due (new and retries). */
    async run(projectIds: Iterable<string>): Promise<void> {
      for (const projectId of new Set(projectIds)) {
        try {
          await planProject(projectId);
        } catch (error) {
          deps.logger.error({ err: error, projectId }, 'planning notifications failed');
        }
      }
      const due = await db
        .selectFrom('alert_notifications')
        .select('id')
        .where('status', 'in', ['pending', 'retrying'])
        .where('next_attempt_at', '<=', clock.now())
        .orderBy('created_at')
        .execute();
      for (const { id } of due)
        try {
          await deliver(id);
        } catch (error) {
          deps.logger.error({ err: error, notificationId: id }, 'delivering a notification failed');
        }
    },

    /** Projects with something the dispatcher may need to say. */
    async activeProjects(): Promise<string[]> {
      const rows = await db
        .selectFrom('alert_instances')
        .select('project_id')
        .where('state', '=', 'firing')
        .union(db.selectFrom('alert_groups').select('project_id'))
        .execute();
      return rows.map((row) => row.project_id);
    },

    /** A test message to one channel, delivered now and logged like any other. */
    async sendTest(projectId: string, channelId: string): Promise<DeliveryLogEntry> {
      const project = await deps.projects.get(projectId);
      const policy = await deps.policies.get(projectId);
      const message = buildNotificationMessage({
        project,
        policy,
        rules: new Map(),
        firing: [],
        resolved: [],
        groupLabels: {},
        publicUrl: deps.publicUrl,
        now: clock.now(),
        test: true,
      });
      const id = await enqueue({ projectId, channelId, groupKey: null, message });
      await deliver(id);
      return getDelivery(id);
    },
  };

  async function getDelivery(id: string): Promise<DeliveryLogEntry> {
    const row = await db
      .selectFrom('alert_notifications')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return toDeliveryLogEntry(row);
  }
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
