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
