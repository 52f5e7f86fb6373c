import type { ReportDocument } from '../report-document.ts';
import { getSafeHttpUrl } from './escape-html.ts';
import { formatDateTime } from './format-date-time.ts';
import { formatChange, formatPeriod, formatSignedValue, formatValue } from './format-value.ts';
import { formatCell } from './render-section-html.ts';
import { getReportTexts } from './report-texts.ts';

/** Rows per section in the plain-text email; it is the fallback, not the data export. */
export const MAX_TEXT_TABLE_ROWS = 20;

/**
 * The plain-text alternative of the report email (multipart/alternative): the same content as
 * the HTML in the same order, without pictures, tables as one line per row.
 */
export function renderReportText(doc: ReportDocument): string {
  const texts = getReportTexts(doc.locale);
  const { locale } = doc;
  const lines: string[] = [
    doc.title,
    `${texts.kindName[doc.kind]} · ${doc.project.name}`,
    `${texts.period}: ${formatPeriod(doc.period, doc.kind, locale)}`,
    '',
  ];
  const heading = (text: string) => lines.push(`== ${text} ==`);

  heading(texts.headline);
  for (const k of doc.headline) {
    const value = formatValue(k.value, k.unit, locale);
    const change = formatChange(k.value, k.previous, k.unit, locale);
    const yoy = formatChange(k.value, k.lastYear, k.unit, locale);
    lines.push(`- ${k.name}: ${value} (${texts.change} ${change}, ${texts.yoy} ${yoy})`);
  }
  lines.push('');

  if (doc.explanations.length > 0) {
    heading(texts.explanations);
    for (const e of doc.explanations) {
      lines.push(`- ${e.metricName}: ${e.text}`);
      for (const d of e.drivers) {
        const segment = d.segment === '$other' ? texts.otherSegment : d.segment;
        lines.push(
          `    ${d.dimensionName}: ${segment} — ${texts.previous} ${formatValue(d.previous, e.unit, locale)}, ` +
            `${texts.current} ${formatValue(d.current, e.unit, locale)}, ` +
            `${texts.contribution} ${formatSignedValue(d.contribution, e.unit, locale)} ` +
            `(${formatValue(d.share, 'ratio', locale)})`,
        );
      }
    }
    lines.push('');
  }
  if (doc.suggestions.length > 0) {
    heading(texts.suggestions);
    for (const s of doc.suggestions) lines.push(`- [${texts.severity[s.severity]}] ${s.text}`);
    lines.push('');
  }
  if (doc.diagnosis) {
    heading(texts.diagnosis);
    for (const f of doc.diagnosis.findings) lines.push(`- ${f.topic}: ${f.text}`);
    lines.push('', `${texts.actions}:`);
    doc.diagnosis.actions.forEach((a, i) => lines.push(`${i + 1}. ${a}`));
    lines.push('');
  }
  for (const section of doc.sections) {
    heading(section.title);
    if (section.summary) lines.push(section.summary);
    const { columns, rows } = section.table;
    for (const row of rows.slice(0, MAX_TEXT_TABLE_ROWS)) {
      const cells = columns.map(
        (c, i) => `${c.label}: ${formatCell(row[i] ?? null, c.unit, locale)}`,
      );
      lines.push(`- ${cells.join(' · ')}`);
    }
    if (rows.length > MAX_TEXT_TABLE_ROWS) {
      lines.push(texts.rowsShown(MAX_TEXT_TABLE_ROWS, rows.length));
    }
    if (rows.length === 0) lines.push(texts.noData);
    lines.push('');
  }
  const url = getSafeHttpUrl(doc.dashboardUrl);
  if (url !== null) lines.push(`${texts.openDashboard}: ${url}`, '');
  lines.push(
    `${texts.generatedAt}: ${formatDateTime(doc.generatedAt, doc.timeZone)} (${doc.timeZone})`,
    `${texts.footer(doc.project.name)} ${texts.subscriptionHint}`,
    texts.watermark,
  );
  return `${lines.join('\n')}\n`;
}
