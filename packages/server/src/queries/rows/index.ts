export { checkRowSource, type RowCursor, type RowSourceParams } from './build-rows-query.ts';
export { countRows } from './count-rows.ts';
export { createZonedInstantFormatter } from './format-zoned-instant.ts';
export {
  DEFAULT_ROW_PAGE_SIZE,
  MAX_ROW_PAGE_SIZE,
  readRowPages,
  type RowPage,
  type RowValue,
} from './read-row-pages.ts';
export {
  ROW_SOURCE_COLUMNS,
  ROW_SOURCES,
  selectRowColumns,
  type RowColumn,
  type RowColumnKind,
  type RowSource,
} from './row-columns.ts';
