import type { EventStore } from '../../store/index.ts';

/** Results of ranges ending within this long of now are "live": they go stale fast. */
const LIVE_WINDOW_MS = 60 * 60_000;

export interface QueryCacheOptions {
  store: Pick<EventStore, 'dataVersion'>;
  /** Most results kept (least recently used go first). */
  maxEntries?: number;
  /** A live range's result is served this long even if new data arrived (default 10 s). */
  liveFreshMs?: number;
  /** An older range's result is served this long even if new data arrived (default 5 min). */
  historicalFreshMs?: number;
}

interface Entry {
  value: unknown;
  version: number;
  computedAt: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** hits / (hits + misses); null before the first lookup. */
  hitRatio: number | null;
  entries: number;
}

/**
 * Report results keyed by the whole query. An entry is exact while the store's data version is
 * unchanged; with new data it is still served for a short freshness window (10 s for ranges
 * that reach the last hour, 5 minutes for older ones), so a dashboard under constant ingest
 * is not recomputed on every refresh. Concurrent identical queries share one computation.
 */
export function createQueryCache(options: QueryCacheOptions) {
  const maxEntries = options.maxEntries ?? 500;
  const liveFreshMs = options.liveFreshMs ?? 10_000;
  const historicalFreshMs = options.historicalFreshMs ?? 300_000;
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Entry>>();
  let hits = 0;
  let misses = 0;

  return {
    async getOrCompute(
      key: string,
      when: { projectId: string; rangeEnd: number; now: number },
      compute: () => Promise<unknown>,
    ): Promise<{ value: unknown; computedAt: number; cached: boolean }> {
      const version = options.store.dataVersion();
      const found = entries.get(key);
      if (found) {
        const fresh = when.rangeEnd > when.now - LIVE_WINDOW_MS ? liveFreshMs : historicalFreshMs;
        if (found.version === version || when.now - found.computedAt < fresh) {
          hits += 1;
          entries.delete(key);
          entries.set(key, found); // most recently used last
          return { value: found.value, computedAt: found.computedAt, cached: true };
        }
      }
      misses += 1;
      let running = inFlight.get(key);
      if (!running) {
        running = compute().then((value) => ({ value, version, computedAt: when.now }));
        inFlight.set(key, running);
        void running.then(
          (entry) => {
            inFlight.delete(key);
            entries.set(key, entry);
            while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
          },
          () => inFlight.delete(key),
        );
      }
      const entry = await running;
      return { value: entry.value, computedAt: entry.computedAt, cached: false };
    },
    /** Forgets every result (benchmarks measure cold reports; data rewritten by hand). */
    clear(): void {
      entries.clear();
    },
    stats(): CacheStats {
      const total = hits + misses;
      return { hits, misses, hitRatio: total === 0 ? null : hits / total, entries: entries.size };
    },
  };
}

export type QueryCache = ReturnType<typeof createQueryCache>;
