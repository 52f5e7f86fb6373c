import type { Workbook, Worksheet } from 'exceljs';
import type { ReportLocale, ReportSection } from '../report-document.ts';
import { fitColumnWidths } from './fit-column-widths.ts';
import { renderChartPng } from './render-chart-png.ts';
import type { ReportTexts } from './report-texts.ts';
import { toXlsxCell } from './to-xlsx-cell.ts';

export interface WriteSectionSheetOptions {
  /** An Excel-safe, unique sheet name (see createSheetNamer). */
  name: string;
  locale: ReportLocale;
  texts: ReportTexts;
}

/** The chart's size on the sheet, in pixels at 100% zoom; the PNG has twice as many. */
export const SHEET_CHART_WIDTH_PX = 640;
export const SHEET_CHART_HEIGHT_PX = 320;
const HEADER_FILL = 'FFF3F4F6';

/**
 * One section as a sheet: the table from A1 with a bold, frozen, filterable header row (money
 * columns say they are in yuan), the summary under it, and the chart as a picture beside it.
 */
export function writeSectionSheet(
  workbook: Workbook,
  section: ReportSection,
  options: WriteSectionSheetOptions,
): Worksheet {
  const { columns, rows } = section.table;
  const sheet = workbook.addWorksheet(options.name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
  });
  const header = sheet.addRow(
    columns.map((c) =>
      c.unit === 'currency' ? `${c.label}${options.texts.currencyColumnSuffix}` : c.label,
    ),
  );
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
  });
  for (const row of rows) {
    const cells = columns.map((column, i) => toXlsxCell(row[i] ?? null, column.unit));
    const added = sheet.addRow(cells.map((c) => c.value));
    cells.forEach((c, i) => {
      if (c.numFmt !== undefined) added.getCell(i + 1).numFmt = c.numFmt;
    });
  }
  if (columns.length > 0) {
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  }
  fitColumnWidths(sheet);
  if (section.summary) {
    const summaryRow = sheet.getRow(rows.length + 3);
    summaryRow.getCell(1).value = section.summary;
    summaryRow.getCell(1).font = { italic: true, color: { argb: 'FF4B5563' } };
  }
  if (section.chart) {
    const png = renderChartPng(section.chart, {
      locale: options.locale,
      width: SHEET_CHART_WIDTH_PX,
      height: SHEET_CHART_HEIGHT_PX,
    });
    // ExcelJS types `buffer` as its own ArrayBuffer-like interface, which Node's Buffer does not
    // satisfy; base64 is the other input it documents.
    const imageId = workbook.addImage({ base64: png.toString('base64'), extension: 'png' });
    // One empty column between the table and the picture; anchors are zero-based.
    sheet.addImage(imageId, {
      tl: { col: columns.length + 1, row: 0 },
      ext: { width: SHEET_CHART_WIDTH_PX, height: SHEET_CHART_HEIGHT_PX },
      editAs: 'oneCell',
    });
  }
  return sheet;
}
