import { INGEST_LIMITS } from '@sightline/shared';
import { classifyChannel, createGeoLookup, createUserAgentParser } from './enrich/index.ts';
import type { Enrichers } from './pipeline/enrichers.ts';
import { applyDenylist, checkProps, hashIp, hashValue, scrubPii } from './privacy/index.ts';

export interface CreateEnrichersOptions {
  uaCacheSize: number;
}

/** The real enrichment and privacy functions behind the pipeline's Enrichers interface. */
export function createEnrichers(options: CreateEnrichersOptions): Enrichers {
  const userAgents = createUserAgentParser({ cacheSize: options.uaCacheSize });
  const geo = createGeoLookup();
  return {
    parseUserAgent: (userAgent) => userAgents.parse(userAgent),
    lookupGeo: (ip) => geo.lookup(ip),
    classifyChannel,
    hashIp,
    hashValue,
    scrubPii,
    applyDenylist,
    checkProps: (value) => checkProps(value, INGEST_LIMITS),
  };
}
