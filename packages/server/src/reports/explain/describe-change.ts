import type { ContributionItem, ReportLocale, ValueUnit } from '../report-document.ts';
import { formatDelta, formatPercent, formatValue } from './format-text.ts';
import { nameSegment } from './name-segment.ts';

export interface DescribeChangeParams {
  locale: ReportLocale;
  metricName: string;
  unit: ValueUnit;
  current: number | null;
  previous: number | null;
  /** "the previous day", "上月" … (describePreviousPeriod). */
  periodLabel: string;
  drivers: readonly ContributionItem[];
  /** Whether segments were looked at: without drivers the sentence then says none stands out. */
  searched: boolean;
}

function describeDrivers(params: DescribeChangeParams): string {
  const { locale, unit } = params;
  const zh = locale === 'zh-CN';
  const parts = params.drivers.map((driver, i) => {
    const who = nameSegment(driver.dimension, driver.segment, locale);
    const values = `${formatValue(driver.previous, unit, locale)} → ${formatValue(driver.current, unit, locale)}`;
    const share = formatPercent(driver.share, 0);
    if (zh) return `${i === 0 ? '其中' : ''}${who} 贡献 ${share}（${values}）`;
    return i === 0 ? `${who} explains ${share} of it (${values})` : `${who} ${share} (${values})`;
  });
  if (parts.length > 0) return zh ? `，${parts.join('，')}` : `; ${parts.join(', ')}`;
  if (!params.searched) return '';
  return zh ? '，变化分散在各细分中，无单一主因' : '; no single segment stands out';
}

/**
 * The explanation's sentence, with exactly the numbers of the explanation: the change (relative
 * and absolute) and each driver's share with its value before and after.
 */
export function describeChange(params: DescribeChangeParams): string {
  const { locale, unit, current, previous, periodLabel: period } = params;
  const name = params.metricName;
  const zh = locale === 'zh-CN';
  const end = zh ? '。' : '.';
  if (current === null) return zh ? `${name}本期无数据。` : `${name} has no value for this period.`;
  const now = formatValue(current, unit, locale);
  if (previous === null)
    return zh
      ? `${name}为 ${now}，${period}无数据可比。`
      : `${name} is ${now}, with no value for ${period} to compare with.`;
  const change = current - previous;
  if (change === 0)
    return zh ? `${name}与${period}持平（${now}）。` : `${name} was flat vs ${period} (${now}).`;
  const up = change > 0;
  const delta = formatDelta(change, unit, locale);
  let head: string;
  if (previous === 0) {
    const before = formatValue(previous, unit, locale);
    const by = formatValue(Math.abs(change), unit, locale);
    head = zh
      ? `${name}较${period}${up ? '上升' : '下降'} ${by}（${period}为 ${before}）`
      : `${name} ${up ? 'rose' : 'fell'} by ${by} vs ${period} (from ${before})`;
  } else {
    const pct = formatPercent(Math.abs(change / previous));
    head = zh
      ? `${name}较${period}${up ? '上升' : '下降'} ${pct}（${delta}）`
      : `${name} ${up ? 'rose' : 'fell'} ${pct} (${delta}) vs ${period}`;
  }
  return `${head}${describeDrivers(params)}${end}`;
}
