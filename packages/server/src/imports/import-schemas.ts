import { z } from 'zod';
import {
  countField,
  currencyField,
  enumField,
  idField,
  jsonArrayField,
  moneyField,
  textField,
  timeField,
} from './import-fields.ts';
import { IMPORT_LIMITS, type ImportKind } from './import-kinds.ts';

const MAX_STOCK = 1e12;
const MAX_QUANTITY = 1_000_000;

/** One line of an order: `items` of an orders row (docs/events.md). */
export function createOrderItemSchema() {
  return z.strictObject({
    product_id: idField(),
    sku: idField().optional(),
    category: textField().optional(),
    quantity: countField(1, MAX_QUANTITY).default(1),
    /** Unit price. */
    price: moneyField(),
    /** Unit cost. */
    cost: moneyField().optional(),
  });
}

/**
 * Row schemas of each import kind, snake_case as in the file. Built per import because time
 * columns are checked against the server clock (at most a day ahead).
 */
export function createImportSchemas(nowMs: number) {
  const time = () => timeField(nowMs);
  return {
    orders: z.strictObject({
      order_id: idField(),
      user_id: idField().optional(),
      status: enumField(['paid', 'pending', 'cancelled']).default('paid'),
      order_time: time(),
      paid_at: time().optional(),
      currency: currencyField().default('CNY'),
      gross_amount: moneyField().optional(),
      discount_amount: moneyField().default(0),
      pay_amount: moneyField(),
      cost_amount: moneyField().optional(),
      commission_amount: moneyField().optional(),
      agent_id: idField().optional(),
      channel: textField(100).optional(),
      platform: textField(50).optional(),
      product_type: textField(50).optional(),
      coupon_id: idField().optional(),
      province: textField(100).optional(),
      city: textField(100).optional(),
      device_id: idField().optional(),
      address: textField(1_000).optional(),
      items: jsonArrayField(createOrderItemSchema(), IMPORT_LIMITS.maxItemsPerOrder).optional(),
      refund_amount: moneyField().optional(),
      refunded_at: time().optional(),
    }),
    products: z.strictObject({
      product_id: idField(),
      sku: idField().optional(),
      name: textField(500),
      category: textField().optional(),
      brand: textField().optional(),
      price: moneyField(),
      cost: moneyField().optional(),
      status: enumField(['active', 'inactive']).default('active'),
    }),
    inventory: z.strictObject({
      product_id: idField(),
      warehouse: idField(100).default('main'),
      snapshot_time: time(),
      on_hand: countField(0, MAX_STOCK),
      reserved: countField(0, MAX_STOCK).default(0),
      in_transit: countField(0, MAX_STOCK).default(0),
      reorder_point: countField(0, MAX_STOCK).optional(),
      lead_time_days: countField(0, 3_650).optional(),
    }),
  } satisfies Record<ImportKind, z.ZodType>;
}

export type ImportSchemas = ReturnType<typeof createImportSchemas>;
export type OrderImportRow = z.output<ImportSchemas['orders']>;
export type ProductImportRow = z.output<ImportSchemas['products']>;
export type InventoryImportRow = z.output<ImportSchemas['inventory']>;

export interface ImportColumns {
  /** Every column, in the documented order. */
  all: readonly string[];
  required: readonly string[];
  optional: readonly string[];
}

/** The columns of a kind, read off its schema: a column is required when absence fails. */
export function getImportColumns(kind: ImportKind): ImportColumns {
  const shape = createImportSchemas(Date.now())[kind].shape as Record<string, z.ZodType>;
  const required: string[] = [];
  const optional: string[] = [];
  for (const [column, schema] of Object.entries(shape)) {
    (schema.safeParse(undefined).success ? optional : required).push(column);
  }
  return { all: Object.keys(shape), required, optional };
}
