import type { AlertPolicy } from './alert-rule-schema.ts';
import type { AlertInstance, Labels } from './alert-instances.ts';
import type { NotificationAlert, NotificationMessage } from './channels/notification-types.ts';
import { describeCondition, describeValue, describeWatched } from './describe-alert.ts';
import type { AlertRule } from './rule-service.ts';

export interface BuildMessageParams {
  project: { id: string; name: string; timeZone: string };
  policy: Pick<AlertPolicy, 'locale'>;
  rules: ReadonlyMap<string, AlertRule>;
  firing: readonly AlertInstance[];
  resolved: readonly AlertInstance[];
  groupLabels: Labels;
  publicUrl: string;
  now: number;
  test?: boolean;
}

/** The alert center of a project in the dashboard. */
export function alertCenterUrl(publicUrl: string, projectId: string, alertId?: string): string {
  const base = `${publicUrl.replace(/\/+$/, '')}/p/${encodeURIComponent(projectId)}/alerts`;
  return alertId ? `${base}?alert=${encodeURIComponent(alertId)}` : base;
}

/** One notification's content: texts in the policy's language, times in the project's zone. */
export function buildNotificationMessage(params: BuildMessageParams): NotificationMessage {
  const locale = params.policy.locale;
  const toAlert = (alert: AlertInstance, state: 'firing' | 'resolved'): NotificationAlert => {
    const rule = alert.ruleId ? params.rules.get(alert.ruleId) : undefined;
    const annotations = alert.annotations;
    const text = (key: string) => (typeof annotations[key] === 'string' ? annotations[key] : '');
    const reference = typeof annotations.reference === 'number' ? annotations.reference : null;
    // Named as the alert last saw it: a rule on a saved insight says which insight, by name.
    const watched = rule ? describeWatched(rule, annotations, locale) : null;
    return {
      ruleId: alert.ruleId ?? '',
      ruleName: alert.labels.alertname ?? rule?.name ?? alert.fingerprint,
      severity: toSeverity(alert.severity),
      state,
      labels: alert.labels,
      valueText:
        rule && watched
          ? describeValue(rule, alert.value, reference, locale, watched.unit)
          : text('summary'),
      conditionText:
        rule && watched ? describeCondition(rule, locale, watched) : text('description'),
      startsAt: alert.firingSince ?? alert.lastEvalAt,
      endsAt: state === 'resolved' ? alert.resolvedAt : null,
      url: alertCenterUrl(params.publicUrl, params.project.id, alert.id),
    };
  };
  const alerts = [
    ...params.firing.map((a) => toAlert(a, 'firing')),
    ...params.resolved.map((a) => toAlert(a, 'resolved')),
  ];
  return {
    status: params.test ? 'test' : params.firing.length > 0 ? 'firing' : 'resolved',
    locale,
    timeZone: params.project.timeZone,
    project: { id: params.project.id, name: params.project.name },
    groupLabels: params.groupLabels,
    alerts,
    dashboardUrl: alertCenterUrl(params.publicUrl, params.project.id),
    sentAt: params.now,
  };
}

function toSeverity(severity: string): 'P0' | 'P1' | 'P2' {
  return severity === 'P0' || severity === 'P1' ? severity : 'P2';
}
