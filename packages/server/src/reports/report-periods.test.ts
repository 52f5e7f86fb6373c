import { describe, expect, it } from 'vitest';
import {
  getDueSendTime,
  getLastCompletePeriod,
  getLastYearPeriod,
  getNextSendTime,
  getPreviousPeriod,
  getReportPeriod,
} from './report-periods.ts';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';
const iso = (ms: number) => new Date(ms).toISOString();

describe('report periods', () => {
  it('daily, weekly (Monday to Sunday) and monthly periods in the project zone', () => {
    const day = getReportPeriod('daily', '2026-11-20', SH);
    expect([iso(day.from), iso(day.to), day.startDate, day.endDate]).toEqual([
      '2026-11-19T16:00:00.000Z',
      '2026-11-20T16:00:00.000Z',
      '2026-11-20',
      '2026-11-20',
    ]);
    const week = getReportPeriod('weekly', '2026-11-20', SH); // a Friday
    expect([week.startDate, week.endDate, iso(week.from)]).toEqual([
      '2026-11-16',
      '2026-11-22',
      '2026-11-15T16:00:00.000Z',
    ]);
    const month = getReportPeriod('monthly', '2026-02-14', SH);
    expect([month.startDate, month.endDate, iso(month.to)]).toEqual([
      '2026-02-01',
      '2026-02-28',
      '2026-02-28T16:00:00.000Z',
    ]);
  });

  it('a day across a DST change is 23 or 25 hours long', () => {
    const spring = getReportPeriod('daily', '2026-03-08', NY);
    expect((spring.to - spring.from) / 3_600_000).toBe(23);
    const autumn = getReportPeriod('daily', '2026-11-01', NY);
    expect((autumn.to - autumn.from) / 3_600_000).toBe(25);
  });

  it('the last complete period is yesterday, last week, last month in local time', () => {
    // 2026-12-01 00:30 in Shanghai is still November 30 in UTC.
    const now = Date.parse('2026-11-30T16:30:00Z');
    expect(getLastCompletePeriod('daily', now, SH).startDate).toBe('2026-11-30');
    expect(getLastCompletePeriod('monthly', now, SH)).toMatchObject({
      startDate: '2026-11-01',
      endDate: '2026-11-30',
    });
    expect(getLastCompletePeriod('weekly', now, SH)).toMatchObject({
      startDate: '2026-11-23',
      endDate: '2026-11-29',
    });
    // In UTC the same instant is still November: its last complete month is October.
    expect(getLastCompletePeriod('monthly', now, 'UTC').startDate).toBe('2026-10-01');
  });

  it('previous periods are calendar periods; last year keeps the dates', () => {
    const march = getReportPeriod('monthly', '2026-03-10', SH);
    expect(getPreviousPeriod('monthly', march, SH)).toMatchObject({
      startDate: '2026-02-01',
      endDate: '2026-02-28',
    });
    const monday = getReportPeriod('weekly', '2026-01-01', SH);
    expect(getPreviousPeriod('weekly', monday, SH).startDate).toBe('2025-12-22');
    expect(getLastYearPeriod(getReportPeriod('daily', '2028-02-29', SH), SH)).toMatchObject({
      startDate: '2027-02-28',
      endDate: '2027-02-28',
    });
    expect(getLastYearPeriod(march, SH)).toMatchObject({
      startDate: '2025-03-01',
      endDate: '2025-03-31',
    });
  });
});

describe('report schedule', () => {
  it('daily at 08:00 Shanghai is 00:00 UTC; weekly on Mondays; monthly on the 1st', () => {
    const after = Date.parse('2026-11-20T01:00:00Z'); // Friday 09:00 in Shanghai
    expect(iso(getNextSendTime('daily', '08:00', SH, after))).toBe('2026-11-21T00:00:00.000Z');
    expect(iso(getNextSendTime('weekly', '08:30', SH, after))).toBe('2026-11-23T00:30:00.000Z');
    expect(iso(getNextSendTime('monthly', '09:00', SH, after))).toBe('2026-12-01T01:00:00.000Z');
  });

  it('follows the zone across DST', () => {
    const before = Date.parse('2026-03-07T20:00:00Z');
    // 08:00 in New York is 13:00 UTC before the change (EST) and 12:00 after (EDT).
    expect(iso(getNextSendTime('daily', '08:00', NY, before))).toBe('2026-03-08T12:00:00.000Z');
  });

  it('is due once per missed send, collapsing several misses into the latest', () => {
    const after = Date.parse('2026-11-20T00:00:00Z'); // the 08:00 send of Nov 20 was acted on
    const base = { kind: 'daily' as const, sendTime: '08:00', zone: SH, after };
    expect(getDueSendTime({ ...base, now: Date.parse('2026-11-20T23:59:59Z') })).toBeNull();
    expect(getDueSendTime({ ...base, now: Date.parse('2026-11-21T00:00:00Z') })).toBe(
      Date.parse('2026-11-21T00:00:00Z'),
    );
    // Down for three days: one report, for the latest send.
    expect(getDueSendTime({ ...base, now: Date.parse('2026-11-23T05:00:00Z') })).toBe(
      Date.parse('2026-11-23T00:00:00Z'),
    );
    const monthly = { kind: 'monthly' as const, sendTime: '09:00', zone: SH };
    expect(
      getDueSendTime({
        ...monthly,
        after: Date.parse('2026-11-01T01:00:00Z'),
        now: Date.parse('2026-12-01T00:59:00Z'),
      }),
    ).toBeNull();
    expect(
      getDueSendTime({
        ...monthly,
        after: Date.parse('2026-11-01T01:00:00Z'),
        now: Date.parse('2026-12-01T01:00:00Z'),
      }),
    ).toBe(Date.parse('2026-12-01T01:00:00Z'));
  });
});
