import type { MetricUnit } from '@sightline/shared';
import { onBeforeUnmount, onMounted, ref } from 'vue';
import { hasMessage, locale, t, type MessageKey } from '../../i18n/index.ts';
import type { ApiError } from '../../lib/api.ts';
import { catalog, metricName } from '../../lib/catalog.ts';
import { formatDateTime, formatValue } from '../../lib/format.ts';
import { me } from '../../lib/session.ts';
import type { AlertView, Condition, Matcher, MuteSchedule, RuleSpec } from './alerts-api.ts';
import { watchedOfAlert, type Watched } from './watched.ts';

export type { Confirmer } from '../../lib/confirmer.ts';

/** A key of this page's messages built at run time (a state, a kind, an error code). */
export const tk = (key: string, values?: Record<string, string | number>): string =>
  hasMessage(key) ? t(key, values) : key.slice(key.lastIndexOf('.') + 1);

/** Does the signed-in account hold a permission (GET /api/v1/auth/me)? */
export const can = (permission: 'alerts:respond' | 'alerts:manage' | 'projects:manage'): boolean =>
  !!me.value?.permissions.includes(permission);

/** The unit of a catalog metric (count until the catalog is in). */
export const unitOf = (metric: string | undefined): MetricUnit =>
  (metric && catalog.value.get(metric)?.unit) || 'count';

/** A metric's value as the rest of the dashboard shows it. */
export const metricValue = (metric: string | undefined, value: number | null | undefined) =>
  formatValue(value, unitOf(metric), locale.value);

/** An alert's value (or reference) in the unit of what its rule watches (metric or insight). */
export const alertValue = (alert: AlertView, value: number | null | undefined) =>
  formatValue(value, watchedOfAlert(alert)?.unit ?? 'count', locale.value);

export const absoluteTime = (epoch: number): string => formatDateTime(epoch, locale.value);

/** "5 minutes ago", "in 3 hours": the largest unit that fits. */
export function relativeTime(epoch: number, now: number): string {
  const format = new Intl.RelativeTimeFormat(locale.value, { numeric: 'auto' });
  // A moment the server stamped a few seconds "ahead" of the page's clock is now.
  const ahead = (epoch - now) / 1000;
  const seconds = ahead > 0 && ahead < 60 ? 0 : ahead;
  const size = Math.abs(seconds);
  if (size < 45) return format.format(Math.round(seconds), 'second');
  if (size < 45 * 60) return format.format(Math.round(seconds / 60), 'minute');
  if (size < 22 * 3600) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}

/** A span of time in short words: "90 s", "5 min", "4 h", "7 d". */
export function formatDuration(seconds: number): string {
  const number = (value: number) =>
    new Intl.NumberFormat(locale.value, { maximumFractionDigits: 1 }).format(value);
  if (seconds < 60) return t('alerts.unit.seconds', { n: number(seconds) });
  if (seconds < 3600) return t('alerts.unit.minutes', { n: number(seconds / 60) });
  if (seconds < 86_400 || seconds % 86_400 !== 0)
    return t('alerts.unit.hours', { n: number(seconds / 3600) });
  return t('alerts.unit.days', { n: number(seconds / 86_400) });
}

/** A clock for "… ago" texts, moving every 15 s while the page is open. */
export function useNow(stepMs = 15_000) {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | null = null;
  onMounted(() => {
    timer = setInterval(() => (now.value = Date.now()), stepMs);
  });
  onBeforeUnmount(() => {
    if (timer) clearInterval(timer);
  });
  return now;
}

/** Who did it: the server's `user:<id>` / `token:<id>`; the signed-in account by its name. */
export function actorName(actor: string | null | undefined): string {
  if (!actor) return '—';
  const mine = me.value ? `${me.value.kind}:${me.value.id}` : '';
  if (actor === mine && me.value) return t('alerts.actor.you', { name: me.value.label });
  const [kind, id] = actor.split(':');
  if (kind === 'token' && id) return t('alerts.actor.token', { id });
  if (kind === 'user' && id) return t('alerts.actor.user', { id });
  return actor;
}

const OPS: Record<string, string> = { gt: '>', gte: '≥', lt: '<', lte: '≤' };
export const opSymbol = (op: string): string => OPS[op] ?? op;

/** A rule's window in short words: 5 min, 1 h, 1 d. */
export function windowText(minutes: number): string {
  if (minutes % 1440 === 0) return t('alerts.unit.days', { n: minutes / 1440 });
  if (minutes % 60 === 0) return t('alerts.unit.hours', { n: minutes / 60 });
  return t('alerts.unit.minutes', { n: minutes });
}

