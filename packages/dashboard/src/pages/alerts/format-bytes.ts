/**
 * Sizes as people read them, in binary units (1 GB = 1024³ bytes): "931.5 GB", "12 MB". Pure (the
 * locale is a parameter), so a test can format the API's numbers the way the page does.
 */
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

export function formatBytes(bytes: number | null | undefined, locale: string): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : value >= 100 ? 0 : 1;
  const text = new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
  return `${bytes < 0 ? '−' : ''}${text} ${UNITS[unit]}`;
}

/** A percentage the API gives as 0..100 (used %, uptime %), with one decimal: "42.5%". */
export function formatPercent(percent: number | null | undefined, locale: string): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return '—';
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(percent)}%`;
}

/** A value of the API's free-form objects (a config, evidence) as text. */
export function plainText(value: unknown, fallback = ''): string {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
