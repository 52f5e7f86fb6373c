import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../platform/index.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import {
  EXPECTED_INVENTORY,
  EXPECTED_ORDER_ITEMS,
  EXPECTED_PRODUCTS,
  expectedOrders,
  IMPORT_TEST_NOW,
  INVENTORY_NDJSON,
  ORDERS_CSV,
  PRODUCTS_CSV,
  readImported,
} from './import-fixtures.ts';

describe('POST /api/v1/projects/:projectId/imports/:kind', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp({ clock: createFakeClock(IMPORT_TEST_NOW) });
  });
  afterEach(() => t.close());

  function post(
    path: string,
    body: string | Buffer,
    headers: Record<string, string> = {},
    token: string | null = t.adminToken,
  ) {
    return t.app.fastify.inject({
      method: 'POST',
      url: `/api/v1/projects/shop/imports/${path}`,
      headers: {
        'content-type': 'text/csv',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      payload: body,
    });
  }

  it('imports a CSV file and answers the report', async () => {
    const res = await post('orders?format=csv', ORDERS_CSV);
    expect(res.statusCode).toBe(200);
    expect({ ...res.json<Record<string, unknown>>(), durationMs: 0 }).toEqual({
      kind: 'orders',
      rowsRead: 3,
      rowsImported: 3,
      rowsRejected: 0,
      errors: [],
      errorsOmitted: 0,
      durationMs: 0,
    });
    const store = t.app.services.eventStore;
    expect(await readImported(store, 'orders')).toEqual(expectedOrders(t.config.ipSalt));
    expect(await readImported(store, 'items')).toEqual(EXPECTED_ORDER_ITEMS);
    const [entry] = await t.app.services.audit.list({ action: 'data.import', limit: 1 });
    expect(entry?.actor).toMatch(/^token:/);
  });

  it('takes the format from the content type, and gzip', async () => {
    const res = await post('inventory', gzipSync(INVENTORY_NDJSON), {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-encoding': 'gzip',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ rowsImported: 3, rowsRejected: 0 });
    expect(await readImported(t.app.services.eventStore, 'inventory')).toEqual(EXPECTED_INVENTORY);
  });

  it('answers rejected rows with their lines, still 200', async () => {
    const res = await post('products?format=csv', `${PRODUCTS_CSV}\r\np3,,Tea,,,12.50,,`, {
      'content-type': 'text/plain',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      rowsRead: 3,
      rowsImported: 2,
      rowsRejected: 1,
      errors: [
        {
          line: 4,
          code: 'ERR_IMPORT_ROW_INVALID',
          message:
            'Row is invalid: price: must be integer minor units (fen, cents), e.g. 1999 for 19.99, not a decimal',
        },
      ],
    });
    expect(await readImported(t.app.services.eventStore, 'products')).toEqual(EXPECTED_PRODUCTS);
  });

  it.each([
    ['a viewer token', 'viewer', null, 403, 'ERR_AUTH_FORBIDDEN'],
    ['an operator of another project', 'operator', 'other', 403, 'ERR_AUTH_FORBIDDEN'],
    ['an operator of this project', 'operator', 'shop', 200, undefined],
  ] as const)('checks data:import: %s', async (_label, role, projectId, status, code) => {
    if (projectId === 'other')
      await t.app.services.projects.create(
        { id: 'other', name: 'Other', timeZone: 'UTC', retentionDays: 30 },
        'test',
      );
    const { token } = await t.app.services.auth.createToken(
      { name: role, role, projectId },
      'test',
    );
    const res = await post('products?format=csv', PRODUCTS_CSV, {}, token);
    expect(res.statusCode).toBe(status);
    if (code) expect(res.json()).toMatchObject({ error: { code } });
  });

  it('requires authentication', async () => {
    const res = await post('products?format=csv', PRODUCTS_CSV, {}, null);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'ERR_AUTH_REQUIRED' } });
  });

  it.each([
    ['an unknown kind', 'refunds', 'text/csv', 'x', 400, 'ERR_IMPORT_KIND_UNKNOWN'],
    [
      'text/plain without ?format',
      'products',
      'text/plain',
      PRODUCTS_CSV,
      400,
      'ERR_IMPORT_FORMAT_INVALID',
    ],
    ['an empty body', 'products', 'text/csv', '', 400, 'ERR_IMPORT_FORMAT_INVALID'],
    [
      'an unknown format',
      'products?format=xlsx',
      'text/csv',
      'x',
      400,
      'ERR_IMPORT_FORMAT_INVALID',
    ],
    ['a bad header', 'products', 'text/csv', 'sku,title\n', 400, 'ERR_IMPORT_FORMAT_INVALID'],
    ['JSON', 'products', 'application/json', '{}', 415, 'ERR_REQUEST_UNSUPPORTED_MEDIA'],
  ])('refuses %s', async (_label, kind, type, body, status, code) => {
    const res = await post(kind, body, { 'content-type': type });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ error: { code } });
  });

  it('refuses a body declared over 200 MB before reading it', async () => {
    const res = await t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/projects/shop/imports/products?format=csv',
      headers: {
        authorization: `Bearer ${t.adminToken}`,
        'content-type': 'text/csv',
        'content-length': String(200 * 1024 * 1024 + 1),
      },
      payload: PRODUCTS_CSV,
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({
      error: {
        code: 'ERR_REQUEST_BODY_TOO_LARGE',
        message: 'Request body exceeds 209715200 bytes',
      },
    });
  });

  it('leaves JSON parsing of other routes alone', async () => {
    const res = await t.app.fastify.inject({
      method: 'PATCH',
      url: '/api/v1/projects/shop',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
      payload: { name: 'Renamed' },
    });
    expect(res.statusCode).toBe(200);
  });

  it('is documented in OpenAPI', async () => {
    const res = await t.app.fastify.inject({ method: 'GET', url: '/openapi.json' });
    const spec = res.json<{
      paths: Record<string, Record<string, Record<string, unknown>>>;
    }>();
    const operation = spec.paths['/api/v1/projects/{projectId}/imports/{kind}']?.['post'];
    expect(operation?.['summary']).toBe(
      'Import orders, products or inventory snapshots from CSV or NDJSON',
    );
    expect(Object.keys((operation?.['requestBody'] as { content: object }).content)).toContain(
      'text/csv',
    );
    expect(JSON.stringify(operation?.['responses'])).toContain('rowsRejected');
  });
});
