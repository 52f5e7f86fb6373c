import type { EventRow, IdentityRow } from '../../../store/index.ts';
import { makeEventRow } from '../../../testing/event-row-fixture.ts';

// Shanghai is UTC+8: local day 2026-11-20 runs from 2026-11-19T16:00Z to 2026-11-20T16:00Z.
export const D20 = Date.parse('2026-11-19T16:00:00Z');
export const D21 = D20 + 86_400_000;
/** When the test funnels are measured: after every window of the range closed (90 days at most). */
export const SETTLED = D21 + 91 * 86_400_000;
export const T = Date.parse('2026-11-20T02:00:00Z');
export const at = (iso: string) => Date.parse(iso);
/** T plus seconds. */
export const s = (seconds: number) => T + seconds * 1000;

/** A fixed event id: ids order events of the same millisecond and step. */
const uuidOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

type Who = string | [string | null, string | null];
function ev(project: string, who: Who, name: string, time: number, extra: Partial<EventRow> = {}) {
  const [userId, anonymousId] = typeof who === 'string' ? [who, null] : who;
  return makeEventRow({
    projectId: project,
    userId,
    anonymousId,
    name,
    eventTime: time,
    receivedAt: time,
    ...extra,
  });
}
/** A person doing the given events one minute apart from `start`. */
const run = (project: string, who: Who, names: string, start = T) =>
  names.split(' ').map((name, i) => ev(project, who, name, start + i * 60_000));

