import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { EventRow, IdentityRow } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { funnelParams } from './funnel-params.ts';

// Local day 2026-11-20 in Shanghai; events fall on 10-minute marks from 6 h before it to
// 30 h after its start, so attempts start before, in and after the range, and times tie.
export const FROM = Date.parse('2026-11-19T16:00:00Z');
export const TO = FROM + 86_400_000;
/** When the generated funnels are measured: after every window of the range closed. */
export const SETTLED = TO + 91 * 86_400_000;
const SLOT_MS = 600_000;
const FIRST = FROM - 6 * 3_600_000;
export const LINKS = new Map([
  ['a0', 'u0'],
  ['a1', 'u1'],
]);

export const genEvent = fc.record({
  user: fc.constantFrom('u0', 'u1', 'u2', 'u3', null),
  anon: fc.constantFrom('a0', 'a1', 'a2', null),
  name: fc.constantFrom('A', 'B', 'C', 'D', 'X'),
  slot: fc.integer({ min: 0, max: 216 }),
  k: fc.constantFrom('1', '2', null),
  channel: fc.constantFrom('c1', 'c2', 'c3', null),
  amount: fc.option(fc.integer({ min: 0, max: 1_000 })),
  bot: fc.integer({ min: 0, max: 19 }).map((x) => x === 0),
});
/** Events on a 3-hour grid instead: many share a millisecond, so ties decide the result. */
export const genTiedEvent = genEvent.map((g) => ({ ...g, slot: g.slot - (g.slot % 18) }));
const genMatcher = fc.record({
  event: fc.constantFrom('A', 'B', 'C', 'D'),
  filters: fc.constantFrom(
    undefined,
    [{ property: 'k', op: 'eq' as const, value: '1' }],
    [{ dimension: 'channel', op: 'neq' as const, value: 'c3' }],
  ),
});
const genStep = fc.oneof(
  genMatcher.map((m) => ({ ...m, optional: false })),
  genMatcher.map((m) => ({ ...m, optional: true })),
  fc.array(genMatcher, { minLength: 2, maxLength: 2 }).map((anyOf) => ({ anyOf, optional: false })),
);
export const genParams = fc
  .record({
    steps: fc.array(genStep, { minLength: 2, maxLength: 5 }),
    order: fc.constantFrom('ordered' as const, 'strict' as const, 'any' as const),
    count: fc.constantFrom('unique' as const, 'total' as const),
    windowSeconds: fc.constantFrom(3_600, 6 * 3_600, 2 * 86_400),
    exclude: fc.boolean(),
    breakdown: fc.constantFrom(
      undefined,
      { dimension: 'channel', limit: 1 },
      { dimension: 'channel', limit: 2 },
    ),
  })
  .map(({ steps, exclude, ...rest }) => {
    const n = steps.length;
    const fixed = steps.map((s, i) => (i === 0 || i === n - 1 ? { ...s, optional: false } : s));
    const between = rest.order === 'any' || n < 3 || fixed[1]?.optional ? undefined : [2, n];
    return funnelParams.parse({
      ...rest,
      steps: fixed,
      exclusions: exclude ? [{ event: 'X', ...(between ? { between } : {}) }] : [],
    });
  });

/** Parameters the funnel computes in SQL: ordered, required steps, no exclusions, unique. */
export const genSqlParams = fc
  .record({
    steps: fc.array(
      fc.oneof(
        genMatcher,
        fc.array(genMatcher, { minLength: 2, maxLength: 2 }).map((anyOf) => ({ anyOf })),
      ),
      { minLength: 2, maxLength: 5 },
    ),
    windowSeconds: fc.constantFrom(600, 3_600, 6 * 3_600, 2 * 86_400),
    breakdown: fc.constantFrom(
      undefined,
      { dimension: 'channel', limit: 1 },
      { dimension: 'channel', limit: 5 },
    ),
  })
  .map((params) => funnelParams.parse(params));

/** Generated events as rows of a project, and the identity links of that project. */
export function toRows(
  generated: ReadonlyArray<typeof genEvent extends fc.Arbitrary<infer E> ? E : never>,
  projectId: string,
): { events: EventRow[]; identities: IdentityRow[] } {
  const events = generated.map((g) =>
    makeEventRow({
      projectId,
      eventId: randomUUID(),
      userId: g.user,
      anonymousId: g.user === null && g.anon === null ? 'a3' : g.anon,
      name: g.name,
      eventTime: FIRST + g.slot * SLOT_MS,
      receivedAt: FIRST + g.slot * SLOT_MS,
      channel: g.channel,
      amount: g.amount,
      isBot: g.bot,
      props: JSON.stringify(g.k === null ? {} : { k: g.k }),
    }),
  );
  const identities = [...LINKS].map(([anonymousId, userId]) => ({
    projectId,
    anonymousId,
    userId,
    linkedAt: FROM,
  }));
  return { events, identities };
}
