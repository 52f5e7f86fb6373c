import type { SuggestionSignals } from './suggestion-signals.ts';

/** Nothing here crosses a threshold. */
export const QUIET: SuggestionSignals = {
  refunds: {
    amount: { current: 10_000, previous: 9_000 },
    rate: { current: 0.02, previous: 0.02 },
    topProductType: null,
    topChannel: null,
  },
  api: {
    errorRate: { current: 0.01, previous: 0.01 },
    rate5xx: { current: 0.002, previous: 0.002 },
    worstErrorRoute: { route: 'GET /api/items', requests: 500, errorRate: 0.01, p95Ms: 800 },
    slowestRoute: { route: 'GET /api/items', requests: 500, errorRate: 0.01, p95Ms: 800 },
  },
  tasks: {
    failureRate: { current: 0.03, previous: 0.03 },
    topErrorCode: { code: 'E_TIMEOUT', failed: 3, share: 0.6 },
  },
  newUsers: { count: { current: 100, previous: 110 }, topChannel: null },
  conversion: {
    pay: { current: 0.1, previous: 0.1 },
    registration: { current: 0.2, previous: 0.21 },
  },
  commission: { ratio: { current: 0.1, previous: 0.1 } },
};

export type Overrides = { [K in keyof SuggestionSignals]?: Partial<SuggestionSignals[K]> };

export function withSignals(overrides: Overrides): SuggestionSignals {
  return {
    refunds: { ...QUIET.refunds, ...overrides.refunds },
    api: { ...QUIET.api, ...overrides.api },
    tasks: { ...QUIET.tasks, ...overrides.tasks },
    newUsers: { ...QUIET.newUsers, ...overrides.newUsers },
    conversion: { ...QUIET.conversion, ...overrides.conversion },
    commission: { ...QUIET.commission, ...overrides.commission },
  };
}
