import fc from 'fast-check';
import { addLocalDays, addLocalMonths, startOfLocalWeek } from '../../../platform/index.ts';
import type { EventRow, IdentityRow, OrderRow } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';
import { makeOrderRow } from '../../../testing/order-row-fixture.ts';
import type { PeriodUnit } from '../../analyses/cohort-sql.ts';
import { startOfDay } from './retention-test-data.ts';

/**
 * Random activity for the property tests of the retention folder: a few people over three
 * weeks around 2026-11-20 (Shanghai), under user ids and anonymous ids some of which are
 * linked, with bots, API calls and identify events mixed in, and times often on the first or
 * last millisecond of a local day. Plus the helpers the naive references share.
 */
const KINDS = {
  login: { type: 'event', name: 'login' },
  sign_up: { type: 'event', name: 'sign_up' },
  page: { type: 'page', name: 'page_view' },
  api: { type: 'api', name: 'api_call' },
  identify: { type: 'identify', name: '$identify' },
} as const;
type Kind = keyof typeof KINDS;

export interface RandomEvent {
  userId: string | null;
  anonymousId: string | null;
  at: number;
  kind: Kind;
  isBot: boolean;
}

export interface RandomOrder {
  orderId: string;
  userId: string | null;
  anonymousId: string | null;
  at: number;
  amount: number;
  paid: boolean;
}

export interface RandomActivity {
  events: RandomEvent[];
  orders: RandomOrder[];
  /** anonymous id → user id */
  links: Map<string, string>;
}

const DAY_MS = 86_400_000;
const USERS = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5'];
const ANONS = ['a0', 'a1', 'a2', 'a3'];

const timeArbitrary = fc
  .tuple(
    fc.integer({ min: -4, max: 14 }),
    fc.oneof(fc.constant(0), fc.constant(DAY_MS - 1), fc.integer({ min: 0, max: DAY_MS - 1 })),
  )
  .map(([d, ms]) => startOfDay(20 + d) + ms);

export const eventArbitrary: fc.Arbitrary<RandomEvent> = fc
  .record({
    user: fc.option(fc.constantFrom(...USERS), { nil: null }),
    anon: fc.option(fc.constantFrom(...ANONS), { nil: null }),
    at: timeArbitrary,
    kind: fc.constantFrom<Kind>('login', 'login', 'sign_up', 'page', 'page', 'api', 'identify'),
    isBot: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  })
  .map(({ user, anon, at, kind, isBot }) => ({
    userId: user ?? (anon ? null : 'u0'),
    anonymousId: anon,
    at,
    kind,
    isBot,
  }));

const orderArbitrary = fc.record({
  user: fc.option(fc.constantFrom(...USERS), { nil: null }),
  anon: fc.constantFrom(...ANONS),
  at: timeArbitrary,
  amount: fc.integer({ min: 1, max: 10_000 }),
  paid: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
});

export const activityArbitrary: fc.Arbitrary<RandomActivity> = fc
  .record({
    events: fc.array(eventArbitrary, { minLength: 0, maxLength: 150 }),
    orders: fc.array(orderArbitrary, { maxLength: 30 }),
    links: fc.dictionary(fc.constantFrom(...ANONS), fc.constantFrom(...USERS), { maxKeys: 3 }),
  })
  .map(({ events, orders, links }) => ({
    events,
    orders: orders.map(({ user, anon, ...order }, i) => ({
      orderId: `o${String(i).padStart(2, '0')}`,
      userId: user,
      anonymousId: anon,
      ...order,
    })),
    links: new Map(Object.entries(links)),
  }));

export function toOrderRows(projectId: string, activity: RandomActivity): OrderRow[] {
  return activity.orders.map((o) =>
    makeOrderRow({
      projectId,
      orderId: o.orderId,
      userId: o.userId,
      anonymousId: o.anonymousId,
      payAmount: o.amount,
      status: o.paid ? 'paid' : 'cancelled',
      orderTime: o.at,
      paidAt: o.paid ? o.at : null,
    }),
  );
}

export function toEventRows(projectId: string, activity: RandomActivity): EventRow[] {
  return activity.events.map((e) =>
    makeEventRow({
      projectId,
      userId: e.userId,
      anonymousId: e.anonymousId,
      eventTime: e.at,
      receivedAt: e.at,
      isBot: e.isBot,
      ...KINDS[e.kind],
    }),
  );
}

export function toIdentityRows(projectId: string, activity: RandomActivity): IdentityRow[] {
  return [...activity.links].map(([anonymousId, userId]) => ({
    projectId,
    anonymousId,
    userId,
    linkedAt: startOfDay(20),
  }));
}

/** The identity-merged person: user id, else the user the anonymous id is linked to. */
export function getPerson(
  e: Pick<RandomEvent, 'userId' | 'anonymousId'>,
  links: ReadonlyMap<string, string>,
): string {
  return e.userId ?? links.get(e.anonymousId ?? '') ?? (e.anonymousId as string);
}

/** Not a bot, not an API call, not an identity link. */
export function isValid(e: RandomEvent): boolean {
  return !e.isBot && e.kind !== 'api' && e.kind !== 'identify';
}

/** Valid events, or (when named) that event from a non-bot. */
export function isActivity(e: RandomEvent, named: 'login' | 'sign_up' | null): boolean {
  return named ? !e.isBot && e.kind === named : isValid(e);
}

export function getPeriodStart(date: string, unit: PeriodUnit): string {
  if (unit === 'day') return date;
  return unit === 'week' ? startOfLocalWeek(date) : `${date.slice(0, 8)}01`;
}

export function addPeriodsNaive(date: string, unit: PeriodUnit, n: number): string {
  if (unit === 'month') return addLocalMonths(date, n);
  return addLocalDays(date, unit === 'week' ? 7 * n : n);
}

/** Whole periods from local date a to local date b. */
export function countPeriods(a: string, b: string, unit: PeriodUnit): number {
  const pa = getPeriodStart(a, unit);
  const pb = getPeriodStart(b, unit);
  if (unit === 'month')
    return (
      Number(pb.slice(0, 4)) * 12 +
      Number(pb.slice(5, 7)) -
      (Number(pa.slice(0, 4)) * 12 + Number(pa.slice(5, 7)))
    );
  const days = Math.round((Date.parse(pb) - Date.parse(pa)) / DAY_MS);
  return unit === 'week' ? days / 7 : days;
}
