import type { Filter } from '@sightline/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import type { PeriodUnit } from '../../analyses/cohort-sql.ts';
import { duckDbDialect, FIXED_OFFSET_PREFIX } from '../../sql/dialect.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import {
  eventArbitrary,
  toEventRows,
  toIdentityRows,
  type RandomActivity,
} from './random-activity.ts';
import { computeRetentionMatrix } from './retention-matrix.ts';
import { resolveRetentionOptions, retentionParams } from './retention-report.ts';
import { isSingleScanRetention } from './retention-scan-sql.ts';
import { startOfDay } from './retention-test-data.ts';

const DAY_MS = 86_400_000;
/** Shanghai: fixed-offset arithmetic; New York (DST): the zone database; Kathmandu: +05:45. */
const ZONES = ['Asia/Shanghai', 'America/New_York', 'Asia/Kathmandu'];
const SCOPES = ['none', 'filter', 'not_equal', 'row_scope', 'segment'] as const;

/** More events than the shared arbitrary's usual few: most runs then have cohorts to compare. */
const activityArbitrary: fc.Arbitrary<RandomActivity> = fc.record({
  events: fc.array(eventArbitrary, { minLength: 30, maxLength: 150 }),
  orders: fc.constant([]),
  links: fc
    .dictionary(fc.constantFrom('a0', 'a1', 'a2', 'a3'), fc.constantFrom('u0', 'u1', 'u2', 'u3'), {
      maxKeys: 3,
    })
    .map((links) => new Map(Object.entries(links))),
});

const caseArbitrary = fc.record({
  zone: fc.constantFrom(...ZONES),
  // Back 20 days, New York's activity spans its change of offset (1 November 2026).
  shiftDays: fc.constantFrom(0, -20),
  cohortBy: fc.constantFrom('first_event' as const, 'signup' as const),
  returnEvent: fc.constantFrom('login', 'page_view', 'login_by_ads', null),
  period: fc.constantFrom<PeriodUnit>('day', 'week', 'month'),
  periods: fc.integer({ min: 0, max: 4 }),
  scope: fc.constantFrom(...SCOPES),
  // Most people's first events are early: ranges from the first days keep cohorts filled.
  start: fc.integer({ min: -5, max: 1 }),
  days: fc.integer({ min: 1, max: 12 }),
  // Ranges may start and end inside a local day.
  fromMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: DAY_MS - 1 })),
  toMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: DAY_MS - 1 })),
  now: fc.integer({ min: 0, max: 20 * DAY_MS }),
  channels: fc.array(fc.constantFrom('ads', 'seo', null), { minLength: 150, maxLength: 150 }),
  // Person ids: user ids, and anonymous ids where not linked.
  members: fc.subarray(['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'a0', 'a1', 'a2', 'a3']),
});

function getReturnEvent(name: string | null) {
  if (name === 'login_by_ads')
    return {
      returnEvent: { name: 'login', filters: [{ dimension: 'channel', op: 'eq', value: 'ads' }] },
    };
  return name ? { returnEvent: { name } } : {};
}

function getScope(scope: (typeof SCOPES)[number]): { filters: Filter[]; rowScope: Filter[] } {
  const channel = (op: Filter['op'], value: Filter['value']) => [
    { dimension: 'channel', op, value },
  ];
  if (scope === 'filter') return { filters: channel('eq', 'ads'), rowScope: [] };
  if (scope === 'not_equal') return { filters: channel('neq', 'seo'), rowScope: [] };
  if (scope === 'row_scope') return { filters: [], rowScope: channel('in', ['ads', 'seo']) };
  return { filters: [], rowScope: [] };
}

describe('retention: one scan vs the joined query', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
  });
  afterAll(() => f.close());

  it('numbers local periods as periodsBetween counts them from 1970-01-01', async () => {
    // Period edges in Shanghai, New York and Kathmandu, before and after 1970, across a DST change.
    const instants = [
      Date.UTC(1969, 11, 28, 15, 59, 59, 999),
      Date.UTC(1969, 11, 28, 16),
      Date.UTC(1950, 0, 1, 4, 59, 59, 999),
      Date.UTC(1950, 0, 1, 5),
      Date.UTC(1970, 0, 1),
      Date.UTC(2026, 10, 1, 4, 30),
      Date.UTC(2026, 10, 1, 5, 30),
      Date.UTC(2026, 10, 22, 15, 59, 59, 999),
      Date.UTC(2026, 10, 22, 16),
      Date.UTC(2026, 10, 30, 18, 14, 59, 999),
      Date.UTC(2026, 10, 30, 18, 15),
    ];
    const fixed = [8 * 60, -5 * 60, 5 * 60 + 45].map((m) => `${FIXED_OFFSET_PREFIX}${m * 60_000}`);
    const d = duckDbDialect;
    for (const ms of instants) {
      const params = new SqlParams();
      const at = `CAST(${params.add(new Date(ms).toISOString())} AS TIMESTAMPTZ)`;
      const zones = [...fixed, params.add('Asia/Shanghai'), params.add('America/New_York')];
      const columns = zones.flatMap((zone, i) =>
        (['day', 'week', 'month'] as const).flatMap((unit) => [
          `${d.periodNumber(unit, at, zone)} AS ${unit}_${i}`,
          `${d.periodsBetween(unit, "DATE '1970-01-01'", d.localDate(at, zone))} AS ${unit}_${i}_b`,
        ]),
      );
      const [row = {}] = await f.store.query(`SELECT ${columns.join(', ')}`, params.values);
      for (const [name, value] of Object.entries(row))
        if (!name.endsWith('_b'))
          expect([name, Number(value)]).toEqual([name, Number(row[`${name}_b`])]);
    }
  });

  it('gives the same matrix on random activity, zones, scopes and ranges', async () => {
    let run = 0;
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(activityArbitrary, caseArbitrary, async (activity, c) => {
        const projectId = `p_plans_${(run += 1)}`;
        const shift = c.shiftDays * DAY_MS;
        const events = toEventRows(projectId, activity).map((row, i) => ({
          ...row,
          eventTime: row.eventTime + shift,
          channel: c.channels[i] ?? null,
        }));
        await f.load({ events, identities: toIdentityRows(projectId, activity) });
        if (c.scope === 'segment')
          for (const member of c.members)
            await f.store.execute(
              `INSERT INTO segment_members (project_id, segment_id, person_id) VALUES ($1, 's', $2)`,
              [projectId, member],
            );
        const from = startOfDay(20 + c.start) + shift + c.fromMs;
        const to = Math.max(from + 1, startOfDay(20 + c.start + c.days) + shift + c.toMs);
        const ctx = f.ctx({
          projectId,
          timeZone: c.zone,
          from,
          to,
          now: startOfDay(16) + shift + c.now,
          segmentId: c.scope === 'segment' ? 's' : null,
          ...getScope(c.scope),
        });
        const options = resolveRetentionOptions(
          ctx,
          retentionParams.parse({
            cohortBy: c.cohortBy,
            period: c.period,
            periods: c.periods,
            ...getReturnEvent(c.returnEvent),
          }),
        );
        expect(isSingleScanRetention(options)).toBe(true);
        const single = await computeRetentionMatrix(ctx, options, 'auto');
        expect(single).toEqual(await computeRetentionMatrix(ctx, options, 'joined'));
        // Not vacuous: most runs have people in cohorts.
        if (single.cohorts.some((cohort) => cohort.size > 0)) nonEmpty += 1;
      }),
      { numRuns: 60 },
    );
    expect(nonEmpty).toBeGreaterThan(15);
  });
});
