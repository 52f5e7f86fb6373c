import type { ReportKind, ReportLocale, ReportPeriod, ValueUnit } from '../report-document.ts';
import { getReportTexts } from './report-texts.ts';

/** Shown for a missing value or change. */
export const NO_VALUE = '—';
/** A real minus sign: the hyphen is easy to miss next to a number. */
const MINUS = '\u2212';
const MS_PER_SECOND = 1000;
const SECONDS_PER_MINUTE = 60;
const SECONDS_PER_HOUR = 3600;

// Chinese and English reports both group digits by three with commas; one format keeps the
// outputs identical across Node's ICU builds.
function formatDigits(n: number, maxDigits: number, minDigits = 0): string {
  const text = new Intl.NumberFormat('en-US', {
    maximumFractionDigits: maxDigits,
    minimumFractionDigits: minDigits,
  }).format(Math.abs(n));
  const isZero = /^[0.,]*$/.test(text);
  return n < 0 && !isZero ? `${MINUS}${text}` : text;
}

function formatCurrency(minorUnits: number): string {
  // Whole yuan stay whole; anything with fen shows both digits (¥12.50, not ¥12.5).
  const digits = Math.round(minorUnits) % 100 === 0 ? 0 : 2;
  const text = formatDigits(minorUnits / 100, digits, digits);
  return text.startsWith(MINUS) ? `${MINUS}¥${text.slice(1)}` : `¥${text}`;
}

function formatMs(ms: number): string {
  // Rounded first, so 999.6 ms reads "1 s" rather than "1,000 ms".
  const rounded = Math.round(ms);
  if (Math.abs(rounded) < MS_PER_SECOND) return `${formatDigits(rounded, 0)} ms`;
  return `${formatDigits(ms / MS_PER_SECOND, 2)} s`;
}

function formatSeconds(seconds: number): string {
  const abs = Math.abs(seconds);
  if (abs < SECONDS_PER_MINUTE) return `${formatDigits(seconds, 1)} s`;
  const sign = seconds < 0 ? MINUS : '';
  const whole = Math.round(abs);
  if (whole < SECONDS_PER_HOUR) {
    const minutes = Math.floor(whole / SECONDS_PER_MINUTE);
    return `${sign}${minutes} min ${whole % SECONDS_PER_MINUTE} s`;
  }
  const hours = Math.floor(whole / SECONDS_PER_HOUR);
  return `${sign}${hours} h ${Math.floor((whole % SECONDS_PER_HOUR) / SECONDS_PER_MINUTE)} min`;
}

function formatEpochDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/**
 * A value as every output shows it: money is in minor units (fen) and shown in yuan, ratios are
 * 0..1 and shown as percentages, `date` numbers are epoch ms shown as their UTC date.
 */
// Numbers read the same in both locales today; the locale stays in the signature so no call site
// changes when one of them needs its own words (e.g. 万 for large counts).
export function formatValue(value: number | null, unit: ValueUnit, _locale: ReportLocale): string {
  if (value === null || !Number.isFinite(value)) return NO_VALUE;
  switch (unit) {
    case 'currency':
      return formatCurrency(value);
    case 'ratio':
      return `${formatDigits(value * 100, 2)}%`;
    case 'ms':
      return formatMs(value);
    case 'seconds':
      return formatSeconds(value);
    case 'count':
    case 'users':
    case 'number':
      return formatDigits(value, 2);
    case 'date':
      return formatEpochDate(value);
    case 'text':
      return String(value);
  }
}

/** A change in the value's own unit, signed: "+¥1,200", "−670 ms", "0". */
export function formatSignedValue(
  value: number | null,
  unit: ValueUnit,
  locale: ReportLocale,
): string {
  const text = formatValue(value, unit, locale);
  return value !== null && value > 0 && text !== NO_VALUE ? `+${text}` : text;
}

/** (current − previous) / |previous|; null when either is missing or previous is zero. */
export function computeChangeRatio(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null) return null;
  if (!Number.isFinite(current) || !Number.isFinite(previous) || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}

/**
 * The relative change from `previous` to `current`, one decimal: "+12.3%", "−4.0%", "0.0%";
 * "new" (新增) when it grew from zero, "—" when it cannot be computed. Ratios change relatively
 * too, so the text matches the XLSX change column.
 */
export function formatChange(
  current: number | null,
  previous: number | null,
  unit: ValueUnit,
  locale: ReportLocale,
): string {
  if (unit === 'text' || unit === 'date') return NO_VALUE;
  if (current === null || previous === null) return NO_VALUE;
  if (!Number.isFinite(current) || !Number.isFinite(previous)) return NO_VALUE;
  if (previous === 0) return current === 0 ? '0.0%' : getReportTexts(locale).newValue;
  const percent = ((current - previous) / Math.abs(previous)) * 100;
  const text = formatDigits(percent, 1, 1);
  if (/^[0.,]*$/.test(text)) return '0.0%';
  return percent > 0 ? `+${text}%` : `${text}%`;
}

const EN_MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];
const EN_MONTHS_LONG = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

function parseLocalDate(text: string): LocalDate {
  const [year = 1970, month = 1, day = 1] = text.split('-').map(Number);
  return { year, month, day };
}

function isWholeMonth(start: LocalDate, end: LocalDate): boolean {
  const lastDay = new Date(Date.UTC(start.year, start.month, 0)).getUTCDate();
  return (
    start.day === 1 && end.year === start.year && end.month === start.month && end.day === lastDay
  );
}

function formatZhRange(a: LocalDate, b: LocalDate): string {
  const first = `${a.year}年${a.month}月${a.day}日`;
  if (a.year !== b.year) return `${first}–${b.year}年${b.month}月${b.day}日`;
  if (a.month !== b.month) return `${first}–${b.month}月${b.day}日`;
  return `${first}–${b.day}日`;
}

function formatEnRange(a: LocalDate, b: LocalDate): string {
  const month = (d: LocalDate) => EN_MONTHS[d.month - 1] ?? '';
  if (a.year !== b.year) {
    return `${month(a)} ${a.day}, ${a.year} – ${month(b)} ${b.day}, ${b.year}`;
  }
  if (a.month !== b.month) return `${month(a)} ${a.day} – ${month(b)} ${b.day}, ${b.year}`;
  return `${month(a)} ${a.day}–${b.day}, ${b.year}`;
}

/**
 * A period in words from its local dates: "2026年11月20日" / "Nov 20, 2026" for one day,
 * "2026年11月" / "November 2026" for a whole month in a monthly report, else a date range.
 */
export function formatPeriod(period: ReportPeriod, kind: ReportKind, locale: ReportLocale): string {
  const start = parseLocalDate(period.startDate);
  const end = parseLocalDate(period.endDate);
  const zh = locale === 'zh-CN';
  if (period.startDate === period.endDate) {
    return zh
      ? `${start.year}年${start.month}月${start.day}日`
      : `${EN_MONTHS[start.month - 1] ?? ''} ${start.day}, ${start.year}`;
  }
  if (kind === 'monthly' && isWholeMonth(start, end)) {
    return zh
      ? `${start.year}年${start.month}月`
      : `${EN_MONTHS_LONG[start.month - 1] ?? ''} ${start.year}`;
  }
  return zh ? formatZhRange(start, end) : formatEnRange(start, end);
}
