export interface FitAlertsOptions<T> {
  /** Alerts in the message. */
  total: number;
  /** Most alerts the layout may list whatever their size (e.g. Slack's block limit). */
  maxShown?: number;
  /** UTF-8 bytes the rendered body may take. */
  maxBytes: number;
  /** Lays out the first `shown` alerts, with a "… and N more alerts" line when some are left out. */
  render: (shown: number) => T;
  /** Bytes the rendered body takes on the wire. */
  measure: (rendered: T) => number;
}

export interface FitAlertsResult<T> {
  rendered: T;
  shown: number;
  /** False when even no alert at all fits (the heading alone is too large). */
  fits: boolean;
}

export function measureUtf8(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Lists as many alerts as the service accepts, so a large group is shortened rather than
 * refused: binary search over the number shown (size grows with every alert listed).
 */
export function fitAlerts<T>(options: FitAlertsOptions<T>): FitAlertsResult<T> {
  const { total, maxBytes, render, measure } = options;
  const most = Math.min(total, options.maxShown ?? total);
  const all = render(most);
  if (measure(all) <= maxBytes) return { rendered: all, shown: most, fits: true };
  let low = 0;
  let high = most - 1;
  let best: { rendered: T; shown: number } | null = null;
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    const rendered = render(middle);
    if (measure(rendered) <= maxBytes) {
      best = { rendered, shown: middle };
      low = middle + 1;
    } else high = middle - 1;
  }
  if (best) return { ...best, fits: true };
  return { rendered: render(0), shown: 0, fits: false };
}

/** Cuts text to at most `maxBytes` UTF-8 bytes without splitting a character, ending in "…". */
export function clipUtf8(text: string, maxBytes: number): string {
  if (measureUtf8(text) <= maxBytes) return text;
  let clipped = '';
  let bytes = 0;
  const budget = maxBytes - measureUtf8('…');
  for (const char of text) {
    const size = measureUtf8(char);
    if (bytes + size > budget) break;
    clipped += char;
    bytes += size;
  }
  return `${clipped}…`;
}
