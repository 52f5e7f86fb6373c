// Builds the dashboard before `npm start` when there is no build yet or its sources changed
// since the last one, so the quick start needs nothing more than `npm install && npm start`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = new URL('../packages/dashboard/', import.meta.url).pathname;
// SIGHTLINE_DASHBOARD_DIR: the server serves (and this builds) another directory.
const outDir = process.env.SIGHTLINE_DASHBOARD_DIR
  ? resolve(process.env.SIGHTLINE_DASHBOARD_DIR)
  : join(root, 'dist');
const built = join(outDir, 'index.html');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const sources = Math.max(newest(join(root, 'src')), statSync(join(root, 'index.html')).mtimeMs);
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  console.log('Building the dashboard (once after each change)…');
  execFileSync('npm', ['run', 'build', '-w', '@sightline/dashboard', '--', '--outDir', outDir], {
    stdio: 'inherit',
  });
}
