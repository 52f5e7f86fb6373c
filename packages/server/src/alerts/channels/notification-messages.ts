import type { NotificationLocale } from './notification-types.ts';

/** Every text a notification shows, with `{name}` placeholders. */
const EN = {
  stateFiring: 'FIRING',
  stateResolved: 'RESOLVED',
  title: '[{label}] {rule}{more} — {project}',
  titleMore: ' (+{count})',
  titleTest: '[TEST] Sightline alert channel test — {project}',
  testNote:
    'This is a test notification from Sightline to check this channel. Nothing needs to be done.',
  summary: '{firing} firing, {resolved} resolved',
  severity: 'Severity',
  value: 'Value',
  condition: 'Condition',
  startedAt: 'Started',
  resolvedAt: 'Resolved',
  duration: 'Duration',
  labels: 'Labels',
  groupedBy: 'Grouped by',
  project: 'Project',
  viewAlert: 'View alert',
  openAlertCenter: 'Open alert center',
  moreAlerts: '… and {count} more alerts',
  moreAlert: '… and 1 more alert',
  footer: 'Sent by Sightline at {time}',
  noRule: 'Alert',
  minutes: '{n} min',
  hours: '{n} h',
  days: '{n} d',
};

export type NotificationTexts = Readonly<Record<keyof typeof EN, string>>;

const ZH_CN: NotificationTexts = {
  stateFiring: '告警',
  stateResolved: '已恢复',
  title: '[{label}] {rule}{more} — {project}',
  titleMore: '（另 {count} 条）',
  titleTest: '[测试] Sightline 告警通道测试 — {project}',
  testNote: '这是一条由 Sightline 发出的测试通知，用来检查此通知渠道是否可用，无需处理。',
  summary: '告警中 {firing} 条，已恢复 {resolved} 条',
  severity: '级别',
  value: '当前值',
  condition: '触发条件',
  startedAt: '开始时间',
  resolvedAt: '恢复时间',
  duration: '持续时长',
  labels: '标签',
  groupedBy: '分组',
  project: '项目',
  viewAlert: '查看告警',
  openAlertCenter: '打开告警中心',
  moreAlerts: '… 另有 {count} 条告警未列出',
  moreAlert: '… 另有 1 条告警未列出',
  footer: '由 Sightline 于 {time} 发送',
  noRule: '告警',
  minutes: '{n} 分钟',
  hours: '{n} 小时',
  days: '{n} 天',
};

const TEXTS: Readonly<Record<NotificationLocale, NotificationTexts>> = { en: EN, 'zh-CN': ZH_CN };

export function getNotificationTexts(locale: NotificationLocale): NotificationTexts {
  return TEXTS[locale] ?? EN;
}

/** Fills `{name}` placeholders; unknown names stay as they are. */
export function fillText(template: string, params: Readonly<Record<string, string | number>>) {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
