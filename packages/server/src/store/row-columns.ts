/**
 * The one mapping between row fields (camelCase) and table columns (snake_case). Inserts hand
 * DuckDB one JSON array per table and let it parse the rows natively, off the event loop; this
 * table says how each field is typed and converted on the way in.
 */
export type ColumnKind = 'text' | 'uuid' | 'int' | 'bigint' | 'double' | 'bool' | 'time';

export type ColumnSpec = readonly [column: string, field: string, kind: ColumnKind];

const JSON_TYPE: Record<ColumnKind, string> = {
  text: 'VARCHAR',
  uuid: 'VARCHAR',
  int: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  bool: 'BOOLEAN',
  time: 'BIGINT',
};

function convertColumn(field: string, kind: ColumnKind): string {
  const ref = `r."${field}"`;
  if (kind === 'uuid') return `${ref}::UUID`;
  if (kind === 'time') return `epoch_ms(${ref})::TIMESTAMPTZ`;
  return ref;
}

/**
 * JSON array of rows without their null fields: `from_json` reads a missing key as NULL, and
 * the text DuckDB parses shrinks by more than half (events have ~50 mostly empty columns), which
 * halves the parse — the largest part of a commit.
 */
export function serializeRows(rows: readonly object[]): string {
  const compact = new Array<Record<string, unknown>>(rows.length);
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key in row) {
      const value = row[key];
      if (value !== null && value !== undefined) out[key] = value;
    }
    compact[i] = out;
  }
  return JSON.stringify(compact);
}

/** `INSERT <verb> INTO table (…) SELECT … FROM unnest(from_json($1, '<structure>'))`. */
export function buildJsonInsertSql(
  table: string,
  columns: readonly ColumnSpec[],
  verb: 'OR IGNORE' | 'OR REPLACE' | '',
  tail = '',
  /** Columns set for every row from the next parameters ($2, $3 …), e.g. a commit number. */
  constants: readonly string[] = [],
): string {
  const structure = JSON.stringify([
    Object.fromEntries(columns.map(([, field, kind]) => [field, JSON_TYPE[kind]])),
  ]);
  const names = [...columns.map(([column]) => column), ...constants].join(', ');
  const values = [
    ...columns.map(([, field, kind]) => convertColumn(field, kind)),
    ...constants.map((_, index) => `$${index + 2}`),
  ].join(', ');
  return (
    `INSERT ${verb} INTO ${table} (${names}) SELECT ${values} ` +
    `FROM (SELECT unnest(from_json($1::VARCHAR, '${structure}')) AS r) ${tail}`
  ).replace(/\s+/g, ' ');
}

export const EVENT_COLUMNS: readonly ColumnSpec[] = [
  ['event_id', 'eventId', 'uuid'],
  ['project_id', 'projectId', 'text'],
  ['event_time', 'eventTime', 'time'],
  ['client_time', 'clientTime', 'time'],
  ['received_at', 'receivedAt', 'time'],
  ['type', 'type', 'text'],
  ['name', 'name', 'text'],
  ['event_version', 'eventVersion', 'int'],
  ['user_id', 'userId', 'text'],
  ['anonymous_id', 'anonymousId', 'text'],
  ['device_id', 'deviceId', 'text'],
  ['session_id', 'sessionId', 'text'],
  ['app', 'app', 'text'],
  ['env', 'env', 'text'],
  ['release', 'release', 'text'],
  ['platform', 'platform', 'text'],
  ['app_version', 'appVersion', 'text'],
  ['country', 'country', 'text'],
  ['province', 'province', 'text'],
  ['city', 'city', 'text'],
  ['network', 'network', 'text'],
  ['page', 'page', 'text'],
  ['url', 'url', 'text'],
  ['referrer', 'referrer', 'text'],
  ['referrer_host', 'referrerHost', 'text'],
  ['title', 'title', 'text'],
  ['channel', 'channel', 'text'],
  ['campaign', 'campaign', 'text'],
  ['utm_source', 'utmSource', 'text'],
  ['utm_medium', 'utmMedium', 'text'],
  ['utm_campaign', 'utmCampaign', 'text'],
  ['utm_term', 'utmTerm', 'text'],
  ['utm_content', 'utmContent', 'text'],
  ['feature', 'feature', 'text'],
  ['ab_bucket', 'abBucket', 'text'],
  ['request_id', 'requestId', 'text'],
  ['trace_id', 'traceId', 'text'],
  ['ip_hash', 'ipHash', 'text'],
  ['ua_browser', 'uaBrowser', 'text'],
  ['ua_browser_version', 'uaBrowserVersion', 'text'],
  ['ua_os', 'uaOs', 'text'],
  ['ua_os_version', 'uaOsVersion', 'text'],
  ['ua_device_type', 'uaDeviceType', 'text'],
  ['ua_device_vendor', 'uaDeviceVendor', 'text'],
  ['ua_device_model', 'uaDeviceModel', 'text'],
  ['is_bot', 'isBot', 'bool'],
  ['duration_ms', 'durationMs', 'double'],
  ['status', 'status', 'int'],
  ['amount', 'amount', 'bigint'],
  ['currency', 'currency', 'text'],
  ['props', 'props', 'text'],
];

