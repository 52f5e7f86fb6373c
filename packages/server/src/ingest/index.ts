export { createIngest, type CreateIngestOptions, type Ingest } from './create-ingest.ts';
export { registerIngestRoutes, type IngestRoutesOptions } from './ingest-routes.ts';
export {
  normalizeEvent,
  type BatchContext,
  type NormalizedEvent,
} from './pipeline/normalize-event.ts';
export { signBody, verifySignature } from './pipeline/verify-signature.ts';
export type { Enrichers } from './pipeline/enrichers.ts';
export type { TrustedIngestResult, TrustedInput } from './pipeline/ingest-trusted.ts';
export { QueueFullError } from './pipeline/group-committer.ts';
export { normaliseAddress, toOrderItemRows } from './pipeline/materialize-commerce.ts';
export { createEnrichers, type CreateEnrichersOptions } from './create-enrichers.ts';
export { registerCompatRoutes, type CompatRoutesOptions } from './compat/register-compat-routes.ts';
