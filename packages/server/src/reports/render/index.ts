// The report renderers: a ReportDocument in, a file or a message out. Nothing here queries data.
export { buildReportXlsx } from './build-report-xlsx.ts';
export { formatDateTime } from './format-date-time.ts';
export {
  computeChangeRatio,
  formatChange,
  formatPeriod,
  formatSignedValue,
  formatValue,
  NO_VALUE,
} from './format-value.ts';
export { CJK_FONT_PATH, renderChartPng, type RenderChartPngOptions } from './render-chart-png.ts';
export { renderChartSvg, type RenderChartSvgOptions } from './render-chart-svg.ts';
export {
  renderReportHtml,
  type RenderReportHtmlOptions,
  type RenderReportHtmlResult,
  type ReportHtmlImage,
} from './render-report-html.ts';
export {
  renderReportMarkdown,
  type RenderReportMarkdownOptions,
  type RenderReportMarkdownResult,
} from './render-report-markdown.ts';
export { renderReportPdf, type RenderReportPdfOptions } from './render-report-pdf.ts';
export { renderReportText } from './render-report-text.ts';
export { getReportTexts, type ReportTexts } from './report-texts.ts';
