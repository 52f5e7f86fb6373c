export {
  CONFIG_DEFAULTS,
  CONFIG_KEYS,
  SECRET_CONFIG_KEYS,
  configSchema,
  type ConfigInput,
  type ConfigKey,
  type SightlineConfig,
} from './config-schema.ts';
export {
  loadConfig,
  loadConfigFromProcess,
  toEnvName,
  type LoadConfigOptions,
} from './load-config.ts';
export { ensureSecrets } from './ensure-secrets.ts';
