import type { DeliveryResult } from './notification-types.ts';
import { toSingleLine } from './notification-view.ts';

/** Replies are read up to this size: enough for any service's status JSON. */
const MAX_REPLY_BYTES = 64 * 1024;
const REPLY_SNIPPET_CHARS = 200;
const USER_AGENT = 'Sightline-Alerts';

export interface ChannelHttpRequest {
  url: string;
  headers: Readonly<Record<string, string>>;
  /** The exact bytes sent (signatures are computed over them). */
  body: string;
}

export interface ChannelHttpReply {
  status: number;
  bodyText: string;
}

export type ChannelOutcome = Omit<DeliveryResult, 'durationMs'>;

/** Credentials in the URL (https://user:pass@host/) become a Basic header: fetch refuses them. */
function splitCredentials(url: string, headers: Readonly<Record<string, string>>) {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return { url, headers };
  const user = decodeURIComponent(parsed.username);
  const pass = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  const hasAuthorization = Object.keys(headers).some((n) => n.toLowerCase() === 'authorization');
  const basic = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  return {
    url: parsed.href,
    headers: hasAuthorization ? headers : { ...headers, Authorization: basic },
  };
}

async function readCapped(response: Response): Promise<string> {
  // The DOM typings give the body's chunks as any; fetch always yields bytes.
  const reader = response.body?.getReader() as ReadableStreamDefaultReader<Uint8Array> | undefined;
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_REPLY_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_REPLY_BYTES).toString('utf8');
}

/**
 * POSTs the request and reads the reply within `timeoutMs` (connecting, sending and reading
 * together). Redirects are not followed: a webhook that moved must be updated, and following
 * one would send the signed body somewhere nobody configured. Throws on network errors.
 */
export async function postChannelRequest(
  request: ChannelHttpRequest,
  timeoutMs: number,
): Promise<ChannelHttpReply> {
  const { url, headers } = splitCredentials(request.url, request.headers);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'User-Agent': USER_AGENT,
      ...headers,
    },
    body: request.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, bodyText: await readCapped(response) };
}

function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' && !cause.message.includes(code)
    ? `${code}: ${cause.message}`
    : cause.message;
}

/** What postChannelRequest threw, as an outcome: timeouts and network errors are retryable. */
export function describeRequestError(error: unknown, timeoutMs: number): ChannelOutcome {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError')
    return { ok: false, status: null, retryable: true, error: `no answer within ${timeoutMs} ms` };
  // undici reports every connection-level failure as TypeError('fetch failed') with a cause.
  if (error instanceof TypeError && error.message === 'fetch failed')
    return {
      ok: false,
      status: null,
      retryable: true,
      error: `network error: ${toSingleLine(describeCause(error))}`,
    };
  return {
    ok: false,
    status: null,
    retryable: false,
    error: `request could not be sent: ${toSingleLine(describeCause(error))}`,
  };
}

/** The start of a reply body, for error texts. */
export function snippetOf(reply: ChannelHttpReply): string {
  const text = toSingleLine(reply.bodyText, REPLY_SNIPPET_CHARS);
  return text ? `: ${text}` : '';
}

/** Null for 2xx; otherwise a failure, retryable for 408, 429 and 5xx. */
export function classifyHttpStatus(
  service: string,
  reply: ChannelHttpReply,
): ChannelOutcome | null {
  if (reply.status >= 200 && reply.status < 300) return null;
  const retryable = reply.status === 408 || reply.status === 429 || reply.status >= 500;
  return {
    ok: false,
    status: reply.status,
    retryable,
    error: `${service} answered HTTP ${reply.status}${snippetOf(reply)}`,
  };
}

export interface VendorReplyOptions {
  service: string;
  /** Error codes that mean "slow down" or "busy, try later". */
  retryableCodes: ReadonlySet<number>;
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * DingTalk, Feishu and WeCom answer HTTP 200 with a JSON code: 0 is success, anything else a
 * refusal. Their rate-limit codes are retryable; so is a 429 or 5xx whatever the body says.
 */
export function readVendorReply(
  reply: ChannelHttpReply,
  options: VendorReplyOptions,
): ChannelOutcome {
  const body = parseJsonObject(reply.bodyText);
  // Feishu's older replies carry StatusCode/StatusMessage instead of code/msg.
  const code = body?.errcode ?? body?.code ?? body?.StatusCode;
  const text = body?.errmsg ?? body?.msg ?? body?.StatusMessage;
  const detail = typeof text === 'string' ? ` ${toSingleLine(text, REPLY_SNIPPET_CHARS)}` : '';
  const ok2xx = reply.status >= 200 && reply.status < 300;
  if (ok2xx && code === 0) return { ok: true, status: reply.status, retryable: false, error: null };
  if (typeof code === 'number' && options.retryableCodes.has(code))
    return {
      ok: false,
      status: reply.status,
      retryable: true,
      error: `${options.service} is limiting or busy (code ${code}${detail})`,
    };
  const byStatus = classifyHttpStatus(options.service, reply);
  if (byStatus) return byStatus;
  return {
    ok: false,
    status: reply.status,
    retryable: false,
    error:
      typeof code === 'number' || typeof code === 'string'
        ? `${options.service} refused the message (code ${code}${detail})`
        : `${options.service} gave an unexpected answer${snippetOf(reply)}`,
  };
}
