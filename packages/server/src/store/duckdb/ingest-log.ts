import {
  closeSync,
  fdatasyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { WriteBatch } from '../rows.ts';
import { decodeEvents, type BatchFacts } from './encode-batch.ts';

/** A segment file is closed and a new one begun past this size. */
const SEGMENT_BYTES = 64 * 1024 * 1024;

export interface SealedSegment {
  path: string;
  /** Sequence numbers of its first and last records. */
  firstSeq: number;
  lastSeq: number;
}

/** One acknowledged batch: its sequence number, its events as JSON texts, its other rows. */
export interface LogRecord {
  seq: number;
  events: readonly string[];
  facts: BatchFacts;
}

/**
 * A record's line: `{"seq":…,"batch":{"events":[…],"identities":[…],…}}`. The events are
 * spliced in as the JSON texts they already are.
 */
export function recordLine(record: LogRecord): string {
  const facts = JSON.stringify(record.facts);
  return `{"seq":${record.seq},"batch":{"events":[${record.events.join(',')}]${facts === '{}' ? '' : `,${facts.slice(1, -1)}`}}}\n`;
}

/** A record as plain rows, for reading and for the rejected/ folder. */
export function recordBatch(record: LogRecord): WriteBatch {
  return { events: decodeEvents(record.events), ...record.facts };
}

/**
 * The ingest log: acknowledged write batches, appended and synced before the client is answered,
 * kept until DuckDB has applied them. It decouples acknowledgement from DuckDB's commits and
 * checkpoints (a checkpoint blocks DuckDB writers for 0.1–0.4 s; appending and syncing here costs
 * under a millisecond). Segments are NDJSON files named by their first sequence number.
 */
export interface IngestLog {
  /** Appends and syncs; when this returns the record survives kill -9 and power loss. */
  append(record: LogRecord): void;
  /** Records with seq > after, in order. A torn last line (crash mid-write, never acknowledged) is skipped. */
  readAfter(after: number): LogRecord[];
  /**
   * Closes the segment being appended to and returns it, after any segments closed for size
   * since the last seal, so DuckDB can read them whole (the next append begins a new segment).
   * Empty when nothing was appended since the last seal, and for logs that keep no files.
   */
  seal(): SealedSegment[];
  /** Deletes a sealed segment once DuckDB holds its records. */
  remove(segment: SealedSegment): void;
  /** Deletes segments whose records are all ≤ seq. */
  dropUpTo(seq: number): void;
  /** Keeps a record DuckDB refused (with why) in rejected/, out of the way of the rest. */
  quarantine(record: LogRecord, reason: string): void;
  close(): void;
}

export function openIngestLog(dir: string): IngestLog {
  mkdirSync(dir, { recursive: true });
  const segments = (): number[] =>
    readdirSync(dir)
      .filter((name) => /^\d{20}\.ndjson$/.test(name))
      .map((name) => Number(name.slice(0, 20)))
      .sort((a, b) => a - b);
  const pathOf = (first: number) => join(dir, `${String(first).padStart(20, '0')}.ndjson`);
  let fd: number | null = null;
  let written = 0;
  let firstSeq = 0;
  let lastSeq = 0;
  let closed: SealedSegment[] = [];
  const closeCurrent = () => {
    if (fd === null) return;
    closeSync(fd);
    fd = null;
    if (written > 0) closed.push({ path: pathOf(firstSeq), firstSeq, lastSeq });
    else rmSync(pathOf(firstSeq), { force: true });
  };

  return {
    append(record) {
      const line = Buffer.from(recordLine(record));
      if (fd === null || written + line.length > SEGMENT_BYTES) {
        closeCurrent();
        fd = openSync(pathOf(record.seq), 'a');
        written = 0;
        firstSeq = record.seq;
      }
      try {
        writeSync(fd, line);
        fdatasyncSync(fd);
      } catch (error) {
        // Not acknowledged: cut a partly written line so later records stay readable.
        try {
          ftruncateSync(fd, written);
        } catch {
          // the segment is unusable; the next append starts a new one
          closeCurrent();
        }
        throw error;
      }
      written += line.length;
      lastSeq = record.seq;
    },

    seal() {
      closeCurrent();
      const sealed = closed;
      closed = [];
      return sealed;
    },

    remove(segment) {
      rmSync(segment.path, { force: true });
    },

    readAfter(after) {
      const records: LogRecord[] = [];
      for (const first of segments()) {
        const lines = readFileSync(pathOf(first), 'utf8').split('\n');
        for (const line of lines) {
          if (line === '') continue;
          let parsed: { seq: number; batch: WriteBatch };
          try {
            parsed = JSON.parse(line) as { seq: number; batch: WriteBatch };
          } catch {
            continue; // torn write at a crash: never synced, never acknowledged
          }
          if (parsed.seq <= after) continue;
          const { events, ...facts } = parsed.batch;
          records.push({
            seq: parsed.seq,
            events: events.map((event) => JSON.stringify(event)),
            facts,
          });
        }
      }
      return records;
    },

    dropUpTo(seq) {
      const firsts = segments();
      // A segment is fully applied when the next one starts at or below seq + 1.
      for (let i = 0; i + 1 < firsts.length; i += 1) {
        const next = firsts[i + 1] as number;
        if (next - 1 <= seq) rmSync(pathOf(firsts[i] as number), { force: true });
      }
    },

    quarantine(record, reason) {
      const rejected = join(dir, 'rejected');
      mkdirSync(rejected, { recursive: true });
      writeFileSync(
        join(rejected, `${record.seq}.json`),
        JSON.stringify({ reason, record: { seq: record.seq, batch: recordBatch(record) } }) + '\n',
      );
    },

    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
