import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOfLocalDate, toLocalDate } from '../../../platform/index.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import type { PeriodUnit } from '../../analyses/cohort-sql.ts';
import { computeRetentionMatrix } from './retention-matrix.ts';
import { resolveRetentionOptions, retentionParams, retentionReport } from './retention-report.ts';
import {
  activityArbitrary,
  addPeriodsNaive,
  isActivity,
  isValid,
  countPeriods,
  getPeriodStart,
  getPerson,
  toEventRows,
  toIdentityRows,
  toOrderRows,
  type RandomActivity,
} from './random-activity.ts';
import { startOfDay, TZ } from './retention-test-data.ts';

interface Query {
  cohortBy: 'first_event' | 'signup' | 'first_purchase';
  period: PeriodUnit;
  periods: number;
  value: 'retention' | 'revenue' | 'repeat_purchase';
  returnEvent: 'login' | null;
  from: number;
  to: number;
  now: number;
}

interface NaiveCohort {
  start: number;
  size: number;
  counts: number[];
  values: Array<number | null>;
  complete: boolean[];
}

interface Entry {
  t: number;
  orderId: string | null;
}

/** When each person joined: first valid event, first sign_up or first paid order ever. */
function findEntries(activity: RandomActivity, q: Query): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  const keep = (who: string, entry: Entry) => {
    const known = entries.get(who);
    const earlier =
      !known ||
      entry.t < known.t ||
      (entry.t === known.t && (entry.orderId ?? '') < (known.orderId ?? ''));
    if (earlier) entries.set(who, entry);
  };
  if (q.cohortBy === 'first_purchase') {
    for (const o of activity.orders)
      if (o.paid) keep(getPerson(o, activity.links), { t: o.at, orderId: o.orderId });
    return entries;
  }
  for (const e of activity.events)
    if (q.cohortBy === 'signup' ? !e.isBot && e.kind === 'sign_up' : isValid(e))
      keep(getPerson(e, activity.links), { t: e.at, orderId: null });
  return entries;
}

/** The matrix computed the slow, obvious way, person by person and offset by offset. */
function computeNaiveMatrix(activity: RandomActivity, q: Query): NaiveCohort[] {
  const { links } = activity;
  const toDate = (ms: number) => toLocalDate(ms, TZ);
  const offsetOf = (from: number, t: number) => countPeriods(toDate(from), toDate(t), q.period);
  const paid = activity.orders.filter((o) => o.paid);
  const entries = findEntries(activity, q);
  const cohorts: NaiveCohort[] = [];
  for (
    let d = getPeriodStart(toDate(q.from), q.period);
    startOfLocalDate(d, TZ) < q.to;
    d = addPeriodsNaive(d, q.period, 1)
  ) {
    const members = [...entries].filter(
      ([, { t }]) => t >= q.from && t < q.to && getPeriodStart(toDate(t), q.period) === d,
    );
    const size = members.length;
    const cohort: NaiveCohort = {
      start: startOfLocalDate(d, TZ),
      size,
      counts: [],
      values: [],
      complete: [],
    };
    let gmv = 0;
    let ltv = 0;
    for (let k = 0; k <= q.periods; k += 1) {
      let count: number;
      let value: number;
      if (q.value === 'revenue') {
        const inPeriod = paid.filter((o) =>
          members.some(
            ([who, { t }]) => getPerson(o, links) === who && o.at >= t && offsetOf(t, o.at) === k,
          ),
        );
        const sum = inPeriod.reduce((total, o) => total + o.amount, 0);
        gmv += sum;
        ltv += size > 0 ? sum / size : 0;
        [count, value] = [gmv, ltv];
      } else {
        const back = members.filter(([who, { t, orderId }]) =>
          q.value === 'retention'
            ? activity.events.some(
                (e) =>
                  isActivity(e, q.returnEvent) &&
                  getPerson(e, links) === who &&
                  e.at >= t &&
                  offsetOf(t, e.at) === k,
              )
            : paid.some(
                (o) =>
                  getPerson(o, links) === who &&
                  o.orderId !== orderId &&
                  o.at >= t &&
                  offsetOf(t, o.at) <= k,
              ),
        );
        count = back.length;
        value = size > 0 ? count / size : 0;
      }
      const complete = startOfLocalDate(addPeriodsNaive(d, q.period, k + 1), TZ) <= q.now;
      cohort.counts.push(count);
      cohort.values.push(complete && size > 0 ? value : null);
      cohort.complete.push(complete);
    }
    cohorts.push(cohort);
  }
  return cohorts;
}

const DAY_MS = 86_400_000;
const queryArbitrary: fc.Arbitrary<Query> = fc
  .record({
    cohortBy: fc.constantFrom('first_event' as const, 'signup' as const, 'first_purchase' as const),
    period: fc.constantFrom<PeriodUnit>('day', 'day', 'week'),
    periods: fc.integer({ min: 0, max: 4 }),
    value: fc.constantFrom(
      'retention' as const,
      'retention' as const,
      'revenue' as const,
      'repeat_purchase' as const,
    ),
    returnEvent: fc.constantFrom('login' as const, null),
    start: fc.integer({ min: -2, max: 3 }),
    days: fc.integer({ min: 1, max: 7 }),
    now: fc.integer({ min: 0, max: 16 * DAY_MS }),
  })
  .map(({ start, days, now, ...rest }) => ({
    ...rest,
    // Repeat purchase is of first-purchase cohorts; a return event is for retention only.
    cohortBy: rest.value === 'repeat_purchase' ? 'first_purchase' : rest.cohortBy,
    returnEvent: rest.value === 'retention' ? rest.returnEvent : null,
    from: startOfDay(20 + start),
    to: startOfDay(20 + start + days),
    now: startOfDay(18) + now,
  }));

describe('retention report vs a naive reference', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
  });
  afterAll(() => f.close());

  it('matches on random activity and orders (identity links, bots, API calls, day edges)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(activityArbitrary, queryArbitrary, async (activity, q) => {
        // A project per run: runs never see each other's rows.
        const projectId = `p_prop_${(run += 1)}`;
        await f.load({
          events: toEventRows(projectId, activity),
          identities: toIdentityRows(projectId, activity),
          orders: toOrderRows(projectId, activity),
        });
        const ctx = f.ctx({ projectId, from: q.from, to: q.to, now: q.now });
        const params = retentionParams.parse({
          cohortBy: q.cohortBy,
          period: q.period,
          periods: q.periods,
          value: q.value,
          ...(q.returnEvent ? { returnEvent: { name: q.returnEvent } } : {}),
        });
        const result = await retentionReport.run(ctx, params);
        // The report reads one scan where it can (retention of event cohorts): the joined
        // query must agree with it as well as with the reference.
        const options = resolveRetentionOptions(ctx, params);
        const joined = await computeRetentionMatrix(ctx, options, 'joined');
        const { offsets, cohorts, average } = result;
        expect(joined).toEqual({ offsets, cohorts, average });
        const actual = result.cohorts.map((c) => ({
          start: Date.parse(c.start),
          size: c.size,
          counts: c.cells.map((cell) => cell.count),
          values: c.cells.map((cell) => cell.value),
          complete: c.cells.map((cell) => cell.complete),
        }));
        expect(actual).toEqual(computeNaiveMatrix(activity, q));
      }),
      { numRuns: 25 },
    );
  });
});
