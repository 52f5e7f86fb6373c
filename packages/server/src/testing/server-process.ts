import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SIGHTLINE_BIN = resolve(import.meta.dirname, '../../bin/sightline.js');

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown hooks, no flush. */
  kill9(): Promise<void>;
}

/** Runs a `sightline` CLI command to completion (same binary users run). */
export function runSightline(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [SIGHTLINE_BIN, ...args], {
    env: { ...process.env, SIGHTLINE_LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `sightline start` on a free port and waits until /readyz answers 200. */
export async function startServerProcess(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  let output = '';
  const child = spawn(
    process.execPath,
    [SIGHTLINE_BIN, '--data-dir', dataDir, 'start', '--port', '0', '--host', '127.0.0.1'],
    {
      env: { ...process.env, SIGHTLINE_DEMO: '0', SIGHTLINE_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const deadline = Date.now() + 120_000;
  let url = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`server exited early (${child.exitCode}):\n${output}`);
    try {
      const info = JSON.parse(readFileSync(join(dataDir, 'server.json'), 'utf8')) as {
        pid: number;
        url: string;
      };
      if (info.pid === child.pid) {
        const ready = await fetch(`${info.url}/readyz`);
        if (ready.status === 200) {
          url = info.url;
          break;
        }
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!url) {
    child.kill('SIGKILL');
    throw new Error(`server did not become ready:\n${output}`);
  }
  return {
    url,
    pid: child.pid ?? -1,
    child,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
