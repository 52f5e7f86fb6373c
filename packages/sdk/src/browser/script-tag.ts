import * as sightline from './index.ts';

/**
 * The script-tag build: configured by the tag's data-* attributes, exposed as `window.sightline`.
 *
 *   <script src="/sightline.js" data-endpoint="https://analytics.example.com"
 *     data-write-key="wk_…" data-app="shop-web" data-release="shop-web@2.15.0"></script>
 *
 * Without data-endpoint and data-write-key nothing starts; `sightline.init({...})` can still be
 * called by the page.
 */
function number(value: string | undefined): number | undefined {
  const n = value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function startFromTag(): void {
  const tag = document.currentScript as HTMLScriptElement | null;
  const d = tag?.dataset ?? {};
  if (!d.endpoint || !d.writeKey) return;
  const off = (value: string | undefined) => value === 'false' || value === '0';
  sightline.init({
    endpoint: d.endpoint,
    writeKey: d.writeKey,
    ...(d.app ? { app: d.app } : {}),
    ...(d.release ? { release: d.release } : {}),
    ...(d.env ? { env: d.env } : {}),
    ...(d.platform ? { platform: d.platform } : {}),
    ...(number(d.sampleRate) !== undefined ? { sampleRate: number(d.sampleRate) } : {}),
    ...(d.consent === 'pending' || d.consent === 'denied' ? { consent: d.consent } : {}),
    ...(off(d.respectDnt) ? { respectDoNotTrack: false } : {}),
    autocapture: off(d.autocapture)
      ? false
      : {
          pageviews: !off(d.pageviews),
          clicks: !off(d.clicks),
          errors: !off(d.errors),
          network: !off(d.network),
        },
  });
}

try {
  startFromTag();
} catch {
  // Never into the host page.
}
(window as Window & { sightline?: typeof sightline }).sightline = sightline;
