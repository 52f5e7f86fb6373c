#!/usr/bin/env node
// Runs the server's JavaScript bundle (packages/server/dist), building it first when it is
// missing or older than the sources, so no build step is needed before starting Sightline.
// SIGHTLINE_FROM_SOURCE=1 runs the TypeScript sources through tsx's loader instead (slower to
// start, about 75 MB more memory; stack traces point at the .ts files). So does a bundle that
// cannot be built (a read-only install, say), with a warning, rather than not starting.
async function runFromSource() {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}

if (process.env.SIGHTLINE_FROM_SOURCE === '1') {
  await runFromSource();
} else {
  const { DIST_ENTRY, ensureServerBuild } = await import('../build.mjs');
  let built = true;
  try {
    await ensureServerBuild();
  } catch (error) {
    built = false;
    process.stderr.write(
      `sightline: cannot build the server bundle (${error instanceof Error ? error.message : String(error)}); running from source\n`,
    );
  }
  if (built) await import(DIST_ENTRY);
  else await runFromSource();
}
