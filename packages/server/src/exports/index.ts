export {
  createExports,
  DEFAULT_EXPORT_RETENTION_HOURS,
  DEFAULT_MAX_EXPORT_ROWS,
  DEFAULT_MAX_QUEUED_EXPORTS,
  DEFAULT_MAX_QUEUED_EXPORTS_PER_PROJECT,
  QUEUE_RETRY_AFTER_SEC,
  type CreateExportsOptions,
  type ExportEnded,
  type Exports,
} from './create-exports.ts';
export {
  EXPORT_LINK_DEFAULT_HOURS,
  EXPORT_LINK_MAX_HOURS,
  EXPORT_LINK_PREFIX,
  type CreatedExportLink,
  type ExportFile,
} from './export-downloads.ts';
export { registerExportRoutes, type ExportRoutesDeps } from './export-routes.ts';
export { exportsMigration } from './exports-migration.ts';
export type { ExportsLogger } from './exports-logger.ts';
export {
  createExportSchema,
  EXPORT_FORMATS,
  EXPORT_STATUSES,
  exportJobSchema,
  type CreateExportInput,
  type ExportFormat,
  type ExportJob,
  type ExportLink,
  type ExportSource,
  type ExportStatus,
  type ExportTables,
} from './export-schema.ts';
export { XLSX_ROWS_PER_SHEET } from './open-xlsx-writer.ts';
