import type { Command } from 'commander';
import { SightlineError } from '@sightline/shared';
import { closeServices, openMetaServices, openServices } from '../app.ts';
import { findRunningServer } from '../bootstrap/index.ts';
import type { SightlineConfig } from '../config/index.ts';
import { runRetention, type RetentionResult } from '../retention/index.ts';
import { loadCliConfig, printJson, type GlobalOptions } from './cli-support.ts';

interface RetentionRunOptions {
  project?: string;
  json?: boolean;
}

/** `sightline retention run`: the daily retention, now. */
export function registerRetentionCommand(program: Command): void {
  program
    .command('retention')
    .description('Raw event retention')
    .command('run')
    .description("Delete raw events older than each project's retention (through a running server)")
    .option('--project <projectId>', 'only this project (default: every project)')
    .option('--json', 'print the results as JSON')
    .action(async (options: RetentionRunOptions, command: Command) => {
      const config = loadCliConfig(command.optsWithGlobals<GlobalOptions>());
      const server = findRunningServer(config.dataDir);
      // DuckDB allows one process per file: while a server holds it, ask the server to do it.
      const results = server
        ? await runThroughServer(config, server.url, options.project)
        : await runInProcess(config, options.project);
      if (options.json) printJson({ results });
      else for (const result of results) console.log(describeResult(result));
    });
}

async function runInProcess(
  config: SightlineConfig,
  projectId: string | undefined,
): Promise<RetentionResult[]> {
  const services = await openServices(config);
  try {
    return await runRetention(services, { actor: 'cli', ...(projectId ? { projectId } : {}) });
  } finally {
    await closeServices(services);
  }
}

async function runThroughServer(
  config: SightlineConfig,
  url: string,
  projectId: string | undefined,
): Promise<RetentionResult[]> {
  const meta = await openMetaServices(config);
  try {
    const projectIds = projectId ? [projectId] : (await meta.projects.list()).map((p) => p.id);
    // A token for this command only: it expires within a day even if revoking it below fails.
    const { id, token } = await meta.auth.createToken(
      { name: 'cli retention', role: 'admin', expiresInDays: 1 },
      'cli',
    );
    try {
      const results: RetentionResult[] = [];
      for (const target of projectIds) {
        const path = `/api/v1/projects/${encodeURIComponent(target)}/retention/run`;
        results.push(await postJson<RetentionResult>(`${url}${path}`, token));
      }
      return results;
    } finally {
      await meta.auth.revokeToken(id, 'cli');
    }
  } finally {
    await meta.metaStore.close();
  }
}

interface ErrorAnswer {
  error?: { code?: string; message?: string };
}

async function postJson<T>(url: string, token: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  const body: unknown = await response.json().catch(() => null);
  // The server validated its answer against the route's response schema.
  if (response.ok) return body as T;
  const error = (body as ErrorAnswer | null)?.error;
  // Re-raise the server's catalogue error as is, so the CLI prints `code: message`.
  throw new SightlineError({
    code: error?.code ?? 'ERR_INTERNAL',
    status: response.status,
    template: error?.message ?? `HTTP ${response.status} from ${url}`,
    hint: '',
  });
}

function describeResult(result: RetentionResult): string {
  const cutoff = new Date(result.cutoff).toISOString();
  return `${result.projectId}: deleted ${result.deletedEvents} events before ${cutoff} (retention ${result.retentionDays} d)`;
}
