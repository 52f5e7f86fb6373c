import { SightlineError } from '@sightline/shared';
import { openMetaServices } from '../app.ts';
import type { SightlineConfig } from '../config/index.ts';

/**
 * Runs `work` with an admin API token made for this command alone, for talking to a server that
 * holds the data directory (DuckDB allows one process per file). The token expires within a day
 * even if revoking it afterwards fails. `check` runs first with the metadata services.
 */
export async function withServerToken<T>(
  config: SightlineConfig,
  name: string,
  work: (token: string) => Promise<T>,
  check?: (meta: Awaited<ReturnType<typeof openMetaServices>>) => Promise<void>,
): Promise<T> {
  const meta = await openMetaServices(config);
  try {
    await check?.(meta);
    const { id, token } = await meta.auth.createToken(
      { name, role: 'admin', expiresInDays: 1 },
      'cli',
    );
    try {
      return await work(token);
    } finally {
      await meta.auth.revokeToken(id, 'cli');
    }
  } finally {
    await meta.metaStore.close();
  }
}

/** A failed server answer as the catalogue error it carries, so the CLI prints `code: message`. */
export async function readServerAnswer(response: Response, url: string): Promise<unknown> {
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return body;
  const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
  throw new SightlineError({
    code: error?.code ?? 'ERR_INTERNAL',
    status: response.status,
    template: error?.message ?? `${url} answered ${response.status}`,
    hint: '',
  });
}
