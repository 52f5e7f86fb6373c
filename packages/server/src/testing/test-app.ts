import { buildApp, type SightlineApp } from '../app.ts';
import { ensureSecrets, loadConfig, type SightlineConfig } from '../config/index.ts';
import type { Clock } from '../platform/index.ts';
import { createTempDir } from './temp-dir.ts';

export interface TestApp {
  app: SightlineApp;
  config: SightlineConfig;
  project: { id: string; writeKey: string; secretKey: string };
  adminToken: string;
  close(): Promise<void>;
}

/**
 * A real app on a fresh data directory (real DuckDB and SQLite files), with one project and an
 * admin token. `env` takes SIGHTLINE_* overrides, exactly as an operator would set them.
 */
export async function createTestApp(
  options: { env?: Record<string, string>; clock?: Clock } = {},
): Promise<TestApp> {
  const dir = createTempDir();
  const config = ensureSecrets(
    loadConfig({
      env: {
        SIGHTLINE_DATA_DIR: dir.path,
        SIGHTLINE_DEMO: '0',
        SIGHTLINE_LOG_LEVEL: 'silent',
        ...options.env,
      },
    }),
  );
  const app = await buildApp({ config, ...(options.clock ? { clock: options.clock } : {}) });
  const created = await app.services.projects.create(
    { id: 'shop', name: 'Shop', timeZone: config.timeZone, retentionDays: 180 },
    'test',
  );
  const { token } = await app.services.auth.createToken(
    { name: 'test admin', role: 'admin' },
    'test',
  );
  return {
    app,
    config,
    project: { id: created.project.id, writeKey: created.writeKey, secretKey: created.secretKey },
    adminToken: token,
    async close() {
      await app.close();
      dir.remove();
    },
  };
}
