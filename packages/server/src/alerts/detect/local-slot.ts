import { zoneOffsetMs } from '../../platform/index.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Where an instant falls on the local calendar of a zone. */
export interface LocalSlot {
  /** The instant, epoch ms. */
  at: number;
  /** Local days since 1970-01-01 (consecutive integers, whatever the DST). */
  day: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Local wall-clock time since local midnight, in ms. */
  msOfDay: number;
  /** Equal for instants with the same local weekday and wall-clock time. */
  weekKey: number;
}

export type LocalSlotReader = (at: number) => LocalSlot;

/**
 * Reads local slots in one zone. Intl costs ~8 µs a call, so offsets are kept per UTC hour
 * (minute buckets over five weeks are 50k points); an hour whose two ends disagree holds a
 * transition and is resolved per instant, so transitions off the hour (Lord Howe) stay exact.
 */
export function createLocalSlotReader(timeZone: string): LocalSlotReader {
  const hourOffsets = new Map<number, number | null>();
  const offsetAt = (at: number): number => {
    const hour = Math.floor(at / HOUR_MS);
    let offset = hourOffsets.get(hour);
    if (offset === undefined) {
      const first = zoneOffsetMs(hour * HOUR_MS, timeZone);
      const last = zoneOffsetMs((hour + 1) * HOUR_MS - 1, timeZone);
      offset = first === last ? first : null;
      hourOffsets.set(hour, offset);
    }
    return offset ?? zoneOffsetMs(at, timeZone);
  };
  return (at) => {
    const local = at + offsetAt(at);
    const day = Math.floor(local / DAY_MS);
    const msOfDay = local - day * DAY_MS;
    // 1970-01-01 was a Thursday.
    const weekday = (((day + 4) % 7) + 7) % 7;
    return { at, day, weekday, msOfDay, weekKey: weekday * DAY_MS + msOfDay };
  };
}
