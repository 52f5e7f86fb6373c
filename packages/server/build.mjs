// Builds the server to plain JavaScript: dist/sightline.js (the process entry, src/main.ts) and
// dist/duckdb-worker-entry.js (the event store's worker thread), with the lazily loaded parts
// (report rendering) in chunks of their own. npm packages stay outside the bundle and load from
// node_modules as usual; only Sightline's own TypeScript (this package and @sightline/shared)
// is compiled. Running the bundle instead of the sources through a TypeScript loader saves
// each of the two threads its own loader and compiled-module caches: about 75 MB of an idle
// server (see docs/architecture.md, "Running from a bundle").
//
// `node build.mjs` builds; bin/sightline.js calls ensureServerBuild() so a changed source is
// rebuilt (in well under a second) before the server starts.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST_DIR = join(here, 'dist');
export const DIST_ENTRY = join(DIST_DIR, 'sightline.js');
const STAMP_FILE = 'build-stamp.json';
const SOURCE_DIRS = [join(here, 'src'), join(here, '..', 'shared', 'src')];
// What else decides the bundle's content: this script and the packages' manifests.
const SOURCE_FILES = [
  fileURLToPath(import.meta.url),
  join(here, 'package.json'),
  join(here, '..', 'shared', 'package.json'),
];

function walk(dir, into) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, into);
    else into.push(path);
  }
  return into;
}

/**
 * What the bundle was built from: the number of source files and a digest of their paths and
 * modification times. An added, edited, moved or deleted file changes it.
 */
export function sourceStamp(dirs = SOURCE_DIRS, extraFiles = SOURCE_FILES) {
  const files = dirs
    .flatMap((dir) => walk(dir, []))
    .concat(extraFiles)
    .sort();
  const digest = createHash('sha256');
  for (const file of files) digest.update(`${file}\t${statSync(file).mtimeMs}\n`);
  return { files: files.length, digest: digest.digest('hex') };
}

function readStamp(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, STAMP_FILE), 'utf8'));
  } catch {
    return null;
  }
}

/** Whether dist/ holds a bundle of the sources as they are now. */
export function isBuildFresh(stamp = sourceStamp()) {
  const built = readStamp(DIST_DIR);
  return (
    existsSync(DIST_ENTRY) &&
    built !== null &&
    built.files === stamp.files &&
    built.digest === stamp.digest
  );
}

/** Every npm package stays an import resolved from node_modules at run time, as before. */
const packagesStayExternal = {
  name: 'packages-stay-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@sightline/') ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * Bundles entry points (name → TypeScript file) into `outdir` as the server is bundled: ESM for
 * Node 20, npm packages left to node_modules, lazily imported modules in chunks of their own.
 * Code that opens the event store needs the worker entry in the same directory; it is always
 * built alongside. Also used by the benchmarks to run a measurement the way the server runs.
 */
export async function bundleServerCode(entryPoints, outdir) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: {
      ...entryPoints,
      'duckdb-worker-entry': join(here, 'src', 'store', 'duckdb', 'duckdb-worker.ts'),
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [packagesStayExternal],
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

/**
 * Bundles the server into dist/. Built beside it first and swapped in whole, so a process
 * starting meanwhile never loads half a build; when two processes build at once, one bundle
 * wins and the other is dropped (both came from the same sources).
 */
export async function buildServer() {
  const stamp = sourceStamp();
  const outdir = `${DIST_DIR}.building-${process.pid}`;
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  try {
    await bundleServerCode({ sightline: join(here, 'src', 'main.ts') }, outdir);
    writeFileSync(join(outdir, STAMP_FILE), `${JSON.stringify(stamp)}\n`);
    const stale = `${DIST_DIR}.stale-${process.pid}`;
    try {
      if (existsSync(DIST_DIR)) renameSync(DIST_DIR, stale);
    } catch {
      // Another process moved it first; it is putting its own build in place.
    }
    try {
      renameSync(outdir, DIST_DIR);
    } catch (error) {
      // Another process put its build in place meanwhile: keep that one.
      if (!existsSync(DIST_ENTRY)) throw error;
    }
    rmSync(stale, { recursive: true, force: true });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Builds dist/ when it is missing or older than the sources; returns whether it built. */
export async function ensureServerBuild() {
  if (isBuildFresh()) return false;
  await buildServer();
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildServer();
  console.log(`server bundle: ${DIST_DIR} (${Date.now() - started} ms)`);
}
