import type { Clock } from '../../platform/index.ts';
import { channelConfigSchema, hasMaskedValue, type ChannelConfig } from './channel-config.ts';
import { buildDingtalkRequest, readDingtalkReply } from './dingtalk-channel.ts';
import { createEmailSender, type SmtpSettings } from './email-channel.ts';
import { buildFeishuRequest, readFeishuReply } from './feishu-channel.ts';
import { buildMarkdownPostRequest, type ChannelPost } from './markdown-post.ts';
import type { DeliveryResult, NotificationMessage } from './notification-types.ts';
import { toSingleLine } from './notification-view.ts';
import {
  describeRequestError,
  postChannelRequest,
  type ChannelHttpReply,
  type ChannelHttpRequest,
  type ChannelOutcome,
} from './post-channel-request.ts';
import { buildSlackRequest, readSlackReply } from './slack-channel.ts';
import { buildWebhookRequest, readWebhookReply } from './webhook-channel.ts';
import { buildWecomRequest, readWecomReply } from './wecom-channel.ts';

export type { SmtpSettings } from './email-channel.ts';

export const DEFAULT_CHANNEL_TIMEOUT_MS = 10_000;

export interface ChannelSenderOptions {
  /** Signature timestamps and durations come from here. */
  clock: Clock;
  smtp: SmtpSettings;
  /** Per attempt: connect, send and read the reply. Default 10 000. */
  timeoutMs?: number;
}

export interface ChannelSender {
  /** Delivers one message to one channel, once; never throws (retries are the caller's). */
  send(channel: ChannelConfig, message: NotificationMessage): Promise<DeliveryResult>;
  /**
   * Delivers a markdown post (a report summary) to a chat or webhook channel, once; email
   * channels are refused (reports send their own email with attachments). Never throws.
   */
  sendPost(channel: ChannelConfig, post: ChannelPost): Promise<DeliveryResult>;
  /** Closes the SMTP connection, if one is open. */
  close(): Promise<void>;
}

interface HttpDelivery {
  request: ChannelHttpRequest;
  read(reply: ChannelHttpReply): ChannelOutcome;
}

function prepareHttpDelivery(
  config: Exclude<ChannelConfig, { kind: 'email' }>,
  message: NotificationMessage,
  nowMs: number,
): HttpDelivery {
  switch (config.kind) {
    case 'webhook':
      return { request: buildWebhookRequest(config, message, nowMs), read: readWebhookReply };
    case 'dingtalk':
      return { request: buildDingtalkRequest(config, message, nowMs), read: readDingtalkReply };
    case 'feishu':
      return { request: buildFeishuRequest(config, message, nowMs), read: readFeishuReply };
    case 'wecom':
      return { request: buildWecomRequest(config, message), read: readWecomReply };
    case 'slack':
      return { request: buildSlackRequest(config, message), read: readSlackReply };
  }
}

function refuse(error: string): ChannelOutcome {
  return { ok: false, status: null, retryable: false, error };
}

/**
 * Builds the one sender a process needs: it formats each message for the channel's service,
 * signs it where the channel has a secret, delivers it and says whether trying again makes sense.
 */
export function createChannelSender(options: ChannelSenderOptions): ChannelSender {
  const { clock } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHANNEL_TIMEOUT_MS;
  const email = createEmailSender({ smtp: options.smtp, timeoutMs });

  async function deliver(channel: ChannelConfig, message: NotificationMessage) {
    // Stored configs were checked when saved; checking again keeps a bad row from going out.
    const parsed = channelConfigSchema.safeParse(channel);
    if (!parsed.success)
      return refuse(`channel settings are invalid: ${toSingleLine(parsed.error.message)}`);
    const config = parsed.data;
    if (hasMaskedValue(config))
      return refuse('channel settings still hold a masked secret; enter the secret again');
    if (config.kind === 'email') return email.send(config, message);
    return sendHttp(prepareHttpDelivery(config, message, clock.now()));
  }

  async function post(channel: ChannelConfig, content: ChannelPost) {
    const parsed = channelConfigSchema.safeParse(channel);
    if (!parsed.success)
      return refuse(`channel settings are invalid: ${toSingleLine(parsed.error.message)}`);
    const config = parsed.data;
    if (hasMaskedValue(config))
      return refuse('channel settings still hold a masked secret; enter the secret again');
    if (config.kind === 'email') return refuse('email channels take alerts only');
    return sendHttp(buildMarkdownPostRequest(config, content, clock.now()));
  }

  async function sendHttp(http: HttpDelivery): Promise<ChannelOutcome> {
    let reply: ChannelHttpReply;
    try {
      reply = await postChannelRequest(http.request, timeoutMs);
    } catch (error) {
      return describeRequestError(error, timeoutMs);
    }
    return http.read(reply);
  }

  async function timed(work: () => Promise<ChannelOutcome>): Promise<DeliveryResult> {
    const startedAt = clock.now();
    let outcome: ChannelOutcome;
    try {
      outcome = await work();
    } catch (error) {
      // A bug in formatting, not a service's answer: trying again would fail the same way.
      outcome = refuse(
        `notification could not be prepared: ${toSingleLine(error instanceof Error ? error.message : String(error))}`,
      );
    }
    return { ...outcome, durationMs: Math.max(0, clock.now() - startedAt) };
  }

  return {
    send: (channel, message) => timed(() => deliver(channel, message)),
    sendPost: (channel, content) => timed(() => post(channel, content)),
    close() {
      email.close();
      return Promise.resolve();
    },
  };
}
