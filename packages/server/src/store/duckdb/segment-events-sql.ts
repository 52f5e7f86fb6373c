import { EVENT_COLUMNS, type ColumnKind } from '../row-columns.ts';

/** JSON types DuckDB parses a log record's event fields as. */
const LOG_FIELD_TYPE: Record<ColumnKind, string> = {
  text: 'VARCHAR',
  uuid: 'UUID',
  int: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  bool: 'BOOLEAN',
  time: 'BIGINT',
};
const LOG_EVENT_STRUCT = `STRUCT(${EVENT_COLUMNS.map(
  ([, field, kind]) => `"${field}" ${LOG_FIELD_TYPE[kind]}`,
).join(', ')})`;
const LOG_EVENTS_INSERT =
  `INSERT INTO events (${EVENT_COLUMNS.map(([column]) => column).join(', ')}, commit_seq) ` +
  `SELECT ${EVENT_COLUMNS.map(([, field, kind]) =>
    kind === 'time' ? `epoch_ms(e."${field}")::TIMESTAMPTZ` : `e."${field}"`,
  ).join(', ')}, $2 `;

/**
 * Inserts the events of a sealed log segment's records past $1, stamped with commit $2, parsed
 * by DuckDB straight from the NDJSON file.
 */
export function eventsFromSegmentSql(path: string): string {
  const file = path.replaceAll("'", "''");
  return (
    `${LOG_EVENTS_INSERT}FROM (SELECT unnest(batch.events) AS e FROM read_json('${file}', ` +
    `format = 'newline_delimited', ` +
    `columns = {seq: 'BIGINT', batch: 'STRUCT(events ${LOG_EVENT_STRUCT}[])'}) WHERE seq > $1)`
  );
}
