/**
 * Calendar arithmetic in an IANA time zone without a date library: local dates are
 * `YYYY-MM-DD` strings, instants are epoch ms. Offsets come from Intl, so DST zones work.
 */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function formatter(zone: string): Intl.DateTimeFormat {
  let found = formatters.get(zone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, found);
  }
  return found;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of an instant in a zone. */
function wallClock(ms: number, zone: string) {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(ms)))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return parts as {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
    second: number;
  };
}

/** Offset of the zone from UTC at an instant, in ms (Shanghai: +8 h). */
export function zoneOffsetMs(ms: number, zone: string): number {
  const w = wallClock(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The local date (YYYY-MM-DD) of an instant. */
export function toLocalDate(ms: number, zone: string): string {
  const w = wallClock(ms, zone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

export function parseLocalDate(date: string): { year: number; month: number; day: number } | null {
  const match = LOCAL_DATE.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day
  )
    return null;
  return { year, month, day };
}

/** The instant a local date begins (its first millisecond) in the zone. */
export function startOfLocalDate(date: string, zone: string): number {
  const parsed = parseLocalDate(date);
  if (!parsed) throw new Error(`not a date: ${date}`);
  const wall = Date.UTC(parsed.year, parsed.month - 1, parsed.day);
  // Two passes settle the offset around DST changes.
  let guess = wall - zoneOffsetMs(wall, zone);
  guess = wall - zoneOffsetMs(guess, zone);
  return guess;
}

/** date + n days, as a local date. */
export function addLocalDays(date: string, days: number): string {
  const parsed = parseLocalDate(date);
  if (!parsed) throw new Error(`not a date: ${date}`);
  return new Date(Date.UTC(parsed.year, parsed.month - 1, parsed.day) + days * DAY_MS)
    .toISOString()
    .slice(0, 10);
}

/** date + n calendar months (day clamped to the month's length), as a local date. */
export function addLocalMonths(date: string, months: number): string {
  const parsed = parseLocalDate(date);
  if (!parsed) throw new Error(`not a date: ${date}`);
  const index = parsed.year * 12 + parsed.month - 1 + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(parsed.day, last))).toISOString().slice(0, 10);
}

/** Monday of the ISO week holding the date. */
export function startOfLocalWeek(date: string): string {
  const parsed = parseLocalDate(date);
  if (!parsed) throw new Error(`not a date: ${date}`);
  const weekday = new Date(Date.UTC(parsed.year, parsed.month - 1, parsed.day)).getUTCDay();
  return addLocalDays(date, -((weekday + 6) % 7));
}
