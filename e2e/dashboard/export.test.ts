import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableToXlsx } from '../../packages/dashboard/src/lib/xlsx.ts';
import { launchChromium } from '../support/chromium.ts';
import { apiReport, signIn, startDemoServer, type DemoServer } from '../support/dashboard.ts';

async function readWorkbook(bytes: Uint8Array) {
  const workbook = new ExcelJS.Workbook();
  // ExcelJS's types want an ArrayBuffer-backed view: copy into one.
  await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('no sheet');
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { sheet, rows };
}

/** A CSV as rows of cells (the exports quote only cells with commas, quotes or line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text
    .replace(/^\ufeff/, '')
    .split('\r\n')
    .filter(Boolean)) {
    const cells: string[] = [];
    for (const match of line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)) {
      if (match.index === line.length && match[0] === '') break;
      const cell = match[1] ?? '';
      cells.push(cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell);
    }
    rows.push(cells);
  }
  return rows;
}

describe('table exports', () => {
  it('writes an XLSX that a spreadsheet reads back: text, numbers, money in yuan, formats', async () => {
    const bytes = tableToXlsx(
      {
        columns: ['Channel', 'GMV', 'Conversion', 'Orders'],
        units: [null, 'currency', 'ratio', 'count'],
        rows: [
          ['微信 <wechat> & "friends"', 1_234_567, 0.125, 42],
          ['direct', null, 0, 7],
        ],
      },
      'Channels: GMV / orders [30 days]',
    );
    const { sheet, rows } = await readWorkbook(bytes);
    expect(sheet.name).toBe('Channels  GMV   orders  30 days');
    expect(rows).toEqual([
      ['Channel', 'GMV', 'Conversion', 'Orders'],
      ['微信 <wechat> & "friends"', 12_345.67, 0.125, 42],
      ['direct', undefined, 0, 7],
    ]);
    expect(sheet.getCell('B2').numFmt).toBe('"¥"#,##0.00');
    expect(sheet.getCell('C2').numFmt).toBe('0.00%');
    expect(sheet.getCell('A1').font?.bold).toBe(true);
  });
});

describe('chart and table downloads in real Chromium', () => {
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function downloadOf(page: Page, click: () => Promise<void>): Promise<Uint8Array> {
    const [download] = await Promise.all([page.waitForEvent('download'), click()]);
    const path = await download.path();
    return readFileSync(path);
  }

  it('downloads a chart as CSV and XLSX with the numbers the API gives (money in yuan)', async () => {
    const { context, page, problems } = await signIn(browser, server);
    const chart = page.locator('figure.chart', { hasText: 'GMV and orders' });
    await chart.locator('canvas').waitFor();
    const trends = await apiReport<{
      buckets: Array<{ start: string }>;
      series: Array<{ groups: Array<{ values: Array<number | null> }> }>;
    }>(server, 'trends', {
      range: 'last_30_days',
      granularity: 'day',
      series: [{ metric: 'gmv' }, { metric: 'orders' }],
    });
    const gmv = trends.series[0]?.groups[0]?.values ?? [];
    const orders = trends.series[1]?.groups[0]?.values ?? [];

    const xlsx = await readWorkbook(
      await downloadOf(page, () => chart.locator('[data-testid=export-xlsx]').click()),
    );
    expect(xlsx.rows[0]?.slice(1)).toEqual(['GMV (paid)', 'Paid orders']);
    expect(xlsx.rows.slice(1).map((row) => row[1] ?? null)).toEqual(
      gmv.map((value) => (value === null ? null : value / 100)),
    );
    expect(xlsx.rows.slice(1).map((row) => row[2] ?? null)).toEqual(orders);

    const csv = parseCsv(
      Buffer.from(
        await downloadOf(page, () => chart.locator('[data-testid=export-csv]').click()),
      ).toString('utf8'),
    );
    expect(csv[0]).toEqual(['', 'GMV (paid)', 'Paid orders']);
    expect(csv.slice(1).map((row) => Number(row[1]))).toEqual(
      gmv.map((value) => (value ?? 0) / 100),
    );
    expect(problems).toEqual([]);
    await context.close();
  });

  it('downloads a table as XLSX in the order shown', async () => {
    const { context, page, problems } = await signIn(browser, server, {
      path: '/p/demo/operations',
    });
    const table = page.locator('[data-testid=channels]');
    await table.locator('tbody tr').first().waitFor();
    const trends = await apiReport<{
      series: Array<{ groups: Array<{ key: string | null; total: number | null }> }>;
    }>(server, 'trends', {
      range: 'last_30_days',
      granularity: 'all',
      series: [{ metric: 'uv' }],
      breakdown: { dimension: 'channel', limit: 10 },
    });
    const xlsx = await readWorkbook(
      await downloadOf(page, () => table.locator('[data-testid=export-xlsx]').first().click()),
    );
    const top = trends.series[0]?.groups[0];
    expect(xlsx.rows[0]?.slice(0, 2)).toEqual(['Channel', 'Visitors (UV)']);
    expect(xlsx.rows[1]?.slice(0, 2)).toEqual([top?.key, top?.total]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
