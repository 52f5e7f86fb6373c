import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEventRow } from '../../testing/event-row-fixture.ts';
import { makeOrderRow, makeRefundRow } from '../../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import { checkRowSource } from './build-rows-query.ts';
import { countRows } from './count-rows.ts';
import { createZonedInstantFormatter } from './format-zoned-instant.ts';
import { readRowPages, type RowPage } from './read-row-pages.ts';

// Local (Asia/Shanghai) 2026-11-20 is 2026-11-19T16:00Z … 2026-11-20T16:00Z.
const FROM = Date.parse('2026-11-19T16:00:00Z');
const TO = Date.parse('2026-11-20T16:00:00Z');
const T1 = Date.parse('2026-11-20T01:00:00Z');
const T2 = Date.parse('2026-11-20T02:00:00Z');
const CHANNELS = ['wechat', 'douyin', 'baidu'];

/** A UUID whose text sorts by n. */
const idOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function collect(pages: AsyncGenerator<RowPage>): Promise<RowPage[]> {
  const all: RowPage[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

describe('readRowPages', () => {
  let f: QueryFixture;

  beforeAll(async () => {
    f = await createQueryFixture();
    // 40 events: 23 share T1 exactly, 12 share T2, 5 elsewhere (one outside the range).
    const events = Array.from({ length: 40 }, (_, i) =>
      makeEventRow({
        eventId: idOf(1000 - i),
        eventTime: i < 23 ? T1 : i < 35 ? T2 : i < 39 ? T2 + i * 1000 : TO + 1,
        name: `e${i}`,
        userId: `u${i % 4}`,
        channel: CHANNELS[i % 3] ?? null,
        props: JSON.stringify({ i }),
      }),
    );
    await f.load({
      events,
      orders: [
        makeOrderRow({ orderId: 'o2', paidAt: T2, payAmount: 700, channel: 'wechat' }),
        makeOrderRow({ orderId: 'o1', paidAt: T2, payAmount: 300, channel: 'douyin' }),
        makeOrderRow({ orderId: 'o0', paidAt: T1, payAmount: 5 }),
      ],
      refunds: [makeRefundRow({ refundId: 'r1', orderId: 'o2', amount: 200 })],
    });
    // Beyond 2^53 (ingest caps amounts far lower, but the column is a BIGINT).
    await f.store.execute("UPDATE orders SET pay_amount = 9007199254740993 WHERE order_id = 'o0'");
    // Times finer than a millisecond (not written by ingest, but the engine allows them): the
    // key must compare them exactly.
    for (const [n, micros] of [
      [1, '000100'],
      [2, '000900'],
      [3, '000100'],
    ] as const)
      await f.store.execute(
        `INSERT INTO events (event_id, project_id, event_time, received_at, type, name, is_bot,
           props, commit_seq) VALUES ($1::UUID, 'p_test', $2::TIMESTAMPTZ, now(), 'event', 'fine',
           false, '{}', 99)`,
        [idOf(n), `2026-11-20T03:00:00.${micros}Z`],
      );
  });
  afterAll(() => f.close());

  const ctx = (overrides = {}) => f.ctx({ from: FROM, to: TO, ...overrides });

  it('reads every row once, in time then id order, across page edges on equal times', async () => {
    const pages = await collect(readRowPages(ctx(), { source: 'events', pageSize: 7 }));
    expect(pages.map((p) => p.rows.length)).toEqual([7, 7, 7, 7, 7, 7]);
    const rows = pages.flatMap((p) => p.rows);
    const ids = rows.map((row) => row[1]);
    const expected = [
      ...Array.from({ length: 23 }, (_, i) => idOf(1000 - i)).reverse(),
      ...Array.from({ length: 12 }, (_, i) => idOf(1000 - 23 - i)).reverse(),
      idOf(1000 - 35),
      idOf(1000 - 36),
      idOf(1000 - 37),
      idOf(1000 - 38),
    ];
    // T2 + 35..38 s come before the 03:00 events; the fine-grained ones sort by microsecond.
    const fine = [idOf(1), idOf(3), idOf(2)];
    expect(ids).toEqual([...expected.slice(0, 39), ...fine].slice(0, 42));
    expect(new Set(ids).size).toBe(42);
    expect(await countRows(ctx(), { source: 'events' })).toBe(42);
    expect(pages[0]?.columns).toEqual([
      'event_time',
      'event_id',
      'type',
      'name',
      'user_id',
      'anonymous_id',
      'session_id',
      'platform',
      'channel',
      'province',
      'city',
      'page',
      'app_version',
      'props',
    ]);
    expect(rows[0]).toEqual([
      '2026-11-20T09:00:00.000+08:00',
      idOf(978),
      'event',
      'e22',
      'u2',
      null,
      null,
      null,
      'douyin',
      null,
      null,
      null,
      null,
      '{"i":22}',
    ]);
  });

  it('ends with a short page, or after a full one with an empty read', async () => {
    const exact = await collect(readRowPages(ctx(), { source: 'events', pageSize: 21 }));
    expect(exact.map((p) => p.rows.length)).toEqual([21, 21]);
    const one = await collect(readRowPages(ctx(), { source: 'events', pageSize: 100 }));
    expect(one.map((p) => p.rows.length)).toEqual([42]);
  });

  it('applies the filter bar, the row-level scope, event types and the chosen columns', async () => {
    const scoped = ctx({
      rowScope: [{ dimension: 'channel', op: 'in', value: ['wechat', 'douyin'] }],
      filters: [{ dimension: 'channel', op: 'neq', value: 'douyin' }],
    });
    const params = {
      source: 'events' as const,
      columns: ['name', 'channel', 'event_time'],
      eventTypes: ['event' as const],
      pageSize: 4,
    };
    const rows = (await collect(readRowPages(scoped, params))).flatMap((p) => p.rows);
    const wechat = Array.from({ length: 39 }, (_, i) => i)
      .filter((i) => i % 3 === 0)
      .map((i) => `e${i}`);
    expect(rows.map((row) => row[0])).toEqual(wechat.sort((a, b) => idSort(a) - idSort(b)));
    expect(new Set(rows.map((row) => row[1]))).toEqual(new Set(['wechat']));
    expect(await countRows(scoped, params)).toBe(wechat.length);
    const page = await collect(readRowPages(scoped, { ...params, eventTypes: ['page'] }));
    expect(page).toEqual([]);
  });

  it('reads orders with their amounts and refunds, money exact beyond 2^53', async () => {
    const rows = (await collect(readRowPages(ctx(), { source: 'orders', pageSize: 2 }))).flatMap(
      (p) => p.rows,
    );
    const pick = (row: unknown[] | undefined) => [row?.[0], row?.[2], row?.[9], row?.[10]];
    expect(rows.map(pick)).toEqual([
      ['2026-11-20T09:00:00.000+08:00', 'o0', '9007199254740993', 0],
      ['2026-11-20T10:00:00.000+08:00', 'o1', 300, 0],
      ['2026-11-20T10:00:00.000+08:00', 'o2', 700, 200],
    ]);
    const scoped = ctx({ rowScope: [{ dimension: 'channel', op: 'eq', value: 'wechat' }] });
    expect(await countRows(scoped, { source: 'orders' })).toBe(1);
  });

  it('refuses unknown columns and scopes the source cannot apply, before running', () => {
    expect(() => checkRowSource(ctx(), { source: 'orders', columns: ['ip_hash'] })).toThrow(
      expect.objectContaining({ code: 'ERR_QUERY_INVALID' }),
    );
    const onPage = ctx({ rowScope: [{ dimension: 'page', op: 'eq', value: '/' }] });
    expect(() => checkRowSource(onPage, { source: 'orders' })).toThrow(
      expect.objectContaining({ code: 'ERR_QUERY_DIMENSION_UNSUPPORTED' }),
    );
    expect(() => checkRowSource(onPage, { source: 'events' })).not.toThrow();
  });
});

/** Event i has id 1000 - i: within one time, higher i sorts first. */
function idSort(name: string): number {
  const i = Number(name.slice(1));
  const time = i < 23 ? 0 : i < 35 ? 1 : 2 + i;
  return time * 10_000 - i;
}

/** Mulberry32: the same integers in [min, max] on every run. */
function createSeededInts(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}

describe('readRowPages on scattered data', () => {
  let f: QueryFixture;
  const start = Date.parse('2026-10-01T00:00:00Z');
  const DAY_MS = 86_400_000;
  let expected: string[] = [];

  beforeAll(async () => {
    f = await createQueryFixture();
    // Bursts sharing one instant, dense hours, and weeks with nothing: the page-end search
    // has to widen its window over gaps and narrow it in bursts.
    const prng = createSeededInts(7);
    const times: number[] = [];
    for (let i = 0; i < 120; i += 1) times.push(start + 2 * DAY_MS + prng.int(0, 3_600_000));
    for (let i = 0; i < 60; i += 1) times.push(start + 20 * DAY_MS);
    for (let i = 0; i < 40; i += 1) times.push(start + prng.int(0, 40 * DAY_MS - 1));
    const events = times.map((eventTime, i) =>
      makeEventRow({ eventId: idOf(prng.int(0, 1e9) * 1000 + i), eventTime }),
    );
    expected = [...events]
      .sort((a, b) => a.eventTime - b.eventTime || a.eventId.localeCompare(b.eventId))
      .map((e) => e.eventId);
    await f.load({ events });
  });
  afterAll(() => f.close());

  it.each([1, 3, 7, 59, 60, 61, 219, 220, 1000])(
    'returns every row once in key order with pages of %i',
    async (pageSize) => {
      const ctx = f.ctx({ from: start, to: start + 40 * DAY_MS });
      const pages = await collect(
        readRowPages(ctx, { source: 'events', columns: ['event_id'], pageSize }),
      );
      expect(pages.flatMap((p) => p.rows.map((row) => row[0]))).toEqual(expected);
      expect(pages.slice(0, -1).every((p) => p.rows.length === pageSize)).toBe(true);
    },
  );
});

describe('createZonedInstantFormatter', () => {
  it('writes the offset in force at each instant, across a DST change', () => {
    const ny = createZonedInstantFormatter('America/New_York');
    expect(ny(Date.parse('2026-03-08T06:59:59.999Z'))).toBe('2026-03-08T01:59:59.999-05:00');
    expect(ny(Date.parse('2026-03-08T07:00:00.000Z'))).toBe('2026-03-08T03:00:00.000-04:00');
    const kolkata = createZonedInstantFormatter('Asia/Kolkata');
    expect(kolkata(Date.parse('2026-11-20T00:00:00Z'))).toBe('2026-11-20T05:30:00.000+05:30');
    expect(createZonedInstantFormatter('UTC')(0)).toBe('1970-01-01T00:00:00.000+00:00');
  });
});
