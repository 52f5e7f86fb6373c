import { createRequire } from 'node:module';
import type { IP2RegionOpts, IP2RegionResult } from 'ip2region';
import { getPublicIpPrefix } from './get-public-ip-prefix.ts';
import { createLruCache } from './lru-cache.ts';

/** Where an address is, in the database's own (Chinese) names; null where unknown. */
export interface GeoInfo {
  country: string | null;
  province: string | null;
  city: string | null;
}

export interface GeoLookup {
  /** Looks up the /24 (IPv4) or /48 (IPv6) network of `ip`; never the full address. */
  lookup(ip: string | undefined): GeoInfo;
}

/**
 * ip2region is CommonJS with `exports.default = IP2Region`. Node's ESM loader hands a default
 * import the whole `module.exports` object, while vitest unwraps `.default`, so one default import
 * would construct fine in tests and throw in production. `require` sees the same shape everywhere.
 */
interface Ip2RegionExports {
  default: new (options?: IP2RegionOpts) => { search(ip: string): IP2RegionResult | null };
}

const GEO_CACHE_ENTRIES = 10_000;
/** How ip2region spells "unknown"; its own parser already turns '0' into ''. */
const UNKNOWN_NAMES: ReadonlySet<string> = new Set(['', '0', '内网IP']);

const UNKNOWN_GEO: GeoInfo = Object.freeze({ country: null, province: null, city: null });

/**
 * Creates a geo lookup over ip2region's bundled offline database. It reads both database files
 * (~11 MB) synchronously, so create it once at start and pass it down.
 */
export function createGeoLookup(): GeoLookup {
  const requireCjs = createRequire(import.meta.url);
  const { default: IP2Region } = requireCjs('ip2region') as Ip2RegionExports;
  const database = new IP2Region();
  const cache = createLruCache<string, GeoInfo>(GEO_CACHE_ENTRIES);
  return {
    lookup(ip) {
      if (ip === undefined) return UNKNOWN_GEO;
      const prefix = getPublicIpPrefix(ip);
      if (prefix === null) return UNKNOWN_GEO;
      const cached = cache.get(prefix);
      if (cached !== undefined) return cached;
      const found = database.search(prefix);
      const geo: GeoInfo =
        found === null
          ? UNKNOWN_GEO
          : Object.freeze({
              country: toKnownName(found.country),
              province: toKnownName(found.province),
              city: toKnownName(found.city),
            });
      cache.set(prefix, geo);
      return geo;
    },
  };
}

function toKnownName(name: string): string | null {
  return UNKNOWN_NAMES.has(name) ? null : name;
}
