import { z } from 'zod';

/*
 * Column types of import rows. A value arrives as text (CSV) or as a JSON value (NDJSON), so each
 * field accepts both spellings and converts once; absent values (empty CSV cells, JSON null) have
 * already been dropped by the parser, so `undefined` here means "not given".
 */

type Converted<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Converted<T> => ({ ok: true, value });
const fail = (message: string): Converted<never> => ({ ok: false, message });

/** Earliest accepted time: older data is almost always seconds mistaken for milliseconds. */
const MIN_TIME_MS = Date.UTC(2000, 0, 1);
/** How far ahead of the server clock a time may be (time zones, clock skew). */
const MAX_FUTURE_MS = 24 * 3_600_000;
const MAX_MONEY = 1e13;

const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(?:\d+\.\d*|\.\d+)$/;
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function convertField<T>(convert: (value: unknown) => Converted<T>) {
  return z.unknown().transform((value, ctx): T => {
    const result = value === undefined ? fail('is required') : convert(value);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.message });
    return z.NEVER;
  });
}

function toInteger(value: unknown, decimalHint: string): Converted<number> {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return ok(value);
    return Number.isFinite(value) && !Number.isInteger(value)
      ? fail(decimalHint)
      : fail('is out of range');
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (INTEGER_TEXT.test(text)) {
      const parsed = Number(text);
      return Number.isSafeInteger(parsed) ? ok(parsed) : fail('is out of range');
    }
    if (DECIMAL_TEXT.test(text)) return fail(decimalHint);
  }
  return fail('must be an integer');
}

/** A whole number in [min, max]: quantities, stock levels, days. */
export function countField(min: number, max: number) {
  return convertField((value) => {
    const parsed = toInteger(value, 'must be a whole number, not a decimal');
    if (!parsed.ok) return parsed;
    return parsed.value < min || parsed.value > max
      ? fail(`must be between ${min} and ${max}`)
      : parsed;
  });
}

/** Money in integer minor units (fen, cents), 0 … 10^13. */
export function moneyField() {
  return convertField((value) => {
    const parsed = toInteger(
      value,
      'must be integer minor units (fen, cents), e.g. 1999 for 19.99, not a decimal',
    );
    if (!parsed.ok) return parsed;
    return parsed.value < 0 || parsed.value > MAX_MONEY
      ? fail(`must be between 0 and ${MAX_MONEY} minor units`)
      : parsed;
  });
}

/** A non-empty identifier; integral JSON numbers are accepted and kept as their decimal text. */
export function idField(maxChars = 200) {
  return convertField((value) => {
    const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
    if (typeof text !== 'string') return fail('must be a string');
    const trimmed = text.trim();
    if (trimmed.length === 0) return fail('must not be empty');
    return trimmed.length > maxChars ? fail(`must be at most ${maxChars} characters`) : ok(trimmed);
  });
}

/** Free text such as names and categories. */
export function textField(maxChars = 200) {
  return idField(maxChars);
}

/** One of a fixed set of lower-case words. */
export function enumField<const T extends readonly [string, ...string[]]>(values: T) {
  return convertField((value) => {
    const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
    return (values as readonly string[]).includes(text)
      ? ok(text as T[number])
      : fail(`must be one of ${values.join(', ')}`);
  });
}

/** ISO 4217 code; upper-cased. */
export function currencyField() {
  return convertField((value) => {
    const text = typeof value === 'string' ? value.trim().toUpperCase() : '';
    return /^[A-Z]{3}$/.test(text)
      ? ok(text)
      : fail('must be a three-letter currency code such as CNY');
  });
}

/**
 * A point in time as epoch milliseconds or ISO-8601 (`2024-05-01`, `2024-05-01T10:00:00+08:00`).
 * Times without an offset are UTC, so a file means the same on every server.
 */
export function timeField(nowMs: number) {
  return convertField((value) => {
    const parsed = parseTime(value);
    if (!parsed.ok) return parsed;
    if (parsed.value < MIN_TIME_MS)
      return fail('is before 2000-01-01 (epoch milliseconds, not seconds?)');
    if (parsed.value > nowMs + MAX_FUTURE_MS) return fail('is more than a day in the future');
    return parsed;
  });
}

function parseTime(value: unknown): Converted<number> {
  if (typeof value === 'number' || (typeof value === 'string' && INTEGER_TEXT.test(value.trim())))
    return toInteger(value, 'must be epoch milliseconds or ISO-8601');
  const text = typeof value === 'string' ? value.trim() : '';
  const match = ISO_TIME.exec(text);
  if (!match) return fail('must be epoch milliseconds or ISO-8601 (2024-05-01T10:00:00+08:00)');
  const [, year, month, day, hour, minute, second, offset] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const sameDay = date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
  if (!sameDay || Number(hour ?? 0) > 23 || Number(minute ?? 0) > 59 || Number(second ?? 0) > 59)
    return fail('is not a valid date and time');
  // Date.parse reads an offset-less date-time as local time; pin it to UTC instead.
  const normalised = text.replace(' ', 'T') + (offset || !hour ? '' : 'Z');
  const parsed = Date.parse(normalised);
  return Number.isFinite(parsed) ? ok(parsed) : fail('is not a valid date and time');
}

/** A JSON array, given as an array (NDJSON) or as JSON text in one CSV cell. */
export function jsonArrayField<T extends z.ZodType>(item: T, maxItems: number) {
  const array = z.array(item).max(maxItems, `must have at most ${maxItems} entries`);
  return z.preprocess((value, ctx) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array' });
      return z.NEVER;
    }
  }, array);
}
