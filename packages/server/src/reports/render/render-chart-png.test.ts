import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import type { ReportChart } from '../report-document.ts';
import { CJK_FONT_PATH, getChartFontOptions, renderChartPng } from './render-chart-png.ts';
import { createReportFixture } from './report-fixtures.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which always comes first. */
function readPngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function countInkPixels(pixels: Buffer): number {
  let ink = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if ((pixels[i] ?? 255) < 128 && (pixels[i + 3] ?? 0) > 0) ink += 1;
  }
  return ink;
}

const pie = (): ReportChart => {
  const chart = createReportFixture().sections.find((s) => s.chart?.kind === 'pie')?.chart;
  if (!chart) throw new Error('fixture has no pie chart');
  return chart;
};

describe('renderChartPng', () => {
  it('renders a PNG at twice the chart size by default', () => {
    const png = renderChartPng(pie(), { locale: 'zh-CN' });
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(readPngSize(png)).toEqual({ width: 1280, height: 640 });
  });

  it('takes the size and scale it is given', () => {
    const png = renderChartPng(pie(), { locale: 'zh-CN', width: 400, height: 200, scale: 1 });
    expect(readPngSize(png)).toEqual({ width: 400, height: 200 });
  });

  it('loads the CJK font explicitly, so Chinese text is drawn', () => {
    expect(existsSync(CJK_FONT_PATH)).toBe(true);
    const fonts = getChartFontOptions();
    expect(fonts.fontFiles).toEqual([CJK_FONT_PATH]);
    expect(fonts.defaultFontFamily).toBe('WenQuanYi Micro Hei');

    const svgOf = (text: string) =>
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="#fff"/>' +
      `<text x="4" y="30" font-size="24" font-family="sans-serif" fill="#000">${text}</text></svg>`;
    const render = (text: string, font: ReturnType<typeof getChartFontOptions>) =>
      new Resvg(svgOf(text), { font }).render().pixels;
    const cjk = getChartFontOptions();
    const latinOnly = getChartFontOptions({
      fontFiles: ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'],
      loadSystemFonts: false,
    });
    // Without a font covering Han, every character is the same empty box ("tofu").
    expect(render('渠道占比', latinOnly).equals(render('一二三四', latinOnly))).toBe(true);
    expect(render('渠道占比', cjk).equals(render('一二三四', cjk))).toBe(false);
    expect(countInkPixels(render('渠道占比', cjk))).toBeGreaterThan(
      countInkPixels(render('渠道占比', latinOnly)),
    );

    const withFont = renderChartPng(pie(), { locale: 'zh-CN' });
    const without = renderChartPng(pie(), {
      locale: 'zh-CN',
      fontFiles: [],
      loadSystemFonts: false,
    });
    expect(withFont.equals(without)).toBe(false);
  });
});
