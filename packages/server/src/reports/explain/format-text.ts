import { formatSignedValue, formatValue } from '../render/format-value.ts';
import type { ReportLocale, ValueUnit } from '../report-document.ts';

/**
 * Numbers in explanation sentences. Values use the renderers' formatValue, so a sentence shows
 * a number exactly as the report's tables and cards do (money in minor units shown as ¥, ratios
 * as percentages); this file adds only what sentences need beyond it.
 */
export { formatValue };

const MINUS = '\u2212';

function formatDigits(value: number, digits: number): string {
  // Grouping and digits are the same for zh-CN and en; one fixed locale keeps the text stable.
  return new Intl.NumberFormat('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(Math.abs(value));
}

/**
 * A difference with its sign, e.g. "−¥3,204.50", "+12"; a ratio's difference in percentage
 * points ("+1.5 pp"), because a relative change of a rate reads as a second rate.
 */
export function formatDelta(delta: number, unit: ValueUnit, locale: ReportLocale): string {
  if (unit !== 'ratio') return formatSignedValue(delta, unit, locale);
  const sign = delta < 0 ? MINUS : delta > 0 ? '+' : '';
  return `${sign}${formatDigits(delta * 100, 1)}${locale === 'zh-CN' ? ' 个百分点' : ' pp'}`;
}

/** A relative change or a share as a percentage with `digits` decimals, e.g. "18.2%". */
export function formatPercent(ratio: number, digits = 1): string {
  return `${ratio < 0 ? MINUS : ''}${formatDigits(ratio * 100, digits)}%`;
}
