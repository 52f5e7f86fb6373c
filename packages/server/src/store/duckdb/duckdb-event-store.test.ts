import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDir } from '../../testing/temp-dir.ts';
import { makeEventRow } from '../../testing/event-row-fixture.ts';
import { makeOrderRow } from '../../testing/order-row-fixture.ts';
import { createWriteBatch, rowsOf, type EventStore, type OrderRow } from '../index.ts';
import { EVENT_COLUMNS } from '../row-columns.ts';
import { createDuckDbEventStore } from './duckdb-event-store.ts';

const T0 = Date.UTC(2026, 10, 20, 12, 30, 0);

function makeOrder(overrides: Partial<OrderRow> = {}): OrderRow {
  return makeOrderRow({
    orderId: 'o1',
    userId: 'u1',
    paidAt: T0,
    grossAmount: 10_000,
    discountAmount: 1_000,
    payAmount: 9_000,
    costAmount: 5_000,
    ...overrides,
  });
}

describe('DuckDB event store', () => {
  let dir: ReturnType<typeof createTempDir>;
  let store: EventStore;
  let path: string;

  beforeEach(async () => {
    dir = createTempDir();
    path = join(dir.path, 'events.duckdb');
    store = await createDuckDbEventStore({ path });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('answers a statement asked again with new values, and after its table changed', async () => {
    // Readers keep each statement's preparation: it must bind new values, and see a new schema.
    await store.execute(`CREATE TABLE notes (id INTEGER, body VARCHAR)`);
    await store.execute(`INSERT INTO notes VALUES (1, 'a'), (2, 'b'), (3, 'c')`);
    const sql = 'SELECT * FROM notes WHERE id >= $1 ORDER BY id';
    for (let round = 0; round < 6; round += 1) {
      expect(await store.query(sql, [2])).toEqual([
        { id: 2, body: 'b' },
        { id: 3, body: 'c' },
      ]);
      expect(await store.query(sql, [3])).toEqual([{ id: 3, body: 'c' }]);
    }
    await store.execute(`ALTER TABLE notes ADD COLUMN done BOOLEAN DEFAULT false`);
    await store.execute(`DELETE FROM notes WHERE id = 3`);
    for (let round = 0; round < 6; round += 1)
      expect(await store.query(sql, [2])).toEqual([{ id: 2, body: 'b', done: false }]);
    await expect(store.query('SELECT nope FROM notes', [])).rejects.toThrow(/nope/);
    expect(await store.query(sql, [1])).toHaveLength(2);
  });

  it('reads by column: numbers, booleans and texts in arrays, NULLs marked, other types refused', async () => {
    const sql =
      `SELECT * FROM (VALUES (1, 2.5::DOUBLE, TRUE, 'a', 10::BIGINT), (2, NULL, FALSE, NULL, NULL), ` +
      `(3, -1.0::DOUBLE, NULL, 'a', 30::BIGINT)) v(i, x, b, s, n) ORDER BY i`;
    const read = await store.queryColumns(sql);
    expect(read.rowCount).toBe(3);
    expect(read.columns.x).toEqual({
      kind: 'number',
      values: new Float64Array([2.5, 0, -1]),
      nulls: new Uint8Array([0, 1, 0]),
    });
    expect(read.columns.i).toMatchObject({ kind: 'number', nulls: null });
    expect(read.columns.b).toEqual({
      kind: 'boolean',
      values: new Uint8Array([1, 0, 0]),
      nulls: new Uint8Array([0, 0, 1]),
    });
    expect(read.columns.s).toEqual({
      kind: 'text',
      codes: new Int32Array([0, -1, 0]),
      dictionary: ['a'],
    });
    // The rows they stand for are the rows a query returns.
    expect(rowsOf(read)).toEqual(await store.query(sql));
    expect(rowsOf(read, 1, 2)).toEqual([{ i: 2, x: null, b: false, s: null, n: null }]);
    await expect(store.queryColumns(`SELECT DATE '2026-11-23' AS d`)).rejects.toThrow(
      /column d is DATE/,
    );
    expect((await store.queryColumns(`SELECT 1 AS one WHERE FALSE`)).rowCount).toBe(0);
  });

  it('applies migrations once', async () => {
    expect(await store.migrate()).toBe(0);
    const rows = await store.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((version) => ({ version })));
  });

  it('stores events with their columns and reads them back', async () => {
    const event = makeEventRow({
      eventTime: T0,
      receivedAt: T0 + 1500,
      userId: 'u1',
      amount: 12_345,
      durationMs: 12.5,
      props: '{"plan":"gold","n":3}',
    });
    const result = await store.commit(createWriteBatch({ events: [event] }));
    expect(result).toEqual({ insertedEventIds: new Set([event.eventId]) });
    const rows = await store.query(
      `SELECT event_id::VARCHAR AS id, epoch_ms(event_time) AS t, epoch_ms(received_at) AS r, user_id, amount, duration_ms, props->>'plan' AS plan FROM events`,
    );
    expect(rows).toEqual([
      {
        id: event.eventId,
        t: T0,
        r: T0 + 1500,
        user_id: 'u1',
        amount: 12_345,
        duration_ms: 12.5,
        plan: 'gold',
      },
    ]);
  });

  it('stores every column alike from the log file and from memory', async () => {
    // A file store applies events by reading its sealed log segment; an in-memory store appends
    // them from memory. Both must store the same values, unicode and quoting included.
    const full = makeEventRow(
      Object.fromEntries(
        EVENT_COLUMNS.filter(([, , kind]) => kind === 'text').map(([, field], i) => [
          field,
          `v${i} «引号» "q" 'a' \\ \n`,
        ]),
      ),
    );
    Object.assign(full, {
      eventTime: T0,
      clientTime: T0 - 5,
      receivedAt: T0 + 7,
      eventVersion: 3,
      isBot: true,
      durationMs: 1.25,
      status: 503,
      amount: 2 ** 40,
      props: '{"k":[1,"二"]}',
    });
    const sparse = makeEventRow({ receivedAt: T0 });
    const memory = await createDuckDbEventStore({ path: ':memory:' });
    await memory.migrate();
    try {
      for (const target of [store, memory])
        await target.commit(createWriteBatch({ events: [full, sparse] }));
      const read = (target: EventStore) =>
        target.query(
          `SELECT * EXCLUDE (commit_seq) REPLACE (event_id::VARCHAR AS event_id) FROM events ORDER BY received_at`,
        );
      const fromFile = await read(store);
      expect(fromFile).toEqual(await read(memory));
      expect(fromFile[1]).toMatchObject({ event_id: full.eventId, status: 503, is_bot: true });
      expect(fromFile[1]?.city).toBe(full.city);
    } finally {
      await memory.close();
    }
  });

  it('applies acknowledged events in the background, without waiting for a read', async () => {
    await store.commit(createWriteBatch({ events: [makeEventRow()] }));
    // The ingest log keeps a record until DuckDB holds it, then deletes its segment.
    const logDir = `${path}.log`;
    const segments = () => readdirSync(logDir).filter((name) => name.endsWith('.ndjson'));
    const deadline = Date.now() + 10_000;
    while (segments().length > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(segments()).toEqual([]);
    expect(await store.health()).toMatchObject({ ok: true, applyBacklogEvents: 0 });

    // Just after an apply, the next waits its interval (500 ms): health counts what waits, and
    // a read applies it first.
    await store.commit(createWriteBatch({ events: [makeEventRow(), makeEventRow()] }));
    expect(await store.health()).toMatchObject({ ok: true, applyBacklogEvents: 2 });
    expect(await store.query('SELECT count(*) AS n FROM events')).toEqual([{ n: 3 }]);
    expect(await store.health()).toMatchObject({ applyBacklogEvents: 0 });
  });

  it('never stores an event id twice: across commits and within one batch', async () => {
    const a = makeEventRow();
    const b = makeEventRow();
    await store.commit(createWriteBatch({ events: [a] }));
    const result = await store.commit(createWriteBatch({ events: [a, b, b] }));
    expect(result.insertedEventIds).toEqual(new Set([b.eventId]));
    const [count] = await store.query('SELECT count(*) AS n FROM events');
    expect(count).toEqual({ n: 2 });
    const stats = await store.query(
      `SELECT outcome, sum(count) AS n FROM ingest_stats GROUP BY outcome ORDER BY outcome`,
    );
    expect(stats).toEqual([
      { outcome: 'accepted', n: 2 },
      { outcome: 'duplicate', n: 2 },
    ]);
  });

  it('replaces an order and all its lines on upsert', async () => {
    const line = {
      projectId: 'p_test',
      orderId: 'o1',
      sku: null,
      category: 'tea',
      costAmount: null,
    };
    await store.commit(
      createWriteBatch({
        orders: [makeOrder()],
        orderItems: [
          { ...line, lineNo: 1, productId: 'a', quantity: 1, unitPrice: 4_000, amount: 4_000 },
          { ...line, lineNo: 2, productId: 'b', quantity: 2, unitPrice: 3_000, amount: 6_000 },
        ],
      }),
    );
    await store.commit(
      createWriteBatch({
        orders: [makeOrder({ payAmount: 8_000, source: 'import' })],
        orderItems: [
          { ...line, lineNo: 1, productId: 'c', quantity: 1, unitPrice: 8_000, amount: 8_000 },
        ],
      }),
    );
    expect(await store.query('SELECT order_id, pay_amount, source FROM orders')).toEqual([
      { order_id: 'o1', pay_amount: 8_000, source: 'import' },
    ]);
    expect(await store.query('SELECT line_no, product_id FROM order_items')).toEqual([
      { line_no: 1, product_id: 'c' },
    ]);
  });

  it('rolls back the whole batch when one part fails', async () => {
    const event = makeEventRow();
    const bad = createWriteBatch({
      events: [event],
      // status is NOT NULL: the orders insert fails after the events insert succeeded
      orders: [makeOrder({ status: null as unknown as string })],
    });
    await expect(store.commit(bad)).rejects.toThrow();
    expect(await store.query('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
    // the store keeps working afterwards
    await store.commit(createWriteBatch({ events: [event] }));
    expect(await store.query('SELECT count(*) AS n FROM events')).toEqual([{ n: 1 }]);
  });

  it('runs statements in one transaction and returns each affected row count', async () => {
    await store.commit(
      createWriteBatch({
        events: [makeEventRow({ userId: 'u1' }), makeEventRow({ userId: 'u1' }), makeEventRow()],
        orders: [makeOrder({ userId: 'u1', ipHash: 'h' })],
      }),
    );
    const counts = await store.executeInTransaction([
      { sql: 'DELETE FROM events WHERE user_id = $1', params: ['u1'] },
      {
        sql: 'UPDATE orders SET user_id = NULL, ip_hash = NULL WHERE user_id = $1',
        params: ['u1'],
      },
      { sql: 'DELETE FROM identities' },
    ]);
    expect(counts).toEqual([2, 1, 0]);
    expect(await store.query('SELECT count(*) AS n FROM events')).toEqual([{ n: 1 }]);
    expect(await store.query('SELECT user_id, ip_hash, pay_amount FROM orders')).toEqual([
      { user_id: null, ip_hash: null, pay_amount: 9_000 },
    ]);
  });

  it('rolls back every statement of a transaction when one fails', async () => {
    await store.commit(createWriteBatch({ events: [makeEventRow({ userId: 'u1' })] }));
    await expect(
      store.executeInTransaction([
        { sql: 'DELETE FROM events WHERE user_id = $1', params: ['u1'] },
        { sql: 'DELETE FROM no_such_table' },
      ]),
    ).rejects.toThrow();
    expect(await store.query('SELECT count(*) AS n FROM events')).toEqual([{ n: 1 }]);
    // the writer connection is usable afterwards
    expect(await store.execute('DELETE FROM events WHERE user_id = $1', ['u1'])).toBe(1);
  });

  it('rebuilds its dedupe index from the events when the index is lost', async () => {
    const first = [makeEventRow(), makeEventRow()];
    await store.commit(createWriteBatch({ events: first }));
    await store.commit(createWriteBatch({ events: [makeEventRow()] }));
    await store.close();
    rmSync(`${path}.ids.sqlite`);
    rmSync(`${path}.ids.sqlite-wal`, { force: true });
    store = await createDuckDbEventStore({ path });
    await store.migrate();
    const replay = await store.commit(createWriteBatch({ events: [...first, makeEventRow()] }));
    expect(replay.insertedEventIds.size).toBe(1);
    expect(await store.query('SELECT count(*) AS n FROM events')).toEqual([{ n: 4 }]);
  });

  it('catches up an index that lags behind the events (lost unsynced writes)', async () => {
    const early = makeEventRow();
    await store.commit(createWriteBatch({ events: [early] }));
    await store.close();
    // Simulate an index that lost its newest transaction: watermark back to 0, ids gone.
    const sqlite = new Database(`${path}.ids.sqlite`);
    sqlite.exec(`DELETE FROM event_ids; UPDATE dedupe_state SET value = 0`);
    sqlite.close();
    store = await createDuckDbEventStore({ path });
    await store.migrate();
    const replay = await store.commit(createWriteBatch({ events: [early] }));
    expect(replay.insertedEventIds.size).toBe(0);
  });

  it('applies the memory limit and thread count it is given', async () => {
    const limited = await createDuckDbEventStore({
      path: join(dir.path, 'limited.duckdb'),
      memoryLimit: '512MB',
      threads: 1,
    });
    try {
      const [settings] = await limited.query(
        `SELECT current_setting('memory_limit') AS memory, current_setting('threads') AS threads`,
      );
      expect(settings).toEqual({ memory: '488.2 MiB', threads: 1 });
    } finally {
      await limited.close();
    }
  });

  it('lets the reads under way finish before it closes, and refuses reads after', async () => {
    // Longer than a few milliseconds, and more reads than there are readers, so some wait.
    const slow = Array.from({ length: 6 }, (_, i) =>
      store.query(`SELECT count(*) AS n FROM range(60000000) r WHERE r.range % 7 = ${i}`),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    // Closed twice at once (a signal during shutdown): the second waits for the first.
    await Promise.all([store.close(), store.close()]);
    const answers = await Promise.allSettled(slow);
    expect(answers.map((a) => (a.status === 'rejected' ? String(a.reason) : a.status))).toEqual(
      Array(6).fill('fulfilled'),
    );
    await expect(store.query('SELECT 1 AS one')).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
    });
    store = await createDuckDbEventStore({ path });
    expect(await store.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('keeps committed data across close and reopen', async () => {
    const event = makeEventRow();
    await store.commit(createWriteBatch({ events: [event] }));
    await store.close();
    store = await createDuckDbEventStore({ path });
    expect(await store.migrate()).toBe(0);
    const again = await store.commit(createWriteBatch({ events: [event] }));
    expect(again.insertedEventIds).toEqual(new Set());
    expect((await store.health()).ok).toBe(true);
  });
});
