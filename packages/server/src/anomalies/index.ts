export {
  createAnomalies,
  SCAN_INTERVAL_MS,
  SCAN_LOOKBACK_MS,
  type Anomalies,
  type AnomaliesLogger,
  type CreateAnomaliesOptions,
  type ScanWindow,
} from './create-anomalies.ts';
export { registerAnomalyRoutes, type AnomalyRoutesDeps } from './anomaly-routes.ts';
export { anomaliesMigration } from './anomalies-migration.ts';
export { runDetectors, type DetectorSettings, type RunDetectorsOptions } from './run-detectors.ts';
export {
  FINDING_KINDS,
  REVIEW_STATES,
  SEVERITIES,
  type AnomalyFindingsTable,
  type AnomalyTables,
  type Finding,
  type FindingDraft,
  type FindingKind,
  type ReviewInput,
  type ReviewState,
  type Severity,
} from './anomaly-schema.ts';
