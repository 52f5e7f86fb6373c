import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ReportCell, ReportDocument, ValueUnit } from '../report-document.ts';
import { buildReportXlsx } from './build-report-xlsx.ts';
import { computeChangeRatio } from './format-value.ts';
import { createReportFixture } from './report-fixtures.ts';
import { getReportTexts } from './report-texts.ts';

async function readBack(doc: ReportDocument): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  // ExcelJS types its input as its own ArrayBuffer-like interface; a Node Buffer is what it reads.
  await workbook.xlsx.load((await buildReportXlsx(doc)) as unknown as ArrayBuffer);
  return workbook;
}

/** What the document's value becomes in the file: money in yuan, local dates as dates. */
function expectedCell(value: ReportCell, unit: ValueUnit): unknown {
  if (value === null) return null;
  if (unit === 'currency' && typeof value === 'number') return value / 100;
  if (unit === 'date' && typeof value === 'string') return new Date(`${value}T00:00:00Z`);
  return value;
}

function findRow(sheet: ExcelJS.Worksheet, label: string): ExcelJS.Row {
  for (let r = 1; r <= sheet.rowCount; r += 1) {
    if (sheet.getRow(r).getCell(1).value === label) return sheet.getRow(r);
  }
  throw new Error(`no row labelled ${label}`);
}

