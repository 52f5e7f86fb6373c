import type { AlertRuleInput } from '../alerts/index.ts';

/**
 * Rules the demo project starts with (seed 004 §5.3 and seed 001 §6), so a newcomer finds an
 * alert center with something in it. They name no channel: add one in the Alerts page.
 */
export const DEMO_ALERT_RULES: readonly AlertRuleInput[] = [
  {
    name: 'API p95 above 1.5 s',
    description: 'Seed 004 §5.3: 接口 P95 > 1.5s, per route, over 5 minutes.',
    severity: 'P0',
    query: { metric: 'api_latency_p95', windowMinutes: 5, groupBy: 'route' },
    condition: { kind: 'threshold', op: 'gt', value: 1_500 },
    minVolume: { metric: 'api_requests', min: 5 },
    forSeconds: 60,
    labels: { service: 'shop-api' },
  },
  {
    name: 'API error rate above 2%',
    description: 'Seed 004 §5.3: 错误率 > 2%, over 15 minutes.',
    severity: 'P1',
    query: { metric: 'api_error_rate', windowMinutes: 15 },
    condition: { kind: 'threshold', op: 'gt', value: 0.02 },
    minVolume: { metric: 'api_requests', min: 20 },
    breaches: { m: 2, n: 3 },
    labels: { service: 'shop-api' },
  },
  {
    name: 'Paid orders far below the usual level',
    description: 'Seed 001 §6: adaptive baseline on the same hour of past weeks.',
    severity: 'P1',
    query: { metric: 'orders', windowMinutes: 60 },
    condition: { kind: 'baseline', method: 'seasonal', sensitivity: 3, direction: 'down' },
    intervalSeconds: 300,
    labels: { service: 'shop' },
  },
  {
    name: 'WebSocket disconnect rate above 5%',
    description: 'Seed 004 §5.3: WS 断开率 > 5%, over 30 minutes (drops / connections).',
    severity: 'P1',
    query: { metric: 'ws_disconnect_rate', windowMinutes: 30 },
    condition: { kind: 'threshold', op: 'gt', value: 0.05 },
    minVolume: { metric: 'ws_connections', min: 20 },
    breaches: { m: 2, n: 3 },
    labels: { service: 'shop-push' },
  },
];
