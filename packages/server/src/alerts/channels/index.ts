export {
  CHANNEL_KINDS,
  SECRET_MASK,
  channelConfigSchema,
  mergeChannelSecrets,
  redactChannelConfig,
  type ChannelConfig,
  type ChannelKind,
  type DingtalkChannelConfig,
  type EmailChannelConfig,
  type FeishuChannelConfig,
  type SlackChannelConfig,
  type WebhookChannelConfig,
  type WecomChannelConfig,
} from './channel-config.ts';
export {
  NOTIFICATION_LOCALES,
  SEVERITIES,
  type DeliveryResult,
  type NotificationAlert,
  type NotificationLocale,
  type NotificationMessage,
  type Severity,
} from './notification-types.ts';
export {
  DEFAULT_CHANNEL_TIMEOUT_MS,
  createChannelSender,
  type ChannelSender,
  type ChannelSenderOptions,
  type SmtpSettings,
} from './send-notification.ts';
export { signWebhookBody } from './webhook-channel.ts';
export {
  POST_MAX_MARKDOWN_BYTES,
  buildMarkdownPostRequest,
  type ChannelPost,
} from './markdown-post.ts';
export { createSmtpMailer, type OutgoingMail, type SmtpMailer } from './email-channel.ts';
