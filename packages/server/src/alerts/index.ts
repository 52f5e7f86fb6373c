export { createAlerting, type Alerting, type AlertingOptions } from './create-alerting.ts';
export { registerAlertRoutes, type AlertRoutesDeps } from './alert-routes.ts';
export {
  alertPolicySchema,
  alertRuleSpecSchema,
  SEVERITIES,
  type AlertPolicy,
  type AlertRuleInput,
  type AlertRuleSpec,
  type Severity,
} from './alert-rule-schema.ts';
export type { AlertRule } from './rule-service.ts';
export type { AlertView, NoiseReport } from './alert-center.ts';
export { previewRule, type RulePreview } from './preview-rule.ts';
export {
  POST_MAX_MARKDOWN_BYTES,
  createChannelSender,
  createSmtpMailer,
  type ChannelConfig,
  type ChannelPost,
  type ChannelSender,
  type DeliveryResult,
  type OutgoingMail,
  type SmtpMailer,
  type SmtpSettings,
} from './channels/index.ts';
