// Builds the browser SDK: dist/sightline.js (script tag, IIFE, window.sightline) and
// dist/sightline.mjs (ESM for bundlers), minified, and fails when the script-tag build is over
// its size budget (issue: core at most 6 KB min+gzip).
import { mkdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const BUDGET_BYTES = 6 * 1024;
const here = new URL('.', import.meta.url).pathname;
mkdirSync(`${here}dist`, { recursive: true });
const common = { bundle: true, minify: true, target: 'es2020', legalComments: 'none' };
await build({
  ...common,
  entryPoints: [`${here}src/browser/script-tag.ts`],
  format: 'iife',
  outfile: `${here}dist/sightline.js`,
});
await build({
  ...common,
  entryPoints: [`${here}src/browser/index.ts`],
  format: 'esm',
  outfile: `${here}dist/sightline.mjs`,
});
await build({
  ...common,
  entryPoints: [`${here}src/browser/vitals-script-tag.ts`],
  format: 'iife',
  outfile: `${here}dist/sightline-vitals.js`,
});
await build({
  ...common,
  entryPoints: [`${here}src/browser/vitals.ts`],
  format: 'esm',
  outfile: `${here}dist/vitals.mjs`,
});
const gzipped = gzipSync(readFileSync(`${here}dist/sightline.js`), { level: 9 }).length;
console.log(
  `@sightline/sdk: dist/sightline.js is ${gzipped} bytes min+gzip (budget ${BUDGET_BYTES})`,
);
if (gzipped > BUDGET_BYTES) {
  console.error('over the size budget: keep the core small, move extras to optional entry points');
  process.exit(1);
}
