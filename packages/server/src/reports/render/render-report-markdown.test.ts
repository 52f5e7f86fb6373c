import { isSightlineError } from '@sightline/shared';
import { describe, expect, it } from 'vitest';
import { renderReportMarkdown } from './render-report-markdown.ts';
import { createReportFixture } from './report-fixtures.ts';

const URL_ = 'https://sightline.example.com/p/prj_acme/reports/run_1';
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

function expectValidUtf8(text: string): void {
  const encoded = Buffer.from(text, 'utf8');
  expect(new TextDecoder('utf-8', { fatal: true }).decode(encoded)).toBe(text);
  expect(text).not.toContain('\ufffd');
}

describe('renderReportMarkdown', () => {
  it('summarises the headline, explanations and suggestions, then links to the report', () => {
    const doc = createReportFixture({ locale: 'zh-CN' });
    const { title, markdown } = renderReportMarkdown(doc, { maxBytes: 4096, url: URL_ });
    expect(title).toBe('日报 · 2026-11-20');
    expect(markdown).toBe(
      [
        '### 日报 · 2026-11-20',
        '日报 · Acme 旗舰店 · 2026年11月20日',
        '',
        '**核心指标**',
        '- **GMV** ¥12,345.67 环比 +12.2% · 同比 —',
        '- **订单数** 3,456 环比 −1.3% · 同比 +15.2%',
        '- **支付转化率** 12.34% 环比 +11.1% · 同比 +23.4%',
        '- **退款率** 5.2% 环比 +30.0% · 同比 +4.0%',
        '- **接口 P95 延迟** 850 ms 环比 −44.1% · 同比 —',
        '- **新用户** — 环比 — · 同比 —',
        '- **优惠券 GMV** ¥500.50 环比 新增 · 同比 新增',
        '',
        '**变化解读**',
        '- GMV 环比增长 12.2%，主要来自抖音渠道（贡献 89.2%）。',
        '- 接口 P95 延迟下降 44.1%。',
        '',
        '**建议**',
        '- **严重** 3 个热销商品库存不足 2 天。',
        '- **注意** 退款率上升到 5.2%，请检查商品 SKU-42 的质量反馈。',
        '- **提示** 抖音渠道增长明显，可考虑加大投放。',
        '',
        `[查看完整报告](${URL_})`,
      ].join('\n'),
    );
  });

  it('fits every budget from the link alone upwards, keeping the link and whole lines', () => {
    const doc = createReportFixture({ locale: 'zh-CN' });
    const link = `[查看完整报告](${URL_})`;
    const full = renderReportMarkdown(doc, { maxBytes: 100_000, url: URL_ }).markdown;
    for (let maxBytes = bytes(link); maxBytes <= bytes(full) + 2; maxBytes += 7) {
      const { markdown } = renderReportMarkdown(doc, { maxBytes, url: URL_ });
      expect(bytes(markdown)).toBeLessThanOrEqual(maxBytes);
      expect(markdown.endsWith(link)).toBe(true);
      expectValidUtf8(markdown);
      // Whole lines only: bold markers stay paired on every line.
      for (const line of markdown.split('\n')) expect(line.split('**').length % 2).toBe(1);
    }
    expect(renderReportMarkdown(doc, { maxBytes: bytes(link), url: URL_ }).markdown).toBe(link);
  });

  it('clips a long title at a character boundary for a tiny budget', () => {
    const doc = createReportFixture({ locale: 'zh-CN' });
    doc.title = '超长标题'.repeat(30);
    const link = `[查看完整报告](${URL_})`;
    const maxBytes = bytes(link) + 20;
    const { markdown } = renderReportMarkdown(doc, { maxBytes, url: URL_ });
    // "### " (4) + "…" (3) + "\n" (1) leave 12 bytes: four 3-byte characters.
    expect(markdown).toBe(`### 超长标题…\n${link}`);
    expect(bytes(markdown)).toBe(maxBytes);
    expectValidUtf8(markdown);
  });

  it('refuses a budget that cannot hold the link, and links that are not http(s)', () => {
    const doc = createReportFixture();
    const attempt = (maxBytes: number, url: string) => {
      try {
        renderReportMarkdown(doc, { maxBytes, url });
        return null;
      } catch (error) {
        return isSightlineError(error) ? error.code : 'other';
      }
    };
    expect(attempt(10, URL_)).toBe('ERR_REPORT_CHAT_BUDGET_TOO_SMALL');
    expect(attempt(4096, 'javascript:alert(1)')).toBe('ERR_REPORT_LINK_INVALID');
  });

  it('keeps text from the document inert and the link target intact', () => {
    const doc = createReportFixture({
      locale: 'en',
      projectName: '[click](javascript:alert(1)) <b>*x*</b>\n# heading',
    });
    const { markdown } = renderReportMarkdown(doc, {
      maxBytes: 4096,
      url: 'https://example.com/a (b)',
    });
    expect(markdown).toContain(
      'Daily report · ［click］(javascript:alert(1)) ＜b＞＊x＊＜/b＞ ＃ heading',
    );
    expect(markdown.endsWith('[View full report](https://example.com/a%20%28b%29)')).toBe(true);
  });
});
