import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import type { Client } from '../client.ts';

/**
 * Web Vitals (LCP, INP, CLS, FCP, TTFB) as `web_vital` perf events, one per metric, through the
 * web-vitals library. An optional entry point (`@sightline/sdk/vitals`, or `sightline-vitals.js`
 * after the script tag) so pages that do not want it do not pay its size.
 */
export function trackWebVitals(client: Pick<Client, 'capture' | 'flushOnHide'>): void {
  const send = (metric: Metric) => {
    try {
      client.capture({
        type: 'perf',
        name: 'web_vital',
        // CLS is unitless; the others are milliseconds.
        ...(metric.name === 'CLS' ? {} : { duration_ms: Math.round(metric.value) }),
        props: {
          metric: metric.name,
          value: metric.value,
          rating: metric.rating,
          navigation_type: metric.navigationType,
        },
      });
      // Most vitals are final only as the page hides: send them with the beacon.
      if (document.visibilityState === 'hidden') client.flushOnHide();
    } catch {
      // Never into the host page.
    }
  };
  for (const on of [onCLS, onFCP, onLCP, onTTFB]) on(send);
  // INP follows the worst interaction so far; the library may not report it before the page is
  // gone, so the latest value is kept and sent when the page hides (once per hidden period).
  let inp: Metric | null = null;
  onINP(
    (metric) => {
      inp = metric;
    },
    { reportAllChanges: true },
  );
  const sendInp = () => {
    if (!inp || document.visibilityState !== 'hidden') return;
    send(inp);
    inp = null;
  };
  document.addEventListener('visibilitychange', sendInp, true);
  window.addEventListener('pagehide', sendInp, true);
}
