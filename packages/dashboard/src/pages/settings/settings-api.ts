import type { Ref } from 'vue';
import { api, ApiError } from '../../lib/api.ts';

/**
 * The administration API the Settings page uses (project, keys, users, tokens, retention,
 * imports; packages/server/src/{projects,auth,retention,imports}) through lib/api.ts; refusals
 * come as SettingsError with the fields a validation error names, and uploads report progress.
 */

export interface SdkConfig {
  enabled: boolean;
  telemetrySampleRate: { consumer: number; business: number };
  disabledFields: string[];
  eventAllowlist: string[] | null;
  batchSize: number | null;
}

export interface Project {
  id: string;
  name: string;
  timeZone: string;
  retentionDays: number;
  dntMode: 'drop' | 'anonymize';
  fieldDenylist: string[];
  sdkConfig: SdkConfig;
  createdAt: number;
}

export interface ProjectKey {
  id: string;
  kind: 'write' | 'secret';
  /** The whole write key; only the prefix of a secret key. */
  display: string;
  createdAt: number;
  expiresAt: number | null;
}

export const ROLES = ['admin', 'analyst', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** A row-level scope condition: a dimension filter as the filter bar sends it. */
export interface ScopeFilter {
  dimension: string;
  op: string;
  value?: string | number | boolean | Array<string | number | boolean>;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  projectIds: string[];
  rowScopes: Record<string, ScopeFilter[]>;
  createdAt: number;
  disabled: boolean;
  lastLoginAt: number | null;
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  projectId: string | null;
  target: string | null;
  details: Record<string, unknown>;
}

export interface Dimension {
  id: string;
  name: { 'zh-CN': string; en: string };
}

export interface RetentionResult {
  projectId: string;
  retentionDays: number;
  cutoff: number;
  deletedEvents: number;
}

export interface DeletionResult {
  projectId: string;
  userId: string;
  deletedEvents: number;
  deletedIdentities: number;
  anonymisedOrders: number;
  anonymisedRefunds: number;
}

export const IMPORT_KINDS = ['orders', 'products', 'inventory'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ImportRowError {
  line: number;
  code: string;
  message: string;
}

export interface ImportResult {
  kind: ImportKind;
  rowsRead: number;
  rowsImported: number;
  rowsRejected: number;
  errors: ImportRowError[];
  errorsOmitted: number;
  durationMs: number;
}

/** One problem of a refused request: the field (`/sdkConfig/batchSize`) and the server's words. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The server's refusal with its stable code and, for validation errors, the fields concerned. */
export class SettingsError extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly details: FieldIssue[] = [],
  ) {
    super(status, code, message);
  }
}

export function asSettingsError(caught: unknown): SettingsError {
  if (caught instanceof SettingsError) return caught;
  if (caught instanceof ApiError) {
    const fields = caught.details.flatMap((detail) =>
      detail.path === undefined ? [] : [{ path: detail.path, message: detail.message }],
    );
    return new SettingsError(caught.status, caught.code, caught.message, fields);
  }
  return new SettingsError(0, 'NETWORK', String(caught));
}

/**
 * Sends a form's or a button's request with its busy flag up: a refusal lands in `error` (as
 * asSettingsError words it) instead of being thrown.
 */
