import type { ReportDocument } from '../report-document.ts';
import { EMAIL_STYLES as S } from './email-styles.ts';
import { escapeHtml, getSafeHttpUrl } from './escape-html.ts';
import { formatDateTime } from './format-date-time.ts';
import { formatChange, formatPeriod, formatValue } from './format-value.ts';
import { renderChartPng } from './render-chart-png.ts';
import { renderInsightsHtml } from './render-insights-html.ts';
import { renderKpiCardsHtml } from './render-kpi-cards-html.ts';
import { renderSectionHtml } from './render-section-html.ts';
import { getReportTexts, type ReportTexts } from './report-texts.ts';

export interface RenderReportHtmlOptions {
  /** `cid`: pictures referenced as attachments (email); `data-uri`: inlined (PDF, preview). */
  images: 'cid' | 'data-uri';
}

/** A chart picture to attach to the email, referenced in the HTML as `cid:<cid>`. */
export interface ReportHtmlImage {
  cid: string;
  filename: string;
  png: Buffer;
}

export interface RenderReportHtmlResult {
  html: string;
  /** The attachments the `cid:` references name, one each; empty in data-uri mode. */
  images: ReportHtmlImage[];
}

const CHART_HEIGHT_PX = 300;

function slugify(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40) || 'chart';
}

function renderButton(url: string | null, texts: ReportTexts): string {
  if (url === null) return '';
  return [
    '<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:16px 0 0 0;">',
    `<tr><td style="border-radius:6px;background-color:${S.accent};">`,
    `<a href="${escapeHtml(url)}" target="_blank" style="display:inline-block;padding:10px 20px;font-size:14px;line-height:20px;font-weight:bold;color:#ffffff;text-decoration:none;border-radius:6px;">${escapeHtml(texts.openDashboard)}</a>`,
    '</td></tr></table>',
  ].join('');
}

function renderHeader(doc: ReportDocument, texts: ReportTexts, url: string | null): string {
  const period = formatPeriod(doc.period, doc.kind, doc.locale);
  return [
    `<div style="font-size:12px;line-height:18px;color:${S.muted};">${escapeHtml(`${texts.kindName[doc.kind]} · ${doc.project.name}`)}</div>`,
    `<h1 style="margin:4px 0 4px 0;font-size:22px;line-height:30px;color:${S.text};">${escapeHtml(doc.title)}</h1>`,
    `<div style="font-size:13px;line-height:20px;color:${S.muted};">${escapeHtml(`${texts.period}: ${period}`)}</div>`,
    renderButton(url, texts),
  ].join('\n');
}

function renderFooter(doc: ReportDocument, texts: ReportTexts): string {
  const generated = `${texts.generatedAt}: ${formatDateTime(doc.generatedAt, doc.timeZone)} (${doc.timeZone})`;
  return [
    `<p style="margin:0 0 4px 0;font-size:12px;line-height:18px;color:${S.muted};">${escapeHtml(generated)}</p>`,
    `<p style="margin:0 0 4px 0;font-size:12px;line-height:18px;color:${S.muted};">${escapeHtml(texts.footer(doc.project.name))} ${escapeHtml(texts.subscriptionHint)}</p>`,
    `<p style="margin:0;font-size:12px;line-height:18px;color:#9ca3af;">${escapeHtml(texts.watermark)}</p>`,
  ].join('\n');
}

/** What mail clients show beside the subject: the first headline KPIs in one line. */
function buildPreheader(doc: ReportDocument, texts: ReportTexts): string {
  return doc.headline
    .slice(0, 3)
    .map((k) => {
      const change = formatChange(k.value, k.previous, k.unit, doc.locale);
      return `${k.name} ${formatValue(k.value, k.unit, doc.locale)} (${texts.change} ${change})`;
    })
    .join(' · ');
}

/**
 * The report as an HTML email: table layout and inline styles only (what Gmail, Outlook and
 * the Chinese webmail clients keep), at most 680 px wide, every string from the document
 * escaped. Charts are PNG pictures, referenced by `cid:` for email or inlined as data: URIs for
 * the PDF and the preview.
 */
export function renderReportHtml(
  doc: ReportDocument,
  options: RenderReportHtmlOptions,
): RenderReportHtmlResult {
  const texts = getReportTexts(doc.locale);
  const url = getSafeHttpUrl(doc.dashboardUrl);
  const images: ReportHtmlImage[] = [];
  const sections = doc.sections.map((section, i) => {
    let chartSrc: string | undefined;
    if (section.chart) {
      const png = renderChartPng(section.chart, {
        locale: doc.locale,
        width: S.innerWidthPx,
        height: CHART_HEIGHT_PX,
      });
      if (options.images === 'cid') {
        const slug = slugify(section.id);
        const cid = `chart-${i + 1}-${slug}@sightline`;
        images.push({ cid, filename: `${i + 1}-${slug}.png`, png });
        chartSrc = `cid:${cid}`;
      } else {
        chartSrc = `data:image/png;base64,${png.toString('base64')}`;
      }
    }
    return renderSectionHtml(section, {
      texts,
      locale: doc.locale,
      chartSrc,
      chartWidth: S.innerWidthPx,
      chartHeight: CHART_HEIGHT_PX,
    });
  });
  const body = [
    renderHeader(doc, texts, url),
    renderKpiCardsHtml(doc.headline, texts, doc.locale),
    renderInsightsHtml({
      explanations: doc.explanations,
      suggestions: doc.suggestions,
      diagnosis: doc.diagnosis,
      texts,
      locale: doc.locale,
    }),
    ...sections,
  ].join('\n');
  const html = `<!DOCTYPE html>
<html lang="${doc.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<title>${escapeHtml(doc.title)}</title>
</head>
<body style="margin:0;padding:0;background-color:${S.pageBackground};font-family:${escapeHtml(S.fontFamily)};">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;">${escapeHtml(buildPreheader(doc, texts))}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:${S.pageBackground};">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="${S.contentWidthPx}" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:${S.contentWidthPx}px;background-color:#ffffff;border-radius:8px;font-family:${escapeHtml(S.fontFamily)};">
<tr><td style="padding:24px 20px 8px 20px;">
${body}
</td></tr>
<tr><td style="padding:16px 20px 24px 20px;border-top:1px solid ${S.cardBorder};">
${renderFooter(doc, texts)}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
  return { html, images };
}
