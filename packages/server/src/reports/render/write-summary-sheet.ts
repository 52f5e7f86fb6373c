import type { Row, Workbook, Worksheet } from 'exceljs';
import type {
  ChangeExplanation,
  ReportDocument,
  ReportKpi,
  ReportPeriod,
  ValueUnit,
} from '../report-document.ts';
import { fitColumnWidths, measureTextWidth } from './fit-column-widths.ts';
import { getZonedParts } from './format-date-time.ts';
import { computeChangeRatio, formatPeriod } from './format-value.ts';
import type { ReportTexts } from './report-texts.ts';
import { CHANGE_FORMAT, DATE_TIME_FORMAT, toXlsxCell, type XlsxCell } from './to-xlsx-cell.ts';

/** Columns A..G: the width of the headline table, across which running text wraps. */
const COLUMN_COUNT = 7;
const LINE_HEIGHT_PT = 15;
const HEADER_FILL = 'FFF3F4F6';

type CellInput = XlsxCell | string | number | Date | null;

/** Writes the first sheet: what, when, the headline table, explanations, suggestions, diagnosis. */
export function writeSummarySheet(
  workbook: Workbook,
  doc: ReportDocument,
  texts: ReportTexts,
): Worksheet {
  const sheet = workbook.addWorksheet(texts.summarySheet);
  const wrapped: Array<{ row: Row; text: string }> = [];
  let next = 1;
  const addRow = (cells: CellInput[], style: 'plain' | 'bold' | 'header' = 'plain'): Row => {
    const row = sheet.getRow(next++);
    cells.forEach((input, i) => {
      const cell = row.getCell(i + 1);
      const isObject = input !== null && typeof input === 'object' && !(input instanceof Date);
      cell.value = isObject ? input.value : input;
      if (isObject && input.numFmt !== undefined) cell.numFmt = input.numFmt;
      if (style !== 'plain') cell.font = { bold: true };
      if (style === 'header') {
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
      }
    });
    return row;
  };
  const addHeading = (text: string, size = 12) => {
    next += 1;
    addRow([text]).getCell(1).font = { bold: true, size };
  };
  /** A label in A and running text wrapped across B..G. */
  const addTextRow = (label: string, text: string, options: { bold?: boolean } = {}) => {
    const row = addRow([label, text]);
    if (options.bold) row.getCell(1).font = { bold: true };
    sheet.mergeCells(row.number, 2, row.number, COLUMN_COUNT);
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    row.getCell(1).alignment = { vertical: 'top' };
    wrapped.push({ row, text });
  };

  const titleRow = addRow([doc.title]);
  titleRow.getCell(1).font = { bold: true, size: 16 };
  sheet.mergeCells(1, 1, 1, COLUMN_COUNT);
  addRow([texts.project, doc.project.name]);
  addRow(['', texts.start, texts.end], 'bold');
  const addPeriod = (label: string, period: ReportPeriod) =>
    addRow([
      label,
      toXlsxCell(period.startDate, 'date'),
      toXlsxCell(period.endDate, 'date'),
      formatPeriod(period, doc.kind, doc.locale),
    ]);
  addPeriod(texts.period, doc.period);
  addPeriod(texts.previousPeriod, doc.previousPeriod);
  addPeriod(texts.lastYearPeriod, doc.lastYearPeriod);
  const local = getZonedParts(doc.generatedAt, doc.timeZone);
  // Spreadsheets have no time zones: the cell holds the wall time in the project's zone.
  const generated = new Date(
    Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second),
  );
  addRow([texts.generatedAt, { value: generated, numFmt: DATE_TIME_FORMAT }]);
  addRow([texts.timeZone, doc.timeZone]);

  addHeading(texts.headline);
  addRow(
    [
      texts.metric,
      texts.value,
      texts.previousValue,
      texts.change,
      texts.lastYearValue,
      texts.yoy,
      texts.unit,
    ],
    'header',
  );
  for (const kpi of doc.headline) addRow(buildKpiCells(kpi, texts));
  next += 1;
  const note = addRow([texts.amountsNote]);
  note.getCell(1).font = { italic: true, color: { argb: 'FF4B5563' } };
  sheet.mergeCells(note.number, 1, note.number, COLUMN_COUNT);

  if (doc.explanations.length > 0) {
    addHeading(texts.explanations);
    for (const explanation of doc.explanations) {
      addTextRow(explanation.metricName, explanation.text, { bold: true });
      if (explanation.drivers.length === 0) continue;
      addRow(
        [
          texts.dimension,
          texts.segment,
          texts.previous,
          texts.current,
          texts.contribution,
          texts.share,
        ],
        'header',
      );
      for (const cells of buildDriverRows(explanation, texts)) addRow(cells);
    }
  }
  if (doc.suggestions.length > 0) {
    addHeading(texts.suggestions);
    for (const s of doc.suggestions) addTextRow(texts.severity[s.severity], s.text);
  }
  if (doc.diagnosis) {
    addHeading(texts.diagnosis);
    addRow([texts.topic, texts.finding], 'header');
    for (const f of doc.diagnosis.findings) addTextRow(f.topic, f.text);
    addHeading(texts.actions);
    doc.diagnosis.actions.forEach((action, i) => addTextRow(String(i + 1), action));
  }

  fitColumnWidths(sheet, { maxWidth: 32 });
  let textWidth = 0;
  for (let col = 2; col <= COLUMN_COUNT; col += 1) textWidth += sheet.getColumn(col).width ?? 8;
  // Excel does not grow merged rows to fit wrapped text, so give them the lines they need.
  for (const { row, text } of wrapped) {
    row.height = LINE_HEIGHT_PT * Math.max(1, Math.ceil(measureTextWidth(text) / textWidth));
  }
  return sheet;
}

function describeUnit(unit: ValueUnit, texts: ReportTexts): string {
  const units: Partial<Record<ValueUnit, string>> = {
    currency: texts.currencyUnit,
    ratio: '%',
    ms: 'ms',
    seconds: 's',
  };
  return units[unit] ?? '';
}

function buildChangeCell(kpi: ReportKpi, base: number | null, texts: ReportTexts): CellInput {
  const ratio = computeChangeRatio(kpi.value, base);
  if (ratio !== null) return { value: ratio, numFmt: CHANGE_FORMAT };
  // Grown from zero: no percentage exists, say so in words as the other outputs do.
  if (base === 0 && kpi.value !== null && kpi.value !== 0) return texts.newValue;
  return null;
}

function buildKpiCells(kpi: ReportKpi, texts: ReportTexts): CellInput[] {
  return [
    kpi.name,
    toXlsxCell(kpi.value, kpi.unit),
    toXlsxCell(kpi.previous, kpi.unit),
    buildChangeCell(kpi, kpi.previous, texts),
    toXlsxCell(kpi.lastYear, kpi.unit),
    buildChangeCell(kpi, kpi.lastYear, texts),
    describeUnit(kpi.unit, texts),
  ];
}

function buildDriverRows(explanation: ChangeExplanation, texts: ReportTexts): CellInput[][] {
  return explanation.drivers.map((d) => [
    d.dimensionName,
    d.segment === '$other' ? texts.otherSegment : d.segment,
    toXlsxCell(d.previous, explanation.unit),
    toXlsxCell(d.current, explanation.unit),
    toXlsxCell(d.contribution, explanation.unit),
    { value: d.share, numFmt: '0.0%' },
  ]);
}