/**
 * The rule's condition in words: "Paid orders ≥ 0 over the last 1 h". `watched` names a saved
 * insight (watched.ts); a metric rule names its metric itself.
 */
export function describeCondition(
  spec: Pick<RuleSpec, 'query' | 'condition'>,
  watched?: Watched,
): string {
  const name = watched?.name ?? metricName(spec.query.metric ?? '');
  const unit = watched?.unit ?? unitOf(spec.query.metric);
  const window = windowText(spec.query.windowMinutes);
  const condition: Condition = spec.condition;
  switch (condition.kind) {
    case 'threshold':
      return t('alerts.cond.threshold', {
        metric: name,
        op: opSymbol(condition.op),
        value: formatValue(condition.value, unit, locale.value),
        window,
      });
    case 'change':
      return t(`alerts.cond.change.${condition.direction}` as MessageKey, {
        metric: name,
        percent: condition.percent,
        reference: t(`alerts.compareTo.${condition.compareTo}` as MessageKey),
        window,
      });
    case 'baseline':
      return t('alerts.cond.baseline', {
        metric: name,
        sensitivity: condition.sensitivity,
        method: t(`alerts.method.${condition.method}` as MessageKey),
        direction: t(`alerts.direction.${condition.direction}` as MessageKey),
        window,
      });
    case 'no_data':
      return t('alerts.cond.noData', { metric: name, window });
  }
}

export const matcherText = (matcher: Matcher): string =>
  `${matcher.name} ${matcher.op} ${matcher.value === '' ? '""' : matcher.value}`;

const minuteText = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** Weekday names (0 = Sunday), short, in the reader's language. */
export function weekdayName(day: number): string {
  // 2023-01-01 was a Sunday.
  return new Intl.DateTimeFormat(locale.value, { weekday: 'short', timeZone: 'UTC' }).format(
    Date.UTC(2023, 0, 1 + day),
  );
}

/** A recurring mute window: "Mon, Tue 22:00–06:00". */
export function scheduleText(schedule: MuteSchedule): string {
  const days =
    schedule.days.length === 7
      ? t('alerts.silence.everyDay')
      : [...schedule.days]
          .sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7))
          .map(weekdayName)
          .join(locale.value === 'zh-CN' ? '、' : ', ');
  return `${days} ${minuteText(schedule.startMinute)}–${minuteText(schedule.endMinute % 1440)}`;
}

export { minuteText };

/**
 * How pressing an alert is, for the list's order: unhandled firing first, then pending, then
 * acknowledged, then muted (silenced, inhibited), then resolved; within each by severity, then
 * the newest first.
 */
export function urgency(alert: AlertView): number {
  if (alert.state === 'firing') {
    if (alert.silencedBy || alert.inhibited) return 3;
    return alert.ackAt ? 2 : 0;
  }
  if (alert.state === 'pending') return 1;
  return 4;
}

export function byUrgency(a: AlertView, b: AlertView): number {
  return (
    urgency(a) - urgency(b) ||
    a.severity.localeCompare(b.severity) ||
    (b.firingSince ?? b.pendingSince ?? b.resolvedAt ?? 0) -
      (a.firingSince ?? a.pendingSince ?? a.resolvedAt ?? 0)
  );
}

/** When the alert's current state began. */
export const sinceOf = (alert: AlertView): number | null =>
  alert.state === 'resolved'
    ? alert.resolvedAt
    : alert.state === 'pending'
      ? alert.pendingSince
      : alert.firingSince;

/** A refused or failed request in words a user can act on. */
export function errorWords(error: ApiError, permission?: string): string {
  if (error.code === 'ERR_AUTH_SCOPE_RESTRICTED') return t('error.ERR_AUTH_SCOPE_RESTRICTED');
  if (error.code === 'ERR_AUTH_FORBIDDEN' || error.status === 403)
    return t('alerts.error.forbidden', {
      permission: permission ?? /permission (\S+)/.exec(error.message)?.[1] ?? '',
    });
  const own = `alerts.error.${error.code}`;
  if (hasMessage(own)) return t(own);
  const core = `error.${error.code}`;
  if (hasMessage(core)) return t(core);
  if (error.code === 'NETWORK') return t('error.network');
  return error.message;
}

/** The rule's field a refusal names ("query.windowMinutes: too small", "/config/url"). */
export function refusedField(error: ApiError | null): string | null {
  if (!error) return null;
  const detail = error.details[0]?.path;
  if (detail) return detail.replace(/^\//, '').replaceAll('/', '.');
  const named = /invalid: ([\w.]+):/.exec(error.message);
  return named?.[1] ?? null;
}