export async function withBusy(
  busy: Ref<boolean>,
  error: Ref<SettingsError | null>,
  request: () => Promise<void>,
): Promise<void> {
  busy.value = true;
  try {
    await request();
  } catch (caught) {
    error.value = asSettingsError(caught);
  } finally {
    busy.value = false;
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

/** An upload's refusal (XMLHttpRequest answers do not pass through lib/api.ts). */
function errorOf(status: number, text: string, statusText: string): SettingsError {
  let body: ErrorBody | null = null;
  try {
    body = text ? (JSON.parse(text) as ErrorBody) : null;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  const details = Array.isArray(body?.error?.details)
    ? (body.error.details as unknown[]).filter(
        (item): item is FieldIssue =>
          typeof item === 'object' &&
          item !== null &&
          typeof (item as FieldIssue).path === 'string' &&
          typeof (item as FieldIssue).message === 'string',
      )
    : [];
  if (status === 401) {
    // The session is gone: lib/api.ts sends the app to the login page on its own 401.
    api('/api/v1/auth/me').catch(() => undefined);
  }
  return new SettingsError(
    status,
    body?.error?.code ?? `HTTP_${status}`,
    body?.error?.message ?? statusText,
    details,
  );
}

/** lib/api.ts's call, its refusals as SettingsError (with the fields a validation names). */
export async function request<T>(
  path: string,
  options: { method?: string; body?: unknown } = {},
): Promise<T> {
  try {
    return await api<T>(path, options);
  } catch (caught) {
    throw asSettingsError(caught);
  }
}

const projectPath = (projectId: string) => `/api/v1/projects/${encodeURIComponent(projectId)}`;

export const settingsApi = {
  project: (projectId: string) => request<Project>(projectPath(projectId)),
  projects: () => request<{ projects: Project[] }>('/api/v1/projects'),
  updateProject: (
    projectId: string,
    patch: Partial<Omit<Project, 'sdkConfig'>> & {
      sdkConfig?: Partial<SdkConfig>;
    },
  ) => request<Project>(projectPath(projectId), { method: 'PATCH', body: patch }),
  createProject: (body: { name: string; id?: string; timeZone?: string; retentionDays?: number }) =>
    request<{ project: Project; writeKey: string; secretKey: string }>('/api/v1/projects', {
      body,
    }),
  keys: (projectId: string) => request<{ keys: ProjectKey[] }>(`${projectPath(projectId)}/keys`),
  rotateKey: (projectId: string, kind: 'write' | 'secret', graceHours: number) =>
    request<{ kind: 'write' | 'secret'; key: string }>(`${projectPath(projectId)}/keys/rotate`, {
      body: { kind, graceHours },
    }),
  users: () => request<{ users: User[] }>('/api/v1/users'),
  createUser: (body: {
    email: string;
    name?: string;
    password?: string;
    role: Role;
    projects: Array<{ projectId: string; rowScope: ScopeFilter[] | null }>;
  }) => request<{ user: User; password?: string }>('/api/v1/users', { body }),
  setAccess: (
    userId: string,
    projects: Array<{ projectId: string; rowScope: ScopeFilter[] | null }>,
  ) =>
    request<undefined>(`/api/v1/users/${encodeURIComponent(userId)}/projects`, {
      method: 'PUT',
      body: { projects },
    }),
  createToken: (body: {
    name: string;
    role: Role;
    projectId: string | null;
    expiresInDays?: number;
  }) => request<{ id: string; token: string }>('/api/v1/tokens', { body }),
  revokeToken: (tokenId: string) =>
    request<undefined>(`/api/v1/tokens/${encodeURIComponent(tokenId)}`, { method: 'DELETE' }),
  audit: (action: string, limit = 200) =>
    request<{ entries: AuditEntry[] }>(
      `/api/v1/audit?action=${encodeURIComponent(action)}&limit=${limit}`,
    ),
  dimensions: () => request<{ dimensions: Dimension[] }>('/api/v1/metrics'),
  runRetention: (projectId: string) =>
    request<RetentionResult>(`${projectPath(projectId)}/retention/run`, { method: 'POST' }),
  deleteUserData: (projectId: string, userId: string) =>
    request<DeletionResult>(`${projectPath(projectId)}/users/${encodeURIComponent(userId)}/data`, {
      method: 'DELETE',
    }),
};

/** The format of an import file by its name: `.csv`, `.ndjson`/`.jsonl`, each maybe `.gz`. */
export function importFormatOf(fileName: string): 'csv' | 'ndjson' | null {
  const name = fileName.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'ndjson';
  return null;
}

/**
 * POST /api/v1/projects/:id/imports/:kind with the file as the body (XMLHttpRequest, since fetch
 * cannot report upload progress). `onProgress` gets the share of bytes sent, 0..1; the answer
 * comes once the server has read every row.
 */
export function uploadImport(
  projectId: string,
  kind: ImportKind,
  file: File,
  format: 'csv' | 'ndjson',
  onProgress: (sent: number) => void,
): { done: Promise<ImportResult>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<ImportResult>((resolve, reject) => {
    xhr.open('POST', `${projectPath(projectId)}/imports/${kind}?format=${format}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', format === 'csv' ? 'text/csv' : 'application/x-ndjson');
    if (file.name.toLowerCase().endsWith('.gz')) xhr.setRequestHeader('content-encoding', 'gzip');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.upload.onload = () => onProgress(1);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as ImportResult);
        } catch (caught) {
          reject(new SettingsError(xhr.status, 'NETWORK', (caught as Error).message));
        }
      } else reject(errorOf(xhr.status, xhr.responseText, xhr.statusText));
    };
    xhr.onerror = () => reject(new SettingsError(0, 'NETWORK', 'upload failed'));
    xhr.onabort = () => reject(new SettingsError(0, 'ABORTED', 'upload cancelled'));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}
