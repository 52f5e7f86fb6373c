import type { MetricUnit } from '@sightline/shared';
import { hasMessage, locale, t } from '../../i18n/index.ts';
import type { ApiError } from '../../lib/api.ts';
import { formatValue } from '../../lib/format.ts';
import { me } from '../../lib/session.ts';
import type { ReportKind, ReportRun, ValueUnit } from './reports-api.ts';

/** A key of this page's messages built at run time (a status, a stage, a code); else its tail. */
export const tk = (key: string, values?: Record<string, string | number>): string =>
  hasMessage(key) ? t(key, values) : key.slice(key.lastIndexOf('.') + 1);

export type Permission = 'reports:generate' | 'reports:manage' | 'data:export';

/** Does the signed-in account hold a permission (GET /api/v1/auth/me)? */
export const can = (permission: Permission): boolean =>
  !!me.value?.permissions.includes(permission);

/** The catalog unit of a report unit, for formatValue and spreadsheet exports; null for others. */
export function metricUnitOf(unit: ValueUnit): MetricUnit | null {
  switch (unit) {
    case 'count':
    case 'users':
    case 'currency':
    case 'ratio':
    case 'ms':
    case 'seconds':
      return unit;
    default:
      return null;
  }
}

/** A value of a report as the dashboard shows it: money in yuan from fen, ratios as %. */
export function reportValue(value: string | number | null | undefined, unit: ValueUnit): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return value;
  const metric = metricUnitOf(unit);
  if (metric) return formatValue(value, metric, locale.value);
  return new Intl.NumberFormat(locale.value, { maximumFractionDigits: 2 }).format(value);
}

/** A change in the value's own unit, signed: "+¥1,200.00", "−670 ms". */
export function signedValue(value: number | null, unit: ValueUnit): string {
  const text = reportValue(value, unit);
  return value !== null && value > 0 ? `+${text}` : text;
}

/**
 * (current − previous) / |previous|, as the report's own files compute the change they print
 * beside a value; null when either is missing or the base is zero.
 */
export function changeRatio(current: number | null, base: number | null): number | null {
  if (current === null || base === null || !Number.isFinite(current) || !Number.isFinite(base))
    return null;
  if (base === 0) return null;
  return (current - base) / Math.abs(base);
}

/** Sizes in binary units: "12 KB", "1.4 MB". */
const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const text = new Intl.NumberFormat(locale.value, { maximumFractionDigits: digits }).format(value);
  return `${text} ${BYTE_UNITS[unit]}`;
}

/** How long something took: "850 ms", "12.3 s", "2 min 5 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const number = (value: number, digits: number) =>
    new Intl.NumberFormat(locale.value, { maximumFractionDigits: digits }).format(value);
  if (ms < 1000) return t('reports.unit.ms', { n: number(ms, 0) });
  if (ms < 60_000) return t('reports.unit.seconds', { n: number(ms / 1000, 1) });
  const minutes = Math.floor(ms / 60_000);
  return t('reports.unit.minutes', { m: minutes, s: Math.round((ms % 60_000) / 1000) });
}

/** A moment in the project's time zone: "Nov 21, 2026, 08:00". */
export function formatTime(epoch: number | null | undefined, timeZone: string): string {
  if (epoch === null || epoch === undefined) return '—';
  return new Intl.DateTimeFormat(locale.value, {
    dateStyle: 'medium',
    timeStyle: 'short',
    hourCycle: 'h23',
    timeZone,
  }).format(new Date(epoch));
}

/** The local date (YYYY-MM-DD) of a moment in a time zone. */
export function localDate(epoch: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(epoch));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '01';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** A calendar date moved by days or months (no time zone: dates only). */
function shiftDate(date: string, days: number, months = 0): string {
  const [year = 1970, month = 1, day = 1] = date.split('-').map(Number);
  const moved = new Date(Date.UTC(year, month - 1 + months, day + days));
  return moved.toISOString().slice(0, 10);
}

/** The calendar period a kind of report covers around a date, as the server counts it. */
export function periodAround(kind: ReportKind, date: string): { start: string; end: string } {
  if (kind === 'daily') return { start: date, end: date };
  if (kind === 'weekly') {
    const [year = 1970, month = 1, day = 1] = date.split('-').map(Number);
    const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
    const monday = shiftDate(date, -weekday);
    return { start: monday, end: shiftDate(monday, 6) };
  }
  const first = `${date.slice(0, 8)}01`;
  return { start: first, end: shiftDate(shiftDate(first, 0, 1), -1) };
}

/** The first day of the last period that has ended: yesterday, last week, last month. */
export function lastCompleteStart(kind: ReportKind, now: number, timeZone: string): string {
  const current = periodAround(kind, localDate(now, timeZone));
  return periodAround(kind, shiftDate(current.start, -1)).start;
}

/** A report's period in short: "2026-11-20", "2026-11-16 – 2026-11-22", "2026-11". */
export function periodText(run: Pick<ReportRun, 'kind' | 'periodStart' | 'periodEnd'>): string {
  if (run.kind === 'daily') return run.periodStart;
  if (run.kind === 'monthly') return run.periodStart.slice(0, 7);
  return `${run.periodStart} – ${run.periodEnd}`;
}

/** Who asked: the signed-in account by its name, the scheduler and the CLI in words. */
export function actorName(actor: string | null | undefined): string {
  if (!actor) return '—';
  const mine = me.value ? `${me.value.kind}:${me.value.id}` : '';
  if (actor === mine && me.value) return t('reports.actor.you', { name: me.value.label });
  if (actor === 'system:schedule') return t('reports.actor.schedule');
  if (actor === 'system') return t('reports.actor.system');
  if (actor === 'cli') return t('reports.actor.cli');
  const [kind, id] = actor.split(':');
  if (kind === 'token' && id) return t('reports.actor.token', { id });
  if (kind === 'user' && id) return t('reports.actor.user', { id });
  return actor;
}

/** A refused or failed request in words a user can act on (the code is shown beside it). */
export function errorWords(error: ApiError, permission?: Permission): string {
  if (
    error.code === 'ERR_AUTH_FORBIDDEN' ||
    (error.status === 403 && !error.code.startsWith('ERR_REPORT'))
  )
    return t('reports.error.forbidden', {
      permission: permission ?? /permission (\S+)/.exec(error.message)?.[1] ?? '',
    });
  const own = `reports.error.${error.code}`;
  if (hasMessage(own)) return t(own);
  const core = `error.${error.code}`;
  if (hasMessage(core)) return t(core);
  if (error.code === 'NETWORK') return t('error.network');
  return error.message;
}
