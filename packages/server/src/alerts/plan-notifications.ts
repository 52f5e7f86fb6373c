import type { AlertPolicy } from './alert-rule-schema.ts';
import type { Labels } from './alert-instances.ts';

/** A current alert with where it goes and whether something mutes it. */
export interface RoutedAlert {
  fingerprint: string;
  labels: Labels;
  severity: string;
  state: 'inactive' | 'pending' | 'firing' | 'resolved';
  acknowledged: boolean;
  channelIds: readonly string[];
  muted: 'silenced' | 'inhibited' | null;
}

/** A notification group's memory (Alertmanager's aggregation group and notification log). */
export interface GroupRecord {
  id: string | null;
  channelId: string;
  groupKey: string;
  groupLabels: Labels;
  firstSeenAt: number;
  lastSentAt: number | null;
  /** Fingerprints notified as firing in the last notification. */
  sentFiring: readonly string[];
}

export interface PlannedSend {
  channelId: string;
  groupKey: string;
  groupLabels: Labels;
  firing: string[];
  resolved: string[];
  /** Why now: first notification of the group, a change, or a reminder. */
  reason: 'first' | 'changed' | 'repeat';
}

export interface NotificationPlan {
  sends: PlannedSend[];
  /** Groups to create or update (after the sends). */
  save: GroupRecord[];
  /** Groups with nothing left to say. */
  drop: GroupRecord[];
}

export interface PlanParams {
  alerts: readonly RoutedAlert[];
  groups: readonly GroupRecord[];
  policy: Pick<
    AlertPolicy,
    'groupBy' | 'groupWaitSeconds' | 'groupIntervalSeconds' | 'repeatIntervalSeconds'
  >;
  /** Enabled channels and whether they want resolved notifications. */
  channels: ReadonlyMap<string, { sendResolved: boolean }>;
  now: number;
}

/**
 * Decides which notification groups speak now, with Alertmanager's timing: a new group waits
 * `group_wait` to gather its alerts, a changed group (new firing or resolved alerts) speaks at
 * most every `group_interval`, and an unchanged group with unacknowledged firing alerts repeats
 * every `repeat_interval`. Muted alerts are left out; resolved alerts are only reported to
 * channels that were told they fired.
 */
export function planNotifications(params: PlanParams): NotificationPlan {
  const { policy, now } = params;
  const members = new Map<string, { channelId: string; labels: Labels; firing: RoutedAlert[] }>();
  const byFingerprint = new Map(params.alerts.map((a) => [a.fingerprint, a]));
  for (const alert of params.alerts) {
    if (alert.state !== 'firing' || alert.muted) continue;
    for (const channelId of alert.channelIds) {
      if (!params.channels.has(channelId)) continue;
      const groupLabels = Object.fromEntries(
        policy.groupBy.map((name) => [name, alert.labels[name] ?? '']),
      );
      const id = `${channelId}\u0000${groupKeyOf(groupLabels)}`;
      const member = members.get(id) ?? { channelId, labels: groupLabels, firing: [] };
      member.firing.push(alert);
      members.set(id, member);
    }
  }
  const known = new Map(params.groups.map((g) => [`${g.channelId}\u0000${g.groupKey}`, g]));
  const plan: NotificationPlan = { sends: [], save: [], drop: [] };

  for (const id of new Set([...members.keys(), ...known.keys()])) {
    const member = members.get(id);
    const group = known.get(id);
    const firing = (member?.firing ?? []).map((a) => a.fingerprint).sort();
    if (!group) {
      if (!member) continue;
      const created: GroupRecord = {
        id: null,
        channelId: member.channelId,
        groupKey: groupKeyOf(member.labels),
        groupLabels: member.labels,
        firstSeenAt: now,
        lastSentAt: null,
        sentFiring: [],
      };
      decide(plan, created, firing, [], params);
      continue;
    }
    const sendResolved = params.channels.get(group.channelId)?.sendResolved ?? false;
    const resolved = group.sentFiring.filter((fp) => {
      const alert = byFingerprint.get(fp);
      return sendResolved && !firing.includes(fp) && alert?.state === 'resolved' && !alert.muted;
    });
    decide(plan, group, firing, resolved, params, member?.firing);
  }
  return plan;
}

function decide(
  plan: NotificationPlan,
  group: GroupRecord,
  firing: string[],
  resolved: string[],
  params: PlanParams,
  firingAlerts: readonly RoutedAlert[] = [],
): void {
  const { policy, now } = params;
  const send = (reason: PlannedSend['reason']) => {
    plan.sends.push({
      channelId: group.channelId,
      groupKey: group.groupKey,
      groupLabels: group.groupLabels,
      firing,
      resolved,
      reason,
    });
    if (firing.length === 0) plan.drop.push(group);
    else plan.save.push({ ...group, lastSentAt: now, sentFiring: firing });
  };

  if (group.lastSentAt === null) {
    if (firing.length === 0) {
      if (group.id !== null) plan.drop.push(group);
      return;
    }
    if (now >= group.firstSeenAt + policy.groupWaitSeconds * 1000) send('first');
    else if (group.id === null) plan.save.push(group);
    return;
  }
  const isNew = firing.some((fp) => !group.sentFiring.includes(fp));
  const gone = group.sentFiring.some((fp) => !firing.includes(fp));
  if (isNew || resolved.length > 0) {
    if (now >= group.lastSentAt + policy.groupIntervalSeconds * 1000) send('changed');
    return;
  }
  if (gone) {
    // Stopped firing without anything to tell this channel (muted, or it skips resolved).
    if (firing.length === 0) plan.drop.push(group);
    else plan.save.push({ ...group, sentFiring: firing });
    return;
  }
  const unacknowledged = firingAlerts.some((a) => !a.acknowledged);
  if (unacknowledged && now >= group.lastSentAt + policy.repeatIntervalSeconds * 1000)
    send('repeat');
}

export function groupKeyOf(groupLabels: Labels): string {
  return JSON.stringify(Object.entries(groupLabels).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Inhibition: a firing P0 mutes firing P1 and P2 alerts whose values of the `equal` labels are
 * the same (a missing label counts as empty, as in Alertmanager).
 */
export function findInhibited(
  alerts: readonly Pick<RoutedAlert, 'fingerprint' | 'labels' | 'severity' | 'state'>[],
  equal: readonly string[],
): Set<string> {
  const sources = alerts.filter((a) => a.state === 'firing' && a.severity === 'P0');
  const keyOf = (labels: Labels) => JSON.stringify(equal.map((name) => labels[name] ?? ''));
  const sourceKeys = new Set(sources.map((a) => keyOf(a.labels)));
  const inhibited = new Set<string>();
  for (const alert of alerts)
    if (alert.state === 'firing' && alert.severity !== 'P0' && sourceKeys.has(keyOf(alert.labels)))
      inhibited.add(alert.fingerprint);
  return inhibited;
}
