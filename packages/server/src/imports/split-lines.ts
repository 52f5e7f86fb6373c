import { TextDecoder } from 'node:util';

/** One line of text (without its line break), or why it could not be read; lines count from 1. */
export type SplitLine = { line: number; text: string } | { line: number; error: string };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Splits a byte stream into UTF-8 lines without ever holding more than one line: a line longer
 * than `maxLineBytes` is skipped up to its end and reported, so one runaway line cannot exhaust
 * memory (readline would buffer it whole).
 */
export async function* splitLines(
  source: AsyncIterable<Buffer | string>,
  maxLineBytes: number,
): AsyncGenerator<SplitLine> {
  // fatal: a wrong encoding is reported on its line instead of silently turned into U+FFFD.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let parts: Buffer[] = [];
  let bytes = 0;
  let tooLong = false;
  let line = 1;

  const finishLine = (): SplitLine => {
    const whole = Buffer.concat(parts, bytes);
    const end = whole.length > 0 && whole[whole.length - 1] === CARRIAGE_RETURN ? -1 : undefined;
    const result = tooLong
      ? { line, error: `line exceeds ${maxLineBytes} bytes` }
      : decodeLine(decoder, whole.subarray(0, end), line);
    parts = [];
    bytes = 0;
    tooLong = false;
    line += 1;
    return result;
  };

  for await (const chunk of source) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    while (start <= buffer.length) {
      const newline = buffer.indexOf(NEWLINE, start);
      const end = newline === -1 ? buffer.length : newline;
      if (!tooLong && end > start) {
        if (bytes + (end - start) > maxLineBytes) {
          tooLong = true;
          parts = [];
          bytes = 0;
        } else {
          parts.push(buffer.subarray(start, end));
          bytes += end - start;
        }
      }
      if (newline === -1) break;
      yield finishLine();
      start = newline + 1;
    }
  }
  if (bytes > 0 || tooLong) yield finishLine();
}

function decodeLine(decoder: TextDecoder, bytes: Uint8Array, line: number): SplitLine {
  try {
    const text = decoder.decode(bytes);
    return { line, text: line === 1 && text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text };
  } catch {
    return { line, error: 'line is not valid UTF-8' };
  }
}
