/**
 * The project's remote SDK configuration (`GET /api/v1/sdk-config`, set through
 * `PATCH /api/v1/projects/:id`): a kill switch, telemetry sampling by audience, fields never
 * sent, an event allowlist and the batch size. Same shape as the server's `sdkConfigSchema`.
 */
export interface RemoteConfig {
  enabled: boolean;
  telemetrySampleRate: { consumer: number; business: number };
  disabledFields: string[];
  eventAllowlist: string[] | null;
  batchSize: number | null;
}

/** What the SDK applies when it has never reached the server: the server's defaults (seed 004). */
export const REMOTE_CONFIG_DEFAULTS: RemoteConfig = {
  enabled: true,
  telemetrySampleRate: { consumer: 0.01, business: 0.05 },
  disabledFields: [],
  eventAllowlist: null,
  batchSize: null,
};

/** Fields every event needs: the SDK never removes them, whatever the config says. */
export const REQUIRED_FIELDS = ['event_id', 'type', 'name', 'ts'];

/** GETs a URL: status, ETag and the parsed JSON body (when 200). Rejects when offline. */
export type GetJson = (
  url: string,
  headers: Record<string, string>,
) => Promise<{ status: number; etag: string | null; body: unknown }>;

interface Storage {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

const KEY = 'sightline_config';

/** The configuration saved by an earlier page or launch, with its ETag. */
export function savedRemoteConfig(
  storage: Storage | undefined,
): { etag: string | null; config: RemoteConfig } | null {
  try {
    const saved = JSON.parse(storage?.get(KEY) ?? 'null') as {
      etag: string | null;
      config: RemoteConfig;
    } | null;
    return saved && isConfig(saved.config) ? saved : null;
  } catch {
    return null;
  }
}

/** A configuration, not an error body (the client reads every other field defensively). */
const isConfig = (value: unknown): value is RemoteConfig =>
  typeof (value as RemoteConfig | null)?.enabled === 'boolean';

/**
 * Asks the server for the configuration, sending the saved ETag so an unchanged one costs no
 * body, and saves a new answer. Resolves with the configuration to apply: the server's, else
 * the saved one, else the defaults; never rejects, and gives up waiting after `timeoutMs`.
 */
export async function fetchRemoteConfig(
  endpoint: string,
  writeKey: string,
  get: GetJson,
  storage: Storage | undefined,
  timeoutMs = 5_000,
): Promise<RemoteConfig> {
  const saved = savedRemoteConfig(storage);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const answer = await Promise.race([
      get(
        `${endpoint.replace(/\/+$/, '')}/api/v1/sdk-config?key=${encodeURIComponent(writeKey)}`,
        saved?.etag ? { 'if-none-match': saved.etag } : {},
      ),
      new Promise<never>((_, reject) => {
        timer = setTimeout(reject, timeoutMs);
      }),
    ]);
    if (answer.status === 200 && isConfig(answer.body)) {
      try {
        storage?.set(KEY, JSON.stringify({ etag: answer.etag, config: answer.body }));
      } catch {
        // Storage full or blocked: fetched again next time.
      }
      return answer.body;
    }
  } catch {
    // Offline, refused or too slow: what was saved, else the defaults.
  } finally {
    clearTimeout(timer);
  }
  return saved?.config ?? REMOTE_CONFIG_DEFAULTS;
}
