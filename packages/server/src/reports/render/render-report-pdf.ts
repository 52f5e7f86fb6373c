import { ERR_REPORT_PDF_FAILED, SightlineError } from '@sightline/shared';
import { chromium, type Browser } from 'playwright-core';

export interface RenderReportPdfOptions {
  /** Chromium to drive; default Debian's /usr/bin/chromium (never downloaded). */
  chromiumPath?: string;
  /** Budget for each step (launch, layout, printing); default 60 000 ms. */
  timeoutMs?: number;
}

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';
export const DEFAULT_PDF_TIMEOUT_MS = 60_000;
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];

type PdfStep = 'launch' | 'layout' | 'print';

function wrapError(step: PdfStep, error: unknown): SightlineError {
  if (error instanceof SightlineError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // Playwright's messages carry multi-line call logs; the first line says what went wrong.
  const reason = (message.split('\n')[0] ?? message).slice(0, 500);
  return new SightlineError(ERR_REPORT_PDF_FAILED, { step, reason });
}

/**
 * Prints report HTML (rendered with `images: 'data-uri'`, so it needs nothing from the
 * network) to an A4 PDF in headless Chromium. Requests leaving the page are refused, and the
 * browser is closed whatever happens.
 */
export async function renderReportPdf(
  html: string,
  options: RenderReportPdfOptions = {},
): Promise<Buffer> {
  const timeout = options.timeoutMs ?? DEFAULT_PDF_TIMEOUT_MS;
  let step: PdfStep = 'launch';
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: options.chromiumPath ?? DEFAULT_CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      timeout,
    });
    step = 'layout';
    const context = await browser.newContext({ javaScriptEnabled: false });
    // A report is self-contained; anything it would fetch is a mistake or an injection.
    await context.route(/^(?!data:)/, (route) => route.abort());
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    await page.setContent(html, { waitUntil: 'load', timeout });
    step = 'print';
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      margin: { top: '12mm', bottom: '14mm', left: '10mm', right: '10mm' },
    });
    return Buffer.from(pdf);
  } catch (error) {
    throw wrapError(step, error);
  } finally {
    await browser?.close().catch(() => undefined);
  }
}
