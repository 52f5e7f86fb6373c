import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SightlineConfig } from './config-schema.ts';

const SECRETS_FILE = 'secrets.json';

interface PersistedSecrets {
  secret: string;
  ipSalt: string;
}

/**
 * Fills `secret` and `ipSalt` when not configured: read from <dataDir>/secrets.json, or generated
 * and persisted there (mode 0600) on first start, so hashes and sessions survive restarts.
 */
export function ensureSecrets(config: SightlineConfig): SightlineConfig {
  if (config.secret && config.ipSalt) return config;
  mkdirSync(config.dataDir, { recursive: true });
  const path = join(config.dataDir, SECRETS_FILE);
  let stored: Partial<PersistedSecrets> = {};
  try {
    stored = JSON.parse(readFileSync(path, 'utf8')) as Partial<PersistedSecrets>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const next: PersistedSecrets = {
    secret: stored.secret ?? randomBytes(32).toString('base64url'),
    ipSalt: stored.ipSalt ?? randomBytes(16).toString('base64url'),
  };
  if (next.secret !== stored.secret || next.ipSalt !== stored.ipSalt) {
    writeFileSync(path, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
  }
  return Object.freeze({
    ...config,
    secret: config.secret || next.secret,
    ipSalt: config.ipSalt || next.ipSalt,
  });
}
