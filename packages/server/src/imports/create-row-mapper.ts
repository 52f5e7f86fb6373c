import type { z } from 'zod';
import type {
  InventoryRow,
  OrderItemRow,
  OrderRow,
  ProductRow,
  RefundRow,
} from '../store/index.ts';
import { toOrderItemRows } from '../ingest/index.ts';
import type { ImportKind } from './import-kinds.ts';
import {
  createImportSchemas,
  type InventoryImportRow,
  type OrderImportRow,
  type ProductImportRow,
} from './import-schemas.ts';

/** The store rows one import row becomes. */
export type ImportFacts =
  | { kind: 'order'; order: OrderRow; items: OrderItemRow[]; refund: RefundRow | null }
  | { kind: 'product'; product: ProductRow }
  | { kind: 'inventory'; inventory: InventoryRow };

export type MappedRow = { ok: true; facts: ImportFacts } | { ok: false; reason: string };

export interface RowMapperContext {
  projectId: string;
  /** Server time: `updated_at` of the rows and the limit for future times. */
  nowMs: number;
  /** Hashes a raw shipping address exactly as ingest does, so both sources join. */
  hashAddress: (address: string) => string;
}

const SOURCE = 'import';
const MAX_ISSUES = 3;

/** Validates a parsed record of one kind and maps it onto store rows (snake_case → camelCase). */
export function createRowMapper(
  kind: ImportKind,
  context: RowMapperContext,
): (record: Record<string, unknown>) => MappedRow {
  const schemas = createImportSchemas(context.nowMs);
  if (kind === 'orders') return checkWith(schemas.orders, (row) => mapOrder(row, context));
  if (kind === 'products') return checkWith(schemas.products, (row) => mapProduct(row, context));
  return checkWith(schemas.inventory, (row) => mapInventory(row, context));
}

function checkWith<S extends z.ZodType>(schema: S, map: (row: z.output<S>) => MappedRow) {
  return (record: Record<string, unknown>): MappedRow => {
    const parsed = schema.safeParse(record);
    return parsed.success
      ? map(parsed.data)
      : { ok: false, reason: describeIssues(parsed.error.issues) };
  };
}

function mapOrder(row: OrderImportRow, context: RowMapperContext): MappedRow {
  if ((row.refund_amount === undefined) !== (row.refunded_at === undefined))
    return { ok: false, reason: 'refund_amount and refunded_at go together: give both or neither' };
  if (row.refund_amount !== undefined && row.refund_amount > row.pay_amount)
    return { ok: false, reason: 'refund_amount: must not exceed pay_amount' };
  const { projectId } = context;
  const items = toOrderItemRows(projectId, row.order_id, row.items ?? []);
  // Same defaults as order_completed events (materialize-commerce.ts), except that an order
  // without lines keeps what it was paid plus its discount as its gross amount.
  const itemCosts = items.length > 0 && items.every((item) => item.costAmount !== null);
  const grossAmount =
    row.gross_amount ??
    (items.length > 0
      ? items.reduce((sum, item) => sum + item.amount, 0)
      : row.pay_amount + row.discount_amount);
  const order: OrderRow = {
    projectId,
    orderId: row.order_id,
    userId: row.user_id ?? null,
    anonymousId: null,
    status: row.status,
    orderTime: row.order_time,
    paidAt: row.paid_at ?? (row.status === 'paid' ? row.order_time : null),
    currency: row.currency,
    grossAmount,
    discountAmount: row.discount_amount,
    payAmount: row.pay_amount,
    costAmount:
      row.cost_amount ??
      (itemCosts ? items.reduce((sum, item) => sum + (item.costAmount ?? 0), 0) : null),
    commissionAmount: row.commission_amount ?? null,
    agentId: row.agent_id ?? null,
    channel: row.channel ?? null,
    platform: row.platform ?? null,
    productType: row.product_type ?? null,
    couponId: row.coupon_id ?? null,
    ipHash: null,
    addressHash: row.address === undefined ? null : context.hashAddress(row.address),
    deviceId: row.device_id ?? null,
    province: row.province ?? null,
    city: row.city ?? null,
    source: SOURCE,
    updatedAt: context.nowMs,
  };
  const refund: RefundRow | null =
    row.refund_amount === undefined || row.refunded_at === undefined
      ? null
      : {
          projectId,
          // One refund per order and import: a re-import overwrites it instead of adding one.
          refundId: `${row.order_id}:import`,
          orderId: row.order_id,
          userId: row.user_id ?? null,
          refundTime: row.refunded_at,
          amount: row.refund_amount,
          reason: null,
          source: SOURCE,
        };
  return { ok: true, facts: { kind: 'order', order, items, refund } };
}

function mapProduct(row: ProductImportRow, context: RowMapperContext): MappedRow {
  const product: ProductRow = {
    projectId: context.projectId,
    productId: row.product_id,
    sku: row.sku ?? null,
    name: row.name,
    category: row.category ?? null,
    brand: row.brand ?? null,
    price: row.price,
    cost: row.cost ?? null,
    status: row.status,
    updatedAt: context.nowMs,
  };
  return { ok: true, facts: { kind: 'product', product } };
}

function mapInventory(row: InventoryImportRow, context: RowMapperContext): MappedRow {
  const inventory: InventoryRow = {
    projectId: context.projectId,
    productId: row.product_id,
    warehouse: row.warehouse,
    snapshotTime: row.snapshot_time,
    onHand: row.on_hand,
    reserved: row.reserved,
    inTransit: row.in_transit,
    reorderPoint: row.reorder_point ?? null,
    leadTimeDays: row.lead_time_days ?? null,
  };
  return { ok: true, facts: { kind: 'inventory', inventory } };
}

/** `column: problem` for the first few issues; unknown keys are named as columns. */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, MAX_ISSUES).map((issue) => {
    const where = issue.path.map(String).join('.');
    const what =
      issue.code === 'unrecognized_keys'
        ? `unknown ${where ? 'field' : 'column'}(s) ${issue.keys.map((key) => key.slice(0, 50)).join(', ')}`
        : issue.message;
    return where ? `${where}: ${what}` : what;
  });
  if (issues.length > MAX_ISSUES) parts.push(`${issues.length - MAX_ISSUES} more`);
  return parts.join('; ');
}
