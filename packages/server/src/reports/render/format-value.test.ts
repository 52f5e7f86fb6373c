import { describe, expect, it } from 'vitest';
import type { ReportKind, ReportLocale, ValueUnit } from '../report-document.ts';
import { formatDateTime } from './format-date-time.ts';
import { formatChange, formatPeriod, formatSignedValue, formatValue } from './format-value.ts';

describe('formatValue', () => {
  const cases: Array<[number | null, ValueUnit, string]> = [
    [null, 'currency', '—'],
    [Number.NaN, 'count', '—'],
    [1234567, 'currency', '¥12,345.67'],
    [1234500, 'currency', '¥12,345'],
    [50, 'currency', '¥0.50'],
    [0, 'currency', '¥0'],
    [-1999, 'currency', '−¥19.99'],
    [12345.6, 'currency', '¥123.46'],
    [0.1234, 'ratio', '12.34%'],
    [0.5, 'ratio', '50%'],
    [0, 'ratio', '0%'],
    [1.5, 'ratio', '150%'],
    [-0.05, 'ratio', '−5%'],
    [1234567, 'count', '1,234,567'],
    [12.5, 'count', '12.5'],
    [-1500, 'count', '−1,500'],
    [1200, 'users', '1,200'],
    [3.14159, 'number', '3.14'],
    [850, 'ms', '850 ms'],
    [0, 'ms', '0 ms'],
    [1520, 'ms', '1.52 s'],
    [2000, 'ms', '2 s'],
    [999.6, 'ms', '1 s'],
    [65000, 'ms', '65 s'],
    [12.5, 'seconds', '12.5 s'],
    [185.5, 'seconds', '3 min 6 s'],
    [3725, 'seconds', '1 h 2 min'],
    [1795104000000, 'date', '2026-11-19'],
    [42, 'text', '42'],
  ];
  it.each(cases)('%s as %s → %s', (value, unit, expected) => {
    expect(formatValue(value, unit, 'zh-CN')).toBe(expected);
    expect(formatValue(value, unit, 'en')).toBe(expected);
  });

  it('signs positive changes in their unit', () => {
    expect(formatSignedValue(120000, 'currency', 'en')).toBe('+¥1,200');
    expect(formatSignedValue(-670, 'ms', 'en')).toBe('−670 ms');
    expect(formatSignedValue(0, 'count', 'en')).toBe('0');
    expect(formatSignedValue(null, 'count', 'en')).toBe('—');
  });
});

describe('formatChange', () => {
  const cases: Array<[number | null, number | null, ValueUnit, ReportLocale, string]> = [
    [110, 100, 'count', 'en', '+10.0%'],
    [96, 100, 'count', 'en', '−4.0%'],
    [100, 100, 'count', 'en', '0.0%'],
    [100.04, 100, 'count', 'en', '0.0%'],
    [99.96, 100, 'count', 'en', '0.0%'],
    [3456, 3500, 'count', 'en', '−1.3%'],
    [1234567, 1100000, 'currency', 'zh-CN', '+12.2%'],
    [0.052, 0.04, 'ratio', 'en', '+30.0%'],
    [-50, -100, 'number', 'en', '+50.0%'],
    [100, 1, 'count', 'en', '+9,900.0%'],
    [5, 0, 'count', 'en', 'new'],
    [5, 0, 'count', 'zh-CN', '新增'],
    [0, 0, 'count', 'en', '0.0%'],
    [null, 1, 'count', 'en', '—'],
    [1, null, 'count', 'en', '—'],
    [2, 1, 'text', 'en', '—'],
  ];
  it.each(cases)('%s vs %s (%s, %s) → %s', (current, previous, unit, locale, expected) => {
    expect(formatChange(current, previous, unit, locale)).toBe(expected);
  });
});

describe('formatPeriod', () => {
  const cases: Array<[string, string, ReportKind, string, string]> = [
    ['2026-11-20', '2026-11-20', 'daily', '2026年11月20日', 'Nov 20, 2026'],
    ['2026-11-16', '2026-11-22', 'weekly', '2026年11月16日–22日', 'Nov 16–22, 2026'],
    ['2026-11-30', '2026-12-06', 'weekly', '2026年11月30日–12月6日', 'Nov 30 – Dec 6, 2026'],
    [
      '2026-12-28',
      '2027-01-03',
      'weekly',
      '2026年12月28日–2027年1月3日',
      'Dec 28, 2026 – Jan 3, 2027',
    ],
    ['2026-11-01', '2026-11-30', 'monthly', '2026年11月', 'November 2026'],
    ['2028-02-01', '2028-02-29', 'monthly', '2028年2月', 'February 2028'],
    ['2026-11-01', '2026-11-15', 'monthly', '2026年11月1日–15日', 'Nov 1–15, 2026'],
  ];
  it.each(cases)('%s..%s (%s)', (startDate, endDate, kind, zh, en) => {
    const period = { from: 0, to: 0, startDate, endDate };
    expect(formatPeriod(period, kind, 'zh-CN')).toBe(zh);
    expect(formatPeriod(period, kind, 'en')).toBe(en);
  });
});

describe('formatDateTime', () => {
  it('shows the wall time of the given zone', () => {
    expect(formatDateTime(1795219200000, 'Asia/Shanghai')).toBe('2026-11-21 08:00');
    expect(formatDateTime(1795219200000, 'UTC')).toBe('2026-11-21 00:00');
    expect(formatDateTime(1795219200000, 'America/New_York')).toBe('2026-11-20 19:00');
  });
});
