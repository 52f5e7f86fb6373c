import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ERR_CONFIG_INVALID, SightlineError } from '@sightline/shared';
import {
  CONFIG_KEYS,
  configSchema,
  type ConfigKey,
  type SightlineConfig,
} from './config-schema.ts';

export interface LoadConfigOptions {
  /** Environment to read (process.env in main.ts; a literal object in tests). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Values from CLI flags, already keyed by config key. Highest precedence. */
  flags?: Partial<Record<ConfigKey, unknown>>;
  /** Config file path; defaults to SIGHTLINE_CONFIG, else none. */
  configFile?: string;
  /** Base for relative paths (dataDir, configFile). */
  cwd?: string;
}

/** SIGHTLINE_DATA_DIR ↔ dataDir. */
export function toEnvName(key: ConfigKey): string {
  return `SIGHTLINE_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/**
 * Reads defaults < config file < environment < flags, validates once and returns a frozen
 * config. Throws ERR_CONFIG_INVALID listing every problem, not just the first.
 */
export function loadConfig(options: LoadConfigOptions = {}): SightlineConfig {
  const env = options.env ?? {};
  const cwd = options.cwd ?? '.';
  const problems: string[] = [];
  const raw: Record<string, unknown> = {};

  const filePath = options.configFile ?? env.SIGHTLINE_CONFIG;
  if (filePath) {
    const fromFile = readConfigFile(resolve(cwd, filePath), problems);
    for (const [key, value] of Object.entries(fromFile)) {
      if (!(CONFIG_KEYS as string[]).includes(key)) {
        problems.push(`${filePath}: unknown key "${key}"`);
        continue;
      }
      raw[key] = value;
    }
  }
  for (const key of CONFIG_KEYS) {
    const value = env[toEnvName(key)];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const knownEnv = new Set(CONFIG_KEYS.map(toEnvName).concat('SIGHTLINE_CONFIG'));
  for (const name of Object.keys(env)) {
    if (name.startsWith('SIGHTLINE_') && !knownEnv.has(name)) {
      problems.push(`${name}: unknown setting (known: ${[...knownEnv].join(', ')})`);
    }
  }
  for (const [key, value] of Object.entries(options.flags ?? {})) {
    if (value !== undefined) raw[key] = value;
  }

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      const where = key ? `${key} (${toEnvName(key as ConfigKey)})` : 'config';
      problems.push(`${where}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) {
    throw new SightlineError(ERR_CONFIG_INVALID, { problems: problems.join('; ') }, { problems });
  }
  return Object.freeze({ ...parsed.data, dataDir: resolve(cwd, parsed.data.dataDir) });
}

function readConfigFile(path: string, problems: string[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`config file ${path}: cannot read (${(error as NodeJS.ErrnoException).code})`);
    return {};
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    problems.push(`config file ${path}: must hold a JSON object`);
  } catch (error) {
    problems.push(`config file ${path}: invalid JSON (${(error as Error).message})`);
  }
  return {};
}

/** The process's own environment: main.ts and the CLI come through here, nothing else reads it. */
export function loadConfigFromProcess(
  flags: LoadConfigOptions['flags'] = {},
  configFile?: string,
): SightlineConfig {
  return loadConfig({
    env: process.env,
    flags,
    cwd: process.cwd(),
    ...(configFile ? { configFile } : {}),
  });
}
