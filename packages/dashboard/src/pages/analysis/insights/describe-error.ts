import { hasMessage, t } from '../../../i18n/index.ts';
import type { ApiError } from '../../../lib/api.ts';

/** A refused change in words (the insights' own codes first), with the stable code for support. */
export function describeError(error: ApiError): string {
  const own = `insights.error.${error.code}`;
  const shared = `error.${error.code}`;
  const words = hasMessage(own)
    ? t(own)
    : hasMessage(shared)
      ? t(shared)
      : error.code === 'NETWORK'
        ? t('error.network')
        : error.status === 403
          ? t('error.forbidden')
          : error.message;
  return `${words} (${t('error.code', { code: error.code })})`;
}
