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
function startFromTag(): void {
  const tag = document.currentScript as HTMLScriptElement | null;
  const d = tag?.dataset ?? {};
  if (!d.endpoint || !d.writeKey) return;
  const off = (value: string | undefined) => value === 'false' || value === '0';
  const options: Record<string, unknown> = { endpoint: d.endpoint, writeKey: d.writeKey };
  for (const key of ['app', 'release', 'env', 'platform', 'audience', 'consent'])
    if (d[key]) options[key] = d[key];
  for (const key of ['sampleRate', 'batchSize', 'flushInterval', 'maxQueue']) {
    const n = Number(d[key] ?? Number.NaN);
    if (Number.isFinite(n)) options[key] = n;
  }
  if (off(d.respectDnt)) options.respectDoNotTrack = false;
  if (off(d.remoteConfig)) options.remoteConfig = false;
  const capture: Record<string, boolean> = {};
  for (const key of ['pageviews', 'clicks', 'errors', 'network']) capture[key] = !off(d[key]);
  options.autocapture = !off(d.autocapture) && capture;
  sightline.init(options as unknown as sightline.BrowserOptions);
}

try {
  startFromTag();
} catch {
  // Never into the host page.
}
(window as Window & { sightline?: typeof sightline }).sightline = sightline;
