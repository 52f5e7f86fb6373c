import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEventRow } from '../../testing/event-row-fixture.ts';
import { createTempDir } from '../../testing/temp-dir.ts';
import { createDuckDbEventStore, createWriteBatch, type EventStore } from '../../store/index.ts';
import { createGroupCommitter, QueueFullError } from './group-committer.ts';

describe('group committer', () => {
  let dir: ReturnType<typeof createTempDir>;
  let store: EventStore;
  beforeEach(async () => {
    dir = createTempDir();
    store = await createDuckDbEventStore({ path: join(dir.path, 'e.duckdb') });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('merges concurrent submissions into one commit and attributes each event once', async () => {
    const commits: number[] = [];
    const committer = createGroupCommitter({
      store,
      maxQueueEvents: 1_000,
      flushMs: 20,
      maxBatchEvents: 1_000,
      onCommit: ({ submissions }) => commits.push(submissions),
    });
    const shared = makeEventRow();
    const a = makeEventRow();
    const b = makeEventRow();
    const [first, second] = await Promise.all([
      committer.submit(createWriteBatch({ events: [shared, a] })),
      committer.submit(createWriteBatch({ events: [b, shared] })),
    ]);
    expect(commits).toEqual([2]);
    expect(first.inserted).toEqual([true, true]);
    expect(second.inserted).toEqual([true, false]);
    expect(await store.query('SELECT count(*) AS n FROM events')).toEqual([{ n: 3 }]);
  });

  it('refuses beyond its capacity without storing anything of the refused batch', async () => {
    const committer = createGroupCommitter({
      store,
      maxQueueEvents: 3,
      flushMs: 50,
      maxBatchEvents: 100,
    });
    const accepted = committer.submit(
      createWriteBatch({ events: [makeEventRow(), makeEventRow()] }),
    );
    await expect(
      committer.submit(createWriteBatch({ events: [makeEventRow(), makeEventRow()] })),
    ).rejects.toBeInstanceOf(QueueFullError);
    expect(committer.depth()).toBe(2);
    await accepted;
    await committer.drain();
    expect(committer.depth()).toBe(0);
    expect(await store.query('SELECT count(*) AS n FROM events')).toEqual([{ n: 2 }]);
  });

  it('rejects every waiter of a failed commit, reports why, and keeps going', async () => {
    const reported: Array<{ message: string; events: number }> = [];
    const committer = createGroupCommitter({
      store,
      maxQueueEvents: 100,
      flushMs: 0,
      maxBatchEvents: 100,
      onCommitError: (error, events) =>
        reported.push({ message: (error as Error).message, events }),
    });
    const broken = makeEventRow({ eventId: 'not-a-uuid' });
    await expect(committer.submit(createWriteBatch({ events: [broken] }))).rejects.toThrow();
    expect(reported).toEqual([
      { message: 'write batch refused: events[0].event_id must be a UUID', events: 1 },
    ]);
    const ok = await committer.submit(createWriteBatch({ events: [makeEventRow()] }));
    expect(ok.inserted).toEqual([true]);
  });
});
