import { EVENT_TYPES } from '@sightline/shared';
import { z } from 'zod';
import type { QueryContext } from '../../context/query-context.ts';
import { scopeConditions } from '../../context/scope-conditions.ts';
import { openSource, type SourceQuery } from '../../context/sources.ts';
import { runQuery } from '../../sql/run-query.ts';
import { SqlParams } from '../../sql/sql-params.ts';
import { defineReport } from '../define-report.ts';

export const MAX_EXPLORER_LIMIT = 200;
/** Event ids are UUIDs; compared as their lowercase text so every engine orders them alike. */
export const EVENT_ID_PATTERN =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const cursorSchema = z
  .object({
    time: z.iso.datetime({ offset: true }).describe('The time of a listed event (its `time`)'),
    eventId: z.string().regex(EVENT_ID_PATTERN, 'an event id (UUID)'),
  })
  .describe('A position in the list: newest first by time, then by event id');

export const eventsParams = z.object({
  search: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('Text in the name, page, user id, anonymous id or message (props.message), any case'),
  types: z
    .array(z.enum(EVENT_TYPES))
    .min(1)
    .max(EVENT_TYPES.length)
    .optional()
    .describe('Only events of these types'),
  before: cursorSchema
    .optional()
    .describe('Only events listed after this one (older): "load more"'),
  after: cursorSchema
    .optional()
    .describe('Only events listed before this one (newer): what arrived since the newest shown'),
  limit: z.number().int().min(1).max(MAX_EXPLORER_LIMIT).default(50),
});
export type EventsParams = z.infer<typeof eventsParams>;

const listedEventSchema = z.object({
  eventId: z.string(),
  time: z.string().describe('ISO-8601 instant (event_time)'),
  type: z.string(),
  name: z.string(),
  userId: z.string().nullable(),
  anonymousId: z.string().nullable(),
  page: z.string().nullable(),
  platform: z.string().nullable(),
  channel: z.string().nullable(),
  message: z.string().nullable().describe('props.message (errors), else null'),
});
export type ListedEvent = z.infer<typeof listedEventSchema>;

const eventsResult = z.object({
  events: z.array(listedEventSchema).describe('Newest first (time, then event id, descending)'),
  hasMore: z
    .boolean()
    .describe(
      'More events match past the last one listed (older; with `after`, between it and the cursor)',
    ),
});
export type EventsResult = z.infer<typeof eventsResult>;

/** `(time, id)` strictly before or after a cursor in the list's order. */
function cursorCondition(
  ctx: QueryContext,
  source: SourceQuery,
  params: SqlParams,
  cursor: { time: string; eventId: string },
  side: 'older' | 'newer',
): string {
  const time = ctx.dialect.instant(params.add(new Date(cursor.time).toISOString()));
  const id = params.add(cursor.eventId.toLowerCase());
  const op = side === 'older' ? '<' : '>';
  return (
    `(${source.time} ${op} ${time} OR ` +
    `(${source.time} = ${time} AND ${eventIdText(source)} ${op} ${id}))`
  );
}

export const eventIdText = (source: SourceQuery) => `CAST(${source.alias}.event_id AS VARCHAR)`;

/** Search: a case-insensitive substring of any of the fields people look events up by. */
function searchCondition(
  ctx: QueryContext,
  source: SourceQuery,
  params: SqlParams,
  text: string,
): string {
  const needle = params.add(text.toLowerCase());
  const a = source.alias;
  const fields = [
    `${a}.name`,
    `${a}.page`,
    `${a}.user_id`,
    `${a}.anonymous_id`,
    ctx.dialect.jsonText(`${a}.props`, 'message'),
  ];
  return `(${fields.map((field) => ctx.dialect.contains(`lower(${field})`, needle)).join(' OR ')})`;
}

export async function listEvents(ctx: QueryContext, params: EventsParams): Promise<EventsResult> {
  const sql = new SqlParams();
  const source = openSource('events', ctx, sql);
  const a = source.alias;
  const where = scopeConditions(ctx, source, sql);
  if (params.types) where.push(`${a}.type IN (${params.types.map((t) => sql.add(t)).join(', ')})`);
  if (params.search) where.push(searchCondition(ctx, source, sql, params.search));
  if (params.before) where.push(cursorCondition(ctx, source, sql, params.before, 'older'));
  if (params.after) where.push(cursorCondition(ctx, source, sql, params.after, 'newer'));
  const text = `SELECT ${ctx.dialect.epochMs(source.time)} AS t, ${eventIdText(source)} AS id,
      ${a}.type AS type, ${a}.name AS name, ${a}.user_id AS user_id,
      ${a}.anonymous_id AS anonymous_id, ${a}.page AS page, ${a}.platform AS platform,
      ${a}.channel AS channel, ${ctx.dialect.jsonText(`${a}.props`, 'message')} AS message
    FROM ${source.from()} WHERE ${where.join(' AND ')}
    ORDER BY ${source.time} DESC, ${eventIdText(source)} DESC LIMIT ${params.limit + 1}`;
  const rows = await runQuery(ctx, text, sql.values);
  const str = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    events: rows.slice(0, params.limit).map((row) => ({
      eventId: String(row.id),
      time: new Date(Number(row.t)).toISOString(),
      type: String(row.type),
      name: String(row.name),
      userId: str(row.user_id),
      anonymousId: str(row.anonymous_id),
      page: str(row.page),
      platform: str(row.platform),
      channel: str(row.channel),
      message: str(row.message),
    })),
    hasMore: rows.length > params.limit,
  };
}

const COLUMNS = [
  'time',
  'event_id',
  'type',
  'name',
  'user_id',
  'anonymous_id',
  'page',
  'platform',
  'channel',
  'message',
] as const;

export const eventsReport = defineReport({
  id: 'events',
  summary: 'The latest events, newest first, with search and paging (event explorer)',
  description:
    'Raw events of the range under the filter bar, segment and row-level scope, newest first ' +
    '(by time, then event id). `search` finds text in the name, page, user id, anonymous id or ' +
    'message in any case; `types` keeps some event types. Page with keyset cursors: `before` ' +
    'the last event listed for older ones, `after` the newest shown for what arrived since. ' +
    'Never served from the result cache. One event with every stored column: event_detail.',
  params: eventsParams,
  result: eventsResult,
  defaultGranularity: 'all',
  live: true,
  run: listEvents,
  toTable(result) {
    return {
      columns: [...COLUMNS],
      rows: result.events.map((event) => [
        event.time,
        event.eventId,
        event.type,
        event.name,
        event.userId,
        event.anonymousId,
        event.page,
        event.platform,
        event.channel,
        event.message,
      ]),
    };
  },
});
