import { createWeightedPicker, type Prng } from './prng.ts';

/** Median and log-normal sigma per route: p95 = median × e^(1.645 σ). */
const ROUTE_LATENCY_MS: Readonly<Record<string, readonly [number, number]>> = {
  '/api/home': [45, 0.5],
  '/api/products': [70, 0.55],
  '/api/products/:id': [60, 0.6],
  '/api/categories/:slug/products': [85, 0.55],
  '/api/search': [120, 0.7],
  '/api/cart': [40, 0.5],
  '/api/cart/items': [55, 0.5],
  '/api/checkout': [180, 0.5],
  '/api/payments': [260, 0.5],
  '/api/orders/:id': [50, 0.5],
  '/api/auth/login': [110, 0.45],
  '/api/auth/signup': [150, 0.45],
  '/api/membership/plans': [35, 0.4],
  '/api/tasks': [90, 0.5],
  '/api/tasks/:id': [30, 0.5],
};
const GATEWAY_TIMEOUT_MS = 10_000;

export interface ApiOutcome {
  status: number;
  durationMs: number;
  timeout: boolean;
}

const pickServerError = createWeightedPicker([500, 502, 503, 504], [50, 20, 15, 15]);
const pickClientError = createWeightedPicker([400, 401, 404, 409, 429], [35, 25, 25, 10, 5]);

/** Status and latency of one API call; `slow` is the planted latency spike. */
export function drawApiOutcome(rng: Prng, route: string, slow: boolean): ApiOutcome {
  const [median, sigma] = ROUTE_LATENCY_MS[route] ?? [80, 0.6];
  if (slow) {
    if (rng.chance(0.1)) return { status: 504, durationMs: GATEWAY_TIMEOUT_MS, timeout: true };
    const durationMs = Math.min(GATEWAY_TIMEOUT_MS - 1, Math.round(rng.logNormal(4_200, 0.35)));
    return { status: 200, durationMs, timeout: false };
  }
  const durationMs = Math.max(2, Math.round(rng.logNormal(median, sigma)));
  const roll = rng.next();
  if (roll < 0.005) {
    const status = pickServerError(rng.next);
    return status === 504
      ? { status, durationMs: GATEWAY_TIMEOUT_MS, timeout: true }
      : { status, durationMs, timeout: false };
  }
  if (roll < 0.025) return { status: pickClientError(rng.next), durationMs, timeout: false };
  return { status: 200, durationMs, timeout: false };
}

export type VitalMetric = 'LCP' | 'INP' | 'CLS' | 'FCP' | 'TTFB';

/** web-vitals thresholds (https://web.dev/articles/vitals): [good ≤, poor >]. */
const VITAL_THRESHOLDS: Readonly<Record<VitalMetric, readonly [number, number]>> = {
  LCP: [2_500, 4_000],
  INP: [200, 500],
  CLS: [0.1, 0.25],
  FCP: [1_800, 3_000],
  TTFB: [800, 1_800],
};

export interface VitalSample {
  metric: VitalMetric;
  value: number;
  rating: 'good' | 'needs-improvement' | 'poor';
}

/** One metric for a page load; phones on mobile networks load slower than desktops. */
export function drawVital(rng: Prng, metric: VitalMetric, isMobile: boolean): VitalSample {
  const slow = isMobile ? 1.35 : 1;
  let value: number;
  switch (metric) {
    case 'TTFB':
      value = Math.round(rng.logNormal(320 * slow, 0.6));
      break;
    case 'FCP':
      value = Math.round(rng.logNormal(1_150 * slow, 0.45));
      break;
    case 'LCP':
      value = Math.round(rng.logNormal(1_800 * slow, 0.45));
      break;
    case 'INP':
      value = Math.round(rng.logNormal(110 * slow, 0.7));
      break;
    case 'CLS':
      value = rng.chance(0.45) ? 0 : Math.round(rng.logNormal(0.04, 1.1) * 1000) / 1000;
      break;
  }
  const [good, poor] = VITAL_THRESHOLDS[metric];
  const rating = value <= good ? 'good' : value > poor ? 'poor' : 'needs-improvement';
  return { metric, value, rating };
}
