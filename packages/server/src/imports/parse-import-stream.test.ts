import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ImportFormat, ImportKind } from './import-kinds.ts';
import { parseImportStream, type ImportStreamItem } from './parse-import-stream.ts';

/** Feeds the text in small chunks, so lines and records straddle chunk boundaries. */
async function parseAll(
  kind: ImportKind,
  format: ImportFormat,
  text: string | Buffer,
  chunkBytes = 7,
): Promise<ImportStreamItem[]> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += chunkBytes)
    chunks.push(bytes.subarray(start, start + chunkBytes));
  const items: ImportStreamItem[] = [];
  for await (const item of parseImportStream(kind, format, Readable.from(chunks))) items.push(item);
  return items;
}

describe('parseImportStream: CSV', () => {
  it('reads records with their first line, skipping blank and empty rows, BOM and CRLF', async () => {
    const text =
      '\uFEFFProduct_ID, name ,price\r\np1,Tea,100\r\n\r\np2,"Multi\r\nline, quoted ""name""",200\r\np3,,300\r\n,,\r\n , ,\r\n';
    expect(await parseAll('products', 'csv', text)).toEqual([
      { line: 2, record: { product_id: 'p1', name: 'Tea', price: '100' } },
      { line: 4, record: { product_id: 'p2', name: 'Multi\r\nline, quoted "name"', price: '200' } },
      { line: 6, record: { product_id: 'p3', price: '300' } },
    ]);
  });

  it('accepts mixed line endings in one file', async () => {
    const text = 'product_id,name,price\r\np1,a,1\np2,b,2\rp3,c,3\r\n';
    const items = await parseAll('products', 'csv', text);
    expect(items.map((item) => [item.line, 'record' in item && item.record['product_id']])).toEqual(
      [
        [2, 'p1'],
        [3, 'p2'],
        [4, 'p3'],
      ],
    );
  });

  it('reports malformed records on their line and goes on; stray quotes stay in the field', async () => {
    const text =
      'product_id,name,price\np1,Tea,100\np2\np3,a,1,2\np4,"x"y,3\np5,x"y,4\np6,"open,6\n';
    expect(await parseAll('products', 'csv', text)).toEqual([
      { line: 2, record: { product_id: 'p1', name: 'Tea', price: '100' } },
      { line: 3, error: '1 fields, but the header has 3' },
      { line: 4, error: '4 fields, but the header has 3' },
      { line: 5, record: { product_id: 'p4', name: '"x"y', price: '3' } },
      { line: 6, record: { product_id: 'p5', name: 'x"y', price: '4' } },
      {
        line: 7,
        error: 'a quoted field is never closed (the rest of the file was read as that field)',
      },
    ]);
  });

  it('keeps the report in file order when a bad record is found ahead of the reader', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => (i === 30 ? 'bad' : `p${i},n,${i}`));
    const items = await parseAll(
      'products',
      'csv',
      `product_id,name,price\n${rows.join('\n')}`,
      4096,
    );
    expect(items.map((item) => item.line)).toEqual(rows.map((_, i) => i + 2));
    expect(items[30]).toEqual({ line: 32, error: '1 fields, but the header has 3' });
  });

  it('refuses the file at a record over 64 KB (csv-parse cannot resume after one)', async () => {
    const text = `product_id,name,price\np1,${'x'.repeat(70_000)},1\np2,ok,2\n`;
    await expect(parseAll('products', 'csv', text, 16_384)).rejects.toMatchObject({
      code: 'ERR_IMPORT_FORMAT_INVALID',
      message:
        'Cannot read the import file: the record ending near line 2 exceeds 65536 characters (an unclosed quote?)',
    });
  });

  it.each([
    ['', 'the file is empty: a header row is required'],
    ['\n\n', 'the file is empty: a header row is required'],
    [
      'product_id,nme,price,price\n',
      'header row: unknown column(s) "nme"; the columns are product_id, sku, name, category, brand, price, cost, status; repeated column(s) "price"; missing required column(s) name',
    ],
    [
      '{"product_id":"p1"}\n',
      'header row: unknown column(s) "{\\"product_id\\":\\"p1\\"}"; the columns are product_id, sku, name, category, brand, price, cost, status; missing required column(s) product_id, name, price',
    ],
  ])('refuses the whole file %j', async (text, reason) => {
    await expect(parseAll('products', 'csv', text)).rejects.toMatchObject({
      code: 'ERR_IMPORT_FORMAT_INVALID',
      message: `Cannot read the import file: ${reason}`,
    });
  });

  it('accepts a header without rows', async () => {
    expect(await parseAll('inventory', 'csv', 'product_id,snapshot_time,on_hand\n')).toEqual([]);
  });
});

describe('parseImportStream: NDJSON', () => {
  it('reads one object per line, dropping nulls and reporting bad lines', async () => {
    const text = [
      '\uFEFF{"product_id":"p1","price":100}',
      '',
      '  ',
      '[1,2]',
      '{"product_id":',
      '{"product_id":"p2","sku":null}\r',
      '"text"',
      '{"product_id":"p3"}',
    ].join('\n');
    expect(await parseAll('products', 'ndjson', text)).toEqual([
      { line: 1, record: { product_id: 'p1', price: 100 } },
      { line: 4, error: 'not a JSON object' },
      { line: 5, error: 'not valid JSON' },
      { line: 6, record: { product_id: 'p2' } },
      { line: 7, error: 'not a JSON object' },
      { line: 8, record: { product_id: 'p3' } },
    ]);
  });

  it('skips an over-long line without buffering it, and invalid UTF-8', async () => {
    const text = Buffer.concat([
      Buffer.from(`{"a":"${'x'.repeat(70_000)}"}\n`),
      Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d, 0x0a]),
      Buffer.from('{"a":"多字节"}'),
    ]);
    expect(await parseAll('products', 'ndjson', text, 1_000)).toEqual([
      { line: 1, error: 'line exceeds 65536 bytes' },
      { line: 2, error: 'line is not valid UTF-8' },
      { line: 3, record: { a: '多字节' } },
    ]);
  });

  it('splits multi-byte characters across chunks correctly', async () => {
    expect(await parseAll('products', 'ndjson', '{"name":"红茶绿茶"}\n{"name":"é"}', 1)).toEqual([
      { line: 1, record: { name: '红茶绿茶' } },
      { line: 2, record: { name: 'é' } },
    ]);
  });

  it('refuses an empty file', async () => {
    await expect(parseAll('orders', 'ndjson', '\n \n')).rejects.toMatchObject({
      code: 'ERR_IMPORT_FORMAT_INVALID',
      message: 'Cannot read the import file: the file is empty',
    });
  });
});
