// Runs before `npm test`: installs npm dependencies on a fresh clone (or when the lock file
// changed), so the README's one test command works on a new machine with nothing but Node.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const marker = 'node_modules/.package-lock.json';
const stale =
  !existsSync(marker) || statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs;
if (stale) {
  // `npm install`, not `npm ci`: npm 11 prunes other platforms' optional packages (rollup's) from
  // the lock file and then `npm ci` refuses that same lock. Versions still come from the lock.
  console.log('Installing dependencies (npm install)…');
  execSync('npm install --no-audit --no-fund', { stdio: 'inherit' });
}
