import type { Granularity } from '@sightline/shared';
import { toLocalDate, zoneOffsetMs } from '../../platform/index.ts';

/** A bucket start as people read it in the project's zone: `2026-11-20`, `2026-11-20 13:00`. */
export function formatBucket(start: number, zone: string, granularity: Granularity): string {
  const date = toLocalDate(start, zone);
  if (granularity === 'month') return date.slice(0, 7);
  if (granularity !== 'hour' && granularity !== 'minute') return date;
  const local = new Date(start + zoneOffsetMs(start, zone));
  const hh = String(local.getUTCHours()).padStart(2, '0');
  const mm = String(local.getUTCMinutes()).padStart(2, '0');
  return `${date} ${hh}:${mm}`;
}
