import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryFixture, type QueryFixture } from '../../testing/query-fixture.ts';
import { fixedOffset } from '../context/zone-arg.ts';
import { duckDbDialect as d, FIXED_OFFSET_PREFIX } from './dialect.ts';

describe('dialect calendar functions', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
  });
  afterAll(() => f.close());

  const INSTANTS = [
    '2026-11-19T15:59:59.999Z',
    '2026-11-19T16:00:00Z',
    '2026-11-16T18:29:59Z',
    '2026-11-16T18:30:00Z',
    '2026-12-31T20:00:00Z',
    '2026-02-28T16:00:00Z',
  ];

  it.each(['Asia/Shanghai', 'Asia/Kolkata', 'UTC', 'Asia/Kathmandu'])(
    'buckets by fixed offset exactly as the time zone database does (%s)',
    async (zone) => {
      const offset = fixedOffset(
        zone,
        Date.parse('2026-01-01T00:00:00Z'),
        Date.parse('2027-01-01T00:00:00Z'),
      );
      expect(offset).not.toBeNull();
      const fixed = `${FIXED_OFFSET_PREFIX}${offset}`;
      for (const iso of INSTANTS) {
        const t = `'${iso}'::TIMESTAMPTZ`;
        const exprs = (zoneArg: string) =>
          ['day', 'week', 'month', 'hour']
            .map((unit) => d.bucketStartMs(unit as 'day', t, zoneArg))
            .concat([
              `CAST(${d.localDate(t, zoneArg)} AS VARCHAR)`,
              `epoch_ms(${d.bucketStart('day', t, zoneArg)})`,
            ]);
        const viaZone = exprs('$1');
        const viaOffset = exprs(fixed);
        const [row] = await f.store.query(
          `SELECT ${[...viaZone, ...viaOffset].map((e, i) => `${e} AS c${i}`).join(', ')}`,
          [zone],
        );
        const values = Object.values(row ?? {}).map(String);
        expect(values.slice(viaZone.length), iso).toEqual(values.slice(0, viaZone.length));
      }
    },
  );

  it('finds no fixed offset across a daylight saving change', () => {
    expect(
      fixedOffset(
        'America/New_York',
        Date.parse('2026-10-01T00:00:00Z'),
        Date.parse('2026-12-01T00:00:00Z'),
      ),
    ).toBeNull();
    expect(
      fixedOffset(
        'Asia/Shanghai',
        Date.parse('2020-01-01T00:00:00Z'),
        Date.parse('2027-01-01T00:00:00Z'),
      ),
    ).toBe(8 * 3_600_000);
  });
});

describe('dialect list functions', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
  });
  afterAll(() => f.close());

  const evaluate = async (exprs: Record<string, string>) => {
    const [row] = await f.store.query(
      `SELECT ${Object.entries(exprs)
        .map(([name, e]) => `${e} AS ${name}`)
        .join(', ')} FROM (SELECT [30, 10, 20, 10] AS l, CAST(NULL AS INTEGER[]) AS z) t`,
      [],
    );
    return JSON.parse(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));
  };

  it('filters, maps with 1-based indexes, and finds items', async () => {
    expect(
      await evaluate({
        kept: d.listFilter('l', 'x', 'x > 10'),
        mapped: d.listMap('l', 'x', 'x + i', 'i'),
        least: d.listMin(d.listFilter('l', 'x', 'x > 10')),
        none: d.listMin(d.listFilter('l', 'x', 'x > 99')),
        size: d.listLength('l'),
        distinct: d.listDistinctLength('l'),
        second: d.listAt('l', '2'),
        past: d.listAt('l', '9'),
        where: d.listIndexOf('l', '10'),
        missing: d.listIndexOf('l', '99'),
        field: d.field(d.record({ k: '1', a: "'x'" }), 'a'),
      }),
    ).toEqual({
      kept: [30, 20],
      mapped: [31, 12, 23, 14],
      least: 20,
      none: null,
      size: 4,
      distinct: 3,
      second: 10,
      past: null,
      where: 2,
      missing: null,
      field: 'x',
    });
  });

  it('gives NULL for a NULL list, and a group list only of the rows that qualify', async () => {
    expect(
      await evaluate({ least: d.listMin('z'), size: d.listLength('z'), at: d.listAt('z', '1') }),
    ).toEqual({ least: null, size: null, at: null });
    const [row] = await f.store.query(
      `SELECT ${d.listOf('x', 'x > 5')} AS none, ${d.listLength(d.listOf('x', 'x < 2'))} AS two ` +
        `FROM range(3) t(x)`,
      [],
    );
    expect(row?.none ?? null).toBeNull();
    expect(Number(row?.two)).toBe(2);
  });
});
