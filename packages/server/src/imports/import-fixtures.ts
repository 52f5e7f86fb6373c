/*
 * Test support for the import tests: one small file of each kind in both formats, the rows they
 * must become (worked out by hand), and readers that fetch those rows back from the store.
 */
import { createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import type { EventStore, StoreRow } from '../store/index.ts';
import { runImport, type ImportServices, type RunImportParams } from './run-import.ts';

export const IMPORT_TEST_NOW = Date.UTC(2024, 5, 1, 12, 0, 0);

const csvItems = (items: readonly object[]) => `"${JSON.stringify(items).replaceAll('"', '""')}"`;

const O1_ITEMS = [
  { product_id: 'p1', sku: 'p1-red', category: 'tea', quantity: 2, price: 3000, cost: 1800 },
  { product_id: 'p2', price: 4000 },
];
const O3_ITEMS = [{ product_id: 'm1', price: 12000, cost: 7000 }];

export const ORDERS_CSV = [
  'order_id,user_id,status,order_time,paid_at,currency,gross_amount,discount_amount,pay_amount,cost_amount,commission_amount,agent_id,channel,platform,product_type,coupon_id,province,city,device_id,address,items,refund_amount,refunded_at',
  `o1,u1,paid,2024-05-01T10:00:00+08:00,,,,500,9500,,300,ag1,wechat,miniprogram,goods,c10,广东,深圳,d1, Nanshan  Rd 1 ,${csvItems(O1_ITEMS)},2000,2024-05-03T00:00:00Z`,
  'o2,,pending,1714557600000,,usd,,,1999,,,,,,,,,,,,,,',
  `o3,u2,PAID,2024-05-02,2024-05-02T01:00:00Z,CNY,12000,0,12000,7000,,,,,membership,,,,,,${csvItems(O3_ITEMS)},,`,
].join('\n');

export const ORDERS_NDJSON = [
  {
    order_id: 'o1',
    user_id: 'u1',
    status: 'paid',
    order_time: '2024-05-01T10:00:00+08:00',
    discount_amount: 500,
    pay_amount: 9500,
    commission_amount: 300,
    agent_id: 'ag1',
    channel: 'wechat',
    platform: 'miniprogram',
    product_type: 'goods',
    coupon_id: 'c10',
    province: '广东',
    city: '深圳',
    device_id: 'd1',
    address: ' Nanshan  Rd 1 ',
    items: O1_ITEMS,
    refund_amount: 2000,
    refunded_at: '2024-05-03T00:00:00Z',
  },
  {
    order_id: 'o2',
    user_id: null,
    status: 'pending',
    order_time: 1714557600000,
    currency: 'usd',
    pay_amount: 1999,
  },
  {
    order_id: 'o3',
    user_id: 'u2',
    order_time: '2024-05-02',
    paid_at: '2024-05-02T01:00:00Z',
    currency: 'CNY',
    gross_amount: 12000,
    discount_amount: 0,
    pay_amount: '12000',
    cost_amount: 7000,
    product_type: 'membership',
    items: O3_ITEMS,
  },
]
  .map((row) => JSON.stringify(row))
  .join('\n');

/** HMAC-SHA256(salt, normalised address), first 32 hex characters: the ingest scheme. */
export function hashAddressForTest(salt: string, normalised: string): string {
  return createHmac('sha256', salt).update(normalised).digest('hex').slice(0, 32);
}

const NULL_ORDER = {
  user_id: null,
  paid_at: null,
  cost_amount: null,
  commission_amount: null,
  agent_id: null,
  channel: null,
  platform: null,
  product_type: null,
  coupon_id: null,
  province: null,
  city: null,
  device_id: null,
  address_hash: null,
  anonymous_id: null,
  ip_hash: null,
  source: 'import',
  updated_at: IMPORT_TEST_NOW,
};

export function expectedOrders(salt: string) {
  return [
    {
      ...NULL_ORDER,
      order_id: 'o1',
      user_id: 'u1',
      status: 'paid',
      order_time: Date.UTC(2024, 4, 1, 2),
      paid_at: Date.UTC(2024, 4, 1, 2),
      currency: 'CNY',
      gross_amount: 10_000,
      discount_amount: 500,
      pay_amount: 9_500,
      commission_amount: 300,
      agent_id: 'ag1',
      channel: 'wechat',
      platform: 'miniprogram',
      product_type: 'goods',
      coupon_id: 'c10',
      province: '广东',
      city: '深圳',
      device_id: 'd1',
      address_hash: hashAddressForTest(salt, 'nanshanrd1'),
    },
    {
      ...NULL_ORDER,
      order_id: 'o2',
      status: 'pending',
      order_time: 1714557600000,
      currency: 'USD',
      gross_amount: 1_999,
      discount_amount: 0,
      pay_amount: 1_999,
    },
    {
      ...NULL_ORDER,
      order_id: 'o3',
      user_id: 'u2',
      status: 'paid',
      order_time: Date.UTC(2024, 4, 2),
      paid_at: Date.UTC(2024, 4, 2, 1),
      currency: 'CNY',
      gross_amount: 12_000,
      discount_amount: 0,
      pay_amount: 12_000,
      cost_amount: 7_000,
      product_type: 'membership',
    },
  ];
}

export const EXPECTED_ORDER_ITEMS = [
  ['o1', 1, 'p1', 'p1-red', 'tea', 2, 3000, 6000, 3600],
  ['o1', 2, 'p2', null, null, 1, 4000, 4000, null],
  ['o3', 1, 'm1', null, null, 1, 12000, 12000, 7000],
].map(([order_id, line_no, product_id, sku, category, quantity, unit_price, amount, cost]) => ({
  order_id,
  line_no,
  product_id,
  sku,
  category,
  quantity,
  unit_price,
  amount,
  cost_amount: cost,
}));

export const EXPECTED_REFUNDS = [
  {
    refund_id: 'o1:import',
    order_id: 'o1',
    user_id: 'u1',
    refund_time: Date.UTC(2024, 4, 3),
    amount: 2000,
    reason: null,
    source: 'import',
  },
];

export const PRODUCTS_CSV = [
  'product_id,sku,name,category,brand,price,cost,status',
  'p1,p1-red,"Red tea, 250 g",tea,Acme,3000,1800,',
  'p2,,Green tea,tea,,4000,,INACTIVE',
].join('\r\n');

export const PRODUCTS_NDJSON = [
  '{"product_id":"p1","sku":"p1-red","name":"Red tea, 250 g","category":"tea","brand":"Acme","price":3000,"cost":1800}',
  '{"product_id":"p2","name":"Green tea","category":"tea","price":"4000","status":"inactive"}',
].join('\n');

export const EXPECTED_PRODUCTS = [
  {
    product_id: 'p1',
    sku: 'p1-red',
    name: 'Red tea, 250 g',
    category: 'tea',
    brand: 'Acme',
    price: 3000,
    cost: 1800,
    status: 'active',
    updated_at: IMPORT_TEST_NOW,
  },
  {
    product_id: 'p2',
    sku: null,
    name: 'Green tea',
    category: 'tea',
    brand: null,
    price: 4000,
    cost: null,
    status: 'inactive',
    updated_at: IMPORT_TEST_NOW,
  },
];

export const INVENTORY_CSV = [
  'product_id,warehouse,snapshot_time,on_hand,reserved,in_transit,reorder_point,lead_time_days',
  'p1,,2024-05-31,120,5,,30,7',
  'p1,sz,2024-05-31T08:00:00Z,40,,,,',
  'p2,main,2024-05-31,0,0,60,10,',
].join('\n');

export const INVENTORY_NDJSON = [
  '{"product_id":"p1","snapshot_time":"2024-05-31","on_hand":120,"reserved":5,"reorder_point":30,"lead_time_days":7}',
  '{"product_id":"p1","warehouse":"sz","snapshot_time":1717142400000,"on_hand":40}',
  '{"product_id":"p2","warehouse":"main","snapshot_time":"2024-05-31T00:00:00Z","on_hand":0,"reserved":0,"in_transit":60,"reorder_point":10}',
].join('\n');

export const EXPECTED_INVENTORY = [
  ['p1', 'main', Date.UTC(2024, 4, 31), 120, 5, 0, 30, 7],
  ['p1', 'sz', Date.UTC(2024, 4, 31, 8), 40, 0, 0, null, null],
  ['p2', 'main', Date.UTC(2024, 4, 31), 0, 0, 60, 10, null],
].map(([product_id, warehouse, time, on_hand, reserved, in_transit, reorder, lead]) => ({
  product_id,
  warehouse,
  snapshot_time: time,
  on_hand,
  reserved,
  in_transit,
  reorder_point: reorder,
  lead_time_days: lead,
}));

const READS = {
  orders: `SELECT order_id, user_id, anonymous_id, status, epoch_ms(order_time) AS order_time,
    epoch_ms(paid_at) AS paid_at, currency, gross_amount, discount_amount, pay_amount,
    cost_amount, commission_amount, agent_id, channel, platform, product_type, coupon_id, ip_hash,
    address_hash, device_id, province, city, source, epoch_ms(updated_at) AS updated_at
    FROM orders WHERE project_id = $1 ORDER BY order_id`,
  items: `SELECT order_id, line_no, product_id, sku, category, quantity, unit_price, amount,
    cost_amount FROM order_items WHERE project_id = $1 ORDER BY order_id, line_no`,
  refunds: `SELECT refund_id, order_id, user_id, epoch_ms(refund_time) AS refund_time, amount,
    reason, source FROM refunds WHERE project_id = $1 ORDER BY refund_id`,
  products: `SELECT product_id, sku, name, category, brand, price, cost, status,
    epoch_ms(updated_at) AS updated_at FROM products WHERE project_id = $1 ORDER BY product_id`,
  inventory: `SELECT product_id, warehouse, epoch_ms(snapshot_time) AS snapshot_time, on_hand,
    reserved, in_transit, reorder_point, lead_time_days FROM inventory_snapshots
    WHERE project_id = $1 ORDER BY product_id, warehouse, snapshot_time`,
};

/** The imported rows of one table, snake_case, times as epoch milliseconds. */
export function readImported(
  store: EventStore,
  table: keyof typeof READS,
  projectId = 'shop',
): Promise<StoreRow[]> {
  return store.query(READS[table], [projectId]);
}

/** Runs an import of `text` into the test project "shop", as the API and CLI would. */
export function importTextInto(
  services: ImportServices,
  params: {
    kind: string;
    format: string | undefined;
    text: string;
    extra?: Partial<RunImportParams>;
  },
) {
  return runImport({
    services,
    projectId: 'shop',
    kind: params.kind,
    format: params.format,
    input: Readable.from([Buffer.from(params.text)]),
    actor: 'test',
    ...params.extra,
  });
}
