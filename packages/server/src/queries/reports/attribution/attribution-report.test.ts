import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../../../testing/query-fixture.ts';
import {
  ATTRIBUTION_MODELS,
  attributionParams,
  computeAttribution,
  type AttributionResult,
} from './attribution-report.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
// Shanghai local day 2026-11-20: 2026-11-19T16:00Z … 2026-11-20T16:00Z.
const D20 = Date.parse('2026-11-19T16:00:00Z');
const D21 = D20 + DAY;
const defaults = attributionParams.parse({});

function touch(who: Partial<EventRow>, channel: string | null, eventTime: number, extra = {}) {
  return makeEventRow({ ...who, name: 'page_view', type: 'page', channel, eventTime, ...extra });
}
function conversion(who: Partial<EventRow>, amount: number, eventTime: number, extra = {}) {
  return makeEventRow({ ...who, name: 'order_completed', amount, eventTime, ...extra });
}
const credit = (conversions: number, revenue: number) => ({ conversions, revenue });

describe('attribution report', () => {
  let f: QueryFixture;
  const C1 = D20 + 2 * HOUR;
  const C2 = D21 - 1; // local 23:59:59.999 on the 20th
  const C3 = D20 + 5 * HOUR;
  const C5b = D20 + 12 * HOUR;
  const C5a = C5b - 2 * HOUR;
  const C6 = D20 + 14 * HOUR;
  beforeAll(async () => {
    f = await createQueryFixture();
    const u = (userId: string) => ({ userId });
    await f.load({
      events: [
        // u1: baidu 8 days and wechat 1 day before; the conversion carries wechat itself (not
        // its own touch); a page without a channel, a bot's and an API call's touches ignored.
        touch(u('u1'), 'baidu', C1 - 8 * DAY),
        touch(u('u1'), 'wechat', C1 - DAY),
        touch(u('u1'), null, C1 - HOUR),
        touch(u('u1'), 'spam', C1 - HOUR, { isBot: true }),
        touch(u('u1'), 'server', C1 - HOUR, { type: 'api', name: 'api_call' }),
        conversion(u('u1'), 9_000, C1, { channel: 'wechat' }),
        // u2: touched as anon-2 exactly 30 days before (inside), toutiao 1 ms earlier
        // (outside); wechat after the conversion does not count.
        touch({ anonymousId: 'anon-2' }, 'douyin', C2 - 30 * DAY),
        touch({ anonymousId: 'anon-2' }, 'toutiao', C2 - 30 * DAY - 1),
        touch(u('u2'), 'wechat', C2 + HOUR),
        conversion(u('u2'), 5_000, C2),
        // u3: only a touch 40 days before: no touch.
        touch(u('u3'), 'baidu', C3 - 40 * DAY),
        conversion(u('u3'), 2_000, C3),
        // u4: conversions just outside the local day.
        touch(u('u4'), 'baidu', D20 - 2 * HOUR),
        conversion(u('u4'), 70_000, D20 - 1),
        conversion(u('u4'), 70_000, D21),
        // u5: two conversions; wechat 7 days before the second, baidu at the same instant.
        touch(u('u5'), 'wechat', C5b - 7 * DAY),
        conversion(u('u5'), 1_000, C5a),
        touch(u('u5'), 'baidu', C5b),
        conversion(u('u5'), 3_000, C5b),
        // u6: two touches at the same instant: the alphabetically first one counts as first.
        touch(u('u6'), 'beta', C6 - HOUR),
        touch(u('u6'), 'alpha', C6 - HOUR),
        conversion(u('u6'), 600, C6),
      ],
      identities: [{ projectId: 'p_test', anonymousId: 'anon-2', userId: 'u2', linkedAt: C2 }],
    });
  });
  afterAll(() => f.close());

  const day20 = () => f.ctx({ from: D20, to: D21 });

  it('credits conversions and revenue under every model', async () => {
    const result = await computeAttribution(day20(), defaults);
    expect(result).toMatchObject({ conversions: 6, revenue: 20_600, withoutTouch: 1 });
    // Time decay, half-life 7 days: u1's touches 8 d and 1 d old weigh 1 : 2 → 1/3, 2/3;
    // u5's second conversion: wechat 7 d (½) and baidu 0 d (1) → 1/3, 2/3.
    const expected: AttributionResult['rows'] = [
      {
        value: 'wechat',
        firstTouch: credit(2, 4_000), // u5 ×2
        lastTouch: credit(2, 10_000), // u1, u5's first
        linear: credit(2, 7_000), // u1 ½, u5 1 + ½
        timeDecay: credit(2, 8_000), // u1 ⅔ (6,000), u5 1 (1,000) + ⅓ (1,000)
      },
      {
        value: '(none)',
        firstTouch: credit(1, 2_000),
        lastTouch: credit(1, 2_000),
        linear: credit(1, 2_000),
        timeDecay: credit(1, 2_000),
      },
      {
        value: 'baidu',
        firstTouch: credit(1, 9_000), // u1
        lastTouch: credit(1, 3_000), // u5's second
        linear: credit(1, 6_000), // u1 ½, u5 ½
        timeDecay: credit(1, 5_000), // u1 ⅓ (3,000), u5 ⅔ (2,000)
      },
      {
        value: 'douyin',
        firstTouch: credit(1, 5_000),
        lastTouch: credit(1, 5_000),
        linear: credit(1, 5_000),
        timeDecay: credit(1, 5_000),
      },
      {
        value: 'alpha',
        firstTouch: credit(1, 600),
        lastTouch: credit(0, 0),
        linear: credit(0.5, 300),
        timeDecay: credit(0.5, 300),
      },
      {
        value: 'beta',
        firstTouch: credit(0, 0),
        lastTouch: credit(1, 600),
        linear: credit(0.5, 300),
        timeDecay: credit(0.5, 300),
      },
    ];
    expect(result.rows.map((row) => row.value)).toEqual(expected.map((row) => row.value));
    result.rows.forEach((row, i) =>
      expectCloseRow(row, expected[i] as AttributionResult['rows'][number]),
    );
  });

  it('honours a shorter lookback window', async () => {
    const result = await computeAttribution(day20(), { ...defaults, lookbackDays: 7 });
    const rows = Object.fromEntries(result.rows.map((row) => [row.value, row]));
    // u2's only touch (30 days before) and u1's baidu (8 days) fall out; 7 days exactly stays.
    expect(rows['(none)']?.firstTouch).toEqual(credit(2, 7_000));
    expect(rows.wechat?.firstTouch).toEqual(credit(3, 13_000));
    expect(result.withoutTouch).toBe(2);
  });

  it('credits another dimension and applies filters to conversions and touches', async () => {
    const byCampaign = await computeAttribution(day20(), {
      ...defaults,
      touchDimension: 'campaign',
    });
    expect(byCampaign.rows.map((row) => row.value)).toEqual(['(none)']);
    expect(byCampaign.withoutTouch).toBe(6);
    // Only wechat events: u1's conversion (wechat) with its wechat touch.
    const wechat = await computeAttribution(
      f.ctx({ from: D20, to: D21, filters: [{ dimension: 'channel', op: 'eq', value: 'wechat' }] }),
      defaults,
    );
    expect(wechat.conversions).toBe(1);
    expect(wechat.rows).toEqual([
      {
        value: 'wechat',
        firstTouch: credit(1, 9_000),
        lastTouch: credit(1, 9_000),
        linear: credit(1, 9_000),
        timeDecay: credit(1, 9_000),
      },
    ]);
  });

  it('answers zero conversions for an empty range', async () => {
    const empty = await computeAttribution(
      f.ctx({ from: D20 - 100 * DAY, to: D20 - 99 * DAY }),
      defaults,
    );
    expect(empty).toEqual({ conversions: 0, revenue: 0, withoutTouch: 0, rows: [] });
  });

  it('gives each conversion credits summing to 1 and matches a naive reference (property)', async () => {
    let run = 0;
    const event = fc.record({
      who: fc.constantFrom('a', 'b', 'c'),
      anonymous: fc.boolean(),
      isConversion: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
      channel: fc.constantFrom('x', 'y', 'z', null),
      offsetMs: fc.integer({ min: -40 * DAY, max: 2 * DAY }),
      amount: fc.integer({ min: 0, max: 10_000 }),
      isBot: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { maxLength: 150 }),
        fc.subarray(['a', 'b', 'c']),
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        async (events, linked, lookbackDays, halfLifeDays) => {
          const projectId = `attr-${(run += 1)}`;
          const rows = events.map((e) =>
            makeEventRow({
              projectId,
              userId: e.anonymous ? null : e.who,
              anonymousId: e.anonymous ? `anon-${e.who}` : null,
              name: e.isConversion ? 'order_completed' : 'page_view',
              type: e.isConversion ? 'event' : 'page',
              channel: e.channel,
              amount: e.isConversion ? e.amount : null,
              eventTime: D21 + e.offsetMs,
              isBot: e.isBot,
            }),
          );
          await f.load({
            events: rows,
            identities: linked.map((who) => ({
              projectId,
              anonymousId: `anon-${who}`,
              userId: who,
              linkedAt: D20,
            })),
          });
          const p = { ...defaults, lookbackDays, halfLifeDays };
          const result = await computeAttribution(f.ctx({ from: D20, to: D21, projectId }), p);
          const expected = naiveAttribution(rows, new Set(linked), p);
          expect(result.conversions).toBe(expected.conversions);
          expect(result.revenue).toBe(expected.revenue);
          expect(result.withoutTouch).toBe(expected.withoutTouch);
          // Every model hands out exactly the conversions and their revenue.
          for (const m of ATTRIBUTION_MODELS) {
            const sum = result.rows.reduce((s, row) => s + row[m].conversions, 0);
            const revenue = result.rows.reduce((s, row) => s + row[m].revenue, 0);
            expect(sum).toBeCloseTo(result.conversions, 9);
            expect(revenue).toBeCloseTo(result.revenue, 6);
          }
          expect([...result.rows.map((r) => r.value)].sort()).toEqual(
            [...expected.rows.keys()].sort(),
          );
          for (const row of result.rows) {
            const want = expected.rows.get(row.value);
            if (!want) throw new Error(`unexpected ${row.value}`);
            expectCloseRow(row, { value: row.value, ...want });
          }
        },
      ),
      { numRuns: 25, seed: 2026 },
    );
  });
});

