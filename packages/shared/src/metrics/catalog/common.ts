import type { Condition, LocalizedText } from '../metric-types.ts';

export const text = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });

/** Events people cause: not bots, not server API calls, not identity links. */
export const ACTIVE: readonly Condition[] = [
  { field: 'is_bot', op: 'eq', value: false },
  { field: 'type', op: 'not_in', value: ['api', 'identify'] },
];
export const named = (name: string, ...more: Condition[]): Condition[] => [
  { field: 'is_bot', op: 'eq', value: false },
  { field: 'name', op: 'eq', value: name },
  ...more,
];
/** A page view by a person (PV and UV). */
export const PAGE_VIEW: readonly Condition[] = named('page_view');

/** Orders that count as sales: paid (cancelled and pending orders are not revenue). */
export const PAID: readonly Condition[] = [{ field: 'status', op: 'eq', value: 'paid' }];

export const USER_DIMENSIONS = [
  'channel',
  'campaign',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'country',
  'province',
  'city',
  'platform',
  'app',
  'app_version',
  'release',
  'browser',
  'os',
  'device_type',
  'network',
  'ab_bucket',
] as const;
export const ORDER_DIMENSIONS = [
  'channel',
  'province',
  'city',
  'platform',
  'product_type',
  'agent',
  'coupon',
  'currency',
] as const;
