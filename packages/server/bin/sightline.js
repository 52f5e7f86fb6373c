#!/usr/bin/env node
// Runs the server's JavaScript bundle (packages/server/dist), building it first when it is
// missing or older than the sources, so no build step is needed before starting Sightline.
// SIGHTLINE_FROM_SOURCE=1 runs the TypeScript sources through tsx's loader instead (slower to
// start, about 75 MB more memory; stack traces point at the .ts files).
if (process.env.SIGHTLINE_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
} else {
  const { DIST_ENTRY, ensureServerBuild } = await import('../build.mjs');
  await ensureServerBuild();
  await import(DIST_ENTRY);
}
