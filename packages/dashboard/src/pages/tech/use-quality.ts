import { onBeforeUnmount, ref, shallowRef, watch, type Ref, type WatchSource } from 'vue';
import { api, ApiError } from '../../lib/api.ts';
import type { QualityAnswer } from './tech-types.ts';

/** The instants of a report's range (its answer's `from` and `to`). */
export interface Range {
  from: string;
  to: string;
}

/**
 * Ingest quality (GET /api/v1/projects/:projectId/quality) for a range, reloaded when it changes;
 * like useReport, the last answer stays while the next loads and late answers are dropped.
 */
export function useQuality(projectId: WatchSource<string>, range: WatchSource<Range | null>) {
  const data = shallowRef<QualityAnswer | null>(null);
  const loading = ref(false);
  const error: Ref<ApiError | null> = ref(null);
  let controller: AbortController | null = null;

  async function load(id: string, wanted: Range | null): Promise<void> {
    controller?.abort();
    if (!wanted) return;
    const mine = new AbortController();
    controller = mine;
    loading.value = true;
    error.value = null;
    const query = new URLSearchParams({ from: wanted.from, to: wanted.to });
    try {
      const answer = await api<QualityAnswer>(
        `/api/v1/projects/${encodeURIComponent(id)}/quality?${query.toString()}`,
        { signal: mine.signal },
      );
      if (controller === mine) data.value = answer;
    } catch (caught) {
      if (controller !== mine || (caught as Error).name === 'AbortError') return;
      error.value =
        caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', String(caught));
    } finally {
      if (controller === mine) loading.value = false;
    }
  }

  const current = () => ({
    id: typeof projectId === 'function' ? projectId() : projectId.value,
    wanted: typeof range === 'function' ? range() : range.value,
  });
  // Watched by value: a new answer for the same range does not ask again.
  const stop = watch(
    [() => current().id, () => current().wanted?.from, () => current().wanted?.to] as const,
    () => {
      const { id, wanted } = current();
      void load(id, wanted);
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    stop();
    controller?.abort();
  });
  return {
    data,
    loading,
    error,
    reload: () => {
      const { id, wanted } = current();
      void load(id, wanted);
    },
  };
}
