import type { Filter } from '@sightline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import { computeRetentionMatrix, type RetentionPlan } from './retention-matrix.ts';
import { resolveRetentionOptions, retentionParams } from './retention-report.ts';
import { isSingleScanRetention } from './retention-scan-sql.ts';
import { atLocal, startOfDay } from './retention-test-data.ts';

/**
 * Edges where the one-scan plan is built differently from the joined one (a row per person and
 * period instead of a window over rows, the entry's scope taken from the earliest row): ties at
 * one instant, period and range edges, identity merges, events after the range end. Range: the
 * 20th and 21st (local), two periods after, everything complete by now.
 *
 *   person  entry (first valid event)          returns                          cohort  k
 *   t1      20 10:00 twice, ids …01 seo, …02 ads  21 09:00 ads                   20      0 1
 *   e1      20 00:00:00.000                    22 23:59:59.999; 23 00:00 (k 3)  20      0 2
 *   m1      20 08:00 as an1 (linked later)     21 10:00 as m1                   20      0 1
 *   l1      21 23:59:59.999 ads (range end)    22 00:00, 23 12:00 ads (after)   21      0 1 2
 *   an2     21 08:00 (never linked)                                             21      0
 *   dv1     21 09:00 device id only            22 09:00                         21      0 1
 *   bt      21 07:00 (an API call at 20 07:00)  a bot on the 22nd                21      0
 *   b1      19 23:59:59.999 (before the range) 20 12:00                         none
 *   o1      22 00:00 (the range end)            22 10:00                         none
 */
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const page = (who: Partial<EventRow>, at: number, extra: Partial<EventRow> = {}) =>
  makeEventRow({
    ...who,
    eventTime: at,
    receivedAt: at,
    type: 'page',
    name: 'page_view',
    ...extra,
  });

const EVENTS: EventRow[] = [
  // Stored in the other order than their ids: the tie is broken by id, not by arrival.
  page({ userId: 't1' }, atLocal(20, 10), { eventId: id(2), channel: 'ads' }),
  page({ userId: 't1' }, atLocal(20, 10), { eventId: id(1), channel: 'seo' }),
  page({ userId: 't1' }, atLocal(21, 9), { channel: 'ads' }),
  page({ userId: 'e1' }, startOfDay(20)),
  page({ userId: 'e1' }, startOfDay(23) - 1),
  page({ userId: 'e1' }, startOfDay(23)),
  page({ anonymousId: 'an1' }, atLocal(20, 8)),
  page({ userId: 'm1' }, atLocal(21, 10)),
  page({ userId: 'l1' }, startOfDay(22) - 1, { channel: 'ads' }),
  page({ userId: 'l1' }, startOfDay(22), { channel: 'ads' }),
  page({ userId: 'l1' }, atLocal(23, 12), { channel: 'ads' }),
  page({ anonymousId: 'an2' }, atLocal(21, 8)),
  page({ deviceId: 'dv1' }, atLocal(21, 9)),
  page({ deviceId: 'dv1' }, atLocal(22, 9)),
  page({}, atLocal(20, 9)),
  page({ userId: 'bt' }, atLocal(20, 7), { type: 'api', name: 'api_call' }),
  page({ userId: 'bt' }, atLocal(21, 7)),
  page({ userId: 'bt' }, atLocal(22, 7), { isBot: true }),
  page({ userId: 'b1' }, startOfDay(20) - 1),
  page({ userId: 'b1' }, atLocal(20, 12)),
  page({ userId: 'o1' }, startOfDay(22)),
  page({ userId: 'o1' }, atLocal(22, 10)),
  // Sign-up cohorts by week (Mon 16 – Sun 22): a return before the sign-up does not count.
  makeEventRow({ userId: 's1', eventTime: atLocal(18, 10), name: 'sign_up' }),
  makeEventRow({ userId: 's1', eventTime: atLocal(16, 10), name: 'login' }),
  makeEventRow({ userId: 's2', eventTime: atLocal(18, 10), name: 'sign_up' }),
  makeEventRow({ userId: 's2', eventTime: atLocal(18, 9), name: 'login' }),
  makeEventRow({ userId: 's2', eventTime: startOfDay(23) - 1, name: 'login' }),
];
const IDENTITIES = [
  { projectId: 'p_test', anonymousId: 'an1', userId: 'm1', linkedAt: atLocal(21, 10) },
];

type Row = [start: string, size: number, counts: number[], values: Array<number | null>];

describe('retention plans at the edges', () => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await createQueryFixture();
    await f.load({ events: EVENTS, identities: IDENTITIES });
  });
  afterAll(() => f.close());

  interface Case {
    name: string;
    params: object;
    filters?: Filter[];
    range?: { from: number; to: number };
    rows: Row[];
  }
  const cases: Case[] = [
    {
      name: 'first-event cohorts: ties, day and range edges, merges, returns after the range',
      params: { cohortBy: 'first_event', periods: 2 },
      rows: [
        ['2026-11-19T16:00:00.000Z', 3, [3, 2, 1], [1, 2 / 3, 1 / 3]],
        ['2026-11-20T16:00:00.000Z', 4, [4, 2, 1], [1, 0.5, 0.25]],
      ],
    },
    {
      // t1's first event is the seo one (the smaller id), so t1 is in no ads cohort.
      name: 'a filter decides on the first event by time, then id',
      params: { cohortBy: 'first_event', periods: 2 },
      filters: [{ dimension: 'channel', op: 'eq', value: 'ads' }],
      rows: [
        ['2026-11-19T16:00:00.000Z', 0, [0, 0, 0], [null, null, null]],
        ['2026-11-20T16:00:00.000Z', 1, [1, 1, 1], [1, 1, 1]],
      ],
    },
    {
      name: 'the tied twin passes the other filter; only its own channel returns',
      params: { cohortBy: 'first_event', periods: 2 },
      filters: [{ dimension: 'channel', op: 'eq', value: 'seo' }],
      rows: [
        ['2026-11-19T16:00:00.000Z', 1, [1, 0, 0], [1, 0, 0]],
        ['2026-11-20T16:00:00.000Z', 0, [0, 0, 0], [null, null, null]],
      ],
    },
    {
      name: 'weekly sign-up cohorts: a return counts from the sign-up on',
      params: { cohortBy: 'signup', period: 'week', periods: 1, returnEvent: { name: 'login' } },
      range: { from: startOfDay(16), to: startOfDay(23) },
      rows: [['2026-11-15T16:00:00.000Z', 2, [1, 0], [0.5, 0]]],
    },
  ];

  const run = async (
    { params, filters = [], range = { from: startOfDay(20), to: startOfDay(22) } }: Case,
    plan: RetentionPlan,
  ): Promise<Row[]> => {
    const ctx = f.ctx({ ...range, now: startOfDay(30), filters });
    const options = resolveRetentionOptions(ctx, retentionParams.parse(params));
    expect(isSingleScanRetention(options)).toBe(true);
    const matrix = await computeRetentionMatrix(ctx, options, plan);
    return matrix.cohorts.map((c) => [
      c.start,
      c.size,
      c.cells.map((cell) => cell.count),
      c.cells.map((cell) => cell.value),
    ]);
  };

  it.each(cases)('$name', async (c) => {
    expect(await run(c, 'auto')).toEqual(c.rows);
    expect(await run(c, 'joined')).toEqual(c.rows);
  });
});
