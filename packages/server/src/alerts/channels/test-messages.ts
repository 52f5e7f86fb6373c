import type { NotificationAlert, NotificationMessage } from './notification-types.ts';

/** 2024-05-01 04:00:00 UTC = 12:00:00 in Asia/Shanghai. */
export const TEST_NOW_MS = Date.UTC(2024, 4, 1, 4, 0, 0);

export function createTestAlert(overrides: Partial<NotificationAlert> = {}): NotificationAlert {
  return {
    ruleId: 'r_latency',
    ruleName: 'Checkout p95 latency',
    severity: 'P0',
    state: 'firing',
    labels: { service: 'checkout', region: 'cn-east' },
    valueText: 'p95 3.2 s',
    conditionText: 'p95 > 1.5 s for 5 min',
    startsAt: TEST_NOW_MS - 10 * 60_000,
    endsAt: null,
    url: 'https://sightline.example.com/p/p_shop/alerts/r_latency',
    ...overrides,
  };
}

/** A firing message with one P0 alert, in English, shown in Shanghai time. Test support only. */
export function createTestMessage(
  overrides: Partial<NotificationMessage> = {},
): NotificationMessage {
  return {
    status: 'firing',
    locale: 'en',
    timeZone: 'Asia/Shanghai',
    project: { id: 'p_shop', name: 'Demo Shop' },
    groupLabels: { alertname: 'Checkout p95 latency' },
    alerts: [createTestAlert()],
    dashboardUrl: 'https://sightline.example.com/p/p_shop/alerts',
    sentAt: TEST_NOW_MS,
    ...overrides,
  };
}
