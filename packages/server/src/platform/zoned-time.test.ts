import { describe, expect, it } from 'vitest';
import {
  addLocalDays,
  addLocalMonths,
  startOfLocalDate,
  startOfLocalWeek,
  toLocalDate,
} from './zoned-time.ts';

describe('zoned time', () => {
  it.each([
    ['2026-11-20', 'Asia/Shanghai', '2026-11-19T16:00:00.000Z'],
    ['2026-11-20', 'UTC', '2026-11-20T00:00:00.000Z'],
    // New York: DST ends 2026-11-01 (clocks go back at 02:00 EDT).
    ['2026-11-01', 'America/New_York', '2026-11-01T04:00:00.000Z'],
    ['2026-11-02', 'America/New_York', '2026-11-02T05:00:00.000Z'],
    ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00.000Z'],
    ['2026-03-09', 'America/New_York', '2026-03-09T04:00:00.000Z'],
    ['2026-11-20', 'Asia/Kolkata', '2026-11-19T18:30:00.000Z'],
  ])('%s starts at the right instant in %s', (date, zone, iso) => {
    expect(new Date(startOfLocalDate(date, zone)).toISOString()).toBe(iso);
  });

  it('reads the local date of an instant', () => {
    expect(toLocalDate(Date.parse('2026-11-19T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2026-11-19');
    expect(toLocalDate(Date.parse('2026-11-19T16:00:00.000Z'), 'Asia/Shanghai')).toBe('2026-11-20');
  });

  it('adds days and months, and finds Monday', () => {
    expect(addLocalDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addLocalMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addLocalMonths('2026-11-20', -12)).toBe('2025-11-20');
    expect(startOfLocalWeek('2026-11-22')).toBe('2026-11-16'); // a Sunday → its Monday
    expect(startOfLocalWeek('2026-11-16')).toBe('2026-11-16');
  });
});
