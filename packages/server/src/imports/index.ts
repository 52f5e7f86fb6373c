export {
  IMPORT_FORMATS,
  IMPORT_KINDS,
  IMPORT_LIMITS,
  isImportKind,
  resolveImportFormat,
  resolveImportKind,
  type ImportFormat,
  type ImportKind,
} from './import-kinds.ts';
export { getImportColumns, type ImportColumns } from './import-schemas.ts';
export {
  parseImportStream,
  type ImportSource,
  type ImportStreamItem,
} from './parse-import-stream.ts';
export {
  runImport,
  type ImportProgress,
  type ImportResult,
  type ImportRowError,
  type ImportServices,
  type RunImportParams,
} from './run-import.ts';
export { registerImportRoutes, type ImportRoutesDeps } from './import-routes.ts';
