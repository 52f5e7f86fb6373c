import { ERR_QUERY_INVALID, SightlineError } from '@sightline/shared';

/**
 * The columns a raw-row read may return, per source: the allowlist that turns a column name
 * from a request into SQL. Each is a stored column of the source (resolved through
 * `SourceQuery.field`, so a source's own rules apply), read as text, a number, a boolean or a
 * time (an ISO-8601 instant in the project's time zone).
 */

export const ROW_SOURCES = ['events', 'orders'] as const;
export type RowSource = (typeof ROW_SOURCES)[number];

export type RowColumnKind = 'time' | 'text' | 'number' | 'bool' | 'uuid';

export interface RowColumn {
  name: string;
  kind: RowColumnKind;
  /** Part of the export when the request names no columns. */
  default: boolean;
}

const column = (name: string, kind: RowColumnKind, isDefault = true): RowColumn =>
  Object.freeze({ name, kind, default: isDefault });
const extra = (name: string, kind: RowColumnKind = 'text') => column(name, kind, false);

// Hashed IPs and addresses stay out: they exist for dedupe and fraud checks, not for reading.
const EVENT_ROW_COLUMNS: readonly RowColumn[] = [
  column('event_time', 'time'),
  column('event_id', 'uuid'),
  column('type', 'text'),
  column('name', 'text'),
  column('user_id', 'text'),
  column('anonymous_id', 'text'),
  column('session_id', 'text'),
  column('platform', 'text'),
  column('channel', 'text'),
  column('province', 'text'),
  column('city', 'text'),
  column('page', 'text'),
  column('app_version', 'text'),
  column('props', 'text'),
  extra('received_at', 'time'),
  extra('device_id'),
  extra('app'),
  extra('env'),
  extra('release'),
  extra('country'),
  extra('network'),
  extra('url'),
  extra('referrer'),
  extra('referrer_host'),
  extra('title'),
  extra('campaign'),
  extra('utm_source'),
  extra('utm_medium'),
  extra('utm_campaign'),
  extra('utm_term'),
  extra('utm_content'),
  extra('feature'),
  extra('ab_bucket'),
  extra('request_id'),
  extra('trace_id'),
  extra('ua_browser'),
  extra('ua_browser_version'),
  extra('ua_os'),
  extra('ua_os_version'),
  extra('ua_device_type'),
  extra('ua_device_vendor'),
  extra('ua_device_model'),
  extra('is_bot', 'bool'),
  extra('duration_ms', 'number'),
  extra('status', 'number'),
  extra('amount', 'number'),
  extra('currency'),
];

// Amounts are integers in minor units (fen), as stored; refunded_amount sums the order's refunds.
const ORDER_ROW_COLUMNS: readonly RowColumn[] = [
  column('order_time', 'time'),
  column('paid_at', 'time'),
  column('order_id', 'text'),
  column('status', 'text'),
  column('user_id', 'text'),
  column('anonymous_id', 'text'),
  column('currency', 'text'),
  column('gross_amount', 'number'),
  column('discount_amount', 'number'),
  column('pay_amount', 'number'),
  column('refunded_amount', 'number'),
  column('cost_amount', 'number'),
  column('commission_amount', 'number'),
  column('agent_id', 'text'),
  column('channel', 'text'),
  column('platform', 'text'),
  column('product_type', 'text'),
  column('coupon_id', 'text'),
  column('province', 'text'),
  column('city', 'text'),
  column('source', 'text'),
  extra('device_id'),
  extra('updated_at', 'time'),
];

export const ROW_SOURCE_COLUMNS: Readonly<Record<RowSource, readonly RowColumn[]>> = {
  events: EVENT_ROW_COLUMNS,
  orders: ORDER_ROW_COLUMNS,
};

/** The columns a read returns: the named ones in the order given, else the defaults. */
export function selectRowColumns(
  source: RowSource,
  names: readonly string[] | undefined,
): RowColumn[] {
  const all = ROW_SOURCE_COLUMNS[source];
  if (!names || names.length === 0) return all.filter((c) => c.default);
  return names.map((name) => {
    const found = all.find((c) => c.name === name);
    if (!found)
      throw new SightlineError(ERR_QUERY_INVALID, {
        reason: `${source} has no exportable column ${name}`,
      });
    return found;
  });
}
