import ExcelJS from 'exceljs';
import type { ReportDocument } from '../report-document.ts';
import { getReportTexts } from './report-texts.ts';
import { createSheetNamer } from './sanitize-sheet-name.ts';
import { writeSectionSheet } from './write-section-sheet.ts';
import { writeSummarySheet } from './write-summary-sheet.ts';

/**
 * The report as an Excel workbook: the summary sheet first (headline KPIs with both comparisons,
 * explanations, suggestions, diagnosis), then one sheet per section with its chart. Numbers are
 * numbers with number formats; money is written in yuan (minor units ÷ 100), and the headers say
 * so.
 */
export async function buildReportXlsx(doc: ReportDocument): Promise<Buffer> {
  const texts = getReportTexts(doc.locale);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Sightline';
  workbook.lastModifiedBy = 'Sightline';
  workbook.title = doc.title;
  workbook.company = doc.project.name;
  // Both from the document, so the same report gives the same workbook properties.
  workbook.created = new Date(doc.generatedAt);
  workbook.modified = new Date(doc.generatedAt);

  writeSummarySheet(workbook, doc, texts);
  const nameSheet = createSheetNamer([texts.summarySheet]);
  doc.sections.forEach((section, i) => {
    const name = nameSheet(section.title, texts.sectionSheet(i + 1));
    writeSectionSheet(workbook, section, { name, locale: doc.locale, texts });
  });
  const data = await workbook.xlsx.writeBuffer();
  return Buffer.from(data);
}
