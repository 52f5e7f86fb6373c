import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildApp, closeServices, openServices } from '../app.ts';
import { claimDataDir } from '../bootstrap/index.ts';
import { runCli } from '../cli/index.ts';
import { ensureSecrets, loadConfig, type SightlineConfig } from '../config/index.ts';
import { createTempDir } from '../testing/temp-dir.ts';
import {
  EXPECTED_ORDER_ITEMS,
  ORDERS_CSV,
  ORDERS_NDJSON,
  PRODUCTS_CSV,
  readImported,
} from './import-fixtures.ts';

/** `sightline import`, run as the binary runs it, against a data directory of its own. */
describe('sightline import', () => {
  let dir: { path: string; remove: () => void };
  let config: SightlineConfig;
  let output: string[];

  beforeEach(async () => {
    dir = createTempDir();
    config = ensureSecrets(
      loadConfig({
        env: { SIGHTLINE_DATA_DIR: dir.path, SIGHTLINE_DEMO: '0', SIGHTLINE_LOG_LEVEL: 'silent' },
      }),
    );
    const services = await openServices(config);
    await services.projects.create(
      { id: 'shop', name: 'Shop', timeZone: 'UTC', retentionDays: 365 },
      'test',
    );
    await closeServices(services);
    output = [];
    const capture = (...args: unknown[]) => void output.push(args.map(String).join(' '));
    vi.spyOn(console, 'log').mockImplementation(capture);
    vi.spyOn(console, 'error').mockImplementation(capture);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    dir.remove();
  });

  function writeFile(name: string, text: string): string {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    return path;
  }
  const sightline = (...args: string[]) =>
    runCli(['node', 'sightline', '--data-dir', dir.path, 'import', ...args]);

  async function readStore<T>(read: (services: Awaited<ReturnType<typeof openServices>>) => T) {
    const services = await openServices(config);
    try {
      return await read(services);
    } finally {
      await closeServices(services);
    }
  }

  it('imports a file into the stores directly when no server runs (format from extension)', async () => {
    const file = writeFile('orders.ndjson', ORDERS_NDJSON);
    expect(await sightline('orders', file, '--project', 'shop')).toBe(0);
    expect(output.join('\n')).toMatch(
      /^Imported 3 of 3 orders rows into project shop in \d+\.\d s\.$/,
    );
    const items = await readStore((s) => readImported(s.eventStore, 'items'));
    expect(items).toEqual(EXPECTED_ORDER_ITEMS);
    const entries = await readStore((s) => s.audit.list({ action: 'data.import', limit: 5 }));
    expect(entries).toMatchObject([{ actor: 'cli', target: 'orders' }]);
  });

  it('exits 1 with a per-row report and an errors file when rows are rejected', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => `bad${i},,n,,,1.5,,`);
    const file = writeFile('products.txt', [PRODUCTS_CSV, ...rows].join('\n'));
    const errorsOut = join(dir.path, 'errors.csv');
    const code = await sightline(
      'products',
      file,
      '--project',
      'shop',
      '--format',
      'csv',
      '--errors-out',
      errorsOut,
    );
    expect(code).toBe(1);
    const reason =
      'price: must be integer minor units (fen, cents), e.g. 1999 for 19.99, not a decimal';
    expect(output[0]).toMatch(
      /^Imported 2 of 27 products rows into project shop in .* \(25 rejected\):$/,
    );
    expect(output.slice(1, 22)).toEqual([
      ...Array.from({ length: 20 }, (_, i) => `  line ${i + 4}: Row is invalid: ${reason}`),
      '  … and 5 more',
    ]);
    expect(output[22]).toBe(
      'ERR_IMPORT_ROWS_REJECTED: 25 of 27 rows were rejected; the valid rows were imported',
    );
    const lines = readFileSync(errorsOut, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(26);
    expect(lines[0]).toBe('line,code,message');
    expect(lines[25]).toBe(`28,ERR_IMPORT_ROW_INVALID,"Row is invalid: ${reason}"`);
    const products = await readStore((s) => readImported(s.eventStore, 'products'));
    expect(products.map((p) => p['product_id'])).toEqual(['p1', 'p2']);
  });

  it('prints the report as JSON', async () => {
    const file = writeFile('products.csv', PRODUCTS_CSV);
    expect(await sightline('products', file, '--project', 'shop', '--json')).toBe(0);
    expect(JSON.parse(output.join('\n'))).toMatchObject({
      kind: 'products',
      rowsRead: 2,
      rowsImported: 2,
      rowsRejected: 0,
      errors: [],
    });
  });

  it.each([
    [['refunds', 'x.csv'], 'ERR_IMPORT_KIND_UNKNOWN: Unknown import kind refunds'],
    [
      ['orders', 'orders.xlsx'],
      'ERR_IMPORT_FORMAT_INVALID: Cannot read the import file: format unknown: name it (csv or ndjson)',
    ],
    [
      ['orders', 'orders.csv', '--project', 'nope'],
      'ERR_PROJECT_NOT_FOUND: Project nope not found',
    ],
  ])('refuses %j', async (args, message) => {
    writeFile('orders.csv', ORDERS_CSV);
    const [kind = '', name = ''] = args;
    const code = await sightline(kind, join(dir.path, name), '--project', 'shop', ...args.slice(2));
    expect(code).toBe(1);
    expect(output).toEqual([message]);
  });

  it('refuses a file it cannot open', async () => {
    expect(await sightline('orders', join(dir.path, 'missing.csv'), '--project', 'shop')).toBe(1);
    expect(output).toEqual([
      `ERR_IMPORT_FORMAT_INVALID: Cannot read the import file: cannot open ${join(dir.path, 'missing.csv')} (ENOENT)`,
    ]);
  });

  it('sends the file to the running server, with a token it revokes afterwards', async () => {
    const app = await buildApp({ config });
    await app.fastify.listen({ port: 0, host: '127.0.0.1' });
    const address = app.fastify.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const release = claimDataDir(dir.path, `http://127.0.0.1:${port}`);
    try {
      const file = writeFile('orders.csv', `${ORDERS_CSV}\no4,,,2024-05-01,,,,,-1,,,,,,,,,,,,,,`);
      expect(await sightline('orders', file, '--project', 'shop')).toBe(1);
      expect(output).toEqual([
        expect.stringMatching(
          /^Imported 3 of 4 orders rows into project shop in .* \(1 rejected\):$/,
        ),
        '  line 5: Row is invalid: pay_amount: must be between 0 and 10000000000000 minor units',
        'ERR_IMPORT_ROWS_REJECTED: 1 of 4 rows were rejected; the valid rows were imported',
      ]);
      expect(await readImported(app.services.eventStore, 'items')).toEqual(EXPECTED_ORDER_ITEMS);
      const [entry] = await app.services.audit.list({ action: 'data.import', limit: 1 });
      expect(entry?.actor).toMatch(/^token:/);
      const tokens = await app.services.metaStore.db
        .selectFrom('api_tokens')
        .select(['name', 'revoked_at'])
        .execute();
      expect(tokens).toEqual([{ name: 'cli import', revoked_at: expect.any(Number) as number }]);
    } finally {
      release();
      await app.close();
    }
  });
});
