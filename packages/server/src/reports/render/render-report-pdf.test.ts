import { isSightlineError } from '@sightline/shared';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { renderReportHtml } from './render-report-html.ts';
import { renderReportPdf } from './render-report-pdf.ts';
import { createReportFixture } from './report-fixtures.ts';

/** The PDF's /Title, which Chromium writes as UTF-16BE hex from the page's <title>. */
function readPdfTitle(pdf: Buffer): string | null {
  const match = /\/Title\s*<FEFF([0-9A-F]*)>/i.exec(pdf.toString('latin1'));
  if (!match?.[1]) return null;
  return Buffer.from(match[1], 'hex').swap16().toString('utf16le');
}

describe('renderReportPdf', () => {
  it('prints the report HTML to an A4 PDF in Chromium, fetching nothing', async () => {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const doc = createReportFixture({ kind: 'monthly', locale: 'zh-CN' });
    const { html } = renderReportHtml(doc, { images: 'data-uri' });
    // Something that slipped into a report must not be fetched while printing.
    const tracked = html.replace(
      '</body>',
      `<img src="http://127.0.0.1:${port}/pixel.png"><link rel="stylesheet" href="http://127.0.0.1:${port}/x.css"></body>`,
    );
    const pdf = await renderReportPdf(tracked).finally(() => server.close());
    expect(requests).toEqual([]);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(1024);
    expect(readPdfTitle(pdf)).toBe(doc.title);
    const text = pdf.toString('latin1');
    const pages = text.match(/\/Type\s*\/Page\b(?!s)/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(2);
    // A4 is 595 × 842 points (Chromium rounds through CSS pixels: 595.92 × 842.88).
    expect(text).toMatch(/\/MediaBox\s*\[0 0 59[56](\.\d+)? 84[1-3](\.\d+)?\]/);
  });

  it('says which step failed when Chromium cannot start', async () => {
    const error: unknown = await renderReportPdf('<p>x</p>', {
      chromiumPath: '/nonexistent/chromium',
      timeoutMs: 5_000,
    }).catch((e: unknown) => e);
    expect(isSightlineError(error) && error.code).toBe('ERR_REPORT_PDF_FAILED');
    expect((error as Error).message).toMatch(
      /^Could not render the report as PDF \(launch\): .*\/nonexistent\/chromium/,
    );
  });
});
