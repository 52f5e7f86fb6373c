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
// A CJK font too, so the Chinese dashboard renders as text (not boxes) in test screenshots.
const chromium = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium';
const cjkFont = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
const missing = [
  ...(existsSync(chromium) ? [] : ['chromium']),
  ...(process.platform === 'linux' && !existsSync(cjkFont) ? ['fonts-wqy-microhei'] : []),
];
if (missing.length > 0) {
  if (process.platform === 'linux' && existsSync('/usr/bin/apt-get')) {
    console.log(`Installing for the browser tests: ${missing.join(', ')} (apt-get)…`);
    const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
    execSync(
      `${sudo}apt-get update && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing.join(' ')}`,
      { stdio: 'inherit', shell: '/bin/sh' },
    );
  } else if (missing.includes('chromium')) {
    console.warn(
      `Browser tests need Chromium at ${chromium}: install it, or point SIGHTLINE_CHROMIUM at one.`,
    );
  }
}
