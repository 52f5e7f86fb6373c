import { z } from 'zod';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { defineReport } from '../define-report.ts';
import { orderFactsSql, toTextOrNull } from './order-facts-sql.ts';

const MINUTE_MS = 60_000;
/** Order ids listed per burst; the count is always exact. */
const MAX_ORDERS_LISTED = 500;

export const orderBurstsParams = z.object({
  minOrders: z.number().int().min(2).max(10_000).default(10).describe('Orders within the window'),
  windowMinutes: z.number().int().min(1).max(1440).default(30).describe('Sliding window length'),
  limit: z.number().int().min(1).max(1000).default(100).describe('Bursts listed, newest first'),
});
export type OrderBurstsParams = z.infer<typeof orderBurstsParams>;

const burstSchema = z.object({
  ipHash: z.string().nullable().describe('The shared ip_hash; null when only the device repeats'),
  deviceId: z.string().nullable().describe('The shared device_id, when it repeats too'),
  orderCount: z.number(),
  firstOrderId: z.string(),
  firstAt: z.string(),
  lastAt: z.string(),
  accounts: z.array(z.string()).describe('Distinct accounts (identity-merged), first seen first'),
  orders: z.array(
    z.object({ orderId: z.string(), account: z.string().nullable(), at: z.string() }),
  ),
});
const orderBurstsResult = z.object({
  minOrders: z.number(),
  windowMinutes: z.number(),
  bursts: z.array(burstSchema),
});
export type OrderBurstsResult = z.infer<typeof orderBurstsResult>;
export type OrderBurst = z.infer<typeof burstSchema>;

interface Member {
  keyKind: 'ip' | 'device';
  key: string;
  burst: number;
  orderId: string;
  account: string | null;
  t: number;
}

function groupBursts(members: readonly Member[]): OrderBurst[] {
  const groups = new Map<string, Member[]>();
  for (const member of members) {
    const id = `${member.keyKind}\u0000${member.key}\u0000${member.burst}`;
    const list = groups.get(id) ?? [];
    list.push(member);
    groups.set(id, list);
  }
  const bursts: OrderBurst[] = [];
  const byOrders = new Map<string, OrderBurst>();
  for (const list of groups.values()) {
    const [first] = list;
    const last = list[list.length - 1];
    if (!first || !last) continue;
    const signature = list.map((m) => m.orderId).join(',');
    const same = byOrders.get(signature);
    // The same orders from one IP and one device are one burst, not two.
    if (same) {
      if (first.keyKind === 'ip') same.ipHash = first.key;
      else same.deviceId = first.key;
      continue;
    }
    const accounts = [...new Set(list.flatMap((m) => (m.account === null ? [] : [m.account])))];
    const burst: OrderBurst = {
      ipHash: first.keyKind === 'ip' ? first.key : null,
      deviceId: first.keyKind === 'device' ? first.key : null,
      orderCount: list.length,
      firstOrderId: first.orderId,
      firstAt: new Date(first.t).toISOString(),
      lastAt: new Date(last.t).toISOString(),
      accounts,
      orders: list.slice(0, MAX_ORDERS_LISTED).map((m) => ({
        orderId: m.orderId,
        account: m.account,
        at: new Date(m.t).toISOString(),
      })),
    };
    byOrders.set(signature, burst);
    bursts.push(burst);
  }
  return bursts.sort(
    (a, b) => b.firstAt.localeCompare(a.firstAt) || a.firstOrderId.localeCompare(b.firstOrderId),
  );
}

export const orderBurstsReport = defineReport({
  id: 'anomaly_order_bursts',
  summary: 'Bursts of orders from one IP or one device',
  description:
    'Orders (any status) placed in the range from one ip_hash or one device_id, where some ' +
    'sliding window of windowMinutes holds at least minOrders of them. Orders of overlapping ' +
    'dense windows form one burst; one IP and one device with the same orders are one burst. ' +
    'Each burst lists its orders, accounts and times. The input of the order_burst detector.',
  params: orderBurstsParams,
  result: orderBurstsResult,
  defaultGranularity: 'all',
  async run(ctx, params): Promise<OrderBurstsResult> {
    const sqlParams = new SqlParams();
    const windowMs = params.windowMinutes * MINUTE_MS;
    const base = orderFactsSql(ctx, sqlParams);
    const minOrders = sqlParams.add(params.minOrders);
    const order = 'PARTITION BY key_kind, key ORDER BY t, order_id';
    const sql =
      `WITH base AS (${base}), keyed AS (` +
      `SELECT 'ip' AS key_kind, ip_hash AS key, order_id, account, t FROM base ` +
      `WHERE ip_hash IS NOT NULL UNION ALL SELECT 'device', device_id, order_id, account, t ` +
      `FROM base WHERE device_id IS NOT NULL), ` +
      // Window counts, not a self-join: one busy carrier-grade NAT address must stay cheap.
      // t is integer ms, so "< t + window" is "≤ t + window − 1".
      `counted AS (SELECT *, count(*) OVER (PARTITION BY key_kind, key ORDER BY t ` +
      `RANGE BETWEEN CURRENT ROW AND ${windowMs - 1} FOLLOWING) AS ahead FROM keyed), ` +
      // The latest order at or before each one that opens a window of at least minOrders.
      `opened AS (SELECT *, max(CASE WHEN ahead >= ${minOrders} THEN t END) OVER ` +
      `(${order} ROWS UNBOUNDED PRECEDING) AS start_t FROM counted), ` +
      `members AS (SELECT key_kind, key, order_id, account, t FROM opened ` +
      `WHERE start_t IS NOT NULL AND t < start_t + ${windowMs}), ` +
      `gaps AS (SELECT *, CASE WHEN t - lag(t) OVER (${order}) < ${windowMs} THEN 0 ELSE 1 END ` +
      `AS is_new FROM members), ` +
      `grouped AS (SELECT *, sum(is_new) OVER (${order} ROWS UNBOUNDED PRECEDING) AS burst ` +
      `FROM gaps) ` +
      `SELECT key_kind, key, burst, order_id, account, t FROM grouped ` +
      `ORDER BY key_kind DESC, key, burst, t, order_id`;
    const rows = await runQuery(ctx, sql, sqlParams.values);
    // IP rows come first (key_kind DESC): an IP burst absorbs the device burst of its orders.
    const members: Member[] = rows.map((row) => ({
      keyKind: row.key_kind === 'ip' ? 'ip' : 'device',
      key: String(row.key),
      burst: Number(row.burst),
      orderId: String(row.order_id),
      account: toTextOrNull(row.account),
      t: Number(row.t),
    }));
    return {
      minOrders: params.minOrders,
      windowMinutes: params.windowMinutes,
      bursts: groupBursts(members).slice(0, params.limit),
    };
  },
  toTable(result) {
    return {
      columns: [
        'ip_hash',
        'device_id',
        'order_count',
        'first_at',
        'last_at',
        'accounts',
        'order_ids',
      ],
      rows: result.bursts.map((b) => [
        b.ipHash,
        b.deviceId,
        b.orderCount,
        b.firstAt,
        b.lastAt,
        b.accounts.join(' '),
        b.orders.map((o) => o.orderId).join(' '),
      ]),
    };
  },
});
