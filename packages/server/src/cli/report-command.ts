import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ERR_REQUEST_INVALID, SightlineError } from '@sightline/shared';
import { closeServices, openServices } from '../app.ts';
import { DEMO_PROJECT_ID, findRunningServer } from '../bootstrap/index.ts';
import type { SightlineConfig } from '../config/index.ts';
import { generateReportInputSchema, REPORT_KINDS, type ReportRun } from '../reports/index.ts';
import { loadCliConfig, printJson, type GlobalOptions } from './cli-support.ts';
import { readServerAnswer, withServerToken } from './server-session.ts';

interface ReportOptions {
  project: string;
  date?: string;
  locale?: string;
  deliver: boolean;
  out?: string;
}

const POLL_MS = 500;

/**
 * `sightline report <daily|weekly|monthly>`: generates a report for any past period (the last
 * complete one by default), through the running server when there is one, and saves its files.
 */
export function registerReportCommand(program: Command): void {
  program
    .command('report <kind>')
    .description(`Generate a report (${REPORT_KINDS.join(', ')}) for a past period`)
    .option('--project <projectId>', 'project', DEMO_PROJECT_ID)
    .option('--date <YYYY-MM-DD>', 'any local date in the period; default: the last complete one')
    .option('--locale <locale>', "zh-CN | en; default: the definition's")
    .option('--deliver', "also send it to the definition's recipients and channels", false)
    .option('--out <dir>', 'save the generated files (xlsx, html, pdf) in this directory')
    .action(async (kind: string, options: ReportOptions, cmd: Command) => {
      const parsed = generateReportInputSchema.safeParse({
        kind,
        deliver: options.deliver,
        ...(options.date ? { date: options.date } : {}),
        ...(options.locale ? { locale: options.locale } : {}),
      });
      if (!parsed.success)
        throw new SightlineError(ERR_REQUEST_INVALID, {
          reason: parsed.error.issues
            .map((issue) => `${issue.path.join('.') || 'kind'}: ${issue.message}`)
            .join('; '),
        });
      const config = loadCliConfig(cmd.optsWithGlobals<GlobalOptions>());
      const server = findRunningServer(config.dataDir);
      const run = server
        ? await generateOnServer(config, server.url, options, parsed.data)
        : await generateHere(config, options, parsed.data);
      printJson(run);
      if (run.status === 'failed') process.exitCode = 1;
    });
}

async function generateHere(
  config: SightlineConfig,
  options: ReportOptions,
  input: ReturnType<typeof generateReportInputSchema.parse>,
): Promise<ReportRun> {
  const services = await openServices(config);
  try {
    const queued = await services.reports.generate(options.project, input, {
      actor: 'cli',
      trigger: 'cli',
    });
    const run = await services.reports.waitFor(queued);
    // Deliveries go out now, not at the next tick of a server that is not running.
    if (run.deliver) await services.reports.tick();
    if (options.out && run.status === 'done') {
      mkdirSync(options.out, { recursive: true });
      for (const file of run.files) {
        const opened = await services.reports.openFile(run.projectId, run.id, file.format);
        const chunks: Buffer[] = [];
        for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
        writeFileSync(join(options.out, opened.filename), Buffer.concat(chunks));
        console.error(`saved ${join(options.out, opened.filename)}`);
      }
    }
    return run;
  } finally {
    await closeServices(services);
  }
}

function generateOnServer(
  config: SightlineConfig,
  url: string,
  options: ReportOptions,
  input: ReturnType<typeof generateReportInputSchema.parse>,
): Promise<ReportRun> {
  return withServerToken(config, 'cli report', async (token) => {
    const base = `${url}/api/v1/projects/${encodeURIComponent(options.project)}/report-runs`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(base, { method: 'POST', headers, body: JSON.stringify(input) });
    let run = (await readServerAnswer(created, url)) as ReportRun;
    while (run.status === 'queued' || run.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      run = (await readServerAnswer(
        await fetch(`${base}/${run.id}`, { headers }),
        url,
      )) as ReportRun;
    }
    if (options.out && run.status === 'done') {
      mkdirSync(options.out, { recursive: true });
      for (const file of run.files) {
        const response = await fetch(`${base}/${run.id}/files/${file.format}`, { headers });
        if (!response.ok) await readServerAnswer(response, url);
        const label = run.kind === 'monthly' ? run.periodStart.slice(0, 7) : run.periodStart;
        const name = `sightline-${run.kind}-${label}.${file.format}`;
        writeFileSync(join(options.out, name), Buffer.from(await response.arrayBuffer()));
        console.error(`saved ${join(options.out, name)}`);
      }
    }
    return run;
  });
}
