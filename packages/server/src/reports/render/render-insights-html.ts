import type {
  ChangeExplanation,
  ReportDiagnosis,
  ReportLocale,
  ReportSuggestion,
} from '../report-document.ts';
import { EMAIL_STYLES as S } from './email-styles.ts';
import { escapeHtml } from './escape-html.ts';
import { formatSignedValue, formatValue } from './format-value.ts';
import type { ReportTexts } from './report-texts.ts';

export interface RenderInsightsHtmlOptions {
  explanations: ChangeExplanation[];
  suggestions: ReportSuggestion[];
  diagnosis: ReportDiagnosis | null;
  texts: ReportTexts;
  locale: ReportLocale;
}

const TABLE_OPEN =
  '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin:0 0 12px 0;">';

function renderDriversTable(e: ChangeExplanation, texts: ReportTexts, locale: ReportLocale) {
  if (e.drivers.length === 0) return '';
  const th = (text: string, align: 'left' | 'right') =>
    `<th align="${align}" style="${S.th}text-align:${align};">${escapeHtml(text)}</th>`;
  const td = (text: string, align: 'left' | 'right') =>
    `<td align="${align}" style="${S.td}text-align:${align};">${escapeHtml(text)}</td>`;
  const rows = e.drivers.map((d) => {
    const segment = d.segment === '$other' ? texts.otherSegment : d.segment;
    return (
      '<tr>' +
      td(`${d.dimensionName}: ${segment}`, 'left') +
      td(formatValue(d.previous, e.unit, locale), 'right') +
      td(formatValue(d.current, e.unit, locale), 'right') +
      td(formatSignedValue(d.contribution, e.unit, locale), 'right') +
      td(formatValue(d.share, 'ratio', locale), 'right') +
      '</tr>'
    );
  });
  return [
    TABLE_OPEN,
    '<tr>' +
      th(texts.segment, 'left') +
      th(texts.previous, 'right') +
      th(texts.current, 'right') +
      th(texts.contribution, 'right') +
      th(texts.share, 'right') +
      '</tr>',
    ...rows,
    '</table>',
  ].join('\n');
}

function renderExplanations(options: RenderInsightsHtmlOptions): string {
  const { explanations, texts, locale } = options;
  if (explanations.length === 0) return '';
  const items = explanations.map(
    (e) =>
      `<p style="${S.paragraph}"><strong style="color:${S.text};">${escapeHtml(e.metricName)}</strong>` +
      `&nbsp;&nbsp;${escapeHtml(e.text)}</p>\n${renderDriversTable(e, texts, locale)}`,
  );
  return [`<h2 style="${S.heading}">${escapeHtml(texts.explanations)}</h2>`, ...items].join('\n');
}

function renderSuggestions(options: RenderInsightsHtmlOptions): string {
  const { suggestions, texts } = options;
  if (suggestions.length === 0) return '';
  const rows = suggestions.map((s) => {
    const color = S.severity[s.severity];
    const badge =
      `<span style="display:inline-block;padding:1px 6px;border:1px solid ${color};border-radius:4px;` +
      `color:${color};font-size:12px;line-height:16px;white-space:nowrap;">${escapeHtml(texts.severity[s.severity])}</span>`;
    return (
      `<tr><td valign="top" style="padding:4px 8px 4px 0;width:1%;">${badge}</td>` +
      `<td valign="top" style="${S.paragraph}padding:4px 0;">${escapeHtml(s.text)}</td></tr>`
    );
  });
  return [
    `<h2 style="${S.heading}">${escapeHtml(texts.suggestions)}</h2>`,
    TABLE_OPEN,
    ...rows,
    '</table>',
  ].join('\n');
}

function renderDiagnosis(options: RenderInsightsHtmlOptions): string {
  const { diagnosis, texts } = options;
  if (!diagnosis) return '';
  const findings = diagnosis.findings.map(
    (f) =>
      `<p style="${S.paragraph}"><strong style="color:${S.text};">${escapeHtml(f.topic)}</strong>` +
      `&nbsp;&nbsp;${escapeHtml(f.text)}</p>`,
  );
  const actions = diagnosis.actions.map(
    (a) =>
      `<li style="margin:0 0 6px 0;font-size:14px;line-height:22px;color:#374151;">${escapeHtml(a)}</li>`,
  );
  return [
    `<h2 style="${S.heading}">${escapeHtml(texts.diagnosis)}</h2>`,
    ...findings,
    actions.length > 0
      ? `<h3 style="margin:8px 0 6px 0;font-size:15px;line-height:22px;color:${S.text};">${escapeHtml(texts.actions)}</h3>` +
        `\n<ol style="margin:0 0 8px 0;padding:0 0 0 22px;">\n${actions.join('\n')}\n</ol>`
      : '',
  ].join('\n');
}

/** Explanations with their drivers tables, suggestions, and (monthly) diagnosis with actions. */
export function renderInsightsHtml(options: RenderInsightsHtmlOptions): string {
  return [renderExplanations(options), renderSuggestions(options), renderDiagnosis(options)]
    .filter((part) => part !== '')
    .join('\n');
}
