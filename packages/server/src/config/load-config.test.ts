import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSightlineError } from '@sightline/shared';
import { createTempDir } from '../testing/temp-dir.ts';
import { ensureSecrets } from './ensure-secrets.ts';
import { CONFIG_DEFAULTS } from './config-schema.ts';
import { loadConfig, toEnvName } from './load-config.ts';

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (isSightlineError(error)) return (error.details as { problems: string[] }).problems;
    throw error;
  }
  throw new Error('expected ERR_CONFIG_INVALID');
}

describe('loadConfig', () => {
  it('names env variables after the keys', () => {
    expect(toEnvName('dataDir')).toBe('SIGHTLINE_DATA_DIR');
    expect(toEnvName('rateLimitKeyPerSec')).toBe('SIGHTLINE_RATE_LIMIT_KEY_PER_SEC');
  });

  it('uses the defaults and returns a frozen object', () => {
    const config = loadConfig({ env: {}, cwd: '/srv' });
    expect(config.port).toBe(8080);
    expect(config.timeZone).toBe('Asia/Shanghai');
    expect(config.retentionDays).toBe(CONFIG_DEFAULTS.retentionDays);
    expect(config.dataDir).toBe('/srv/data');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('layers file < env < flags', () => {
    const dir = createTempDir();
    try {
      const file = join(dir.path, 'sightline.json');
      writeFileSync(file, JSON.stringify({ port: 9000, logLevel: 'warn', demo: false }));
      const config = loadConfig({
        env: { SIGHTLINE_CONFIG: file, SIGHTLINE_PORT: '9100', SIGHTLINE_DEMO: '1' },
        flags: { port: 9200 },
      });
      expect(config.port).toBe(9200);
      expect(config.logLevel).toBe('warn');
      expect(config.demo).toBe(true);
    } finally {
      dir.remove();
    }
  });

  it('passes store limits through and checks their form', () => {
    const config = loadConfig({
      env: { SIGHTLINE_STORE_MEMORY_LIMIT: '2GB', SIGHTLINE_STORE_THREADS: '2' },
    });
    expect([config.storeMemoryLimit, config.storeThreads]).toEqual(['2GB', 2]);
    expect(problemsOf(() => loadConfig({ env: { SIGHTLINE_STORE_MEMORY_LIMIT: 'lots' } }))).toEqual(
      ['storeMemoryLimit (SIGHTLINE_STORE_MEMORY_LIMIT): must look like 512MB or 2GB'],
    );
  });

  it('lists every problem at once', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: { SIGHTLINE_PORT: 'eighty', SIGHTLINE_TIME_ZONE: 'Mars/Olympus', SIGHTLINE_POTR: '1' },
      }),
    );
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/SIGHTLINE_POTR: unknown setting/);
    expect(problems.join('\n')).toMatch(/port \(SIGHTLINE_PORT\)/);
    expect(problems.join('\n')).toMatch(
      /timeZone \(SIGHTLINE_TIME_ZONE\): must be an IANA time zone/,
    );
  });

  it('rejects unknown keys in the config file and bad JSON', () => {
    const dir = createTempDir();
    try {
      const file = join(dir.path, 'bad.json');
      writeFileSync(file, '{"prot": 1}');
      expect(problemsOf(() => loadConfig({ env: {}, configFile: file }))).toEqual([
        `${file}: unknown key "prot"`,
      ]);
      writeFileSync(file, '{not json');
      expect(problemsOf(() => loadConfig({ env: {}, configFile: file }))[0]).toMatch(
        /invalid JSON/,
      );
    } finally {
      dir.remove();
    }
  });
});

describe('ensureSecrets', () => {
  it('generates secrets once and reuses them on the next start', () => {
    const dir = createTempDir();
    try {
      const config = loadConfig({ env: { SIGHTLINE_DATA_DIR: dir.path } });
      const first = ensureSecrets(config);
      const second = ensureSecrets(config);
      expect(first.secret).toHaveLength(43);
      expect(first.ipSalt.length).toBeGreaterThan(10);
      expect(second.secret).toBe(first.secret);
      expect(second.ipSalt).toBe(first.ipSalt);
      const given = ensureSecrets(
        loadConfig({ env: { SIGHTLINE_DATA_DIR: dir.path, SIGHTLINE_SECRET: 's3cret' } }),
      );
      expect(given.secret).toBe('s3cret');
      expect(given.ipSalt).toBe(first.ipSalt);
    } finally {
      dir.remove();
    }
  });
});
