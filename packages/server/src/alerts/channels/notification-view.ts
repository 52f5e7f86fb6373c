import { isValidTimeZone, zoneOffsetMs } from '../../platform/index.ts';
import { fillText, getNotificationTexts, type NotificationTexts } from './notification-messages.ts';
import {
  SEVERITIES,
  type NotificationAlert,
  type NotificationMessage,
  type Severity,
} from './notification-types.ts';

/** Labels shown per alert (sorted by name); the rest are left out of chat and mail texts. */
export const MAX_LABELS_SHOWN = 30;
/** Longest rule name, value or label text shown; longer ones end in "…". */
export const MAX_FIELD_CHARS = 200;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export type ViewColor = 'red' | 'orange' | 'yellow' | 'green' | 'blue';

const SEVERITY_COLORS: Readonly<Record<Severity, ViewColor>> = {
  P0: 'red',
  P1: 'orange',
  P2: 'yellow',
};
const COLOR_MARKERS: Readonly<Record<ViewColor, string>> = {
  red: '🔴',
  orange: '🟠',
  yellow: '🟡',
  green: '✅',
  blue: '🧪',
};

export interface AlertView {
  source: NotificationAlert;
  firing: boolean;
  color: ViewColor;
  /** An emoji that marks severity and state where colour is not available. */
  marker: string;
  ruleName: string;
  /** "[P0 FIRING] Checkout latency" in the message's language. */
  headline: string;
  valueText: string;
  conditionText: string;
  startedAt: string;
  resolvedAt: string | null;
  duration: string | null;
  labels: ReadonlyArray<readonly [string, string]>;
}

/** A message with everything worded and formatted once, for every channel to lay out. */
export interface NotificationView {
  texts: NotificationTexts;
  status: NotificationMessage['status'];
  /** Mail subject and chat heading. */
  title: string;
  color: ViewColor;
  marker: string;
  /** "2 firing, 1 resolved", or the test note for a test message. */
  summary: string;
  alerts: readonly AlertView[];
  groupLabels: ReadonlyArray<readonly [string, string]>;
  projectName: string;
  dashboardUrl: string;
  /** "Sent by Sightline at …". */
  footer: string;
}

/** One line, no control characters, at most `max` characters. */
export function toSingleLine(text: string, max = MAX_FIELD_CHARS): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** "2024-05-01 12:00:00 UTC+08:00" in the zone (UTC when the zone is unknown). */
export function formatZonedTime(ms: number, timeZone: string): string {
  const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  const offsetMs = zoneOffsetMs(ms, zone);
  const local = new Date(ms + offsetMs).toISOString();
  const sign = offsetMs < 0 ? '-' : '+';
  const offsetMinutes = Math.abs(offsetMs) / MINUTE_MS;
  const hh = String(Math.floor(offsetMinutes / 60)).padStart(2, '0');
  const mm = String(offsetMinutes % 60).padStart(2, '0');
  const offset = offsetMs === 0 ? 'UTC' : `UTC${sign}${hh}:${mm}`;
  return `${local.slice(0, 10)} ${local.slice(11, 19)} ${offset}`;
}

export function formatDuration(ms: number, texts: NotificationTexts): string {
  const minutes = Math.max(1, Math.round(ms / MINUTE_MS));
  const days = Math.floor(minutes / (DAY_MS / MINUTE_MS));
  const hours = Math.floor((minutes % (DAY_MS / MINUTE_MS)) / 60);
  const rest = minutes % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(fillText(texts.days, { n: days }));
  if (hours > 0) parts.push(fillText(texts.hours, { n: hours }));
  if (rest > 0 && days === 0) parts.push(fillText(texts.minutes, { n: rest }));
  return parts.join(' ');
}

function toLabelPairs(labels: Readonly<Record<string, string>>) {
  return Object.keys(labels)
    .sort()
    .slice(0, MAX_LABELS_SHOWN)
    .map((name) => [toSingleLine(name, 100), toSingleLine(labels[name] ?? '')] as const);
}

