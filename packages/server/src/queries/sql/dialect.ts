import type { Granularity } from '@sightline/shared';

export type TimeUnit = Exclude<Granularity, 'all'>;

/**
 * The SQL a report needs that differs between engines. Reports build every query through it, so
 * a second engine (ClickHouse) is one more implementation of this interface, not a rewrite.
 * Arguments are SQL expressions (already bound parameters or column references).
 */
export interface Dialect {
  readonly name: string;
  /** A TIMESTAMPTZ parameter from an ISO-8601 string. */
  instant(param: string): string;
  /** Epoch milliseconds of an instant. */
  epochMs(instant: string): string;
  /** The wall-clock time of an instant in a time zone (a zone-less timestamp). */
  localTime(instant: string, zone: string): string;
  /** The instant a wall-clock time in a zone denotes. */
  fromLocalTime(local: string, zone: string): string;
  /** Start of the bucket (in the zone's calendar) an instant falls in, as an instant. */
  bucketStart(unit: TimeUnit, instant: string, zone: string): string;
  /** bucketStart as epoch milliseconds (cheaper when the zone has a fixed offset). */
  bucketStartMs(unit: TimeUnit, instant: string, zone: string): string;
  /** The local calendar date of an instant. */
  localDate(instant: string, zone: string): string;
  /** Whole days from date a to date b. */
  daysBetween(a: string, b: string): string;
  /** Adds whole days to a date. */
  addDays(date: string, days: string): string;
  /** A property of a JSON text column as text (NULL when absent). Key comes from an allowlist or a validated name. */
  jsonText(column: string, key: string): string;
  /** A property of a JSON text column as a number (NULL when absent or not numeric). */
  jsonNumber(column: string, key: string): string;
  /** Linear-interpolated quantile, q in [0, 1]. */
  quantile(expr: string, q: number): string;
  countDistinct(expr: string): string;
  /** count(*) of rows matching a condition. */
  countIf(condition: string): string;
  /** An ordered list of values per group (paths). */
  listAgg(expr: string, orderBy: string): string;
  /** Whether text contains a substring (case-sensitive). */
  contains(text: string, needle: string): string;
  /** The value of expr on the row where by is smallest. */
  argMin(expr: string, by: string): string;
  /** Seconds between two instants, fractional. */
  secondsBetween(a: string, b: string): string;
  /** Greatest of values. */
  greatest(...exprs: string[]): string;
  /** A stable bucket 0..buckets-1 of a value: splits work by person into bounded passes. */
  hashBucket(expr: string, buckets: string): string;
  /** Whole calendar periods (days, Monday weeks, months) from local date a to local date b. */
  periodsBetween(unit: 'day' | 'week' | 'month', a: string, b: string): string;
  /**
   * The local period (day, Monday week, month) of an instant as a whole number counted from
   * 1970: periodsBetween of two instants' dates is the difference of their numbers. A grouping
   * key that needs no date per row when the zone's offset is fixed.
   */
  periodNumber(unit: 'day' | 'week' | 'month', instant: string, zone: string): string;
  /** The instant of an epoch-milliseconds number. */
  fromEpochMs(ms: string): string;
  /** A stable hex digest (MD5) of a text: a short key for long texts such as error stacks. */
  hashText(text: string): string;
  /** The values of a group's rows where `where` holds, in no set order (NULL when none do). */
  listOf(expr: string, where: string): string;
  /** The items of a list for which `body` (an expression of `item`) holds, in list order. */
  listFilter(list: string, item: string, body: string): string;
  /** Each item of a list through `body`, an expression of `item` and its 1-based `index`. */
  listMap(list: string, item: string, body: string, index?: string): string;
  /** The smallest item of a list (NULL when the list is empty or NULL). */
  listMin(list: string): string;
  /** Items in a list (NULL for a NULL list). */
  listLength(list: string): string;
  /** Distinct items in a list (NULL for a NULL list). */
  listDistinctLength(list: string): string;
  /** The item at a 1-based index (NULL past the end). */
  listAt(list: string, index: string): string;
  /** The 1-based index of the first item equal to value (NULL when none is). */
  listIndexOf(list: string, value: string): string;
  /** A record of named fields, to keep values together in a list. */
  record(fields: Readonly<Record<string, string>>): string;
  /** One field of a record. */
  field(record: string, name: string): string;
}

/**
 * A zone argument of the form `@offset:<ms>` means a fixed UTC offset over the whole query
 * (see context/zone-arg.ts): calendar functions then work on epoch milliseconds and zone-less
 * timestamps, avoiding a time zone conversion per row.
 */
export const FIXED_OFFSET_PREFIX = '@offset:';

function fixedOffset(zone: string): number | null {
  return zone.startsWith(FIXED_OFFSET_PREFIX)
    ? Number(zone.slice(FIXED_OFFSET_PREFIX.length))
    : null;
}

/** The wall-clock time as a zone-less timestamp, by shifting epoch ms. */
const shifted = (instant: string, offset: number) =>
  `make_timestamp((epoch_ms(${instant}) + ${offset}) * 1000)`;
const unshifted = (local: string, offset: number) =>
  `make_timestamptz((epoch_ms(${local}) - ${offset}) * 1000)`;

const DAY_MS = 86_400_000;
/** Whole weeks beyond DuckDB's timestamp range (about 15 million weeks either side of 1970). */
const PERIOD_BIAS_WEEKS = 16_000_000;

const JSON_KEY = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;

