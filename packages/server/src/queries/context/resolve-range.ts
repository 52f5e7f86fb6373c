import { ERR_QUERY_RANGE_INVALID, SightlineError, type QueryRequest } from '@sightline/shared';
import {
  addLocalDays,
  addLocalMonths,
  parseLocalDate,
  startOfLocalDate,
  startOfLocalWeek,
  toLocalDate,
} from '../../platform/index.ts';
import { checkRange, MAX_RANGE_DAYS } from '../series/buckets.ts';

export interface ResolvedRange {
  from: number;
  to: number;
}

/** Turns a request's preset or from/to into instants, in the project's calendar. */
export function resolveRange(
  request: Pick<QueryRequest, 'range' | 'from' | 'to'>,
  zone: string,
  now: number,
  defaultPreset: NonNullable<QueryRequest['range']> = 'last_30_days',
): ResolvedRange {
  const today = toLocalDate(now, zone);
  const day = (date: string) => startOfLocalDate(date, zone);
  if (request.from !== undefined || request.to !== undefined) {
    if (request.from === undefined || request.to === undefined)
      throw invalid('give both from and to, or a range preset');
    const from = bound(request.from, zone, 'start');
    const to = bound(request.to, zone, 'end');
    checkRange(from, to);
    return { from, to };
  }
  const preset = request.range ?? defaultPreset;
  const tomorrow = day(addLocalDays(today, 1));
  const monthStart = `${today.slice(0, 8)}01`;
  const weekStart = startOfLocalWeek(today);
  switch (preset) {
    case 'today':
      return { from: day(today), to: tomorrow };
    case 'yesterday':
      return { from: day(addLocalDays(today, -1)), to: day(today) };
    case 'last_7_days':
      return { from: day(addLocalDays(today, -6)), to: tomorrow };
    case 'last_30_days':
      return { from: day(addLocalDays(today, -29)), to: tomorrow };
    case 'last_90_days':
      return { from: day(addLocalDays(today, -89)), to: tomorrow };
    case 'this_week':
      return { from: day(weekStart), to: tomorrow };
    case 'last_week':
      return { from: day(addLocalDays(weekStart, -7)), to: day(weekStart) };
    case 'this_month':
      return { from: day(monthStart), to: tomorrow };
    case 'last_month':
      return { from: day(addLocalMonths(monthStart, -1)), to: day(monthStart) };
    case 'this_year':
      return { from: day(`${today.slice(0, 4)}-01-01`), to: tomorrow };
  }
}

function bound(text: string, zone: string, side: 'start' | 'end'): number {
  if (parseLocalDate(text)) {
    return startOfLocalDate(side === 'start' ? text : addLocalDays(text, 1), zone);
  }
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return ms;
  }
  throw invalid(`${text} is neither a date (YYYY-MM-DD) nor an ISO-8601 instant with an offset`);
}

function invalid(reason: string): SightlineError {
  return new SightlineError(ERR_QUERY_RANGE_INVALID, { reason, maxDays: MAX_RANGE_DAYS });
}
