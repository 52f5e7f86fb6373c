import type { ValueUnit } from '../report-document.ts';

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const MONEY = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/**
 * A value as the summary sentences show it, the same in both languages (as the dashboard does):
 * money from minor units to `¥1,234.56`, ratios as `12.3%`, durations in whole ms.
 */
export function formatValue(value: number | null, unit: ValueUnit): string {
  if (value === null || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'currency':
      return `¥${MONEY.format(value / 100)}`;
    case 'ratio':
      return `${(value * 100).toFixed(1)}%`;
    case 'ms':
      return `${GROUPED.format(Math.round(value))} ms`;
    case 'seconds':
      return `${GROUPED.format(value)} s`;
    default:
      return GROUPED.format(value);
  }
}
