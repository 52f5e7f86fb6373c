import type { ReportKpi, ReportLocale } from '../report-document.ts';
import { EMAIL_STYLES as S } from './email-styles.ts';
import { escapeHtml } from './escape-html.ts';
import { formatChange, formatValue } from './format-value.ts';
import type { ReportTexts } from './report-texts.ts';

const CARDS_PER_ROW = 3;

/** Green when the change is good for the business, red when bad, grey when flat or unknown. */
export function getChangeColor(kpi: ReportKpi, base: number | null): string {
  if (kpi.value === null || base === null || kpi.value === base) return S.neutral;
  const rose = kpi.value > base;
  return rose === kpi.higherIsBetter ? S.good : S.bad;
}

function renderChangeLine(
  kpi: ReportKpi,
  base: number | null,
  label: string,
  locale: ReportLocale,
): string {
  const change = formatChange(kpi.value, base, kpi.unit, locale);
  const color = getChangeColor(kpi, base);
  return (
    `<span style="color:${S.muted};">${escapeHtml(label)}</span> ` +
    `<span style="color:${color};font-weight:bold;">${escapeHtml(change)}</span>`
  );
}

function renderCard(kpi: ReportKpi, texts: ReportTexts, locale: ReportLocale): string {
  const value = formatValue(kpi.value, kpi.unit, locale);
  return [
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border:1px solid ${S.cardBorder};border-radius:6px;page-break-inside:avoid;break-inside:avoid;">`,
    '<tr><td style="padding:12px;">',
    `<div style="font-size:12px;line-height:18px;color:${S.muted};">${escapeHtml(kpi.name)}</div>`,
    `<div style="font-size:22px;line-height:30px;font-weight:bold;color:${S.text};">${escapeHtml(value)}</div>`,
    `<div style="font-size:12px;line-height:18px;">${renderChangeLine(kpi, kpi.previous, texts.change, locale)}</div>`,
    `<div style="font-size:12px;line-height:18px;">${renderChangeLine(kpi, kpi.lastYear, texts.yoy, locale)}</div>`,
    '</td></tr></table>',
  ].join('');
}

/** The headline KPIs as cards, three to a row: value, 环比 and 同比 coloured by direction. */
export function renderKpiCardsHtml(
  kpis: ReportKpi[],
  texts: ReportTexts,
  locale: ReportLocale,
): string {
  if (kpis.length === 0) return '';
  const rows: string[] = [];
  for (let start = 0; start < kpis.length; start += CARDS_PER_ROW) {
    const cells = kpis.slice(start, start + CARDS_PER_ROW).map((kpi, i) => {
      const padding = ['0 8px 12px 0', '0 4px 12px 4px', '0 0 12px 8px'][i] ?? '0';
      return `<td width="33%" valign="top" style="width:33%;padding:${padding};">${renderCard(kpi, texts, locale)}</td>`;
    });
    while (cells.length < CARDS_PER_ROW) cells.push('<td width="33%" style="width:33%;"></td>');
    rows.push(`<tr>${cells.join('')}</tr>`);
  }
  return [
    `<h2 style="${S.heading}">${escapeHtml(texts.headline)}</h2>`,
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">',
    ...rows,
    '</table>',
  ].join('\n');
}
