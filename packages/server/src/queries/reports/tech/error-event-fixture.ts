import type { EventRow } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';

/** One js_error event for tests: message and stack go to props, as ingest stores them. */
export interface ErrorEvent {
  at: number;
  message: string | null;
  stack: string | null;
  user?: string | null;
  anon?: string | null;
  page?: string | null;
  release?: string | null;
  bot?: boolean;
  receivedAt?: number;
  project?: string;
}

export function jsError(e: ErrorEvent): EventRow {
  const props: Record<string, unknown> = { fatal: false };
  if (e.message !== null) props.message = e.message;
  if (e.stack !== null) props.stack = e.stack;
  return makeEventRow({
    projectId: e.project ?? 'p_test',
    type: 'error',
    name: 'js_error',
    eventTime: e.at,
    receivedAt: e.receivedAt ?? e.at,
    userId: e.user ?? null,
    anonymousId: e.anon ?? null,
    page: e.page ?? null,
    release: e.release ?? null,
    isBot: e.bot ?? false,
    uaBrowser: 'Chrome',
    uaOs: 'Android',
    props: JSON.stringify(props),
  });
}
