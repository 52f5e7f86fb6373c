import {
  onBeforeUnmount,
  ref,
  shallowRef,
  watch,
  type Ref,
  type ShallowRef,
  type WatchSource,
} from 'vue';
import { ApiError, runReport, type ReportEnvelope } from './api.ts';

/** What a panel shows of a running report besides its answer: loading, error, try again. */
export interface ReportStatus {
  loading: Readonly<Ref<boolean>>;
  error: Readonly<Ref<ApiError | null>>;
  reload: () => void;
}

/** A running report (useReport): its last answer and its status. */
export interface Report<R> extends ReportStatus {
  data: ShallowRef<ReportEnvelope<R> | null>;
}

/**
 * Runs a report whenever its request changes (filters, project), keeping the last answer on
 * screen while the next one loads and dropping answers that arrive out of order.
 */
export function useReport<R>(
  projectId: WatchSource<string>,
  report: string,
  body: WatchSource<Record<string, unknown> | null>,
): Report<R> {
  const data = shallowRef<ReportEnvelope<R> | null>(null);
  const loading = ref(false);
  const error: Ref<ApiError | null> = ref(null);
  let controller: AbortController | null = null;

  async function load(id: string, request: Record<string, unknown> | null): Promise<void> {
    controller?.abort();
    if (!request) return;
    const mine = new AbortController();
    controller = mine;
    loading.value = true;
    error.value = null;
    try {
      const answer = await runReport<R>(id, report, request, mine.signal);
      if (controller === mine) data.value = answer;
    } catch (caught) {
      if (controller !== mine || (caught as Error).name === 'AbortError') return;
      error.value =
        caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', String(caught));
    } finally {
      if (controller === mine) loading.value = false;
    }
  }

  const stop = watch([projectId, body] as const, ([id, request]) => void load(id, request), {
    immediate: true,
    deep: true,
  });
  onBeforeUnmount(() => {
    stop();
    controller?.abort();
  });
  return {
    data,
    loading,
    error,
    reload: () => {
      const id = typeof projectId === 'function' ? projectId() : projectId.value;
      const request = typeof body === 'function' ? body() : body.value;
      void load(id, request);
    },
  };
}