function expectCloseRow(
  got: AttributionResult['rows'][number],
  want: AttributionResult['rows'][number],
) {
  for (const m of ATTRIBUTION_MODELS) {
    expect(got[m].conversions, `${got.value} ${m}`).toBeCloseTo(want[m].conversions, 9);
    expect(got[m].revenue, `${got.value} ${m} revenue`).toBeCloseTo(want[m].revenue, 6);
  }
}

type Credits = Omit<AttributionResult['rows'][number], 'value'>;

/** Attribution as the docs state it: one conversion at a time, over plain objects. */
function naiveAttribution(
  events: readonly EventRow[],
  linked: ReadonlySet<string>,
  p: { lookbackDays: number; halfLifeDays: number },
) {
  const personOf = (e: EventRow) => {
    if (e.userId) return e.userId;
    const who = (e.anonymousId ?? '').replace(/^anon-/, '');
    return linked.has(who) ? who : e.anonymousId;
  };
  const valid = events.filter((e) => !e.isBot);
  const conversions = valid.filter(
    (e) => e.name === 'order_completed' && e.eventTime >= D20 && e.eventTime < D21,
  );
  const rows = new Map<string, Credits>();
  const add = (value: string, model: keyof Credits, share: number, amount: number) => {
    const row = rows.get(value) ?? {
      firstTouch: credit(0, 0),
      lastTouch: credit(0, 0),
      linear: credit(0, 0),
      timeDecay: credit(0, 0),
    };
    row[model] = credit(row[model].conversions + share, row[model].revenue + share * amount);
    rows.set(value, row);
  };
  let withoutTouch = 0;
  for (const c of conversions) {
    const amount = c.amount ?? 0;
    const touches = valid
      .filter(
        (t) =>
          t.eventId !== c.eventId &&
          t.channel !== null &&
          personOf(t) === personOf(c) &&
          t.eventTime <= c.eventTime &&
          c.eventTime - t.eventTime <= p.lookbackDays * DAY,
      )
      .sort(
        (a, b) =>
          a.eventTime - b.eventTime ||
          ((a.channel as string) < (b.channel as string)
            ? -1
            : (a.channel as string) > (b.channel as string)
              ? 1
              : 0) ||
          (a.eventId < b.eventId ? -1 : 1),
      );
    if (touches.length === 0) {
      withoutTouch += 1;
      for (const m of ATTRIBUTION_MODELS) add('(none)', m, 1, amount);
      continue;
    }
    add(touches[0]?.channel as string, 'firstTouch', 1, amount);
    add(touches.at(-1)?.channel as string, 'lastTouch', 1, amount);
    const weights = touches.map(
      (t) => 2 ** (-(c.eventTime - t.eventTime) / (p.halfLifeDays * DAY)),
    );
    const total = weights.reduce((s, w) => s + w, 0);
    touches.forEach((t, i) => {
      add(t.channel as string, 'linear', 1 / touches.length, amount);
      add(t.channel as string, 'timeDecay', (weights[i] as number) / total, amount);
    });
  }
  return {
    conversions: conversions.length,
    revenue: conversions.reduce((s, c) => s + (c.amount ?? 0), 0),
    withoutTouch,
    rows,
  };
}
