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

// Browser tests drive Debian's Chromium through playwright-core (no browser download at install
// time). Installed here when missing, so the one test command works on a fresh machine.
const chromium = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  if (process.platform === 'linux' && existsSync('/usr/bin/apt-get')) {
    console.log('Installing Chromium for the browser tests (apt-get install chromium)…');
    const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
    execSync(
      `${sudo}apt-get update && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium`,
      { stdio: 'inherit', shell: '/bin/sh' },
    );
  } else {
    console.warn(
      `Browser tests need Chromium at ${chromium}: install it, or point SIGHTLINE_CHROMIUM at one.`,
    );
  }
}
