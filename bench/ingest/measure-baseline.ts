import { SDK_CONFIG_DEFAULTS } from '@sightline/shared';
import { join } from 'node:path';
import {
  createEnrichers,
  normalizeEvent,
  type BatchContext,
} from '../../packages/server/src/ingest/index.ts';
import type { IngestProject } from '../../packages/server/src/projects/index.ts';
import {
  createDuckDbEventStore,
  createWriteBatch,
  type EventRow,
  type WriteBatch,
} from '../../packages/server/src/store/index.ts';
import { makeEventRow } from '../../packages/server/src/testing/event-row-fixture.ts';
import { createBodyFactory } from './load-client.ts';

const COMMIT_EVENTS = 5_000;

export interface BaselineResult {
  events: number;
  elapsedMs: number;
  eventsPerSec: number;
}

const PROJECT: IngestProject = {
  project: {
    id: 'bench',
    name: 'Bench',
    timeZone: 'Asia/Shanghai',
    retentionDays: 180,
    dntMode: 'drop',
    fieldDenylist: [],
    sdkConfig: SDK_CONFIG_DEFAULTS,
    createdAt: 0,
  },
  denylist: new Set(),
  secretKeys: [],
};

/**
 * The same-run floor that HTTP ingest is compared with: JSON bodies parsed and appended to a
 * DuckDB file in 5,000-event commits, with no HTTP. `raw` maps fields straight to rows;
 * `pipeline` runs the real validation, enrichment and privacy steps first.
 */
export async function measureBaseline(
  mode: 'raw' | 'pipeline',
  dir: string,
  events: number,
): Promise<BaselineResult> {
  const store = await createDuckDbEventStore({ path: join(dir, `baseline-${mode}.duckdb`) });
  await store.migrate();
  const enrichers = createEnrichers({ uaCacheSize: 5_000 });
  const nextBody = createBodyFactory(100, mode === 'raw' ? 1 : 2);
  const bodies = Array.from({ length: Math.ceil(events / 100) }, nextBody);
  const start = performance.now();
  let batch: WriteBatch = createWriteBatch();
  for (const body of bodies) {
    const parsed = JSON.parse(body) as { batch: Array<Record<string, unknown>> };
    const receivedAt = Date.now();
    const ctx: BatchContext = {
      project: PROJECT,
      receivedAt,
      sentAt: null,
      ip: '120.24.78.68',
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36',
      dnt: false,
      trusted: false,
      ipSalt: 'bench',
      enrichers,
      bodyBytes: body.length,
      memo: {},
    };
    for (const raw of parsed.batch) {
      if (mode === 'raw') batch.events.push(toRawRow(raw, receivedAt));
      else {
        const normalized = normalizeEvent(raw, ctx);
        if (normalized.kind === 'ok') batch.events.push(normalized.row);
      }
    }
    if (batch.events.length >= COMMIT_EVENTS) {
      await store.commit(batch);
      batch = createWriteBatch();
    }
  }
  if (batch.events.length > 0) await store.commit(batch);
  const elapsedMs = performance.now() - start;
  await store.close();
  return {
    events: bodies.length * 100,
    elapsedMs,
    eventsPerSec: (bodies.length * 100 * 1000) / elapsedMs,
  };
}

function toRawRow(raw: Record<string, unknown>, receivedAt: number): EventRow {
  const str = (key: string) => {
    const value = raw[key];
    return typeof value === 'string' ? value : null;
  };
  return makeEventRow({
    projectId: 'bench',
    eventId: str('event_id') ?? '',
    eventTime: receivedAt,
    clientTime: null,
    receivedAt,
    type: str('type') ?? 'event',
    name: str('name') ?? 'event',
    anonymousId: str('anonymous_id'),
    sessionId: str('session_id'),
    platform: str('platform'),
    url: str('url'),
    referrer: str('referrer'),
    props: JSON.stringify(raw.props ?? {}),
  });
}
