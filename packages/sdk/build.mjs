// Builds the browser SDK: dist/sightline.js (script tag, IIFE, window.sightline) and
// dist/sightline.mjs (ESM for bundlers), plus the optional Web Vitals entry points, and fails
// when the script-tag build is over its size budget (core at most 6 KB min+gzip).
// esbuild bundles and minifies; terser then takes a few hundred bytes more off.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { minify } from 'terser';

const BUDGET_BYTES = 6 * 1024;
const here = new URL('.', import.meta.url).pathname;
mkdirSync(`${here}dist`, { recursive: true });

async function bundle(entry, format, out) {
  const result = await build({
    entryPoints: [`${here}src/browser/${entry}`],
    bundle: true,
    write: false,
    target: 'es2020',
    minify: true,
    format,
    legalComments: 'none',
  });
  const minified = await minify(result.outputFiles[0].text, {
    ecma: 2020,
    module: format === 'esm',
    compress: { passes: 2 },
    mangle: true,
  });
  writeFileSync(`${here}dist/${out}`, minified.code);
}

await bundle('script-tag.ts', 'iife', 'sightline.js');
await bundle('index.ts', 'esm', 'sightline.mjs');
await bundle('vitals-script-tag.ts', 'iife', 'sightline-vitals.js');
await bundle('vitals.ts', 'esm', 'vitals.mjs');
await bundle('websocket-script-tag.ts', 'iife', 'sightline-websocket.js');
await bundle('websocket.ts', 'esm', 'websocket.mjs');
const gzipped = gzipSync(readFileSync(`${here}dist/sightline.js`), { level: 9 }).length;
console.log(
  `@sightline/sdk: dist/sightline.js is ${gzipped} bytes min+gzip (budget ${BUDGET_BYTES})`,
);
if (gzipped > BUDGET_BYTES) {
  console.error('over the size budget: keep the core small, move extras to optional entry points');
  process.exit(1);
}
