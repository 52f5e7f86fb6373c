import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../platform/index.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import {
  EXPECTED_INVENTORY,
  EXPECTED_ORDER_ITEMS,
  EXPECTED_PRODUCTS,
  EXPECTED_REFUNDS,
  expectedOrders,
  IMPORT_TEST_NOW,
  INVENTORY_CSV,
  INVENTORY_NDJSON,
  ORDERS_CSV,
  ORDERS_NDJSON,
  PRODUCTS_CSV,
  PRODUCTS_NDJSON,
  importTextInto,
  readImported,
} from './import-fixtures.ts';
import { runImport, type ImportProgress, type RunImportParams } from './run-import.ts';

describe('runImport', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp({ clock: createFakeClock(IMPORT_TEST_NOW) });
  });
  afterEach(() => t.close());

  const importText = (
    kind: string,
    format: string | undefined,
    text: string,
    extra: Partial<RunImportParams> = {},
  ) => importTextInto(t.app.services, { kind, format, text, extra });
  const read = (table: Parameters<typeof readImported>[1]) =>
    readImported(t.app.services.eventStore, table);

  describe.each([
    ['csv', ORDERS_CSV, PRODUCTS_CSV, INVENTORY_CSV],
    ['ndjson', ORDERS_NDJSON, PRODUCTS_NDJSON, INVENTORY_NDJSON],
  ])('%s', (format, orders, products, inventory) => {
    it('imports orders with their lines and refunds', async () => {
      const result = await importText('orders', format, orders);
      expect(result).toMatchObject({
        kind: 'orders',
        rowsRead: 3,
        rowsImported: 3,
        rowsRejected: 0,
        errors: [],
        errorsOmitted: 0,
      });
      expect(await read('orders')).toEqual(expectedOrders(t.config.ipSalt));
      expect(await read('items')).toEqual(EXPECTED_ORDER_ITEMS);
      expect(await read('refunds')).toEqual(EXPECTED_REFUNDS);
    });

    it('imports products', async () => {
      const result = await importText('products', format, products);
      expect(result).toMatchObject({ rowsRead: 2, rowsImported: 2, rowsRejected: 0 });
      expect(await read('products')).toEqual(EXPECTED_PRODUCTS);
    });

    it('imports inventory snapshots', async () => {
      const result = await importText('inventory', format, inventory);
      expect(result).toMatchObject({ rowsRead: 3, rowsImported: 3, rowsRejected: 0 });
      expect(await read('inventory')).toEqual(EXPECTED_INVENTORY);
    });
  });

  it('hashes an address exactly as an order_completed event does', async () => {
    const project = await t.app.services.projects.resolveWriteKey(t.project.writeKey);
    if (!project) throw new Error('no project for the write key');
    const ingested = await t.app.services.ingest.ingestTrusted(project, [
      {
        event: {
          type: 'event',
          name: 'order_completed',
          ts: Date.UTC(2024, 4, 1),
          anonymous_id: 'a1',
          amount: 100,
          props: { order_id: 'e1', address: 'NANSHAN RD 1' },
        },
        ip: undefined,
        userAgent: undefined,
        receivedAt: IMPORT_TEST_NOW,
      },
    ]);
    expect(ingested.accepted).toBe(1);
    await importText('orders', 'csv', ORDERS_CSV);
    const hashes = await t.app.services.eventStore.query(
      `SELECT order_id, address_hash FROM orders WHERE order_id IN ('e1', 'o1') ORDER BY order_id`,
    );
    expect(hashes[0]?.['address_hash']).toMatch(/^[0-9a-f]{32}$/);
    expect(hashes[1]?.['address_hash']).toBe(hashes[0]?.['address_hash']);
  });

  it('is idempotent: a re-import leaves the same rows, a changed file updates them', async () => {
    const first = await importText('orders', 'ndjson', ORDERS_NDJSON);
    const again = await importText('orders', 'ndjson', ORDERS_NDJSON);
    expect({ ...again, durationMs: 0 }).toEqual({ ...first, durationMs: 0 });
    expect(await read('orders')).toEqual(expectedOrders(t.config.ipSalt));
    expect(await read('items')).toEqual(EXPECTED_ORDER_ITEMS);
    expect(await read('refunds')).toEqual(EXPECTED_REFUNDS);

    const changed = JSON.stringify({
      order_id: 'o1',
      order_time: '2024-05-01T10:00:00+08:00',
      pay_amount: 5000,
      items: [{ product_id: 'p9', quantity: 5, price: 1000 }],
      refund_amount: 1000,
      refunded_at: '2024-05-04',
    });
    expect(await importText('orders', 'ndjson', changed)).toMatchObject({ rowsImported: 1 });
    const orders = await read('orders');
    expect(orders).toHaveLength(3);
    expect(orders[0]).toMatchObject({ order_id: 'o1', pay_amount: 5000, gross_amount: 5000 });
    // o1's two lines are gone, replaced by its one new line; o3's line is untouched.
    expect(await read('items')).toEqual([
      {
        order_id: 'o1',
        line_no: 1,
        product_id: 'p9',
        sku: null,
        category: null,
        quantity: 5,
        unit_price: 1000,
        amount: 5000,
        cost_amount: null,
      },
      EXPECTED_ORDER_ITEMS[2],
    ]);
    expect(await read('refunds')).toEqual([
      { ...EXPECTED_REFUNDS[0], amount: 1000, user_id: null, refund_time: Date.UTC(2024, 4, 4) },
    ]);
  });

  it('lets the last row of a repeated key win, across and within chunks', async () => {
    const row = (id: string, pay: number) => `${id},2024-05-01,${pay}`;
    const text = [
      'order_id,order_time,pay_amount',
      row('o1', 1),
      row('o1', 2),
      row('o2', 3),
      row('o1', 4),
      row('o3', 5),
    ].join('\n');
    const progress: ImportProgress[] = [];
    const result = await importText('orders', 'csv', text, {
      chunkRows: 2,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toMatchObject({ rowsRead: 5, rowsImported: 5, rowsRejected: 0 });
    expect((await read('orders')).map((o) => [o['order_id'], o['pay_amount']])).toEqual([
      ['o1', 4],
      ['o2', 3],
      ['o3', 5],
    ]);
    expect(progress.map((p) => p.rowsImported)).toEqual([2, 4, 5, 5]);
  });

  it('streams a file of many chunks', async () => {
    // 10,000 rows: five commits of 2,000. on_hand = i, so Σ on_hand = 0 + 1 + … + 9,999.
    function* generate() {
      yield 'product_id,snapshot_time,on_hand\n';
      for (let i = 0; i < 10_000; i += 1) yield `p${i},2024-05-31,${i}\n`;
    }
    const progress: number[] = [];
    const result = await runImport({
      services: t.app.services,
      projectId: 'shop',
      kind: 'inventory',
      format: 'csv',
      input: Readable.from(generate()),
      actor: 'test',
      onProgress: (p) => progress.push(p.rowsImported),
    });
    expect(result).toMatchObject({ rowsRead: 10_000, rowsImported: 10_000, rowsRejected: 0 });
    expect(progress).toEqual([2_000, 4_000, 6_000, 8_000, 10_000, 10_000]);
    expect(
      await t.app.services.eventStore.query(
        'SELECT count(*)::INTEGER AS n, sum(on_hand)::BIGINT AS total FROM inventory_snapshots',
      ),
    ).toEqual([{ n: 10_000, total: 49_995_000 }]);
  });

  it('records the import in the audit log', async () => {
    await importText('products', 'csv', PRODUCTS_CSV);
    const [entry] = await t.app.services.audit.list({ action: 'data.import', limit: 1 });
    expect(entry).toMatchObject({
      actor: 'test',
      projectId: 'shop',
      target: 'products',
      details: { kind: 'products', format: 'csv', rowsRead: 2, rowsImported: 2, rowsRejected: 0 },
    });
  });
});
