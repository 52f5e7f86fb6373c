import { spawnSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEventRow } from '../../testing/event-row-fixture.ts';
import { createTempDir } from '../../testing/temp-dir.ts';
import { createWriteBatch, type EventRow } from '../rows.ts';
import { createDuckDbEventStore } from './duckdb-event-store.ts';
import { decodeEvents } from './encode-batch.ts';
import { openIngestLog, type LogRecord, type SealedSegment } from './ingest-log.ts';

function record(seq: number, events: EventRow[] = []): LogRecord {
  const { events: _none, ...facts } = createWriteBatch();
  return { seq, events: events.map((event) => JSON.stringify(event)), facts };
}

describe('ingest log', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  it('seals the segment being written so it can be applied whole, then starts a new one', () => {
    const path = join(dir.path, 'log');
    const log = openIngestLog(path);
    expect(log.seal()).toEqual([]);
    for (const seq of [1, 2]) log.append(record(seq));
    const [first, ...more] = log.seal();
    expect(more).toEqual([]);
    expect(first).toMatchObject({ firstSeq: 1, lastSeq: 2 });
    log.append(record(3));
    expect(log.seal()).toMatchObject([{ firstSeq: 3, lastSeq: 3 }]);
    expect(readdirSync(path)).toHaveLength(2);
    log.remove(first as SealedSegment);
    expect(log.readAfter(0).map((record) => record.seq)).toEqual([3]);
    log.close();
  });

  it('reads back records after a sequence, skipping a torn last line', () => {
    const path = join(dir.path, 'log');
    const log = openIngestLog(path);
    for (const seq of [1, 2, 3]) log.append(record(seq, [makeEventRow({ name: `e${seq}` })]));
    log.close();
    const [segment] = readdirSync(path);
    appendFileSync(join(path, String(segment)), '{"seq":4,"batch":{"ev'); // crash mid-write
    const again = openIngestLog(path);
    expect(again.readAfter(1).map((r) => [r.seq, decodeEvents(r.events)[0]?.name])).toEqual([
      [2, 'e2'],
      [3, 'e3'],
    ]);
    again.close();
  });

  it('keeps refused records aside in rejected/', () => {
    const log = openIngestLog(join(dir.path, 'log'));
    const row = makeEventRow({ name: 'refused' });
    log.quarantine(record(7, [row]), 'Constraint Error: x');
    expect(readdirSync(join(dir.path, 'log', 'rejected'))).toEqual(['7.json']);
    const kept = JSON.parse(readFileSync(join(dir.path, 'log', 'rejected', '7.json'), 'utf8')) as {
      reason: string;
      record: { seq: number; batch: { events: EventRow[] } };
    };
    expect(kept.reason).toBe('Constraint Error: x');
    expect(kept.record.seq).toBe(7);
    expect(kept.record.batch.events).toEqual([JSON.parse(JSON.stringify(row))]);
    log.close();
  });

  it('applies acknowledged batches the process died before applying', async () => {
    const path = join(dir.path, 'events.duckdb');
    const fixture = resolve(import.meta.dirname, '../../testing/commit-then-crash.ts');
    const child = spawnSync(process.execPath, ['--import', 'tsx', fixture, path, '300'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.signal).toBe('SIGKILL');
    const acknowledged = JSON.parse(child.stdout) as string[];
    expect(acknowledged).toHaveLength(300);

    // Straight after the crash DuckDB itself does not hold them: only the log does.
    const raw = await DuckDBInstance.create(path);
    const connection = await raw.connect();
    const before = (
      await connection.runAndReadAll('SELECT count(*)::INTEGER FROM events')
    ).getRows();
    connection.closeSync();
    raw.closeSync();
    expect(before).toEqual([[0]]);

    const store = await createDuckDbEventStore({ path });
    try {
      await store.migrate();
      const [row] = await store.query(
        `SELECT count(*) AS n FROM events WHERE event_id IN (SELECT unnest(from_json($1::VARCHAR, '["UUID"]')))`,
        [JSON.stringify(acknowledged)],
      );
      expect(row?.n).toBe(300);
      // And they count as stored for dedupe.
      const replay = await store.commit(
        createWriteBatch({ events: acknowledged.map((eventId) => makeEventRow({ eventId })) }),
      );
      expect(replay.insertedEventIds.size).toBe(0);
    } finally {
      await store.close();
    }
  });
});
