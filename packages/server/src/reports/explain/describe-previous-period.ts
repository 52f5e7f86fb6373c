import {
  addLocalDays,
  addLocalMonths,
  startOfLocalDate,
  toLocalDate,
} from '../../platform/index.ts';
import type { ReportLocale } from '../report-document.ts';

const LABELS = {
  day: { 'zh-CN': '前一日', en: 'the previous day' },
  week: { 'zh-CN': '上周', en: 'the previous week' },
  month: { 'zh-CN': '上月', en: 'the previous month' },
  period: { 'zh-CN': '上一周期', en: 'the previous period' },
} as const;

/** "the previous day" / "上月" …: what the comparison range is, from its local calendar. */
export function describePreviousPeriod(
  range: { from: number; to: number },
  timeZone: string,
  locale: ReportLocale,
): string {
  const first = toLocalDate(range.from, timeZone);
  const whole = startOfLocalDate(first, timeZone) === range.from;
  const endsAfter = (date: string) => startOfLocalDate(date, timeZone) === range.to;
  let kind: keyof typeof LABELS = 'period';
  if (whole && endsAfter(addLocalDays(first, 1))) kind = 'day';
  else if (whole && endsAfter(addLocalDays(first, 7))) kind = 'week';
  else if (whole && first.endsWith('-01') && endsAfter(addLocalMonths(first, 1))) kind = 'month';
  return LABELS[kind][locale];
}
