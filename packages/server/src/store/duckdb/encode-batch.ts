import { EVENT_COLUMNS, type ColumnKind } from '../row-columns.ts';
import type { EventRow, WriteBatch } from '../rows.ts';
import { checkValue, createRowChecker, type BatchFacts } from './check-rows.ts';

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

const QUOTED_KINDS: ReadonlySet<ColumnKind> = new Set(['text', 'uuid']);
/** Characters JSON.stringify would escape (surrogates: it escapes lone ones). */
// eslint-disable-next-line no-control-regex -- control characters are what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON string literal; most values need no escaping, and a test is cheaper than stringify. */
function quote(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/**
 * Checks a batch against what DuckDB would refuse (check-rows.ts) and encodes it. The events are
 * checked and serialised in the same pass over their columns.
 */
export function createBatchEncoder(required: ReadonlySet<string>): BatchEncoder {
  const checkFacts = createRowChecker(required);
  const columns = EVENT_COLUMNS.map(([column, field, kind]) => ({
    column,
    field: field as keyof EventRow,
    kind,
    quoted: QUOTED_KINDS.has(kind),
    key: `${JSON.stringify(field)}:`,
    required: required.has(`events.${column}`),
  }));

  function encodeEvent(row: EventRow, index: number): string {
    let json = '';
    for (const column of columns) {
      const value = row[column.field];
      if (value === null || value === undefined) {
        if (column.required)
          throw new BatchRefusedError(`events[${index}].${column.column} is required`);
        continue;
      }
      const problem = checkValue(column.kind, value);
      if (problem) throw new BatchRefusedError(`events[${index}].${column.column} ${problem}`);
      json += (json === '' ? '{' : ',') + column.key;
      json += column.quoted ? quote(value as string) : String(value);
    }
    return json === '' ? '{}' : `${json}}`;
  }

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
