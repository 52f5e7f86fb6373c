import { computed } from 'vue';
import { hasMessage, locale, t, type MessageKey } from '../../i18n/index.ts';
import { me } from '../../lib/session.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { Dimension, Role, ScopeFilter, SettingsError } from './settings-api.ts';

/** A time as the reader's clock shows it (keys, users and tokens are not project data). */
export function formatTime(epoch: number | null | undefined): string {
  if (epoch === null || epoch === undefined) return '—';
  return formatDateTime(epoch, locale.value);
}

export function formatCount(value: number): string {
  return new Intl.NumberFormat(locale.value).format(value);
}

export const roleLabel = (role: string): string => {
  const key = `settings.role.${role}`;
  return hasMessage(key) ? t(key) : role;
};

/** Does the signed-in account hold a permission (from GET /api/v1/auth/me)? */
export const can = (permission: string): boolean => !!me.value?.permissions.includes(permission);
export const myRole = computed(() => roleLabel(me.value?.role ?? ''));

/** The words of a refused request; `permission` names what the action needs when known. */
export function errorText(error: SettingsError, permission?: string): string {
  if (error.code === 'ERR_AUTH_FORBIDDEN' || error.status === 403) {
    const needed = permission ?? /permission (\S+)/.exec(error.message)?.[1] ?? '';
    return t('settings.refused', { permission: needed, role: myRole.value });
  }
  const own = `settings.error.${error.code}`;
  if (hasMessage(own)) return t(own);
  const core = `error.${error.code}`;
  if (hasMessage(core)) return t(core);
  if (error.code === 'NETWORK') return t('error.network');
  if (error.code === 'ERR_REQUEST_INVALID') return t('settings.error.invalid');
  return error.message;
}

/**
 * Field messages of a form from a refusal's details: `fieldOf` names the form's field a detail
 * path (`/retentionDays`, `/sdkConfig/batchSize`) is about, whose words are `settings.invalid.<field>`.
 */
export function fieldErrors(
  error: SettingsError | null,
  fieldOf: (path: string) => string | null,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error?.details ?? []) {
    const field = fieldOf(issue.path);
    if (!field) continue;
    const key = `settings.invalid.${field}`;
    out[field] = hasMessage(key) ? t(key) : issue.message;
  }
  return out;
}

export const invalid = (field: string): string => t(`settings.invalid.${field}` as MessageKey);

/** A dimension's name in the current language, from the catalog of GET /api/v1/metrics. */
export function dimensionName(dimensions: readonly Dimension[], id: string): string {
  return dimensions.find((dimension) => dimension.id === id)?.name[locale.value] ?? id;
}

/** A row-level scope in words: "Channel is wechat · Province is one of 浙江, 江苏". */
export function describeScope(scope: readonly ScopeFilter[], dimensions: readonly Dimension[]) {
  return scope
    .map((filter) => {
      const value = Array.isArray(filter.value)
        ? filter.value.join(', ')
        : String(filter.value ?? '');
      const op = `settings.scope.op.${filter.op}`;
      return t(hasMessage(op) ? op : 'settings.scope.op.other', {
        field: dimensionName(dimensions, filter.dimension),
        value,
        op: filter.op,
      });
    })
    .join(' · ');
}

export const roleOptions = (roles: readonly Role[]) =>
  roles.map((role) => ({ value: role, label: roleLabel(role) }));

export type { Confirmer } from '../../lib/confirmer.ts';
