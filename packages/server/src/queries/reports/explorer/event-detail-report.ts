import { z } from 'zod';
import { EVENT_COLUMNS, type ColumnSpec } from '../../../store/index.ts';
import type { QueryContext } from '../../context/query-context.ts';
import { scopeConditions } from '../../context/scope-conditions.ts';
import { openSource } from '../../context/sources.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { defineReport } from '../define-report.ts';
import { EVENT_ID_PATTERN, eventIdText } from './events-report.ts';

export const eventDetailParams = z.object({
  eventId: z.string().regex(EVENT_ID_PATTERN, 'an event id (UUID)'),
  eventTime: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("The event's time when known (from the list): finds it without reading all history"),
});
export type EventDetailParams = z.infer<typeof eventDetailParams>;

type Kind = ColumnSpec[2];
const VALUE_SCHEMA: Record<Kind, z.ZodType> = {
  text: z.string().nullable(),
  uuid: z.string().nullable(),
  int: z.number().nullable(),
  bigint: z.number().nullable(),
  double: z.number().nullable(),
  bool: z.boolean().nullable(),
  time: z.string().nullable().describe('ISO-8601 instant'),
};

/** Every stored column of an event, by its column name (as on the wire), props parsed. */
const storedEventSchema = z.object(
  Object.fromEntries(
    EVENT_COLUMNS.map(([column, , kind]) => [
      column,
      column === 'props' ? z.record(z.string(), z.unknown()) : VALUE_SCHEMA[kind],
    ]),
  ),
);

const eventDetailResult = z.object({
  event: storedEventSchema
    .nullable()
    .describe('null when no event has this id within the filters, segment and your scope'),
});
export type EventDetailResult = { event: Record<string, unknown> | null };

/** One column as the API shows it: times as ISO instants, ids as text, props as JSON. */
function readValue(kind: Kind, column: string, value: unknown): unknown {
  if (value === null || value === undefined) return column === 'props' ? {} : null;
  if (column === 'props') {
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
    return typeof parsed === 'object' && parsed !== null ? parsed : { value: parsed };
  }
  if (kind === 'time') return new Date(Number(value)).toISOString();
  if (kind === 'int' || kind === 'bigint' || kind === 'double') return Number(value);
  if (kind === 'bool') return Boolean(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export async function getEventDetail(
  ctx: QueryContext,
  params: EventDetailParams,
): Promise<EventDetailResult> {
  const sql = new SqlParams();
  const source = openSource('events', ctx, sql);
  const a = source.alias;
  // Any time: the id names the event. Filters, segment and row-level scope still apply.
  const where = scopeConditions(ctx, source, sql, { range: null });
  where.push(`${eventIdText(source)} = ${sql.add(params.eventId.toLowerCase())}`);
  if (params.eventTime)
    where.push(
      `${source.time} = ${ctx.dialect.instant(sql.add(new Date(params.eventTime).toISOString()))}`,
    );
  const columns = EVENT_COLUMNS.map(([column, , kind]) => {
    const ref = `${a}."${column}"`;
    const value =
      kind === 'time'
        ? ctx.dialect.epochMs(ref)
        : kind === 'uuid'
          ? `CAST(${ref} AS VARCHAR)`
          : ref;
    return `${value} AS "${column}"`;
  });
  const rows = await runQuery(
    ctx,
    `SELECT ${columns.join(', ')} FROM ${source.from()} WHERE ${where.join(' AND ')} LIMIT 1`,
    sql.values,
  );
  const row = rows[0];
  if (!row) return { event: null };
  return {
    event: Object.fromEntries(
      EVENT_COLUMNS.map(([column, , kind]) => [column, readValue(kind, column, row[column])]),
    ),
  };
}

export const eventDetailReport = defineReport({
  id: 'event_detail',
  summary: 'One event with every stored column and its props (event explorer)',
  description:
    'The event with this id, whatever its time (the range is not applied), under the filter ' +
    'bar, segment and row-level scope: an event outside them answers `event: null`, as an ' +
    'unknown id does. Columns are named as stored (docs/events.md); props are parsed JSON.',
  params: eventDetailParams,
  result: eventDetailResult,
  defaultGranularity: 'all',
  live: true,
  run: getEventDetail,
  toTable(result) {
    const event = result.event ?? {};
    return {
      columns: ['field', 'value'],
      rows: Object.entries(event).map(([field, value]) => [
        field,
        value === null || typeof value !== 'object'
          ? (value as string | number | boolean | null)
          : JSON.stringify(value),
      ]),
    };
  },
});
