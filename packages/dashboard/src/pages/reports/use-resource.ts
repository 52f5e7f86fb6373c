import { onBeforeUnmount, ref, shallowRef, watch, type Ref, type WatchSource } from 'vue';
import type { ApiError } from '../../lib/api.ts';
import { asApiError } from './reports-api.ts';

/** Something this page loads from the API, with the states ReportState shows. */
export interface Resource<T> {
  data: Ref<T | null>;
  loading: Ref<boolean>;
  /** The last load failed and there is nothing to show. */
  error: Ref<ApiError | null>;
  /** A background refresh failed: what is on screen stays. */
  refreshError: Ref<ApiError | null>;
  /** Loads again; a quiet load neither dims the panel nor replaces it with an error. */
  reload: (quiet?: boolean) => Promise<void>;
}

/** How often a panel asks again while something it shows is still being made. */
export const POLL_MS = 2_000;

/**
 * Loads `load()` now and whenever `source` changes, dropping answers that arrive out of order.
 * While `busy(data)` holds (a report generating, an export running), asks again quietly every
 * two seconds.
 */
export function useResource<T>(
  source: WatchSource<unknown>,
  load: () => Promise<T>,
  busy: (data: T) => boolean = () => false,
): Resource<T> {
  const data = shallowRef<T | null>(null);
  const loading = ref(false);
  const error = ref<ApiError | null>(null);
  const refreshError = ref<ApiError | null>(null);
  let sequence = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  function schedule(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    const current = data.value as T | null;
    if (stopped || current === null || !busy(current)) return;
    timer = setTimeout(() => void reload(true), POLL_MS);
  }

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
    } catch (caught) {
      if (mine !== sequence) return;
      const failure = asApiError(caught);
      if (quiet && data.value !== null) refreshError.value = failure;
      else error.value = failure;
    } finally {
      if (mine === sequence) {
        loading.value = false;
        schedule();
      }
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
  onBeforeUnmount(() => {
    stopped = true;
    stop();
    if (timer) clearTimeout(timer);
    sequence += 1;
  });
  return { data, loading, error, refreshError, reload };
}
