import { describe, expect, it } from 'vitest';
import { formatChange, formatValue } from './format-value.ts';
import { renderReportHtml } from './render-report-html.ts';
import { renderReportText } from './render-report-text.ts';
import { MAX_HTML_TABLE_ROWS } from './render-section-html.ts';
import { createReportFixture } from './report-fixtures.ts';

const HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';

describe('renderReportHtml', () => {
  it('references each attached chart by cid exactly once', () => {
    const doc = createReportFixture({ locale: 'zh-CN' });
    const { html, images } = renderReportHtml(doc, { images: 'cid' });
    const referenced = [...html.matchAll(/src="cid:([^"]+)"/g)].map((m) => m[1]);
    expect(referenced).toEqual(images.map((i) => i.cid));
    expect(new Set(referenced).size).toBe(referenced.length);
    expect(images.map((i) => i.filename)).toEqual([
      '1-orders.png',
      '2-channels.png',
      '3-latency.png',
    ]);
    for (const image of images) {
      expect(image.png.subarray(1, 4).toString('latin1')).toBe('PNG');
    }
    expect(html).toContain('alt="图表：GMV 趋势"');
    expect(html).not.toContain('data:image');
  });

  it('inlines the charts as data URIs when asked, with no cid left', () => {
    const { html, images } = renderReportHtml(createReportFixture(), { images: 'data-uri' });
    expect(images).toEqual([]);
    expect(html).not.toContain('cid:');
    expect(html.match(/src="data:image\/png;base64,/g)).toHaveLength(3);
  });

  it('shows every headline value and both changes as the formatter writes them', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const doc = createReportFixture({ locale });
      const { html } = renderReportHtml(doc, { images: 'data-uri' });
      expect(html).toContain(`<html lang="${locale}">`);
      for (const kpi of doc.headline) {
        expect(html).toContain(`>${formatValue(kpi.value, kpi.unit, locale)}</div>`);
        expect(html).toContain(
          `>${formatChange(kpi.value, kpi.previous, kpi.unit, locale)}</span>`,
        );
      }
    }
  });

  it('colours changes by whether higher is better', () => {
    const { html } = renderReportHtml(createReportFixture({ locale: 'en' }), { images: 'cid' });
    // GMV rose (good), refund rate rose (bad), API latency fell (good), new users unknown.
    expect(html).toContain('color:#15803d;font-weight:bold;">+12.2%</span>');
    expect(html).toContain('color:#b91c1c;font-weight:bold;">+30.0%</span>');
    expect(html).toContain('color:#15803d;font-weight:bold;">−44.1%</span>');
    expect(html).toContain('color:#6b7280;font-weight:bold;">—</span>');
  });

  it('escapes every string from the document', () => {
    const doc = createReportFixture({ locale: 'en', projectName: HOSTILE });
    doc.title = HOSTILE;
    doc.sections[0]!.title = HOSTILE;
    doc.suggestions[0]!.text = HOSTILE;
    const { html } = renderReportHtml(doc, { images: 'cid' });
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>wechat</b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img');
    expect(html).toContain('Channel: &lt;b&gt;wechat&lt;/b&gt;');
  });

  it('links to the dashboard only with an http(s) URL', () => {
    const doc = createReportFixture({ locale: 'en' });
    const { html } = renderReportHtml(doc, { images: 'cid' });
    expect(html).toContain(
      'href="https://sightline.example.com/p/prj_acme/overview?from=2026-11-20&amp;to=2026-11-20&amp;a=1"',
    );
    expect(html).toContain('>Open in dashboard</a>');
    doc.dashboardUrl = 'javascript:alert(1)';
    const hostile = renderReportHtml(doc, { images: 'cid' }).html;
    expect(hostile).not.toContain('javascript:');
    expect(hostile).not.toContain('Open in dashboard');
  });

  it('adds the diagnosis and action items to monthly reports only', () => {
    const monthly = renderReportHtml(createReportFixture({ kind: 'monthly' }), {
      images: 'cid',
    }).html;
    expect(monthly).toContain('经营诊断');
    expect(monthly).toContain(
      '<li style="margin:0 0 6px 0;font-size:14px;line-height:22px;color:#374151;">补货 SKU-42 与 SKU-77。</li>',
    );
    const daily = renderReportHtml(createReportFixture({ kind: 'daily' }), { images: 'cid' }).html;
    expect(daily).not.toContain('经营诊断');
  });

  it('shows the first rows of a long table and says how many there are', () => {
    const doc = createReportFixture({ locale: 'en' });
    const rows = Array.from({ length: 60 }, (_, i) => [`SKU-${i}`, i * 100, i]);
    doc.sections[3]!.table.rows = rows;
    const { html } = renderReportHtml(doc, { images: 'cid' });
    expect(html).toContain(`>SKU-${MAX_HTML_TABLE_ROWS - 1}</td>`);
    expect(html).not.toContain(`>SKU-${MAX_HTML_TABLE_ROWS}</td>`);
    expect(html).toContain(`Showing the first ${MAX_HTML_TABLE_ROWS} of 60 rows.`);
  });
});

describe('renderReportText', () => {
  it('says what the HTML says, as plain text', () => {
    const doc = createReportFixture({ kind: 'monthly', locale: 'en', projectName: HOSTILE });
    const text = renderReportText(doc);
    expect(
      text.startsWith(`${doc.title}\nMonthly report · ${HOSTILE}\nPeriod: November 2026\n`),
    ).toBe(true);
    expect(text).toContain('- GMV: ¥12,345.67 (vs previous +12.2%, vs last year —)');
    expect(text).toContain('- Coupon GMV: ¥500.50 (vs previous new, vs last year new)');
    expect(text).toContain(
      '    Channel: douyin — Previous ¥5,800, Current ¥7,000, Contribution +¥1,200 (89.17%)',
    );
    expect(text).toContain('- [Critical] 3 best sellers have under 2 days of stock.');
    expect(text).toContain('2. Restock SKU-42 and SKU-77.');
    expect(text).toContain('- Date: 2026-11-16 · GMV: — · Orders: 3,142 · Conversion: —');
    expect(text).toContain(`Open in dashboard: ${doc.dashboardUrl}\n`);
    expect(text).toContain('Generated at: 2026-11-21 08:00 (Asia/Shanghai)');
  });
});
