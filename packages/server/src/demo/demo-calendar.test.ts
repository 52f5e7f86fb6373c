import { describe, expect, it } from 'vitest';
import { createDemoCalendar } from './demo-calendar.ts';

const HOUR_MS = 3_600_000;

describe('createDemoCalendar', () => {
  it('ends at the last local midnight at or before endTime', () => {
    // 2025-04-01 00:00 in Shanghai (UTC+8) is 2025-03-31 16:00 UTC.
    const midnight = Date.UTC(2025, 2, 31, 16);
    const days = createDemoCalendar(midnight, 3, 'Asia/Shanghai');
    expect(days.map((day) => day.dateKey)).toEqual(['20250329', '20250330', '20250331']);
    expect(days[2]?.end).toBe(midnight);
    expect(days[0]?.start).toBe(midnight - 3 * 24 * HOUR_MS);
    // 2025-03-29 was a Saturday.
    expect(days[0]?.dayOfWeek).toBe(6);

    const afternoon = createDemoCalendar(midnight + 15 * HOUR_MS, 3, 'Asia/Shanghai');
    expect(afternoon).toEqual(days);
  });

  it('follows daylight saving time changes', () => {
    // New York moved to EDT on 2025-03-09: that local day has 23 hours.
    const days = createDemoCalendar(Date.UTC(2025, 2, 11, 12), 3, 'America/New_York');
    expect(days.map((day) => day.dateKey)).toEqual(['20250308', '20250309', '20250310']);
    expect(days.map((day) => (day.end - day.start) / HOUR_MS)).toEqual([24, 23, 24]);
    expect(days[0]?.start).toBe(Date.UTC(2025, 2, 8, 5));
    expect(days[2]?.start).toBe(Date.UTC(2025, 2, 10, 4));
  });

  it('rejects an unknown time zone', () => {
    expect(() => createDemoCalendar(0, 1, 'Mars/Olympus')).toThrow(RangeError);
  });
});