function jsonPath(key: string): string {
  if (!JSON_KEY.test(key)) throw new Error(`invalid property name: ${key}`);
  return `'$."${key}"'`;
}

export const duckDbDialect: Dialect = {
  name: 'duckdb',
  instant: (param) => `${param}::TIMESTAMPTZ`,
  epochMs: (instant) => `epoch_ms(${instant})`,
  localTime: (instant, zone) => {
    const offset = fixedOffset(zone);
    return offset === null ? `timezone(${zone}, ${instant})` : shifted(instant, offset);
  },
  fromLocalTime: (local, zone) => {
    const offset = fixedOffset(zone);
    return offset === null ? `timezone(${zone}, ${local})` : unshifted(local, offset);
  },
  bucketStart: (unit, instant, zone) => {
    const offset = fixedOffset(zone);
    if (offset === null)
      return `timezone(${zone}, date_trunc('${unit}', timezone(${zone}, ${instant})))`;
    return unshifted(`date_trunc('${unit}', ${shifted(instant, offset)})`, offset);
  },
  bucketStartMs: (unit, instant, zone) => {
    const offset = fixedOffset(zone);
    if (offset === null)
      return `epoch_ms(timezone(${zone}, date_trunc('${unit}', timezone(${zone}, ${instant}))))`;
    return `(epoch_ms(date_trunc('${unit}', ${shifted(instant, offset)})) - ${offset})`;
  },
  localDate: (instant, zone) => {
    const offset = fixedOffset(zone);
    return offset === null
      ? `CAST(timezone(${zone}, ${instant}) AS DATE)`
      : `CAST(${shifted(instant, offset)} AS DATE)`;
  },
  daysBetween: (a, b) => `date_diff('day', ${a}, ${b})`,
  addDays: (date, days) => `CAST(${date} + to_days(CAST(${days} AS INTEGER)) AS DATE)`,
  jsonText: (column, key) => `json_extract_string(${column}, ${jsonPath(key)})`,
  jsonNumber: (column, key) =>
    `TRY_CAST(json_extract_string(${column}, ${jsonPath(key)}) AS DOUBLE)`,
  quantile: (expr, q) => {
    if (!(q >= 0 && q <= 1)) throw new Error(`quantile out of range: ${q}`);
    return `quantile_cont(${expr}, ${q})`;
  },
  countDistinct: (expr) => `count(DISTINCT ${expr})`,
  countIf: (condition) => `count(*) FILTER (WHERE ${condition})`,
  listAgg: (expr, orderBy) => `list(${expr} ORDER BY ${orderBy})`,
  contains: (text, needle) => `contains(${text}, ${needle})`,
  argMin: (expr, by) => `arg_min(${expr}, ${by})`,
  secondsBetween: (a, b) => `(epoch(${b}) - epoch(${a}))`,
  greatest: (...exprs) => `greatest(${exprs.join(', ')})`,
  hashBucket: (expr, buckets) => `(hash(${expr}) % CAST(${buckets} AS UBIGINT))`,
  periodsBetween: (unit, a, b) =>
    unit === 'week'
      ? `(date_diff('day', date_trunc('week', ${a}), date_trunc('week', ${b})) // 7)`
      : `date_diff('${unit}', ${a}, ${b})`,
  periodNumber: (unit, instant, zone) => {
    const offset = fixedOffset(zone);
    if (offset !== null && unit !== 'month') {
      // 1970-01-01 was a Thursday: weeks counted from Monday 1969-12-29. The bias keeps the
      // dividend positive over DuckDB's whole timestamp range, since // truncates toward zero.
      const size = unit === 'week' ? 7 * DAY_MS : DAY_MS;
      const shift = offset + (unit === 'week' ? 3 * DAY_MS : 0);
      // Past 2^53: added as BigInt so the literal is exact.
      const bias = BigInt(PERIOD_BIAS_WEEKS) * BigInt(7 * DAY_MS);
      const periods = unit === 'week' ? PERIOD_BIAS_WEEKS : 7 * PERIOD_BIAS_WEEKS;
      return `((epoch_ms(${instant}) + ${bias + BigInt(shift)}) // ${size} - ${periods})`;
    }
    const date = duckDbDialect.localDate(instant, zone);
    return unit === 'week'
      ? `(date_diff('day', DATE '1969-12-29', date_trunc('week', ${date})) // 7)`
      : `date_diff('${unit}', DATE '1970-01-01', ${date})`;
  },
  fromEpochMs: (ms) => `timezone('UTC', epoch_ms(CAST(${ms} AS BIGINT)))`,
  hashText: (text) => `md5(${text})`,
  listOf: (expr, where) => `list(${expr}) FILTER (WHERE ${where})`,
  listFilter: (list, item, body) => `list_filter(${list}, lambda ${item}: ${body})`,
  listMap: (list, item, body, index) =>
    `list_transform(${list}, lambda ${index ? `${item}, ${index}` : item}: ${body})`,
  listMin: (list) => `list_min(${list})`,
  listLength: (list) => `len(${list})`,
  listDistinctLength: (list) => `len(list_distinct(${list}))`,
  listAt: (list, index) => `(${list})[${index}]`,
  listIndexOf: (list, value) => `list_position(${list}, ${value})`,
  record: (fields) =>
    `{${Object.entries(fields)
      .map(([name, value]) => `'${name}': ${value}`)
      .join(', ')}}`,
  field: (record, name) => `(${record}).${name}`,
};
