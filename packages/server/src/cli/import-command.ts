import { closeSync, createReadStream, openSync, statSync, writeSync, type Stats } from 'node:fs';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import {
  ERR_IMPORT_FORMAT_INVALID,
  ERR_IMPORT_ROWS_REJECTED,
  SightlineError,
} from '@sightline/shared';
import { closeServices, openServices } from '../app.ts';
import { findRunningServer } from '../bootstrap/index.ts';
import type { SightlineConfig } from '../config/index.ts';
import {
  IMPORT_LIMITS,
  resolveImportFormat,
  resolveImportKind,
  runImport,
  type ImportFormat,
  type ImportKind,
  type ImportResult,
  type ImportRowError,
} from '../imports/index.ts';
import { loadCliConfig, printJson, type GlobalOptions } from './cli-support.ts';
import { readServerAnswer, withServerToken } from './server-session.ts';

interface ImportCommandOptions {
  project: string;
  format?: string;
  errorsOut?: string;
  json?: boolean;
}

interface ImportJob {
  projectId: string;
  kind: ImportKind;
  format: ImportFormat;
  source: AsyncIterable<Buffer>;
  onRowError: (error: ImportRowError) => void;
  onRows: (rows: number) => void;
}

const PRINTED_ERRORS = 20;
const EXTENSION_FORMATS: Readonly<Record<string, ImportFormat>> = {
  '.csv': 'csv',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
};

/** `sightline import <kind> <file>`: bulk import, through the running server when there is one. */
export function registerImportCommand(program: Command): void {
  program
    .command('import <kind> <file>')
    .description('Import orders, products or inventory snapshots from a CSV or NDJSON file')
    .requiredOption('--project <projectId>', 'project to import into')
    .option('--format <format>', 'csv | ndjson (default: from the file extension)')
    .option('--errors-out <file>', 'write every rejected row as CSV (line,code,message)')
    .option('--json', 'print the report as JSON')
    .action(async (kind: string, file: string, options: ImportCommandOptions, command: Command) => {
      const config = loadCliConfig(command.optsWithGlobals<GlobalOptions>());
      const resolvedKind = resolveImportKind(kind);
      const format = resolveImportFormat(
        options.format ?? EXTENSION_FORMATS[extname(file).toLowerCase()],
      );
      const size = checkFile(file);
      const server = findRunningServer(config.dataDir);
      const bar =
        process.stderr.isTTY && !options.json
          ? new SingleBar({
              format: server
                ? `Sending ${kind} to ${server.url} [{bar}] {percentage}%`
                : `Importing ${kind} [{bar}] {percentage}% | {rows} rows`,
            })
          : null;
      bar?.start(size, 0, { rows: 0 });
      const errorsOut = options.errorsOut ? openErrorsFile(options.errorsOut) : null;
      let rows = 0;
      const fileStream = createReadStream(file);
      const job: ImportJob = {
        projectId: options.project,
        kind: resolvedKind,
        format,
        source: countBytes(fileStream, (bytes) => bar?.update(bytes, { rows })),
        onRowError: (error) => errorsOut?.write(error),
        onRows: (read) => {
          rows = read;
        },
      };
      let result: ImportResult;
      try {
        // DuckDB allows one process per file: while a server holds it, the server imports.
        result = server
          ? await importThroughServer(config, server.url, job)
          : await importHere(config, job);
        // The server lists at most maxReportedErrors rows; that is all there is to write then.
        if (server) for (const error of result.errors) errorsOut?.write(error);
      } finally {
        bar?.stop();
        errorsOut?.close();
        fileStream.destroy();
      }
      if (server && errorsOut && result.errorsOmitted > 0)
        console.error(
          `The server lists the first ${result.errors.length} rejected rows; ${result.errorsOmitted} more are not in ${options.errorsOut}.`,
        );
      if (options.json) printJson(result);
      else printReport(result, options.project);
      if (result.rowsRejected > 0)
        throw new SightlineError(ERR_IMPORT_ROWS_REJECTED, {
          rejected: result.rowsRejected,
          rows: result.rowsRead,
        });
    });
}

function checkFile(file: string): number {
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const reason = `cannot open ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
    throw new SightlineError(ERR_IMPORT_FORMAT_INVALID, { reason });
  }
  if (!stats.isFile())
    throw new SightlineError(ERR_IMPORT_FORMAT_INVALID, { reason: `${file} is not a file` });
  if (stats.size > IMPORT_LIMITS.maxFileBytes)
    throw new SightlineError(ERR_IMPORT_FORMAT_INVALID, {
      reason: `the file is larger than ${IMPORT_LIMITS.maxFileBytes} bytes; split it`,
    });
  return stats.size;
}

async function* countBytes(source: Readable, onBytes: (bytes: number) => void) {
  let bytes = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    onBytes(bytes);
    yield chunk;
  }
}

async function importHere(config: SightlineConfig, job: ImportJob): Promise<ImportResult> {
  const services = await openServices(config);
  try {
    return await runImport({
      services,
      projectId: job.projectId,
      kind: job.kind,
      format: job.format,
      input: job.source,
      actor: 'cli',
      onRowError: job.onRowError,
      onProgress: (progress) => job.onRows(progress.rowsRead),
    });
  } finally {
    await closeServices(services);
  }
}

async function importThroughServer(
  config: SightlineConfig,
  url: string,
  job: ImportJob,
): Promise<ImportResult> {
  return withServerToken(
    config,
    'cli import',
    async (token) => {
      const path = `/api/v1/projects/${encodeURIComponent(job.projectId)}/imports/${job.kind}`;
      const response = await fetch(`${url}${path}?format=${job.format}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': job.format === 'csv' ? 'text/csv' : 'application/x-ndjson',
        },
        // Streamed: the file is never read into memory whole (duplex is required for that).
        body: Readable.toWeb(Readable.from(job.source)) as ReadableStream<Uint8Array>,
        duplex: 'half',
      });
      // The server validated its answer against the route's response schema.
      return (await readServerAnswer(response, url)) as ImportResult;
    },
    // Checked here, before the upload: a server refusing early cuts a streaming upload short.
    async (meta) => {
      await meta.projects.get(job.projectId);
    },
  );
}

function printReport(result: ImportResult, projectId: string): void {
  const seconds = (result.durationMs / 1_000).toFixed(1);
  console.log(
    `Imported ${result.rowsImported} of ${result.rowsRead} ${result.kind} rows into project ${projectId} in ${seconds} s` +
      (result.rowsRejected > 0 ? ` (${result.rowsRejected} rejected):` : '.'),
  );
  for (const error of result.errors.slice(0, PRINTED_ERRORS))
    console.log(`  line ${error.line}: ${error.message}`);
  if (result.rowsRejected > PRINTED_ERRORS)
    console.log(`  … and ${result.rowsRejected - PRINTED_ERRORS} more`);
}

/** Rejected rows as CSV; written row by row, so millions of errors never sit in memory. */
function openErrorsFile(path: string) {
  const fd = openSync(path, 'w');
  writeSync(fd, 'line,code,message\n');
  const field = (value: string) =>
    /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  return {
    write: (error: ImportRowError) =>
      writeSync(fd, `${error.line},${field(error.code)},${field(error.message)}\n`),
    close: () => closeSync(fd),
  };
}
