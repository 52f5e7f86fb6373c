import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import type { ReportChart, ReportLocale } from '../report-document.ts';
import {
  DEFAULT_CHART_HEIGHT_PX,
  DEFAULT_CHART_WIDTH_PX,
  renderChartSvg,
} from './render-chart-svg.ts';

/** Debian's `fonts-wqy-microhei`: the CJK font every chart image is drawn with. */
export const CJK_FONT_PATH = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
const CJK_FONT_FAMILY = 'WenQuanYi Micro Hei';

export interface RenderChartPngOptions {
  locale: ReportLocale;
  /** CSS pixels; default 640. The PNG has `width × scale` pixels. */
  width?: number;
  /** CSS pixels; default 320. */
  height?: number;
  /** Device pixels per CSS pixel; default 2, so mail clients on dense screens show it crisp. */
  scale?: number;
  /** Font files loaded besides the system's; default the WenQuanYi Micro Hei file. */
  fontFiles?: string[];
  /** Whether resvg also loads the system's fonts; default true. */
  loadSystemFonts?: boolean;
}

/**
 * The font setup handed to resvg. The CJK font is loaded explicitly and made the default and
 * sans-serif family: resvg only draws glyphs of fonts it knows, and without one covering Chinese
 * every label would come out as empty boxes.
 */
export function getChartFontOptions(
  options: Pick<RenderChartPngOptions, 'fontFiles' | 'loadSystemFonts'> = {},
): NonNullable<ResvgRenderOptions['font']> {
  return {
    fontFiles: options.fontFiles ?? [CJK_FONT_PATH],
    loadSystemFonts: options.loadSystemFonts ?? true,
    defaultFontFamily: CJK_FONT_FAMILY,
    sansSerifFamily: CJK_FONT_FAMILY,
  };
}

/** A report chart as a PNG image (ECharts' SVG rasterised by resvg), `scale`× the given size. */
export function renderChartPng(chart: ReportChart, options: RenderChartPngOptions): Buffer {
  const width = options.width ?? DEFAULT_CHART_WIDTH_PX;
  const height = options.height ?? DEFAULT_CHART_HEIGHT_PX;
  const scale = options.scale ?? 2;
  const svg = renderChartSvg(chart, { locale: options.locale, width, height });
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: Math.round(width * scale) },
    background: '#ffffff',
    font: getChartFontOptions(options),
    shapeRendering: 2,
    textRendering: 1,
  });
  return resvg.render().asPng();
}
