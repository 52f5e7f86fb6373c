import { pipeline } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { ERR_IMPORT_FORMAT_INVALID, SightlineError } from '@sightline/shared';
import { IMPORT_LIMITS, type ImportFormat, type ImportKind } from './import-kinds.ts';
import { getImportColumns, type ImportColumns } from './import-schemas.ts';
import { splitLines } from './split-lines.ts';

/**
 * One row of the file with the line it starts on (the CSV header is line 1), or why the row could
 * not be read. Records hold only the values given: empty CSV cells and JSON nulls are left out.
 */
export type ImportStreamItem =
  { line: number; record: Record<string, unknown> } | { line: number; error: string };

export type ImportSource = AsyncIterable<Buffer | string>;

/**
 * Reads an import file row by row without holding it whole. A problem with the file as a whole
 * (empty, no or wrong header) throws ERR_IMPORT_FORMAT_INVALID; a problem with one row is
 * yielded in its place and reading goes on.
 */
export function parseImportStream(
  kind: ImportKind,
  format: ImportFormat,
  input: ImportSource,
): AsyncGenerator<ImportStreamItem> {
  return format === 'csv' ? parseCsv(getImportColumns(kind), input) : parseNdjson(input);
}

function formatError(reason: string): SightlineError {
  return new SightlineError(ERR_IMPORT_FORMAT_INVALID, { reason });
}

async function* parseNdjson(input: ImportSource): AsyncGenerator<ImportStreamItem> {
  let rows = 0;
  for await (const item of splitLines(input, IMPORT_LIMITS.maxLineBytes)) {
    if ('error' in item) {
      rows += 1;
      yield item;
      continue;
    }
    if (item.text.trim() === '') continue;
    rows += 1;
    let value: unknown;
    try {
      value = JSON.parse(item.text);
    } catch {
      yield { line: item.line, error: 'not valid JSON' };
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield { line: item.line, error: 'not a JSON object' };
      continue;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) if (record[key] === null) delete record[key];
    yield { line: item.line, record };
  }
  if (rows === 0) throw formatError('the file is empty');
}

async function* parseCsv(columns: ImportColumns, input: ImportSource) {
  let sawHeader = false;
  const skipped: ImportStreamItem[] = [];
  let lastSkippedLine = -1;
  // csv-parse counts a CRLF inside quotes as two lines; this many extra were counted so far.
  let crlfDrift = 0;
  const parser = parse({
    bom: true,
    columns: (header: string[]) => {
      sawHeader = true;
      return checkHeader(header, columns);
    },
    relax_column_count: false,
    // Every line ending, even mixed in one file: auto-detection fixes the first one it sees.
    record_delimiter: ['\r\n', '\n', '\r'],
    // A stray quote stays part of its field: csv-parse's strict mode, once it skips such a
    // record, goes on reading in quoted state and swallows the rows after it.
    relax_quotes: true,
    skip_empty_lines: true,
    // Spreadsheets export trailing rows of bare commas; they hold nothing to import or report.
    skip_records_with_empty_values: true,
    max_record_size: IMPORT_LIMITS.maxLineBytes,
    // A malformed row is reported through on_skip and parsing resumes at the next one.
    skip_records_with_error: true,
    on_skip: (error) => {
      if (!error) return undefined;
      // No resuming after an oversized record: csv-parse loses its place in the stream there,
      // and such a record is nearly always an unclosed quote that swallowed what followed.
      if (error.code === 'CSV_MAX_RECORD_SIZE')
        throw formatError(
          `the record ending near line ${String(error['lines'])} exceeds ${IMPORT_LIMITS.maxLineBytes} characters (an unclosed quote?)`,
        );
      const line = Number(error['lines']) || 0;
      // One broken record can trip several checks; report it once.
      if (line !== lastSkippedLine) skipped.push({ line, error: describeCsvError(error) });
      lastSkippedLine = line;
      return undefined;
    },
    on_record: (record: Record<string, string>, context) => {
      const breaks = countLineBreaks(record);
      const line = context.lines - breaks.counted - crlfDrift;
      crlfDrift += breaks.counted - breaks.real;
      return { line, record: withoutEmptyValues(record) };
    },
  });
  // pipeline() carries a source failure (a body over its limit, a client gone) into the parser.
  pipeline(input, parser, () => undefined);
  for await (const item of parser as AsyncIterable<{
    line: number;
    record: Record<string, unknown>;
  }>) {
    // Skips are noticed while the parser runs ahead of us; keep the report in file order.
    while (skipped[0] && skipped[0].line < item.line) yield skipped.shift() as ImportStreamItem;
    yield item;
  }
  yield* skipped;
  if (!sawHeader) throw formatError('the file is empty: a header row is required');
}

/** Lower-cases the header and refuses unknown, repeated or missing columns before any row. */
function checkHeader(header: readonly string[], columns: ImportColumns): string[] {
  const names = header.map((name) => name.trim().toLowerCase());
  const known = new Set(columns.all);
  const unknown = names.filter((name) => !known.has(name));
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  const missing = columns.required.filter((name) => !names.includes(name));
  const problems = [
    unknown.length > 0
      ? `unknown column(s) ${quoteList(unknown)}; the columns are ${columns.all.join(', ')}`
      : '',
    repeated.length > 0 ? `repeated column(s) ${quoteList(repeated)}` : '',
    missing.length > 0 ? `missing required column(s) ${missing.join(', ')}` : '',
  ].filter(Boolean);
  if (problems.length > 0) throw formatError(`header row: ${problems.join('; ')}`);
  return names;
}

function quoteList(names: readonly string[]): string {
  return names
    .slice(0, 10)
    .map((name) => JSON.stringify(name.slice(0, 50)))
    .join(', ');
}

function withoutEmptyValues(record: Record<string, string>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  // Keys are header names already checked against the known columns, so plain assignment is safe.
  for (const [key, value] of Object.entries(record)) {
    // Trimmed here, not by csv-parse: its trim option drops the rest of a chunk after a stray
    // character behind a closing quote when records with errors are skipped.
    const trimmed = value.trim();
    if (trimmed !== '') result[key] = trimmed;
  }
  return result;
}

/**
 * Line breaks inside quoted values, as csv-parse counts them (every CR and every LF) and as they
 * are (a CRLF is one): the record started that many lines before it ended.
 */
function countLineBreaks(record: Record<string, string>): { counted: number; real: number } {
  let counted = 0;
  let crlf = 0;
  for (const value of Object.values(record)) {
    for (let index = 0; index < value.length; index += 1) {
      const char = value[index];
      if (char === '\r' || char === '\n') counted += 1;
      if (char === '\r' && value[index + 1] === '\n') crlf += 1;
    }
  }
  return { counted, real: counted - crlf };
}

function describeCsvError(error: CsvError): string {
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_COLUMNS': {
      const fields = Array.isArray(error['record']) ? error['record'].length : '?';
      const columns = Array.isArray(error['columns']) ? error['columns'].length : '?';
      return `${fields} fields, but the header has ${columns}`;
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed (the rest of the file was read as that field)';
    default:
      return error.message.replace(/\s*(?:at|on) line \d+.*$/, '').slice(0, 200);
  }
}
