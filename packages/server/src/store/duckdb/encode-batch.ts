import { EVENT_COLUMNS, type ColumnKind } from '../row-columns.ts';
import type { EventRow, WriteBatch } from '../rows.ts';
import { checkValue, createRowChecker, UUID_PATTERN, type BatchFacts } from './check-rows.ts';

const HOUR_MS = 3_600_000;

export type { BatchFacts } from './check-rows.ts';

/**
 * A write batch as the ingest log wants it: each event already JSON text (the log line and what
 * DuckDB parses), plus what acknowledging needs per event (its id, project and hour). It is
 * built where the rows are made and crosses to the store's thread as a few string arrays, which
 * costs a small fraction of copying ~50-field row objects between threads.
 */
export interface EncodedBatch {
  /** Each event as compact JSON: its row fields, null ones left out (DuckDB reads them as NULL). */
  events: string[];
  eventIds: string[];
  /** Per event, its index into `groups`. */
  eventGroups: number[];
  /** Distinct project and hour of receipt of the events, for the ingest counters. */
  groups: Array<{ projectId: string; hour: number }>;
  facts: BatchFacts;
}

export type BatchEncoder = (batch: WriteBatch) => EncodedBatch;

/** Refused rows: the message names the table, row index and column. */
export class BatchRefusedError extends Error {
  constructor(problem: string) {
    super(`write batch refused: ${problem}`);
  }
}

/** Characters JSON.stringify would escape (surrogates: it escapes lone ones). */
// eslint-disable-next-line no-control-regex -- control characters are what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON string literal; most values need no escaping, and a test is cheaper than stringify. */
function quote(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** Per kind, the test a value fails (in terms of `v`); the same rules as checkValue. */
const FAILS: Record<ColumnKind, string> = {
  uuid: `typeof v !== 'string' || !UUID_PATTERN.test(v)`,
  text: `typeof v !== 'string'`,
  bool: `typeof v !== 'boolean'`,
  int: `!(Number.isInteger(v) && Math.abs(v) < 2147483648)`,
  bigint: `!Number.isSafeInteger(v)`,
  time: `!Number.isSafeInteger(v)`,
  double: `!(typeof v === 'number' && Number.isFinite(v))`,
};

type EventEncoder = (row: EventRow, index: number) => string;

/**
 * The event encoder for these columns, as code written out once: one property read and one
 * check per column, in order. A loop over the column list reads `row[field]` with a different
 * key each time, which V8 cannot specialise (encoding took ~20% longer that way). Only the
 * column list (row-columns.ts) and the NOT NULL set shape the code; values never do.
 */
function compileEventEncoder(required: ReadonlySet<string>): EventEncoder {
  const lines = EVENT_COLUMNS.map(([column, field, kind], k) => {
    const v = `row[${JSON.stringify(field)}]`;
    const missing = required.has(`events.${column}`) ? `missing(index, ${k});` : '';
    // A UUID has passed its pattern (hex digits and dashes): nothing in it needs escaping.
    const text = kind === 'uuid' ? `'"' + v + '"'` : kind === 'text' ? 'quote(v)' : 'String(v)';
    return (
      `v = ${v};\n` +
      `if (v === null || v === undefined) { ${missing} } else {\n` +
      `  if (${FAILS[kind]}) invalid(index, ${k}, v);\n` +
      `  json += (json === '' ? '{' : ',') + ${JSON.stringify(`${JSON.stringify(field)}:`)} + ${text};\n` +
      `}`
    );
  });
  const body = `let json = '';\nlet v;\n${lines.join('\n')}\nreturn json === '' ? '{}' : json + '}';`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- code from the column list only
  const make = new Function(
    'quote',
    'missing',
    'invalid',
    'UUID_PATTERN',
    `return function encodeEvent(row, index) {\n${body}\n};`,
  ) as (
    quote: (value: string) => string,
    missing: (index: number, k: number) => never,
    invalid: (index: number, k: number, value: unknown) => never,
    uuidPattern: RegExp,
  ) => EventEncoder;
  return make(
    quote,
    (index, k) => {
      throw new BatchRefusedError(`events[${index}].${EVENT_COLUMNS[k]?.[0]} is required`);
    },
    (index, k, value) => {
      const [column, , kind] = EVENT_COLUMNS[k] as (typeof EVENT_COLUMNS)[number];
      throw new BatchRefusedError(`events[${index}].${column} ${checkValue(kind, value)}`);
    },
    UUID_PATTERN,
  );
}

/**
 * Checks a batch against what DuckDB would refuse (check-rows.ts) and encodes it. The events are
 * checked and serialised in the same pass over their columns.
 */
export function createBatchEncoder(required: ReadonlySet<string>): BatchEncoder {
  const checkFacts = createRowChecker(required);
  const encodeEvent = compileEventEncoder(required);

  return (batch) => {
    const count = batch.events.length;
    const events = new Array<string>(count);
    const eventIds = new Array<string>(count);
    const eventGroups = new Array<number>(count);
    const groups: EncodedBatch['groups'] = [];
    let group = -1;
    for (let i = 0; i < count; i += 1) {
      const row = batch.events[i] as EventRow;
      events[i] = encodeEvent(row, i);
      eventIds[i] = row.eventId;
      const hour = Math.floor(row.receivedAt / HOUR_MS) * HOUR_MS;
      // Events of one request share both, so the previous event's group nearly always fits.
      const last = groups[group];
      if (!last || last.projectId !== row.projectId || last.hour !== hour) {
        group = groups.findIndex((g) => g.projectId === row.projectId && g.hour === hour);
        if (group < 0) group = groups.push({ projectId: row.projectId, hour }) - 1;
      }
      eventGroups[i] = group;
    }
    const { events: _events, ...facts } = batch;
    const problem = checkFacts(facts);
    if (problem) throw new BatchRefusedError(problem);
    return { events, eventIds, eventGroups, groups, facts };
  };
}

/** The event rows back from their JSON (null fields come back absent). */
export function decodeEvents(events: readonly string[]): EventRow[] {
  return events.length === 0 ? [] : (JSON.parse(`[${events.join(',')}]`) as EventRow[]);
}