/** Events of the funnel cases, one project per case family. */
export const FUNNEL_EVENTS: EventRow[] = [
  // p_basic: view → cart → order over the local 20th.
  ev('p_basic', 'u1', 'view_product', at('2026-11-19T16:00:00Z')), // local 00:00 of the 20th
  ev('p_basic', 'u1', 'add_to_cart', at('2026-11-19T16:10:00Z')),
  ev('p_basic', 'u1', 'order_completed', at('2026-11-20T18:00:00Z'), { amount: 5_000 }), // after the range, in the window
  ev('p_basic', 'u2', 'view_product', at('2026-11-19T15:59:59.999Z')), // local 19th: no attempt
  ev('p_basic', 'u2', 'add_to_cart', at('2026-11-19T16:05:00Z')),
  ev('p_basic', 'u2', 'view_product', at('2026-11-20T15:59:59.999Z')), // last ms of the 20th
  ev('p_basic', 'u2', 'add_to_cart', at('2026-11-20T16:00:30Z')),
  ev('p_basic', [null, 'anon-3'], 'view_product', s(0)), // anonymous, linked to u3 later
  ev('p_basic', ['u3', 'anon-3'], 'add_to_cart', s(300)),
  ev('p_basic', 'u3', 'order_completed', s(600), { amount: 12_000 }),
  ev('p_basic', 'u4', 'add_to_cart', s(3_600)), // cart before view: step 1 only
  ev('p_basic', 'u4', 'view_product', s(3_900)),
  // u5's view arrived days late, after its cart event: event time decides.
  ev('p_basic', 'u5', 'view_product', s(7_200), { receivedAt: at('2026-11-25T00:00:00Z') }),
  ev('p_basic', 'u5', 'add_to_cart', s(7_260)),
  ev('p_basic', 'u6', 'view_product', s(10_800)),
  ev('p_basic', 'u6', 'order_completed', s(11_400), { amount: 999 }), // before the cart: not step 3
  ev('p_basic', 'u6', 'add_to_cart', s(12_000)),
  ev('p_basic', 'bot', 'view_product', s(0), { isBot: true }),
  ev('p_basic', 'bot', 'add_to_cart', s(60), { isBot: true }),
  // p_strict: steps A → B (ok=yes) → C.
  ...run('p_strict', 's1', 'A X B C'),
  ...run('p_strict', 's2', 'A C B C'),
  ...run('p_strict', 's3', 'A A B C'),
  ev('p_strict', 's4', 'A', s(0)),
  ev('p_strict', 's4', 'B', s(60), { props: '{"ok":"no"}' }),
  ...run('p_strict', 's4', 'B C', s(120)),
  // p_any: A, B, C in any order.
  ...run('p_any', 'y1', 'B A C'),
  ...run('p_any', 'y2', 'A C'),
  ev('p_any', 'y3', 'B', s(0)),
  ev('p_any', 'y3', 'A', s(8 * 86_400)), // past the window (and the range)
  // p_optional: view → coupon (optional) → pay by WeChat or Alipay.
  ...run('p_optional', 'o1', 'view coupon'),
  ev('p_optional', 'o1', 'pay_wechat', s(120), { amount: 100 }),
  ev('p_optional', 'o2', 'view', s(0)),
  ev('p_optional', 'o2', 'pay_alipay', s(60), { amount: 200 }),
  ev('p_optional', 'o3', 'view', s(0)),
  ev('p_optional', 'o3', 'pay_alipay', s(60), { amount: 400 }),
  ev('p_optional', 'o3', 'coupon', s(120)),
  ...run('p_optional', 'o4', 'view coupon'),
  // p_excl: A → B → C with X excluded between steps 2 and 3.
  ...run('p_excl', 'e1', 'A B X C'),
  ...run('p_excl', 'e2', 'A X B C'),
  ...run('p_excl', 'e3', 'A B C X'),
  ...run('p_excl', 'e4', 'A B X A B C'),
  // p_breakdown: the channel of the first step's event.
  ev('p_breakdown', 'b1', 'A', s(0), { channel: 'wechat' }),
  ev('p_breakdown', 'b1', 'B', s(60), { channel: 'douyin' }),
  ev('p_breakdown', 'b2', 'A', s(0), { channel: 'wechat' }),
  ev('p_breakdown', 'b3', 'A', s(0), { channel: 'douyin' }),
  ev('p_breakdown', 'b3', 'B', s(60), { channel: 'douyin' }),
  ...run('p_breakdown', 'b4', 'A B'),
  // p_window: a one-hour window, and repeated conversions.
  ev('p_window', 'w1', 'A', s(0)),
  ev('p_window', 'w1', 'B', T + 3_599_999),
  ev('p_window', 'w2', 'A', s(0)),
  ev('p_window', 'w2', 'B', s(3_600)),
  ...run('p_window', 'w3', 'A B A B'),
  ev('p_window', 'w4', 'A', s(0), { platform: 'ios' }),
  ev('p_window', 'w4', 'B', s(60), { platform: 'web' }),
  // p_long: 30 steps; l1 does all of them, l2 the first 15.
  ...Array.from({ length: 30 }, (_, i) => ev('p_long', 'l1', `s${i}`, s(i))),
  ...Array.from({ length: 15 }, (_, i) => ev('p_long', 'l2', `s${i}`, s(i))),
  // p_ties: A → B → C in one hour; ties, shared attempts and the attempt kept.
  // One millisecond, ids in the order C, B, A: only the step puts A first.
  ...['C', 'B', 'A'].map((name, i) =>
    ev('p_ties', 't1', name, s(0), { eventId: uuidOf(11 + i), channel: 'y' }),
  ),
  ev('p_ties', 't2', 'A', s(0), { eventId: uuidOf(2), channel: 'y', amount: 2 }),
  ev('p_ties', 't2', 'A', s(0), { eventId: uuidOf(1), channel: 'x', amount: 1 }), // first by id
  ev('p_ties', 't2', 'B', s(60)),
  ev('p_ties', 't3', 'A', s(0), { channel: 'x' }),
  ev('p_ties', 't3', 'A', s(600), { channel: 'y' }), // C is in this one's window only
  ev('p_ties', 't3', 'B', s(1_200)),
  ev('p_ties', 't3', 'C', s(3_900)),
  ...run('p_ties', 't4', 'A A B'), // the first A reaches as far: kept, 120 s to B
  // D → D → E: one event is one step; two events of the same ms are two.
  ...run('p_ties', 't5', 'D E'),
  ev('p_ties', 't6', 'D', s(0)),
  ev('p_ties', 't6', 'D', s(0)),
  ev('p_ties', 't6', 'E', s(60)),
  // p_bound: A → A within an hour. The second A of b1 comes exactly an hour after the first:
  // outside its window, although it is also a first step. b2's comes a millisecond sooner.
  ev('p_bound', 'b1', 'A', s(0)),
  ev('p_bound', 'b1', 'A', s(3_600)),
  ev('p_bound', 'b2', 'A', s(0)),
  ev('p_bound', 'b2', 'A', s(3_600) - 1),
];
export const FUNNEL_IDENTITIES: IdentityRow[] = [
  { projectId: 'p_basic', anonymousId: 'anon-3', userId: 'u3', linkedAt: s(300) },
];
