/** One simulated local calendar day. */
export interface DemoDay {
  /** 0-based index in the simulated period. */
  index: number;
  /** Local midnight, epoch ms. */
  start: number;
  /** Next local midnight, epoch ms (23 or 25 hours later on DST changes). */
  end: number;
  /** 0 = Sunday … 6 = Saturday. */
  dayOfWeek: number;
  /** Local date as YYYYMMDD, used inside order ids. */
  dateKey: string;
}

export const DAY_MS = 86_400_000;

/**
 * The `days` whole local days that end at the last local midnight at or before `endTime`. Whole
 * days keep every planted anomaly inside the data whatever time of day the demo is generated, and
 * no event lies in the future.
 */
export function createDemoCalendar(
  endTime: number,
  days: number,
  timeZone: string,
  includeToday = false,
): DemoDay[] {
  const getOffsetMs = createOffsetReader(timeZone);
  const local = new Date(endTime + getOffsetMs(endTime));
  const endY = local.getUTCFullYear();
  const endM = local.getUTCMonth();
  const endD = local.getUTCDate();
  const calendar: DemoDay[] = [];
  // Today (index `days`) is partial: events after endTime are dropped by the generator.
  for (let index = 0; index < days + (includeToday ? 1 : 0); index += 1) {
    const date = new Date(Date.UTC(endY, endM, endD - (days - index)));
    const next = new Date(Date.UTC(endY, endM, endD - (days - index) + 1));
    calendar.push({
      index,
      start: getLocalMidnight(date, getOffsetMs),
      end: getLocalMidnight(next, getOffsetMs),
      dayOfWeek: date.getUTCDay(),
      dateKey: formatDateKey(date),
    });
  }
  return calendar;
}

/** Whole minutes after local midnight, for diurnal curves and anomaly windows. */
export function getLocalMinute(day: DemoDay, ts: number): number {
  return Math.floor((ts - day.start) / 60_000);
}

function getLocalMidnight(utcDate: Date, getOffsetMs: (epochMs: number) => number): number {
  const guess = utcDate.getTime();
  const first = guess - getOffsetMs(guess);
  // A second pass settles days where the offset changes between guess and answer (DST).
  return guess - getOffsetMs(first);
}

function formatDateKey(date: Date): string {
  const y = String(date.getUTCFullYear());
  const m = String(date.getUTCMonth() + 1).padStart(2, '0');
  const d = String(date.getUTCDate()).padStart(2, '0');
  return `${y}${m}${d}`;
}

/** Offset of the zone from UTC at an instant, read through Intl (throws on an unknown zone). */
function createOffsetReader(timeZone: string): (epochMs: number) => number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (epochMs) => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(epochMs)) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const asUtc = Date.UTC(
      parts.year ?? 1970,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
    );
    const wholeSecond = epochMs - (((epochMs % 1000) + 1000) % 1000);
    return Math.round((asUtc - wholeSecond) / 60_000) * 60_000;
  };
}
