import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import { listBuckets } from './buckets.ts';

const DAY_MS = 86_400_000;

describe('bucket lists', () => {
  let f: QueryFixture;
  let statements = 0;
  beforeAll(async () => {
    f = await createQueryFixture();
    const query = f.store.query.bind(f.store);
    f.store.query = (sql, params) => {
      statements += 1;
      return query(sql, params);
    };
  });
  afterAll(() => f.close());

  it('are worked out once per zone, granularity and range, and shared read-only', async () => {
    // A range no other test in this file asks for: 2031-03-01 to 2031-03-04 in Shanghai.
    const from = Date.parse('2031-02-28T16:00:00Z');
    const ctx = f.ctx({ from, to: from + 3 * DAY_MS });
    const before = statements;
    const first = await listBuckets(ctx, 'day');
    expect(first).toEqual([from, from + DAY_MS, from + 2 * DAY_MS]);
    expect(statements - before).toBe(1);
    // Again, and twice at once: no further statement, the same list.
    const [second, third] = await Promise.all([listBuckets(ctx, 'day'), listBuckets(ctx, 'day')]);
    expect(statements - before).toBe(1);
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    // Another zone or granularity is another list.
    const utc = await listBuckets(f.ctx({ from, to: from + 3 * DAY_MS, timeZone: 'UTC' }), 'day');
    expect(utc).toEqual([
      Date.parse('2031-02-28T00:00:00Z'),
      Date.parse('2031-03-01T00:00:00Z'),
      Date.parse('2031-03-02T00:00:00Z'),
      Date.parse('2031-03-03T00:00:00Z'),
    ]);
    expect((await listBuckets(ctx, 'hour')).length).toBe(72);
    expect(statements - before).toBe(3);
  });
});
