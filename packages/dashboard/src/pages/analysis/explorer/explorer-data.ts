import type { Locale } from '../../../i18n/index.ts';

/** Event types of the explorer's type filter (docs/events.md). */
export const EVENT_TYPES = ['page', 'event', 'error', 'perf', 'api', 'identify'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** One row of the `events` report (docs/api.md, event explorer). */
export interface ListedEvent {
  eventId: string;
  time: string;
  type: string;
  name: string;
  userId: string | null;
  anonymousId: string | null;
  page: string | null;
  platform: string | null;
  channel: string | null;
  message: string | null;
}
export interface EventsResult {
  events: ListedEvent[];
  hasMore: boolean;
}
/** The `event_detail` report: every stored column by name, props parsed; null when hidden. */
export interface EventDetailResult {
  event: Record<string, unknown> | null;
}

export const PAGE_SIZE = 50;
/** Most events kept on screen: the oldest go (and "load older" brings them back). */
export const MAX_SHOWN = 1_000;
export const POLL_MS = 2_000;

/** A list position as the report's `before` / `after` cursors take it. */
export const cursorOf = (event: ListedEvent) => ({ time: event.time, eventId: event.eventId });

/** New events on top of the shown ones, without duplicates, keeping at most MAX_SHOWN. */
export function prependEvents(
  fresh: readonly ListedEvent[],
  shown: readonly ListedEvent[],
): { events: ListedEvent[]; trimmed: boolean } {
  const known = new Set(fresh.map((event) => event.eventId));
  const merged = [...fresh, ...shown.filter((event) => !known.has(event.eventId))];
  return { events: merged.slice(0, MAX_SHOWN), trimmed: merged.length > MAX_SHOWN };
}

/** An event time with seconds, in the project's time zone. */
export function formatEventTime(iso: string, timeZone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** Stored fields in a readable order: the ones that say what happened first, then the rest. */
const LEADING = ['event_time', 'type', 'name', 'user_id', 'anonymous_id', 'page', 'event_id'];

export function orderFields(event: Record<string, unknown>): {
  filled: Array<[string, string]>;
  empty: string[];
} {
  const names = Object.keys(event).filter((name) => name !== 'props');
  const ordered = [
    ...LEADING.filter((name) => names.includes(name)),
    ...names.filter((name) => !LEADING.includes(name)),
  ];
  const filled: Array<[string, string]> = [];
  const empty: string[] = [];
  for (const name of ordered) {
    const value = event[name];
    if (value === null || value === undefined || value === '') empty.push(name);
    else filled.push([name, typeof value === 'string' ? value : JSON.stringify(value)]);
  }
  return { filled, empty };
}
