export {
  getIngestQuality,
  type IngestCounts,
  type IngestQualityHour,
  type IngestQualityParams,
  type IngestQualityResult,
} from './get-ingest-quality.ts';
export { registerQualityRoutes, type QualityRoutesDeps } from './quality-routes.ts';
export {
  DEFAULT_QUALITY_RANGE_MS,
  MAX_QUALITY_RANGE_MS,
  resolveQualityRange,
  type QualityRange,
  type QualityRangeQuery,
} from './resolve-quality-range.ts';
