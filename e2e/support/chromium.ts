import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (installed by scripts/ensure-deps.mjs); SIGHTLINE_CHROMIUM overrides it. */
export const CHROMIUM = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/** Test artefacts (screenshots) go to e2e/artifacts/, which is not committed. */
export const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

export async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(ARTIFACTS, `${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
}

/**
 * Console errors and uncaught exceptions of a page, collected from the start; `keep` can leave
 * out the browser's own notes the test expects (a refused connection, a 401).
 */
export function collectProblems(
  page: Page,
  keep: (text: string) => boolean = () => true,
): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && keep(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}
