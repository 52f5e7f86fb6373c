import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { wireEventSchema } from './event-schema.ts';
import { INGEST_LIMITS as L } from './limits.ts';
import { isPlainWireEvent, parseWireEvent, WIRE_PATTERNS } from './parse-wire-event.ts';

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const str = (n: number, char = 'a') => char.repeat(n);
const UUIDS = [
  '0b5f7c1e-3f0a-4c2b-9d7e-1a2b3c4d5e6f',
  '0B5F7C1E-3F0A-4C2B-9D7E-1A2B3C4D5E6F',
  '0b5f7c1e-3f0a-7c2b-ad7e-1a2b3c4d5e6f',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '0b5f7c1e-3f0a-0c2b-9d7e-1a2b3c4d5e6f', // version 0
  '0b5f7c1e-3f0a-4c2b-cd7e-1a2b3c4d5e6f', // variant c
  '0b5f7c1e3f0a4c2b9d7e1a2b3c4d5e6f',
  'not-a-uuid',
];
const TIMESTAMPS = [
  '2026-11-20T08:00:00Z',
  '2026-11-20T08:00:00.123+08:00',
  '2024-02-29T00:00:00Z',
  '2023-02-29T00:00:00Z',
  '2026-11-20T08:00:00',
  '2026-11-20T24:00:00Z',
  '2026-11-20 08:00:00Z',
  '2026-11-20T08:00Z',
];

/** Values a field may take in the random events: valid ones of every field and many near misses. */
const POOL: readonly unknown[] = [
  undefined,
  null,
  true,
  false,
  0,
  -1,
  1.5,
  999,
  1000,
  1_000_000,
  1_000_001,
  86_400_000,
  86_400_001,
  1e13,
  -1e13,
  1e13 + 1,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  1_763_625_600_000,
  '',
  'x',
  'CNY',
  'cny',
  'CNYX',
  'page',
  'event',
  'identify',
  'bogus',
  'has\u0001control',
  'emoji 😀',
  str(L.maxShortStringChars),
  str(L.maxShortStringChars + 1),
  str(L.maxLongStringChars),
  str(L.maxLongStringChars + 1),
  str(L.maxStackChars + 1),
  '192.168.1.20',
  '2001:db8::1',
  '300.1.1.1',
  ...UUIDS,
  ...TIMESTAMPS,
  [],
  ['a'],
  {},
  { plan: 'pro', n: 3 },
];
const FIELDS = Object.keys(wireEventSchema.shape);
const TYPES = ['page', 'event', 'error', 'perf', 'api', 'identify'];

function randomEvent(random: () => number): unknown {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  if (random() < 0.02) return pick([null, 'event', 42, [], [{ type: 'page' }]]);
  const event: Record<string, unknown> = {};
  // Mostly a valid type, so the other fields decide.
  event.type = random() < 0.9 ? pick(TYPES) : pick(POOL);
  const fields = 1 + Math.floor(random() * 6);
  for (let i = 0; i < fields; i += 1) event[pick(FIELDS)] = pick(POOL);
  if (random() < 0.3) event.custom_key = pick(POOL);
  return event;
}

describe('parseWireEvent', () => {
  it('uses the same uuid and ISO datetime patterns as the zod schema', () => {
    const uuid = z.uuid();
    for (const value of UUIDS) {
      expect(WIRE_PATTERNS.uuid.test(value), value).toBe(uuid.safeParse(value).success);
    }
    const datetime = z.iso.datetime({ offset: true, local: false });
    for (const value of TIMESTAMPS) {
      expect(WIRE_PATTERNS.datetime.test(value), value).toBe(datetime.safeParse(value).success);
    }
  });

  it('takes a typical SDK event on the fast path, unchanged', () => {
    const event = {
      event_id: '0b5f7c1e-3f0a-4c2b-9d7e-1a2b3c4d5e6f',
      type: 'event',
      name: 'add_to_cart',
      ts: 1_763_625_600_000,
      anonymous_id: 'anon-1',
      session_id: 's-1',
      platform: 'web',
      url: 'https://shop.example.com/p/1?utm_source=wx',
      referrer: 'https://www.baidu.com/',
      props: { sku: 'A-1', price: 1999, tags: ['new'] },
      amount: 1999,
      currency: 'CNY',
      extra_top_level: 'goes to props',
    };
    expect(isPlainWireEvent(event)).toBe(true);
    const parsed = parseWireEvent(event);
    expect(parsed).toEqual({ success: true, data: event });
  });

  it('accepts and rejects exactly what wireEventSchema does, with the same first issue', () => {
    const random = prng(20_261_122);
    let fast = 0;
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 30_000; i += 1) {
      const event = randomEvent(random);
      const expected = wireEventSchema.safeParse(event);
      const isFast = isPlainWireEvent(event);
      // The fast path may only ever say yes to what zod accepts.
      if (isFast && !expected.success) {
        throw new Error(`fast path accepted what zod refuses: ${JSON.stringify(event)}`);
      }
      if (isFast) fast += 1;
      const parsed = parseWireEvent(event);
      expect(parsed.success, JSON.stringify(event)).toBe(expected.success);
      if (expected.success) {
        accepted += 1;
        continue;
      }
      rejected += 1;
      const issue = expected.error.issues[0];
      expect(parsed).toEqual({
        success: false,
        path: issue?.path.join('.') ?? '',
        message: issue?.message,
      });
    }
    // The generator exercises both outcomes and the fast path substantially.
    expect(accepted).toBeGreaterThan(3_000);
    expect(rejected).toBeGreaterThan(3_000);
    expect(fast).toBeGreaterThan(accepted * 0.8);
  });
});
