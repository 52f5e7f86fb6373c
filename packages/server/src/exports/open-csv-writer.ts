import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { toCsvLine } from '../queries/index.ts';
import type { TableFileOptions, TableFileWriter } from './table-file-writer.ts';

/** A page of text is queued at once instead of waiting for the disk after every write. */
const WRITE_BUFFER_BYTES = 1_048_576;
/** Rows per write: ~36 KB of text, under V8's large-object size, so it is collected young. */
const CHUNK_ROWS = 250;

/** Waits for the file to accept more, and surfaces a write error (full disk) to the caller. */
async function writeChunk(stream: WriteStream, chunk: string): Promise<void> {
  if (stream.errored) throw stream.errored;
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/**
 * CSV streamed to a file: a UTF-8 byte-order mark, the watermark as a `#` comment line (readers
 * skip it with comment='#'), the header, then rows escaped exactly as the report CSV route does
 * (toCsvLine, with its formula-injection guard).
 */
export async function openCsvWriter(options: TableFileOptions): Promise<TableFileWriter> {
  const stream = createWriteStream(options.path, {
    flags: 'wx',
    highWaterMark: WRITE_BUFFER_BYTES,
  });
  // Without a listener an I/O error would crash the process; writeChunk rethrows it instead.
  stream.on('error', () => undefined);
  await once(stream, 'open');
  await writeChunk(stream, `\uFEFF# ${options.watermark}\r\n${toCsvLine(options.columns)}`);
  return {
    async writeRows(rows) {
      // Everything is turned into text before the first wait, so the rows die young (cheap to
      // collect) instead of surviving into the old generation while the disk catches up.
      const chunks: string[] = [];
      for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
        let chunk = '';
        const end = Math.min(rows.length, start + CHUNK_ROWS);
        for (let i = start; i < end; i += 1) chunk += toCsvLine(rows[i] ?? []);
        chunks.push(chunk);
      }
      for (const chunk of chunks) await writeChunk(stream, chunk);
    },
    async finish() {
      if (stream.errored) throw stream.errored;
      stream.end();
      // 'close' comes after the descriptor is closed: the file is complete on disk.
      await once(stream, 'close');
      return stream.bytesWritten;
    },
    async abort() {
      if (stream.closed) return;
      const closed = once(stream, 'close').catch(() => undefined);
      stream.destroy();
      await closed;
    },
  };
}
