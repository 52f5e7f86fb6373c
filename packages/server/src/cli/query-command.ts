import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  ERR_QUERY_INVALID,
  GRANULARITIES,
  METRICS,
  RANGE_PRESETS,
  SightlineError,
  type Filter,
} from '@sightline/shared';
import { closeServices, openServices } from '../app.ts';
import { findRunningServer } from '../bootstrap/index.ts';
import type { SightlineConfig } from '../config/index.ts';
import {
  createQueryCache,
  findReport,
  REPORTS,
  runReport,
  toCsv,
  type ReportRun,
  type ResultTable,
} from '../queries/index.ts';
import { loadCliConfig, printJson, type GlobalOptions } from './cli-support.ts';
import { readServerAnswer, withServerToken } from './server-session.ts';

interface QueryOptions {
  project: string;
  range?: string;
  from?: string;
  to?: string;
  granularity?: string;
  metric: string[];
  breakdown?: string;
  filter: string[];
  segment?: string;
  params?: string;
  paramsFile?: string;
  format: 'json' | 'csv' | 'table';
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `sightline query <report>`: any report of the query API, from the command line. */
export function registerQueryCommand(program: Command): void {
  program
    .command('query [report]')
    .description(
      `Run a report (${REPORTS.map((r) => r.id).join(', ')}); without one, list the metrics`,
    )
    .option('--project <projectId>', 'project to query')
    .option('--range <preset>', RANGE_PRESETS.join(' | '))
    .option('--from <date>', 'YYYY-MM-DD (project time zone) or an ISO-8601 instant')
    .option('--to <date>', 'YYYY-MM-DD (inclusive) or an ISO-8601 instant (exclusive)')
    .option('--granularity <g>', GRANULARITIES.join(' | '))
    .option('--metric <id>', 'trends / kpis: a metric (repeatable)', collect, [])
    .option('--breakdown <dimension>', 'trends: break down by a dimension')
    .option(
      '--filter <dimension=value>',
      'filter (repeatable; prop.<name>=value for a property)',
      collect,
      [],
    )
    .option('--segment <segmentId>', 'only people in this saved segment')
    .option('--params <json>', 'report parameters as JSON (see docs/api.md)')
    .option('--params-file <file>', 'report parameters from a JSON file')
    .option('--format <format>', 'json | csv | table', 'json')
    .action(async (reportId: string | undefined, options: QueryOptions, cmd: Command) => {
      if (!reportId) {
        for (const metric of METRICS)
          console.log(`${metric.id.padEnd(28)} ${metric.name.en} — ${metric.name['zh-CN']}`);
        return;
      }
      const report = findReport(reportId);
      if (!report)
        throw new SightlineError(ERR_QUERY_INVALID, {
          reason: `unknown report ${reportId}; one of ${REPORTS.map((r) => r.id).join(', ')}`,
        });
      if (!options.project)
        throw new SightlineError(ERR_QUERY_INVALID, { reason: '--project is required' });
      const config = loadCliConfig(cmd.optsWithGlobals<GlobalOptions>());
      const body = buildBody(reportId, options);
      const server = findRunningServer(config.dataDir);
      const run = server
        ? await queryServer(config, server.url, options.project, reportId, body)
        : await queryHere(config, options.project, reportId, body);
      const table = report.toTable(run.result, report.params.parse(body));
      if (options.format === 'csv') process.stdout.write(toCsv(table).replace(/^\uFEFF/, ''));
      else if (options.format === 'table') printTable(run, table);
      else printJson(run);
    });
}

export function buildBody(reportId: string, options: QueryOptions): Record<string, unknown> {
  let params: Record<string, unknown> = {};
  const text = options.paramsFile ? readFileSync(options.paramsFile, 'utf8') : options.params;
  if (text) {
    try {
      params = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new SightlineError(ERR_QUERY_INVALID, {
        reason: 'report parameters are not valid JSON',
      });
    }
  }
  if (options.metric.length > 0) {
    if (reportId === 'trends') params.series = options.metric.map((metric) => ({ metric }));
    else params.metrics = options.metric;
  }
  if (options.breakdown) params.breakdown = { dimension: options.breakdown };
  const body: Record<string, unknown> = { ...params };
  for (const key of ['range', 'from', 'to', 'granularity'] as const)
    if (options[key] !== undefined) body[key] = options[key];
  if (options.segment) body.segmentId = options.segment;
  if (options.filter.length > 0) body.filters = options.filter.map(parseFilter);
  return body;
}

function parseFilter(text: string): Filter {
  const at = text.indexOf('=');
  if (at <= 0)
    throw new SightlineError(ERR_QUERY_INVALID, { reason: `filter ${text}: use dimension=value` });
  const key = text.slice(0, at);
  const values = text.slice(at + 1).split(',');
  const target = key.startsWith('prop.') ? { property: key.slice(5) } : { dimension: key };
  return values.length > 1
    ? { ...target, op: 'in', value: values }
    : { ...target, op: 'eq', value: values[0] ?? '' };
}

async function queryHere(
  config: SightlineConfig,
  projectId: string,
  reportId: string,
  body: Record<string, unknown>,
): Promise<ReportRun> {
  const services = await openServices(config);
  try {
    const report = findReport(reportId);
    if (!report)
      throw new SightlineError(ERR_QUERY_INVALID, { reason: `unknown report ${reportId}` });
    const project = await services.projects.get(projectId);
    const cache = createQueryCache({ store: services.eventStore });
    return await runReport(
      { eventStore: services.eventStore, cache, now: services.clock.now() },
      report,
      project,
      body,
      [],
    );
  } finally {
    await closeServices(services);
  }
}

function queryServer(
  config: SightlineConfig,
  url: string,
  projectId: string,
  reportId: string,
  body: Record<string, unknown>,
): Promise<ReportRun> {
  return withServerToken(config, 'cli query', async (token) => {
    const response = await fetch(
      `${url}/api/v1/projects/${encodeURIComponent(projectId)}/reports/${reportId}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
    );
    return (await readServerAnswer(response, url)) as ReportRun;
  });
}

function printTable(run: ReportRun, table: ResultTable): void {
  console.log(
    `${run.report} · project ${run.projectId} · ${run.from} → ${run.to} (${run.timeZone})`,
  );
  const cells = [
    table.columns,
    ...table.rows.map((row) =>
      row.map((value) =>
        value === null ? '' : typeof value === 'number' ? formatNumber(value) : String(value),
      ),
    ),
  ];
  const widths = table.columns.map((_, i) =>
    Math.max(...cells.map((row) => String(row[i] ?? '').length)),
  );
  for (const row of cells)
    console.log(row.map((value, i) => String(value ?? '').padEnd(widths[i] ?? 0)).join('  '));
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}
