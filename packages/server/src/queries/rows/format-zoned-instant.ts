import { zoneOffsetMs } from '../../platform/index.ts';

const QUARTER_HOUR_MS = 900_000;

const pad = (value: number) => String(value).padStart(2, '0');

/**
 * A formatter of epoch milliseconds as ISO-8601 in a time zone (`2026-11-20T20:00:00.000+08:00`).
 * Asking Intl for the offset costs microseconds per call, too much for a million rows; every
 * zone's offset changes only on a quarter hour, and rows arrive in time order, so the offset of
 * the last quarter hour seen is reused.
 */
export function createZonedInstantFormatter(zone: string): (ms: number) => string {
  let slot = Number.NaN;
  let offsetMs = 0;
  let suffix = 'Z';
  return (ms) => {
    const current = Math.floor(ms / QUARTER_HOUR_MS);
    if (current !== slot) {
      slot = current;
      offsetMs = zoneOffsetMs(ms, zone);
      const minutes = Math.abs(offsetMs) / 60_000;
      suffix = `${offsetMs < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
    }
    return `${new Date(ms + offsetMs).toISOString().slice(0, 23)}${suffix}`;
  };
}
