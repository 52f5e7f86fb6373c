export {
  createQueryContext,
  withRange,
  type QueryContext,
  type QueryContextInit,
} from './context/query-context.ts';
export { duckDbDialect, type Dialect, type TimeUnit } from './sql/dialect.ts';
export { SqlParams, compactParams } from './sql/sql-params.ts';
export { runQuery } from './sql/run-query.ts';
export { scopeConditions, resolveDimension, metricCondition } from './context/scope-conditions.ts';
export { openSource, type SourceQuery, type FieldExpr } from './context/sources.ts';
export { listBuckets, MAX_BUCKETS } from './series/buckets.ts';
export { OTHER_GROUP, type GroupBy } from './series/aggregate-sql.ts';
export type { Series, SeriesGroup } from './series/aggregate-series.ts';
export { computeMetricSeries, requireMetric, type SeriesOptions } from './series/metric-series.ts';
export { createQueryCache, type QueryCache, type CacheStats } from './reports/query-cache.ts';
export { registerReportRoutes, type ReportRoutesDeps } from './http/report-routes.ts';
export { REPORTS, findReport } from './reports/registry.ts';
export { runReport, type ReportRun } from './reports/run-report.ts';
export {
  defineReport,
  type ReportDefinition,
  type ResultTable,
  type AnyReport,
} from './reports/define-report.ts';
export { resolveRange } from './context/resolve-range.ts';
export { toCsv, toCsvLine } from './http/to-csv.ts';
export {
  checkRowSource,
  countRows,
  createZonedInstantFormatter,
  DEFAULT_ROW_PAGE_SIZE,
  MAX_ROW_PAGE_SIZE,
  readRowPages,
  ROW_SOURCE_COLUMNS,
  ROW_SOURCES,
  selectRowColumns,
  type RowColumn,
  type RowColumnKind,
  type RowCursor,
  type RowPage,
  type RowSource,
  type RowSourceParams,
  type RowValue,
} from './rows/index.ts';
export { registerSegmentRoutes } from './reports/segments/segment-routes.ts';
