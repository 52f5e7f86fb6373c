import { z } from 'zod';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { defineReport } from '../define-report.ts';
import { orderFactsSql, toTextOrNull } from './order-facts-sql.ts';

/** Order ids listed per address; the count is always exact. */
const MAX_ORDERS_LISTED = 500;

export const sharedAddressesParams = z.object({
  minAccounts: z
    .number()
    .int()
    .min(2)
    .max(10_000)
    .default(3)
    .describe('Distinct accounts ordering to one address in the range'),
  limit: z.number().int().min(1).max(1000).default(100),
});
export type SharedAddressesParams = z.infer<typeof sharedAddressesParams>;

const addressSchema = z.object({
  addressHash: z.string(),
  accountCount: z.number(),
  orderCount: z.number(),
  accounts: z.array(z.string()).describe('Sorted by first order'),
  firstOrderId: z.string(),
  firstAt: z.string(),
  lastAt: z.string(),
  orderIds: z.array(z.string()).describe('Oldest first'),
});
const sharedAddressesResult = z.object({
  minAccounts: z.number(),
  addresses: z.array(addressSchema),
});
export type SharedAddressesResult = z.infer<typeof sharedAddressesResult>;
export type SharedAddress = z.infer<typeof addressSchema>;

export const sharedAddressesReport = defineReport({
  id: 'anomaly_shared_addresses',
  summary: 'Delivery addresses shared by several accounts',
  description:
    'Each address_hash that orders (any status) of at least minAccounts distinct accounts ' +
    '(identity-merged) went to within the range, with those accounts and orders. The input of ' +
    'the shared_address detector.',
  params: sharedAddressesParams,
  result: sharedAddressesResult,
  defaultGranularity: 'all',
  async run(ctx, params): Promise<SharedAddressesResult> {
    const sqlParams = new SqlParams();
    const base = orderFactsSql(ctx, sqlParams);
    const minAccounts = sqlParams.add(params.minAccounts);
    const sql =
      `WITH base AS (${base} AND o.address_hash IS NOT NULL), ` +
      `shared AS (SELECT address_hash, count(DISTINCT account) AS accounts, min(t) AS first_t ` +
      `FROM base GROUP BY address_hash HAVING count(DISTINCT account) >= ${minAccounts} ` +
      `ORDER BY first_t DESC, address_hash LIMIT ${params.limit}) ` +
      `SELECT b.address_hash, b.order_id, b.account, b.t, s.first_t FROM base b ` +
      `JOIN shared s ON s.address_hash = b.address_hash ` +
      `ORDER BY s.first_t DESC, b.address_hash, b.t, b.order_id`;
    const rows = await runQuery(ctx, sql, sqlParams.values);
    const byAddress = new Map<
      string,
      Array<{ orderId: string; account: string | null; t: number }>
    >();
    for (const row of rows) {
      const hash = String(row.address_hash);
      const list = byAddress.get(hash) ?? [];
      const account = toTextOrNull(row.account);
      list.push({ orderId: String(row.order_id), account, t: Number(row.t) });
      byAddress.set(hash, list);
    }
    const addresses: SharedAddress[] = [];
    for (const [addressHash, list] of byAddress) {
      const first = list[0];
      const last = list[list.length - 1];
      if (!first || !last) continue;
      const accounts = [...new Set(list.flatMap((o) => (o.account === null ? [] : [o.account])))];
      addresses.push({
        addressHash,
        accountCount: accounts.length,
        orderCount: list.length,
        accounts,
        firstOrderId: first.orderId,
        firstAt: new Date(first.t).toISOString(),
        lastAt: new Date(last.t).toISOString(),
        orderIds: list.slice(0, MAX_ORDERS_LISTED).map((o) => o.orderId),
      });
    }
    return { minAccounts: params.minAccounts, addresses };
  },
  toTable(result) {
    return {
      columns: ['address_hash', 'account_count', 'order_count', 'first_at', 'last_at', 'accounts'],
      rows: result.addresses.map((a) => [
        a.addressHash,
        a.accountCount,
        a.orderCount,
        a.firstAt,
        a.lastAt,
        a.accounts.join(' '),
      ]),
    };
  },
});
