import type { Locale } from '../../../i18n/locale.ts';
import { formatValue, isMetricUnit } from '../../../lib/format.ts';
import { en, zhCN } from '../messages.ts';
import type { TrendsSeries } from './types.ts';

// Free of the DOM and of the app's i18n state, so the e2e tests format expectations with it.

/**
 * A value in a unit of the API: the catalog's units through lib/format.ts; `number` (an event
 * aggregate of a property) with up to two decimals.
 */
export function formatUnit(value: number | null | undefined, unit: string, locale: Locale): string {
  if (isMetricUnit(unit)) return formatValue(value, unit, locale);
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}

/**
 * The unit a trends series is shown in. The API says `number` for every aggregate of an event
 * property; `amount` is money in minor units (fen) and `duration_ms` milliseconds, so those two
 * are shown as such.
 */
export function seriesUnit(apiUnit: string, spec: TrendsSeries | undefined): string {
  if (!spec || 'metric' in spec || apiUnit !== 'number') return apiUnit;
  if (spec.property === 'amount') return 'currency';
  if (spec.property === 'duration_ms') return 'ms';
  return apiUnit;
}

/** Seconds as people read a wait: 42 s, 3.5 min, 2.1 h, 1.5 d. */
export function formatDuration(seconds: number | null | undefined, locale: Locale): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const words = locale === 'zh-CN' ? zhCN : en;
  const one = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const [amount, key] =
    seconds < 60
      ? [seconds, 'analysis.duration.seconds' as const]
      : seconds < 3_600
        ? [seconds / 60, 'analysis.duration.minutes' as const]
        : seconds < 86_400
          ? [seconds / 3_600, 'analysis.duration.hours' as const]
          : [seconds / 86_400, 'analysis.duration.days' as const];
  return words[key].replace('{n}', one.format(amount));
}
