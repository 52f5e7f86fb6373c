import { describe, expect, it } from 'vitest';
import type { ReportChart } from '../report-document.ts';
import { renderChartSvg } from './render-chart-svg.ts';
import { createReportFixture } from './report-fixtures.ts';

function getChart(locale: 'zh-CN' | 'en', id: string): ReportChart {
  const chart = createReportFixture({ locale }).sections.find((s) => s.chart?.id === id)?.chart;
  if (!chart) throw new Error(`fixture has no chart ${id}`);
  return chart;
}

const textsOf = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('renderChartSvg', () => {
  it('draws a line chart with its title, legend, categories and yuan axis labels', () => {
    const svg = renderChartSvg(getChart('zh-CN', 'orders-trend'), { locale: 'zh-CN' });
    expect(svg.startsWith('<svg width="640" height="320"')).toBe(true);
    const texts = textsOf(svg);
    expect(texts).toEqual(expect.arrayContaining(['GMV 趋势', '本期', '上期', '11-14', '11-20']));
    expect(texts).toEqual(expect.arrayContaining(['¥0', '¥10,000']));
    expect(svg).toContain('ecmeta_ssr_type="legend"');
    expect(svg).toContain('<rect width="640" height="320" x="0" y="0" fill="#ffffff">');
  });

  it('formats ratio and duration axes by unit', () => {
    const latency = textsOf(renderChartSvg(getChart('en', 'latency-bar'), { locale: 'en' }));
    expect(latency).toEqual(expect.arrayContaining(['0 ms', '900 ms', '1.5 s', '/api/checkout']));
    const ratio: ReportChart = {
      id: 'conv',
      title: 'Conversion',
      kind: 'bar',
      unit: 'ratio',
      categories: ['A', 'B'],
      series: [{ name: 'Only series', values: [0.12, 0.2] }],
    };
    const svg = renderChartSvg(ratio, { locale: 'en' });
    expect(textsOf(svg)).toEqual(expect.arrayContaining(['0%', '20%']));
    // One series: no legend.
    expect(svg).not.toContain('ecmeta_ssr_type="legend"');
    expect(textsOf(svg)).not.toContain('Only series');
  });

  it('labels pie slices with their names and shares', () => {
    const svg = renderChartSvg(getChart('zh-CN', 'channel-share'), { locale: 'zh-CN' });
    expect(textsOf(svg)).toEqual(
      expect.arrayContaining(['抖音 56.7%', '微信小程序 27.1%', 'App 9.7%', '其他 6.5%']),
    );
  });

  it('is the same string for the same chart, with ids derived from the chart id', () => {
    const chart = getChart('zh-CN', 'orders-trend');
    const first = renderChartSvg(chart, { locale: 'zh-CN', width: 500, height: 250 });
    renderChartSvg(getChart('zh-CN', 'latency-bar'), { locale: 'zh-CN' });
    const second = renderChartSvg(chart, { locale: 'zh-CN', width: 500, height: 250 });
    expect(second).toBe(first);
    expect(first).not.toMatch(/\bzr\d+-/);
    expect(first).toContain('clip-path="url(#sl-orders-trend-c');
  });

  it('escapes series and category names', () => {
    const chart: ReportChart = {
      id: 'x',
      title: '<script>alert(1)</script>',
      kind: 'line',
      unit: 'count',
      categories: ['a&b'],
      series: [
        { name: '<b>one</b>', values: [1] },
        { name: 'two', values: [null] },
      ],
    };
    const svg = renderChartSvg(chart, { locale: 'en' });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;one&lt;/b&gt;');
  });
});
