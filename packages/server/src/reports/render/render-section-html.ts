import type { ReportCell, ReportLocale, ReportSection, ValueUnit } from '../report-document.ts';
import { EMAIL_STYLES as S } from './email-styles.ts';
import { escapeHtml } from './escape-html.ts';
import { formatValue } from './format-value.ts';
import type { ReportTexts } from './report-texts.ts';

/** Rows shown per table in the email; the XLSX and the dashboard have them all. */
export const MAX_HTML_TABLE_ROWS = 50;

export interface RenderSectionHtmlOptions {
  texts: ReportTexts;
  locale: ReportLocale;
  /** The chart picture's `src` (a `cid:` reference or a data: URI), if the section has a chart. */
  chartSrc?: string;
  chartWidth: number;
  chartHeight: number;
}

/** A table cell as text: numbers through formatValue, strings as given. */
export function formatCell(cell: ReportCell, unit: ValueUnit, locale: ReportLocale): string {
  if (typeof cell === 'string') return cell;
  return formatValue(cell, unit, locale);
}

const isNumeric = (unit: ValueUnit) => unit !== 'text' && unit !== 'date';

function renderTable(section: ReportSection, options: RenderSectionHtmlOptions): string {
  const { columns, rows } = section.table;
  if (columns.length === 0) return '';
  const align = (unit: ValueUnit) => (isNumeric(unit) ? 'right' : 'left');
  const header = columns
    .map(
      (c) =>
        `<th align="${align(c.unit)}" style="${S.th}text-align:${align(c.unit)};">${escapeHtml(c.label)}</th>`,
    )
    .join('');
  const shown = rows.slice(0, MAX_HTML_TABLE_ROWS);
  const body = shown.map((row) => {
    const cells = columns.map((c, i) => {
      const text = formatCell(row[i] ?? null, c.unit, options.locale);
      return `<td align="${align(c.unit)}" style="${S.td}text-align:${align(c.unit)};">${escapeHtml(text)}</td>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  if (rows.length === 0) {
    body.push(
      `<tr><td colspan="${columns.length}" style="${S.td}color:${S.muted};">${escapeHtml(options.texts.noData)}</td></tr>`,
    );
  }
  const note =
    rows.length > shown.length
      ? `<p style="${S.paragraph}font-size:12px;color:${S.muted};">${escapeHtml(options.texts.rowsShown(shown.length, rows.length))}</p>`
      : '';
  return [
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin:0 0 8px 0;">',
    `<tr>${header}</tr>`,
    ...body,
    '</table>',
    note,
  ].join('\n');
}

/** One section of the email: title, summary, chart picture, table. */
export function renderSectionHtml(
  section: ReportSection,
  options: RenderSectionHtmlOptions,
): string {
  // The PDF prints this HTML: a heading should not be left alone at the foot of a page.
  const parts = [
    `<h2 style="${S.heading}page-break-after:avoid;break-after:avoid;">${escapeHtml(section.title)}</h2>`,
  ];
  if (section.summary) parts.push(`<p style="${S.paragraph}">${escapeHtml(section.summary)}</p>`);
  if (section.chart && options.chartSrc !== undefined) {
    const alt = options.texts.chartAlt(section.chart.title);
    parts.push(
      `<img src="${escapeHtml(options.chartSrc)}" width="${options.chartWidth}" height="${options.chartHeight}" alt="${escapeHtml(alt)}" ` +
        `style="display:block;width:100%;max-width:${options.chartWidth}px;height:auto;border:0;margin:0 0 12px 0;page-break-inside:avoid;break-inside:avoid;">`,
    );
  }
  parts.push(renderTable(section, options));
  return parts.join('\n');
}
