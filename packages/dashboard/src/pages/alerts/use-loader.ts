import { onBeforeUnmount, ref, shallowRef, watch, type Ref, type WatchSource } from 'vue';
import type { ApiError } from '../../lib/api.ts';
import { asApiError } from './alerts-api.ts';

/** A loaded piece of the alerting API with the states ReportState shows. */
export interface Loader<T> {
  data: Ref<T | null>;
  loading: Ref<boolean>;
  /** The last load failed and there is nothing to show. */
  error: Ref<ApiError | null>;
  /** A background refresh failed: the previous answer stays on screen. */
  refreshError: Ref<ApiError | null>;
  /** When the shown answer arrived (epoch ms). */
  loadedAt: Ref<number | null>;
  reload: (quiet?: boolean) => Promise<void>;
}

/**
 * Loads `load()` now and whenever `source` changes; with `refreshMs`, again in the background
 * every so often (unless `paused()`), keeping what is on screen and dropping answers that arrive
 * out of order. A quiet reload neither dims the panel nor replaces it with an error.
 */
export function useLoader<T>(
  source: WatchSource<unknown>,
  load: () => Promise<T>,
  options: { refreshMs?: number; paused?: () => boolean } = {},
): Loader<T> {
  const data = shallowRef<T | null>(null);
  const loading = ref(false);
  const error = ref<ApiError | null>(null);
  const refreshError = ref<ApiError | null>(null);
  const loadedAt = ref<number | null>(null);
  let sequence = 0;

  async function reload(quiet = false): Promise<void> {
    const mine = ++sequence;
    if (!quiet) {
      loading.value = true;
      error.value = null;
    }
    try {
      const answer = await load();
      if (mine !== sequence) return;
      data.value = answer;
      error.value = null;
      refreshError.value = null;
      loadedAt.value = Date.now();
    } catch (caught) {
      if (mine !== sequence) return;
      const failure = asApiError(caught);
      if (quiet && data.value !== null) refreshError.value = failure;
      else error.value = failure;
    } finally {
      if (mine === sequence) loading.value = false;
    }
  }

  const stop = watch(
    source,
    () => {
      data.value = null;
      void reload();
    },
    { immediate: true },
  );
  let timer: ReturnType<typeof setInterval> | null = null;
  if (options.refreshMs)
    timer = setInterval(() => {
      if (document.hidden || options.paused?.() || loading.value) return;
      void reload(true);
    }, options.refreshMs);
  onBeforeUnmount(() => {
    stop();
    if (timer) clearInterval(timer);
    sequence += 1;
  });
  return { data, loading, error, refreshError, loadedAt, reload };
}