describe('buildReportXlsx', () => {
  it('names and orders the sheets: summary first, sections sanitised, unique, ≤31 chars', async () => {
    const zh = await readBack(createReportFixture({ locale: 'zh-CN' }));
    expect(zh.worksheets.map((s) => s.name)).toEqual([
      '概览',
      '订单 退款：每日 全部渠道',
      '渠道 GMV 占比',
      '接口延迟',
      '本期按销售额排名前列的商品明细表（全部渠道，含已退款及部分退款',
      '本期按销售额排名前列的商品明细表（按地区，含已退款及部分退款的',
    ]);
    for (const sheet of zh.worksheets) expect(sheet.name.length).toBeLessThanOrEqual(31);
    const en = await readBack(createReportFixture({ locale: 'en' }));
    expect(en.worksheets.map((s) => s.name)).toEqual([
      'Summary',
      'Orders refunds daily all channe',
      'GMV by channel',
      'API latency',
      'Top products by revenue in the',
      'Top products by revenue in (2)',
    ]);
    expect(en.creator).toBe('Sightline');
    expect(en.created).toEqual(new Date(1795219200000));
  });

  it('writes the headline numbers exactly, money in yuan, with number formats', async () => {
    const doc = createReportFixture({ kind: 'monthly', locale: 'zh-CN' });
    const texts = getReportTexts('zh-CN');
    const summary = (await readBack(doc)).getWorksheet('概览');
    if (!summary) throw new Error('no summary sheet');
    expect(summary.getCell('A1').value).toBe(doc.title);
    expect(findRow(summary, texts.project).getCell(2).value).toBe('Acme 旗舰店');
    const period = findRow(summary, texts.period);
    expect(period.getCell(2).value).toEqual(new Date('2026-11-01T00:00:00Z'));
    expect(period.getCell(3).value).toEqual(new Date('2026-11-30T00:00:00Z'));
    expect(period.getCell(2).numFmt).toBe('yyyy-mm-dd');
    // 08:00 in Asia/Shanghai, written as the wall time.
    const generated = findRow(summary, texts.generatedAt).getCell(2);
    expect(generated.value).toEqual(new Date('2026-11-21T08:00:00Z'));
    expect(generated.numFmt).toBe('yyyy-mm-dd hh:mm');

    const header = findRow(summary, texts.metric);
    expect(header.getCell(2).value).toBe(texts.value);
    expect(header.getCell(1).font?.bold).toBe(true);
    doc.headline.forEach((kpi, i) => {
      const row = summary.getRow(header.number + 1 + i);
      expect(row.getCell(1).value).toBe(kpi.name);
      expect(row.getCell(2).value).toBe(expectedCell(kpi.value, kpi.unit));
      expect(row.getCell(3).value).toBe(expectedCell(kpi.previous, kpi.unit));
      expect(row.getCell(5).value).toBe(expectedCell(kpi.lastYear, kpi.unit));
      const change = computeChangeRatio(kpi.value, kpi.previous);
      const yoy = computeChangeRatio(kpi.value, kpi.lastYear);
      const grewFromZero = kpi.previous === 0 && (kpi.value ?? 0) !== 0;
      expect(row.getCell(4).value).toBe(change ?? (grewFromZero ? texts.newValue : null));
      if (yoy !== null) expect(row.getCell(6).value).toBe(yoy);
    });
    const gmv = summary.getRow(header.number + 1);
    expect(gmv.getCell(2).value).toBe(12345.67);
    expect(gmv.getCell(2).numFmt).toBe('¥#,##0.00');
    expect(gmv.getCell(4).numFmt).toBe('+0.0%;-0.0%;0.0%');
    expect(gmv.getCell(7).value).toBe('元');
    expect(summary.getRow(header.number + 3).getCell(2).numFmt).toBe('0.00%');
    expect(summary.getRow(header.number + 7).getCell(4).value).toBe('新增');

    const drivers = findRow(summary, texts.dimension);
    const douyin = summary.getRow(drivers.number + 1);
    expect([2, 3, 4, 5, 6].map((c) => douyin.getCell(c).value)).toEqual([
      'douyin',
      5800,
      7000,
      1200,
      0.8917,
    ]);
    expect(summary.getRow(drivers.number + 3).getCell(2).value).toBe(texts.otherSegment);
    expect(findRow(summary, texts.severity.critical).getCell(2).value).toBe(
      doc.suggestions[1]?.text,
    );
    expect(findRow(summary, '订单结构').getCell(2).value).toBe(doc.diagnosis?.findings[0]?.text);
    expect(findRow(summary, '2').getCell(2).value).toBe(doc.diagnosis?.actions[1]);
  });

  it('writes every section cell, a bold frozen header and one picture per chart', async () => {
    const doc = createReportFixture({ locale: 'en' });
    const workbook = await readBack(doc);
    doc.sections.forEach((section, s) => {
      const sheet = workbook.worksheets[s + 1];
      if (!sheet) throw new Error(`no sheet for ${section.id}`);
      const { columns, rows } = section.table;
      const header = sheet.getRow(1);
      columns.forEach((c, i) => {
        expect(header.getCell(i + 1).value).toBe(
          c.unit === 'currency' ? `${c.label} (¥)` : c.label,
        );
        expect(header.getCell(i + 1).font?.bold).toBe(true);
      });
      rows.forEach((row, r) => {
        columns.forEach((c, i) => {
          const cell = sheet.getRow(r + 2).getCell(i + 1);
          expect(cell.value).toEqual(expectedCell(row[i] ?? null, c.unit));
        });
      });
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(8);
      const images = sheet.getImages();
      expect(images).toHaveLength(section.chart ? 1 : 0);
      for (const image of images) {
        const png = workbook.getImage(Number(image.imageId));
        expect(png.extension).toBe('png');
        // ExcelJS types it as its own ArrayBuffer-like interface; it holds a Node Buffer.
        const data = png.buffer as unknown as Uint8Array;
        expect(Buffer.from(data).subarray(1, 4).toString('latin1')).toBe('PNG');
      }
    });
    const orders = workbook.worksheets[1];
    expect(orders?.getCell('A2').numFmt).toBe('yyyy-mm-dd');
    expect(orders?.getCell('B2').numFmt).toBe('¥#,##0.00');
    expect(orders?.getCell('B8').value).toBe(12345.67);
    expect(orders?.getCell('C2').numFmt).toBe('#,##0');
    expect(orders?.getCell('D2').numFmt).toBe('0.00%');
    expect(orders?.getCell('B4').value).toBeNull();
    expect(orders?.getCell('A10').value).toBe(doc.sections[0]?.summary);
    expect(workbook.worksheets[3]?.getCell('B4').value).toBe(310.5);
  });
});
