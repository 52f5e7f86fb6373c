import { ERR_ALERT_CHANNEL_MASK_UNRESOLVED, SightlineError } from '@sightline/shared';
import { z } from 'zod';

export const CHANNEL_KINDS = ['webhook', 'dingtalk', 'feishu', 'wecom', 'slack', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** What API responses show instead of a secret; sending it back on an edit keeps the secret. */
export const SECRET_MASK = '******';

export const MAX_CHANNEL_URL_CHARS = 2_048;
export const MAX_CHANNEL_SECRET_CHARS = 256;
export const MAX_WEBHOOK_HEADERS = 10;
export const MAX_WEBHOOK_HEADER_VALUE_CHARS = 1_024;
export const MAX_EMAIL_RECIPIENTS = 50;

/** Query parameters that carry a credential in the services' webhook URLs (and common others). */
const SECRET_QUERY_PARAMS = new Set([
  'access_token',
  'key',
  'token',
  'secret',
  'sign',
  'signature',
  'api_key',
  'apikey',
  'password',
  'auth',
]);

/** Headers the sender sets itself; a configured header must not replace them. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-type',
  'content-length',
  'transfer-encoding',
  'connection',
  'x-sightline-timestamp',
  'x-sightline-signature',
]);

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
/** Header values are Latin-1 byte strings without line breaks (fetch refuses anything else). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

const urlSchema = z
  .url({ protocol: /^https?$/ })
  .max(MAX_CHANNEL_URL_CHARS)
  .describe('http(s) URL of the webhook');
const secretSchema = z.string().trim().min(1).max(MAX_CHANNEL_SECRET_CHARS);

const headersSchema = z
  .record(
    z
      .string()
      .regex(HEADER_NAME)
      .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), {
        message: 'this header is set by Sightline',
      }),
    z.string().max(MAX_WEBHOOK_HEADER_VALUE_CHARS).regex(HEADER_VALUE),
  )
  .refine((headers) => Object.keys(headers).length <= MAX_WEBHOOK_HEADERS, {
    message: `at most ${MAX_WEBHOOK_HEADERS} headers`,
  });

export const webhookChannelSchema = z.object({
  kind: z.literal('webhook'),
  url: urlSchema,
  secret: secretSchema
    .optional()
    .describe('Signs each request: X-Sightline-Signature: sha256=<HMAC of "<timestamp>.<body>">'),
  headers: headersSchema.optional().describe('Extra request headers, e.g. Authorization'),
});

export const dingtalkChannelSchema = z.object({
  kind: z.literal('dingtalk'),
  url: urlSchema.describe(
    'Custom robot webhook: https://oapi.dingtalk.com/robot/send?access_token=…',
  ),
  secret: secretSchema.optional().describe('The robot\'s "加签" secret (SEC…), when signing is on'),
});

export const feishuChannelSchema = z.object({
  kind: z.literal('feishu'),
  url: urlSchema.describe('Custom bot webhook: https://open.feishu.cn/open-apis/bot/v2/hook/…'),
  secret: secretSchema.optional().describe('The bot\'s signature secret, when "签名校验" is on'),
});

export const wecomChannelSchema = z.object({
  kind: z.literal('wecom'),
  url: urlSchema.describe(
    'Group robot webhook: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
  ),
});

export const slackChannelSchema = z.object({
  kind: z.literal('slack'),
  url: urlSchema.describe('Incoming webhook: https://hooks.slack.com/services/…'),
});

export const emailChannelSchema = z.object({
  kind: z.literal('email'),
  to: z
    .array(z.email().max(254))
    .min(1)
    .max(MAX_EMAIL_RECIPIENTS)
    .refine((to) => new Set(to.map((a) => a.toLowerCase())).size === to.length, {
      message: 'duplicate recipient',
    }),
});

/** A notification channel's settings, as stored and as the API accepts them. */
export const channelConfigSchema = z.discriminatedUnion('kind', [
  webhookChannelSchema,
  dingtalkChannelSchema,
  feishuChannelSchema,
  wecomChannelSchema,
  slackChannelSchema,
  emailChannelSchema,
]);
export type ChannelConfig = z.infer<typeof channelConfigSchema>;
export type WebhookChannelConfig = z.infer<typeof webhookChannelSchema>;
export type DingtalkChannelConfig = z.infer<typeof dingtalkChannelSchema>;
export type FeishuChannelConfig = z.infer<typeof feishuChannelSchema>;
export type WecomChannelConfig = z.infer<typeof wecomChannelSchema>;
export type SlackChannelConfig = z.infer<typeof slackChannelSchema>;
export type EmailChannelConfig = z.infer<typeof emailChannelSchema>;

/** Slack and Feishu put the credential in the URL's last path segment. */
function hasPathSecret(kind: ChannelKind): boolean {
  return kind === 'slack' || kind === 'feishu';
}

function redactUrl(url: string, kind: ChannelKind): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return SECRET_MASK;
  }
  if (parsed.password) parsed.password = SECRET_MASK;
  for (const name of [...parsed.searchParams.keys()])
    if (SECRET_QUERY_PARAMS.has(name.toLowerCase())) parsed.searchParams.set(name, SECRET_MASK);
  if (hasPathSecret(kind)) {
    const segments = parsed.pathname.split('/');
    const last = segments.length - 1;
    if (last > 0 && segments[last]) segments[last] = SECRET_MASK;
    parsed.pathname = segments.join('/');
  }
  return parsed.href;
}