export const IDENTITY_COLUMNS: readonly ColumnSpec[] = [
  ['project_id', 'projectId', 'text'],
  ['anonymous_id', 'anonymousId', 'text'],
  ['user_id', 'userId', 'text'],
  ['linked_at', 'linkedAt', 'time'],
];

export const ORDER_COLUMNS: readonly ColumnSpec[] = [
  ['project_id', 'projectId', 'text'],
  ['order_id', 'orderId', 'text'],
  ['user_id', 'userId', 'text'],
  ['anonymous_id', 'anonymousId', 'text'],
  ['status', 'status', 'text'],
  ['order_time', 'orderTime', 'time'],
  ['paid_at', 'paidAt', 'time'],
  ['currency', 'currency', 'text'],
  ['gross_amount', 'grossAmount', 'bigint'],
  ['discount_amount', 'discountAmount', 'bigint'],
  ['pay_amount', 'payAmount', 'bigint'],
  ['cost_amount', 'costAmount', 'bigint'],
  ['commission_amount', 'commissionAmount', 'bigint'],
  ['agent_id', 'agentId', 'text'],
  ['channel', 'channel', 'text'],
  ['platform', 'platform', 'text'],
  ['product_type', 'productType', 'text'],
  ['coupon_id', 'couponId', 'text'],
  ['ip_hash', 'ipHash', 'text'],
  ['address_hash', 'addressHash', 'text'],
  ['device_id', 'deviceId', 'text'],
  ['province', 'province', 'text'],
  ['city', 'city', 'text'],
  ['source', 'source', 'text'],
  ['updated_at', 'updatedAt', 'time'],
];

export const ORDER_ITEM_COLUMNS: readonly ColumnSpec[] = [
  ['project_id', 'projectId', 'text'],
  ['order_id', 'orderId', 'text'],
  ['line_no', 'lineNo', 'int'],
  ['product_id', 'productId', 'text'],
  ['sku', 'sku', 'text'],
  ['category', 'category', 'text'],
  ['quantity', 'quantity', 'int'],
  ['unit_price', 'unitPrice', 'bigint'],
  ['amount', 'amount', 'bigint'],
  ['cost_amount', 'costAmount', 'bigint'],
];

export const REFUND_COLUMNS: readonly ColumnSpec[] = [
  ['project_id', 'projectId', 'text'],
  ['refund_id', 'refundId', 'text'],
  ['order_id', 'orderId', 'text'],
  ['user_id', 'userId', 'text'],
  ['refund_time', 'refundTime', 'time'],
  ['amount', 'amount', 'bigint'],
  ['reason', 'reason', 'text'],
  ['source', 'source', 'text'],
];

export const PRODUCT_COLUMNS: readonly ColumnSpec[] = [
  ['project_id', 'projectId', 'text'],
  ['product_id', 'productId', 'text'],
  ['sku', 'sku', 'text'],
  ['name', 'name', 'text'],
  ['category', 'category', 'text'],
  ['brand', 'brand', 'text'],
  ['price', 'price', 'bigint'],
  ['cost', 'cost', 'bigint'],
  ['status', 'status', 'text'],
  ['updated_at', 'updatedAt', 'time'],
];

export const INVENTORY_COLUMNS: readonly ColumnSpec[] = [
  ['project_id', 'projectId', 'text'],
  ['product_id', 'productId', 'text'],
  ['warehouse', 'warehouse', 'text'],
  ['snapshot_time', 'snapshotTime', 'time'],
  ['on_hand', 'onHand', 'bigint'],
  ['reserved', 'reserved', 'bigint'],
  ['in_transit', 'inTransit', 'bigint'],
  ['reorder_point', 'reorderPoint', 'bigint'],
  ['lead_time_days', 'leadTimeDays', 'int'],
];

export const STAT_COLUMNS: readonly ColumnSpec[] = [
  ['project_id', 'projectId', 'text'],
  ['hour', 'hour', 'time'],
  ['outcome', 'outcome', 'text'],
  ['code', 'code', 'text'],
  ['count', 'count', 'bigint'],
];
