import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../platform/index.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { IMPORT_TEST_NOW, importTextInto, ORDERS_CSV, readImported } from './import-fixtures.ts';
import { runImport, type RunImportParams } from './run-import.ts';

const ROW_INVALID = 'ERR_IMPORT_ROW_INVALID';

describe('runImport: rejected rows and files', () => {
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

  it('stores the good rows of a mixed CSV file and reports the bad ones by line', async () => {
    const items = (json: string) => `"${json.replaceAll('"', '""')}"`;
    const text = [
      'order_id,order_time,pay_amount,status,items',
      'g1,2024-05-01,100,,',
      'b1,2024-05-01,19.99,,',
      'b2,2024-05-01,100,shipped,',
      '',
      'b3,2024-05-01',
      `g2,2024-05-01,200,pending,${items('[{"product_id":"p1","price":200}]')}`,
      'b4,yesterday,100,,',
      `b5,2024-05-01,100,,${items('[{"product_id":"p1","price":10')}`,
      'b6,2024-05-01,,,',
      `b7,2024-05-01,100,,${items('[{"product_id":"p1","price":-5,"colour":"red"}]')}`,
    ].join('\n');
    const result = await importText('orders', 'csv', text);
    const invalid = (line: number, reason: string) => ({
      line,
      code: ROW_INVALID,
      message: `Row is invalid: ${reason}`,
    });
    expect(result).toMatchObject({
      rowsRead: 9,
      rowsImported: 2,
      rowsRejected: 7,
      errorsOmitted: 0,
      errors: [
        invalid(
          3,
          'pay_amount: must be integer minor units (fen, cents), e.g. 1999 for 19.99, not a decimal',
        ),
        invalid(4, 'status: must be one of paid, pending, cancelled'),
        invalid(6, '2 fields, but the header has 5'),
        invalid(
          8,
          'order_time: must be epoch milliseconds or ISO-8601 (2024-05-01T10:00:00+08:00)',
        ),
        invalid(9, 'items: must be a JSON array'),
        invalid(10, 'pay_amount: is required'),
        invalid(
          11,
          'items.0.price: must be between 0 and 10000000000000 minor units; items.0: unknown field(s) colour',
        ),
      ],
    });
    const orders = await read('orders');
    expect(orders.map((row) => [row['order_id'], row['pay_amount'], row['status']])).toEqual([
      ['g1', 100, 'paid'],
      ['g2', 200, 'pending'],
    ]);
    expect(await read('items')).toMatchObject([{ order_id: 'g2', line_no: 1, amount: 200 }]);
  });

  it('stores the good rows of a mixed NDJSON file and reports the bad ones by line', async () => {
    const text = [
      '{"order_id":"g1","order_time":"2024-05-01","pay_amount":100}',
      'not json',
      '{"order_id":"b1","order_time":"2024-05-01","pay_amount":100,"refund_amount":50}',
      '{"order_id":"b2","order_time":"2024-05-01","pay_amount":100,"refund_amount":500,"refunded_at":"2024-05-02"}',
      '{"order_id":"b3","order_time":"2024-05-01","pay_amount":100,"note":"x"}',
      '{"order_id":"g2","order_time":"2024-05-01","pay_amount":100,"items":[]}',
    ].join('\n');
    const result = await importText('orders', 'ndjson', text);
    expect(result.errors).toEqual(
      [
        [2, 'not valid JSON'],
        [3, 'refund_amount and refunded_at go together: give both or neither'],
        [4, 'refund_amount: must not exceed pay_amount'],
        [5, 'unknown column(s) note'],
      ].map(([line, reason]) => ({
        line,
        code: ROW_INVALID,
        message: `Row is invalid: ${reason}`,
      })),
    );
    expect(result).toMatchObject({ rowsRead: 6, rowsImported: 2, rowsRejected: 4 });
    expect((await read('orders')).map((row) => row['order_id'])).toEqual(['g1', 'g2']);
    expect(await read('refunds')).toEqual([]);
  });

  it('caps the listed errors and counts the rest', async () => {
    const lines = [
      'product_id,name,price',
      ...Array.from({ length: 1_005 }, (_, i) => `p${i},n,-1`),
    ];
    const result = await importText('products', 'csv', lines.join('\n'));
    expect(result).toMatchObject({ rowsRead: 1_005, rowsRejected: 1_005, errorsOmitted: 5 });
    expect(result.errors).toHaveLength(1_000);
    expect(result.errors[999]?.line).toBe(1_001);
  });

  it.each([
    ['refunds', 'csv', 'x', 'ERR_IMPORT_KIND_UNKNOWN', 'Unknown import kind refunds'],
    [
      'orders',
      'xlsx',
      'x',
      'ERR_IMPORT_FORMAT_INVALID',
      'Cannot read the import file: unknown format xlsx (csv or ndjson)',
    ],
    [
      'orders',
      undefined,
      'x',
      'ERR_IMPORT_FORMAT_INVALID',
      'Cannot read the import file: format unknown: name it (csv or ndjson)',
    ],
    [
      'orders',
      'csv',
      '',
      'ERR_IMPORT_FORMAT_INVALID',
      'Cannot read the import file: the file is empty: a header row is required',
    ],
    [
      'orders',
      'csv',
      'order_id,order_time\no1,2024-05-01',
      'ERR_IMPORT_FORMAT_INVALID',
      'Cannot read the import file: header row: missing required column(s) pay_amount',
    ],
  ])('refuses %s/%s files as a whole (%j)', async (kind, format, text, code, message) => {
    await expect(importText(kind, format, text)).rejects.toMatchObject({ code, message });
    expect(await read('orders')).toEqual([]);
  });

  it('refuses an unknown project', async () => {
    await expect(
      runImport({
        services: t.app.services,
        projectId: 'nope',
        kind: 'orders',
        format: 'csv',
        input: Readable.from([ORDERS_CSV]),
        actor: 'test',
      }),
    ).rejects.toMatchObject({ code: 'ERR_PROJECT_NOT_FOUND' });
  });
});