/** The channel as API responses show it: secrets and the secret parts of URLs masked. */
export function redactChannelConfig(config: ChannelConfig): Record<string, unknown> {
  switch (config.kind) {
    case 'email':
      return { kind: config.kind, to: [...config.to] };
    case 'webhook':
      return {
        kind: config.kind,
        url: redactUrl(config.url, config.kind),
        ...(config.secret ? { secret: SECRET_MASK } : {}),
        ...(config.headers
          ? {
              headers: Object.fromEntries(Object.keys(config.headers).map((n) => [n, SECRET_MASK])),
            }
          : {}),
      };
    case 'dingtalk':
    case 'feishu':
      return {
        kind: config.kind,
        url: redactUrl(config.url, config.kind),
        ...(config.secret ? { secret: SECRET_MASK } : {}),
      };
    case 'wecom':
    case 'slack':
      return { kind: config.kind, url: redactUrl(config.url, config.kind) };
  }
}

function failUnresolved(field: string): never {
  throw new SightlineError(ERR_ALERT_CHANNEL_MASK_UNRESOLVED, { field, mask: SECRET_MASK });
}

/** Puts the stored values back where the edited URL still holds the mask. */
function restoreUrl(next: string, previous: string | null, kind: ChannelKind): string {
  if (!next.includes(SECRET_MASK)) return next;
  if (previous === null) return failUnresolved('url');
  const edited = new URL(next);
  const stored = new URL(previous);
  if (edited.password === SECRET_MASK) edited.password = stored.password;
  for (const [name, value] of [...edited.searchParams]) {
    if (value !== SECRET_MASK) continue;
    const kept = stored.searchParams.get(name);
    if (kept === null) return failUnresolved(`url parameter ${name}`);
    edited.searchParams.set(name, kept);
  }
  if (hasPathSecret(kind)) {
    const segments = edited.pathname.split('/');
    const last = segments.length - 1;
    if (segments[last] === SECRET_MASK) {
      segments[last] = stored.pathname.split('/').at(-1) ?? '';
      edited.pathname = segments.join('/');
    }
  }
  if (edited.href.includes(SECRET_MASK)) return failUnresolved('url');
  return edited.href;
}

function restoreSecret(next: string | undefined, previous: string | undefined): string | undefined {
  if (next !== SECRET_MASK) return next;
  return previous ?? failUnresolved('secret');
}

function restoreHeaders(
  next: Record<string, string> | undefined,
  previous: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!next) return next;
  const stored = new Map(Object.entries(previous ?? {}).map(([n, v]) => [n.toLowerCase(), v]));
  const restored: Record<string, string> = {};
  for (const [name, value] of Object.entries(next)) {
    if (value !== SECRET_MASK) restored[name] = value;
    else restored[name] = stored.get(name.toLowerCase()) ?? failUnresolved(`header ${name}`);
  }
  return restored;
}

/**
 * An edit as the API received it, with every mask replaced by the stored value it stands for.
 * Masks only stand for values of the same channel kind; a mask with nothing behind it is
 * refused (ERR_ALERT_CHANNEL_MASK_UNRESOLVED) rather than saved as the secret.
 */
export function mergeChannelSecrets(previous: ChannelConfig, next: ChannelConfig): ChannelConfig {
  const same = previous.kind === next.kind;
  const previousUrl = same && 'url' in previous ? previous.url : null;
  const previousSecret = same && 'secret' in previous ? previous.secret : undefined;
  switch (next.kind) {
    case 'email':
      return next;
    case 'webhook': {
      const headers = restoreHeaders(
        next.headers,
        same && previous.kind === 'webhook' ? previous.headers : undefined,
      );
      const secret = restoreSecret(next.secret, previousSecret);
      return {
        kind: next.kind,
        url: restoreUrl(next.url, previousUrl, next.kind),
        ...(secret !== undefined ? { secret } : {}),
        ...(headers !== undefined ? { headers } : {}),
      };
    }
    case 'dingtalk':
    case 'feishu': {
      const secret = restoreSecret(next.secret, previousSecret);
      return {
        kind: next.kind,
        url: restoreUrl(next.url, previousUrl, next.kind),
        ...(secret !== undefined ? { secret } : {}),
      };
    }
    case 'wecom':
    case 'slack':
      return { kind: next.kind, url: restoreUrl(next.url, previousUrl, next.kind) };
  }
}

/** True when a config still holds the mask somewhere (it was never merged with the stored one). */
export function hasMaskedValue(config: ChannelConfig): boolean {
  return config.kind !== 'email' && JSON.stringify(config).includes(SECRET_MASK);
}
