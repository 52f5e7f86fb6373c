import { isSightlineError } from '@sightline/shared';
import {
  ensureSecrets,
  loadConfigFromProcess,
  type ConfigKey,
  type SightlineConfig,
} from '../config/index.ts';

/** Options every command accepts; each maps onto a config key (flags beat env and file). */
export interface GlobalOptions {
  dataDir?: string;
  config?: string;
  logLevel?: string;
}

export function loadCliConfig(
  options: GlobalOptions,
  extra: Partial<Record<ConfigKey, unknown>> = {},
): SightlineConfig {
  const flags: Partial<Record<ConfigKey, unknown>> = { ...extra };
  if (options.dataDir) flags.dataDir = options.dataDir;
  if (options.logLevel) flags.logLevel = options.logLevel;
  return ensureSecrets(loadConfigFromProcess(flags, options.config));
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/** Prints an error as `code: message` (and the listed problems), exit code 1. */
export function reportCliError(error: unknown): number {
  if (isSightlineError(error)) {
    console.error(`${error.code}: ${error.message}`);
    const problems = (error.details as { problems?: string[] } | undefined)?.problems;
    if (problems) for (const problem of problems) console.error(`  - ${problem}`);
    return 1;
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return 1;
}

/** Integer option parser for commander. */
export function parseIntOption(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new Error(`not an integer: ${value}`);
  return parsed;
}
