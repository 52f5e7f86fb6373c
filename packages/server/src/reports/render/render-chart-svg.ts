import {
  BarChart,
  LineChart,
  PieChart,
  type BarSeriesOption,
  type LineSeriesOption,
  type PieSeriesOption,
} from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TitleComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TitleComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import type { ComposeOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { ReportChart, ReportLocale } from '../report-document.ts';
import { formatValue } from './format-value.ts';

// Registering is idempotent, so doing it at import keeps no state worth owning.
echarts.use([
  LineChart,
  BarChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TitleComponent,
  SVGRenderer,
]);

type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TitleComponentOption
>;

export interface RenderChartSvgOptions {
  locale: ReportLocale;
  /** Pixels; default 640 (the email's content width). */
  width?: number;
  /** Pixels; default 320. */
  height?: number;
}

export const DEFAULT_CHART_WIDTH_PX = 640;
export const DEFAULT_CHART_HEIGHT_PX = 320;

/** The dashboard's palette, so a report's charts look like the cards they come from. */
const PALETTE = ['#2f6bff', '#16a37f', '#f0a020', '#e5484d', '#8e4ec6', '#0090b0', '#7a869a'];

/**
 * Families in the order a renderer should try them: resvg (PNG) finds WenQuanYi on the server,
 * mail clients opening the SVG elsewhere fall back to the system's CJK font.
 */
export const CHART_FONT_FAMILY =
  "'WenQuanYi Micro Hei', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif";

function buildCartesianOption(chart: ReportChart, locale: ReportLocale): ChartOption {
  const formatAxis = (value: number) => formatValue(value, chart.unit, locale);
  const series = chart.series.map((s) => {
    // '-' is ECharts' "no value": a gap in a line, no bar.
    const data = s.values.map((v) => (v === null ? '-' : v));
    return chart.kind === 'bar'
      ? ({
          type: 'bar',
          name: s.name,
          data,
          barMaxWidth: 32,
          emphasis: { disabled: true },
        } satisfies BarSeriesOption)
      : ({
          type: 'line',
          name: s.name,
          data,
          symbol: chart.categories.length > 31 ? 'none' : 'circle',
          symbolSize: 5,
          lineStyle: { width: 2 },
          emphasis: { disabled: true },
        } satisfies LineSeriesOption);
  });
  return {
    grid: {
      left: 72,
      right: 32,
      top: chart.series.length > 1 ? 68 : 48,
      bottom: 36,
      // ECharts 6 keeps axis labels inside these bounds by itself, shrinking the grid if needed.
      outerBounds: { left: 12, right: 16, top: 0, bottom: 10 },
    },
    xAxis: {
      type: 'category',
      data: chart.categories,
      boundaryGap: chart.kind === 'bar',
      axisLabel: { hideOverlap: true, color: '#4b5563' },
      axisLine: { lineStyle: { color: '#9ca3af' } },
    },
    yAxis: {
      type: 'value',
      axisLabel: { formatter: formatAxis, color: '#4b5563' },
      splitLine: { lineStyle: { color: '#e5e7eb' } },
    },
    series,
  };
}

function buildPieOption(chart: ReportChart): ChartOption {
  // A pie shows one series: the first, as the generator puts the share it explains there.
  const first = chart.series[0];
  const data = chart.categories.map((name, i) => ({ name, value: first?.values[i] ?? 0 }));
  return {
    series: [
      {
        type: 'pie',
        name: first?.name ?? chart.title,
        radius: ['35%', '62%'],
        center: ['50%', '56%'],
        data,
        label: {
          formatter: (p: { name?: string; percent?: number }) =>
            `${p.name ?? ''} ${(p.percent ?? 0).toFixed(1)}%`,
          color: '#374151',
        },
        itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
        emphasis: { disabled: true },
      },
    ],
  };
}

function buildOption(chart: ReportChart, locale: ReportLocale): ChartOption {
  const base = chart.kind === 'pie' ? buildPieOption(chart) : buildCartesianOption(chart, locale);
  const legendCount = chart.kind === 'pie' ? 0 : chart.series.length;
  return {
    ...base,
    animation: false,
    backgroundColor: '#ffffff',
    color: PALETTE,
    textStyle: { fontFamily: CHART_FONT_FAMILY, fontSize: 12 },
    title: {
      text: chart.title,
      left: 12,
      top: 10,
      textStyle: { fontSize: 14, fontWeight: 'bold', color: '#111827' },
    },
    legend: {
      show: legendCount > 1,
      top: 34,
      left: 12,
      type: 'plain',
      itemWidth: 14,
      itemHeight: 8,
      textStyle: { color: '#374151' },
    },
  };
}

/**
 * ZRender numbers ids and CSS classes with process-wide counters ("zr3-cls-17"), so the same chart
 * would differ between calls; renumbering them from the chart's id in order of appearance makes
 * the SVG a function of its input, and keeps ids distinct when several charts share a page.
 */
function renumberIds(svg: string, chartId: string): string {
  const prefix = `sl-${chartId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const seen = new Map<string, string>();
  return svg.replace(/\bzr\d+-(cls-|ani-|[sgpc])(\d+)\b/g, (token, kind: string) => {
    let replacement = seen.get(token);
    if (replacement === undefined) {
      replacement = `${prefix}-${kind}${seen.size}`;
      seen.set(token, replacement);
    }
    return replacement;
  });
}

/**
 * A report chart as a standalone SVG document, rendered by ECharts on the server: no animation,
 * white background, the legend only when there are several series, values formatted like the
 * rest of the report. The same chart always gives the same string.
 */
export function renderChartSvg(chart: ReportChart, options: RenderChartSvgOptions): string {
  const width = options.width ?? DEFAULT_CHART_WIDTH_PX;
  const height = options.height ?? DEFAULT_CHART_HEIGHT_PX;
  const instance = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    instance.setOption(buildOption(chart, options.locale));
    return renumberIds(instance.renderToSVGString(), chart.id);
  } finally {
    instance.dispose();
  }
}
