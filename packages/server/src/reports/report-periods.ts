import { Cron } from 'croner';
import {
  addLocalDays,
  addLocalMonths,
  startOfLocalDate,
  startOfLocalWeek,
  toLocalDate,
} from '../platform/index.ts';
import type { ReportKind, ReportPeriod } from './report-document.ts';

function periodBetween(startDate: string, nextStart: string, zone: string): ReportPeriod {
  return {
    from: startOfLocalDate(startDate, zone),
    to: startOfLocalDate(nextStart, zone),
    startDate,
    endDate: addLocalDays(nextStart, -1),
  };
}

/** The period holding a local date: the day, its Monday-to-Sunday week, or its month. */
export function getReportPeriod(kind: ReportKind, date: string, zone: string): ReportPeriod {
  if (kind === 'daily') return periodBetween(date, addLocalDays(date, 1), zone);
  if (kind === 'weekly') {
    const monday = startOfLocalWeek(date);
    return periodBetween(monday, addLocalDays(monday, 7), zone);
  }
  const first = `${date.slice(0, 8)}01`;
  return periodBetween(first, addLocalMonths(first, 1), zone);
}

/** The last period that has ended by `now`: yesterday, last week, last month. */
export function getLastCompletePeriod(kind: ReportKind, now: number, zone: string): ReportPeriod {
  const today = toLocalDate(now, zone);
  const current = getReportPeriod(kind, today, zone);
  return getReportPeriod(kind, addLocalDays(current.startDate, -1), zone);
}

/** The calendar period before: the day before, the week before, the month before. */
export function getPreviousPeriod(kind: ReportKind, period: ReportPeriod, zone: string) {
  return getReportPeriod(kind, addLocalDays(period.startDate, -1), zone);
}

/**
 * The same dates a year earlier (as the query API's 同比 compares): for a week that is not the
 * same weekdays, which the report's texts say.
 */
export function getLastYearPeriod(period: ReportPeriod, zone: string): ReportPeriod {
  return periodBetween(
    addLocalMonths(period.startDate, -12),
    addLocalMonths(addLocalDays(period.endDate, 1), -12),
    zone,
  );
}

/** Cron pattern of a kind at a local HH:MM: every day, Mondays, the 1st of each month. */
export function getSchedulePattern(kind: ReportKind, sendTime: string): string {
  const [hour, minute] = sendTime.split(':').map(Number);
  const at = `${minute ?? 0} ${hour ?? 0}`;
  if (kind === 'daily') return `${at} * * *`;
  if (kind === 'weekly') return `${at} * * 1`;
  return `${at} 1 * *`;
}

/**
 * The first scheduled send strictly after `after` (epoch ms), in the zone. croner handles the
 * zone's DST changes (a skipped local time runs at the next valid minute).
 */
export function getNextSendTime(
  kind: ReportKind,
  sendTime: string,
  zone: string,
  after: number,
): number {
  const cron = new Cron(getSchedulePattern(kind, sendTime), { timezone: zone });
  const next = cron.nextRun(new Date(after));
  cron.stop();
  if (!next) throw new Error(`no next run for ${kind} at ${sendTime}`);
  return next.getTime();
}

const LOOKBACK_MS: Readonly<Record<ReportKind, number>> = {
  daily: 2 * 86_400_000,
  weekly: 8 * 86_400_000,
  monthly: 32 * 86_400_000,
};

/**
 * The latest scheduled send in (after, now], or null when none is due. Sends missed while the
 * server was down collapse into the latest one: one report for the latest period, not a burst of
 * old ones at start.
 */
export function getDueSendTime(options: {
  kind: ReportKind;
  sendTime: string;
  zone: string;
  after: number;
  now: number;
}): number | null {
  const { kind, sendTime, zone, now } = options;
  const first = getNextSendTime(kind, sendTime, zone, options.after);
  if (first > now) return null;
  // Walk from shortly before now (at most one period back) to the last send not after now.
  let due = first;
  let cursor = Math.max(options.after, now - LOOKBACK_MS[kind]);
  for (;;) {
    const next = getNextSendTime(kind, sendTime, zone, cursor);
    if (next > now) return due;
    due = Math.max(due, next);
    cursor = next;
  }
}
