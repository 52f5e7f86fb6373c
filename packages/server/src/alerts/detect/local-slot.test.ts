import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zoneOffsetMs } from '../../platform/index.ts';
import { createLocalSlotReader } from './local-slot.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const dayOf = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS;

describe('local slots', () => {
  it('places Shanghai instants on the local calendar (UTC+8, Monday starts on Sunday UTC)', () => {
    const read = createLocalSlotReader('Asia/Shanghai');
    const slot = read(Date.parse('2024-01-07T16:30:00Z'));
    expect(slot).toEqual({
      at: Date.parse('2024-01-07T16:30:00Z'),
      day: dayOf('2024-01-08'),
      weekday: 1,
      msOfDay: 30 * MINUTE_MS,
      weekKey: DAY_MS + 30 * MINUTE_MS,
    });
    expect(read(Date.parse('2024-01-07T15:59:00Z')).weekday).toBe(0);
  });

  it('keeps the wall clock across the New York spring change (02:00 → 03:00, 2026-03-08)', () => {
    const read = createLocalSlotReader('America/New_York');
    expect(read(Date.parse('2026-03-08T06:59:00Z')).msOfDay).toBe(HOUR_MS + 59 * MINUTE_MS);
    expect(read(Date.parse('2026-03-08T07:00:00Z')).msOfDay).toBe(3 * HOUR_MS);
    // Monday 09:00 is 14:00 UTC before the change and 13:00 UTC after it: the same slot.
    const before = read(Date.parse('2026-03-02T14:00:00Z'));
    const after = read(Date.parse('2026-03-09T13:00:00Z'));
    expect(after.weekKey).toBe(before.weekKey);
    expect(after.weekday).toBe(1);
    expect(after.msOfDay).toBe(9 * HOUR_MS);
    expect(after.day - before.day).toBe(7);
  });

  it('gives both 01:30s of the autumn change (2026-11-01) the same slot and day', () => {
    const read = createLocalSlotReader('America/New_York');
    const daylight = read(Date.parse('2026-11-01T05:30:00Z'));
    const standard = read(Date.parse('2026-11-01T06:30:00Z'));
    expect(standard.weekKey).toBe(daylight.weekKey);
    expect(standard.day).toBe(daylight.day);
    expect(standard.msOfDay).toBe(HOUR_MS + 30 * MINUTE_MS);
  });

  it('is exact inside an hour holding a transition off the hour (Lord Howe, +10:30 → +11)', () => {
    const read = createLocalSlotReader('Australia/Lord_Howe');
    const hour = Date.parse('2024-10-05T15:00:00Z'); // the change is at 15:30 UTC
    for (let minute = 0; minute < 60; minute += 1) {
      const at = hour + minute * MINUTE_MS;
      const local = at + zoneOffsetMs(at, 'Australia/Lord_Howe');
      expect(read(at).msOfDay).toBe(local - Math.floor(local / DAY_MS) * DAY_MS);
    }
    expect(read(Date.parse('2024-10-05T15:29:00Z')).msOfDay).toBe(HOUR_MS + 59 * MINUTE_MS);
    expect(read(Date.parse('2024-10-05T15:30:00Z')).msOfDay).toBe(2 * HOUR_MS + 30 * MINUTE_MS);
  });

  it('agrees with Intl instant by instant, in any order of reading', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.array(fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2030-01-01') }), {
          minLength: 1,
          maxLength: 30,
        }),
        (zone, instants) => {
          const read = createLocalSlotReader(zone);
          for (const at of instants) {
            const local = at + zoneOffsetMs(at, zone);
            const day = Math.floor(local / DAY_MS);
            const slot = read(at);
            expect(slot.day).toBe(day);
            expect(slot.msOfDay).toBe(local - day * DAY_MS);
            expect(slot.weekday).toBe(new Date(day * DAY_MS).getUTCDay());
          }
        },
      ),
    );
  });
});
