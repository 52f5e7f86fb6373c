import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingStore } from '../../testing/counting-store.ts';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import { listBuckets } from './buckets.ts';

const DAY_MS = 86_400_000;

describe('bucket lists', () => {
  let f: QueryFixture;
  let counted: ReturnType<typeof countingStore>;
  beforeAll(async () => {
    f = await createQueryFixture();
    counted = countingStore(f.store);
  });
  afterAll(() => f.close());

  it('are worked out once per zone, granularity and range, and shared read-only', async () => {
    // A range no other test in this file asks for: 2031-03-01 to 2031-03-04 in Shanghai.
    const from = Date.parse('2031-02-28T16:00:00Z');
    const ctx = f.ctx({ from, to: from + 3 * DAY_MS, store: counted.store });
    const before = counted.count();
    const first = await listBuckets(ctx, 'day');
    expect(first).toEqual([from, from + DAY_MS, from + 2 * DAY_MS]);
    expect(counted.count() - before).toBe(1);
    // Again, and twice at once: no further statement, the same list.
    const [second, third] = await Promise.all([listBuckets(ctx, 'day'), listBuckets(ctx, 'day')]);
    expect(counted.count() - before).toBe(1);
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    // Another zone or granularity is another list.
    const utc = await listBuckets(
      f.ctx({ from, to: from + 3 * DAY_MS, timeZone: 'UTC', store: counted.store }),
      'day',
    );
    expect(utc).toEqual([
      Date.parse('2031-02-28T00:00:00Z'),
      Date.parse('2031-03-01T00:00:00Z'),
      Date.parse('2031-03-02T00:00:00Z'),
      Date.parse('2031-03-03T00:00:00Z'),
    ]);
    expect((await listBuckets(ctx, 'hour')).length).toBe(72);
    expect(counted.count() - before).toBe(3);
  });
});
