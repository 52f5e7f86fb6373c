/**
 * The dashboard's only way to the server: JSON over fetch with the session cookie, and one error
 * type carrying the server's stable code (docs/errors.md) so pages can say what to do.
 */
import { shareAuthorization } from './share.ts';

/** One problem of a refused request, where the server names it (a field's path). */
export interface ErrorDetail {
  path?: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The server's per-field problems (validation), when it sends them. */
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The `details` of an error body as a list of problems; anything else gives none. */
function detailsOf(value: unknown): ErrorDetail[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    const detail = item as { path?: unknown; message?: unknown } | null;
    if (typeof detail?.message !== 'string') return [];
    const path = Array.isArray(detail.path) ? detail.path.join('.') : detail.path;
    return [{ ...(typeof path === 'string' ? { path } : {}), message: detail.message }];
  });
}

/**
 * Called when the server says the session (or the share link) is gone (401): the app goes to the
 * login page, or says why the link stopped.
 */
let onUnauthorized: (error: ApiError) => void = () => undefined;
export function whenUnauthorized(handler: (error: ApiError) => void): void {
  onUnauthorized = handler;
}

export async function api<T>(
  path: string,
  options: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...shareAuthorization(),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? null : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal ?? null,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', (error as Error).message);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  if (!response.ok) {
    const error = (
      body as { error?: { code?: string; message?: string; details?: unknown } } | null
    )?.error;
    const failure = new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? response.statusText,
      detailsOf(error?.details),
    );
    if (response.status === 401) onUnauthorized(failure);
    throw failure;
  }
  return body as T;
}

/** One report of the query API (docs/api.md): the common fields plus the report's own. */
export interface ReportEnvelope<R> {
  report: string;
  projectId: string;
  timeZone: string;
  from: string;
  to: string;
  granularity: string;
  computedAt: string;
  cached: boolean;
  result: R;
}

export function runReport<R>(
  projectId: string,
  report: string,
  body: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<ReportEnvelope<R>> {
  return api<ReportEnvelope<R>>(
    `/api/v1/projects/${encodeURIComponent(projectId)}/reports/${report}`,
    { body, ...(signal ? { signal } : {}) },
  );
}
