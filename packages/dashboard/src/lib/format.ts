import type { MetricUnit } from '@sightline/shared';
import type { Locale } from '../i18n/locale.ts';

/** The catalog's units (MetricUnit), as values: the shared package stays out of the bundle. */
const METRIC_UNITS: ReadonlySet<string> = new Set<MetricUnit>([
  'count',
  'users',
  'ratio',
  'currency',
  'ms',
  'score',
  'per_second',
  'seconds',
]);

/** A unit read from the wire (a saved insight, an alert annotation) that may be anything. */
export const isMetricUnit = (value: unknown): value is MetricUnit =>
  typeof value === 'string' && METRIC_UNITS.has(value);

/** A metric value as people read it: money from minor units, ratios as %, latency in ms. */
export function formatValue(
  value: number | null | undefined,
  unit: MetricUnit,
  locale: Locale,
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const number = (digits: number) =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  switch (unit) {
    case 'currency':
      return new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: 'CNY',
        maximumFractionDigits: value >= 1_000_000 ? 0 : 2,
      }).format(value / 100);
    case 'ratio':
      return `${number(value < 0.1 ? 2 : 1).format(value * 100)}%`;
    case 'ms':
      return value >= 10_000
        ? `${number(1).format(value / 1000)} s`
        : `${number(0).format(value)} ms`;
    case 'seconds':
      return `${number(1).format(value)} s`;
    case 'per_second':
      // A quiet endpoint's 0.0046/s must not read as 0/s: three significant digits below 1.
      return value > 0 && value < 1
        ? `${new Intl.NumberFormat(locale, { maximumSignificantDigits: 3 }).format(value)}/s`
        : `${number(2).format(value)}/s`;
    case 'score':
      return number(3).format(value);
    default:
      return number(0).format(value);
  }
}

/** An instant (epoch ms) as a local date and time: "Nov 23, 2026, 9:24 AM". */
export function formatDateTime(epoch: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(epoch),
  );
}

/** A change ratio as a signed percentage: +12.3%, −4.0%. */
export function formatChange(ratio: number, locale: Locale): string {
  const text = new Intl.NumberFormat(locale, {
    maximumFractionDigits: 1,
    minimumFractionDigits: 1,
    signDisplay: 'always',
  }).format(ratio * 100);
  return `${text}%`;
}

/** A bucket start (ISO instant) as a short local label in the project's time zone. */
export function formatBucket(
  iso: string,
  granularity: string,
  timeZone: string,
  locale: Locale,
): string {
  const date = new Date(iso);
  const options: Intl.DateTimeFormatOptions =
    granularity === 'hour' || granularity === 'minute'
      ? { hour: '2-digit', minute: '2-digit', month: '2-digit', day: '2-digit' }
      : granularity === 'month'
        ? { year: 'numeric', month: 'short' }
        : { month: '2-digit', day: '2-digit' };
  return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(date);
}
