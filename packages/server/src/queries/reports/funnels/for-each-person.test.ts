import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import { forEachPerson } from './for-each-person.ts';

const T = Date.parse('2026-11-20T02:00:00Z');

describe('forEachPerson', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({
      events: Array.from({ length: 60 }, (_, i) =>
        makeEventRow({ userId: `u${i % 7}`, eventTime: T + (59 - i) * 1000, receivedAt: T }),
      ),
    });
  });
  afterAll(() => f.close());

  const collect = async (rowsPerPass?: number) => {
    const seen: Array<[string, number[]]> = [];
    await forEachPerson(
      f.ctx({ from: T, to: T + 1 }),
      {
        sql: `SELECT user_id AS person, epoch_ms(event_time) AS t FROM events WHERE project_id = $1`,
        values: ['p_test'],
        columns: ['t'],
        orderBy: 't',
      },
      (person, rows) => seen.push([person, rows.map((row) => Number(row.t))]),
      rowsPerPass,
    );
    return new Map(seen.map(([person, times]) => [person, times]));
  };

  it('hands each person once, with all rows in order, however many passes it takes', async () => {
    const single = await collect();
    expect(single.size).toBe(7);
    // u0 has events 0, 7, …, 56: at T + 59 s, T + 52 s, …, T + 3 s.
    expect(single.get('u0')).toEqual([3, 10, 17, 24, 31, 38, 45, 52, 59].map((s) => T + s * 1000));
    const passes = await collect(5);
    expect(passes).toEqual(single);
  });
});
