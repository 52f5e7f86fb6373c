import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERR_STORE_LOCKED, SightlineError } from '@sightline/shared';

const LOCK_FILE = 'server.json';

export interface RunningServer {
  pid: number;
  url: string;
  startedAt: number;
}

/** The server running on this data directory, if its process is alive. */
export function findRunningServer(dataDir: string): RunningServer | null {
  let info: RunningServer;
  try {
    info = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as RunningServer;
  } catch {
    return null;
  }
  try {
    process.kill(info.pid, 0);
    return info;
  } catch (error) {
    // EPERM: alive but not ours to signal; ESRCH: gone (stale file after kill -9).
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? info : null;
  }
}

/** Claims the data directory for this process; fails with ERR_STORE_LOCKED when a server runs. */
export function claimDataDir(dataDir: string, url: string): () => void {
  const running = findRunningServer(dataDir);
  if (running && running.pid !== process.pid) {
    throw new SightlineError(ERR_STORE_LOCKED, { dataDir, pid: running.pid });
  }
  const path = join(dataDir, LOCK_FILE);
  writeFileSync(path, JSON.stringify({ pid: process.pid, url, startedAt: Date.now() }) + '\n');
  return () => rmSync(path, { force: true });
}