function mostSevere(alerts: readonly NotificationAlert[]): Severity {
  return SEVERITIES.find((s) => alerts.some((a) => a.severity === s)) ?? 'P2';
}

function viewAlert(
  alert: NotificationAlert,
  message: NotificationMessage,
  texts: NotificationTexts,
): AlertView {
  const firing = alert.state === 'firing';
  const color = firing ? SEVERITY_COLORS[alert.severity] : 'green';
  const ruleName = toSingleLine(alert.ruleName) || texts.noRule;
  const state = firing ? texts.stateFiring : texts.stateResolved;
  const ended = !firing && alert.endsAt !== null;
  return {
    source: alert,
    firing,
    color,
    marker: COLOR_MARKERS[color],
    ruleName,
    headline: `[${alert.severity} ${state}] ${ruleName}`,
    valueText: toSingleLine(alert.valueText),
    conditionText: toSingleLine(alert.conditionText),
    startedAt: formatZonedTime(alert.startsAt, message.timeZone),
    resolvedAt: ended ? formatZonedTime(alert.endsAt ?? 0, message.timeZone) : null,
    duration: ended ? formatDuration((alert.endsAt ?? 0) - alert.startsAt, texts) : null,
    labels: toLabelPairs(alert.labels),
  };
}

function buildTitle(message: NotificationMessage, texts: NotificationTexts): string {
  const project = toSingleLine(message.project.name);
  if (message.status === 'test') return fillText(texts.titleTest, { project });
  const state = message.status === 'firing' ? 'firing' : 'resolved';
  const sameState = message.alerts.filter((a) => a.state === state);
  const lead = sameState[0] ?? message.alerts[0];
  const stateText = state === 'firing' ? texts.stateFiring : texts.stateResolved;
  const label = lead
    ? `${mostSevere(sameState.length ? sameState : [lead])} ${stateText}`
    : stateText;
  const more =
    message.alerts.length > 1
      ? fillText(texts.titleMore, { count: message.alerts.length - 1 })
      : '';
  const rule = lead ? toSingleLine(lead.ruleName) || texts.noRule : texts.noRule;
  return fillText(texts.title, { label, rule, more, project });
}

function pickColor(message: NotificationMessage): ViewColor {
  if (message.status === 'test') return 'blue';
  if (message.status === 'resolved') return 'green';
  const firing = message.alerts.filter((a) => a.state === 'firing');
  return firing.length ? SEVERITY_COLORS[mostSevere(firing)] : 'green';
}

export function buildNotificationView(message: NotificationMessage): NotificationView {
  const texts = getNotificationTexts(message.locale);
  // The dispatcher sends firing first already; sorting again keeps every layout right anyway.
  const ordered = [...message.alerts].sort(
    (a, b) => Number(b.state === 'firing') - Number(a.state === 'firing'),
  );
  const firingCount = ordered.filter((a) => a.state === 'firing').length;
  const color = pickColor(message);
  return {
    texts,
    status: message.status,
    title: buildTitle(message, texts),
    color,
    marker: COLOR_MARKERS[color],
    summary:
      message.status === 'test'
        ? texts.testNote
        : fillText(texts.summary, {
            firing: firingCount,
            resolved: ordered.length - firingCount,
          }),
    alerts: ordered.map((alert) => viewAlert(alert, message, texts)),
    groupLabels: toLabelPairs(message.groupLabels),
    projectName: toSingleLine(message.project.name),
    dashboardUrl: message.dashboardUrl,
    footer: fillText(texts.footer, { time: formatZonedTime(message.sentAt, message.timeZone) }),
  };
}

/** "… and 3 more alerts" in the view's language. */
export function describeHiddenAlerts(view: NotificationView, hidden: number): string {
  return hidden === 1 ? view.texts.moreAlert : fillText(view.texts.moreAlerts, { count: hidden });
}
