import { computed, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { t } from '../../../i18n/index.ts';
import { ApiError } from '../../../lib/api.ts';
import { queryBody, useFilters } from '../../../lib/filters.ts';
import { useReport, type ReportStatus } from '../../../lib/use-report.ts';
import type { BuilderKind } from './types.ts';

/** What the frame of a builder (BuilderShell) shows of it besides the answer itself. */
export interface BuilderStatus extends ReportStatus {
  /** The parameters of the last run (null before the first run). */
  ran: Readonly<Ref<object | null>>;
  /** The link's `q` could not be read. */
  badLink: Readonly<Ref<boolean>>;
}

/**
 * What every builder shares: its report runs on an explicit Run (or when the URL brings its
 * state as `q`), with the filter bar's range and filters added, and again whenever those change.
 * Running writes the parameters into `q` (through `onRun`), so a link or a reload reopens it.
 */
export function useBuilder<P extends object, R>(options: {
  projectId: () => string;
  report: BuilderKind;
  /** The URL's `q` while this builder's tab is open, else null. */
  q: () => string | null;
  /** Puts the parameters of a link into the form; returns them as the form sends them. */
  load: (raw: Record<string, unknown>) => P;
  /** Request fields of the filter bar besides range and filters (the trends comparison). */
  extra?: () => Record<string, unknown>;
  onRun: (q: string) => void;
}) {
  const { state } = useFilters();
  /** The parameters of the last run: what is on screen (null before the first run). */
  const ran: ShallowRef<P | null> = shallowRef(null);
  /** The link's `q` could not be read. */
  const badLink = ref(false);
  let written: string | null = null;

  const report = useReport<R>(
    options.projectId,
    options.report,
    (): Record<string, unknown> | null => {
      const params: object | null = ran.value;
      return params ? { ...queryBody(state.value), ...options.extra?.(), ...params } : null;
    },
  );

  function run(params: P): void {
    const text = JSON.stringify(params);
    if (text === written && ran.value) report.reload();
    else ran.value = params;
    written = text;
    badLink.value = false;
    options.onRun(text);
  }

  watch(
    options.q,
    (q) => {
      if (!q || q === written) return;
      let raw: unknown;
      try {
        raw = JSON.parse(q);
      } catch {
        raw = null;
      }
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
        badLink.value = true;
        return;
      }
      run(options.load(raw as Record<string, unknown>));
    },
    { immediate: true },
  );

  return {
    ran,
    badLink,
    run,
    data: report.data,
    loading: report.loading,
    error: computed(() => localizeError(report.error.value)),
    reload: report.reload,
  };
}

/**
 * The query API's refusals in the reader's language, with the server's reason (which names the
 * parameter, in English). Codes with a message of the app's own keep it (ReportState).
 */
export function localizeError(error: ApiError | null): ApiError | null {
  if (!error) return null;
  const reason = error.message.replace(/^[^:]*:\s*/, '');
  const text =
    error.code === 'ERR_QUERY_INVALID'
      ? t('analysis.error.invalid', { reason })
      : error.code === 'ERR_REQUEST_INVALID'
        ? t('analysis.error.request', { reason })
        : error.code === 'ERR_QUERY_RANGE_INVALID'
          ? t('analysis.error.range', { reason })
          : error.code === 'ERR_QUERY_TOO_MANY_BUCKETS'
            ? t('analysis.error.buckets')
            : null;
  return text === null ? error : new ApiError(error.status, error.code, text);
}

/** Reads a link's value leniently: the type asked for, else the default. */
export function pick<T extends string | number | boolean>(
  value: unknown,
  fallback: T,
  allowed?: readonly T[],
): T {
  if (typeof value !== typeof fallback) return fallback;
  if (allowed && !allowed.includes(value as T)) return fallback;
  if (typeof value === 'number' && !Number.isFinite(value)) return fallback;
  return value as T;
}

/** An object of a link (a breakdown, a matcher), else null. */
export function record(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}
