import type { ReportKind, ReportLocale, ReportSuggestion } from '../report-document.ts';

/** Every fixed word the report outputs show; the document itself brings the rest. */
export interface ReportTexts {
  kindName: Record<ReportKind, string>;
  project: string;
  period: string;
  previousPeriod: string;
  lastYearPeriod: string;
  timeZone: string;
  generatedAt: string;
  headline: string;
  metric: string;
  value: string;
  previousValue: string;
  lastYearValue: string;
  /** 环比: the change against the previous period. */
  change: string;
  /** 同比: the change against the same period last year. */
  yoy: string;
  unit: string;
  /** The "change" of a value that was zero before. */
  newValue: string;
  explanations: string;
  dimension: string;
  segment: string;
  current: string;
  previous: string;
  contribution: string;
  share: string;
  /** The "$other" segment of a contribution analysis. */
  otherSegment: string;
  suggestions: string;
  severity: Record<ReportSuggestion['severity'], string>;
  diagnosis: string;
  topic: string;
  finding: string;
  actions: string;
  details: string;
  openDashboard: string;
  viewFullReport: string;
  noData: string;
  start: string;
  end: string;
  currencyUnit: string;
  /** Added to the header of a currency column in XLSX, whose values are written in yuan. */
  currencyColumnSuffix: string;
  amountsNote: string;
  summarySheet: string;
  rowsShown: (shown: number, total: number) => string;
  chartAlt: (title: string) => string;
  footer: (project: string) => string;
  watermark: string;
  subscriptionHint: string;
  sectionSheet: (index: number) => string;
}

const ZH_CN: ReportTexts = {
  kindName: { daily: '日报', weekly: '周报', monthly: '月报' },
  project: '项目',
  period: '统计周期',
  previousPeriod: '上期（环比）',
  lastYearPeriod: '去年同期（同比）',
  timeZone: '时区',
  generatedAt: '生成时间',
  headline: '核心指标',
  metric: '指标',
  value: '本期',
  previousValue: '上期',
  lastYearValue: '去年同期',
  change: '环比',
  yoy: '同比',
  unit: '单位',
  newValue: '新增',
  explanations: '变化解读',
  dimension: '维度',
  segment: '细分',
  current: '本期',
  previous: '上期',
  contribution: '贡献',
  share: '贡献占比',
  otherSegment: '其他',
  suggestions: '建议',
  severity: { info: '提示', warning: '注意', critical: '严重' },
  diagnosis: '经营诊断',
  topic: '主题',
  finding: '发现',
  actions: '下月行动项',
  details: '明细',
  openDashboard: '在仪表盘中查看',
  viewFullReport: '查看完整报告',
  noData: '暂无数据',
  start: '开始日期',
  end: '结束日期',
  currencyUnit: '元',
  currencyColumnSuffix: '（元）',
  amountsNote: '金额单位为元（¥），由系统中的分换算而来。',
  summarySheet: '概览',
  rowsShown: (shown, total) => `仅显示前 ${shown} 行，共 ${total} 行。`,
  chartAlt: (title) => `图表：${title}`,
  footer: (project) => `本报告由 Sightline 为「${project}」自动生成。`,
  watermark: '内部资料，请勿外传',
  subscriptionHint: '如需调整接收人或发送时间，请在 Sightline 的定时报告设置中修改。',
  sectionSheet: (index) => `明细${index}`,
};

const EN: ReportTexts = {
  kindName: { daily: 'Daily report', weekly: 'Weekly report', monthly: 'Monthly report' },
  project: 'Project',
  period: 'Period',
  previousPeriod: 'Previous period',
  lastYearPeriod: 'Same period last year',
  timeZone: 'Time zone',
  generatedAt: 'Generated at',
  headline: 'Headline metrics',
  metric: 'Metric',
  value: 'This period',
  previousValue: 'Previous period',
  lastYearValue: 'Same period last year',
  change: 'vs previous',
  yoy: 'vs last year',
  unit: 'Unit',
  newValue: 'new',
  explanations: 'What changed',
  dimension: 'Dimension',
  segment: 'Segment',
  current: 'Current',
  previous: 'Previous',
  contribution: 'Contribution',
  share: 'Share of change',
  otherSegment: 'Other',
  suggestions: 'Suggestions',
  severity: { info: 'Info', warning: 'Warning', critical: 'Critical' },
  diagnosis: 'Diagnosis',
  topic: 'Topic',
  finding: 'Finding',
  actions: 'Actions for next month',
  details: 'Details',
  openDashboard: 'Open in dashboard',
  viewFullReport: 'View full report',
  noData: 'No data',
  start: 'Start',
  end: 'End',
  currencyUnit: 'yuan (¥)',
  currencyColumnSuffix: ' (¥)',
  amountsNote: 'Amounts are in yuan (¥), converted from the fen (minor units) Sightline stores.',
  summarySheet: 'Summary',
  rowsShown: (shown, total) => `Showing the first ${shown} of ${total} rows.`,
  chartAlt: (title) => `Chart: ${title}`,
  footer: (project) => `Generated automatically by Sightline for ${project}.`,
  watermark: 'Internal — do not forward',
  subscriptionHint: 'To change recipients or timing, edit the report schedule in Sightline.',
  sectionSheet: (index) => `Details ${index}`,
};

/** The fixed words of the report outputs in `locale`. */
export function getReportTexts(locale: ReportLocale): ReportTexts {
  return locale === 'zh-CN' ? ZH_CN : EN;
}
