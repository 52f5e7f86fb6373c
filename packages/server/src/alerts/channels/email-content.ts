import { joinLabels, listAlertFields } from './markdown-text.ts';
import type { NotificationMessage } from './notification-types.ts';
import {
  buildNotificationView,
  describeHiddenAlerts,
  type AlertView,
  type NotificationView,
  type ViewColor,
} from './notification-view.ts';

/** Alerts listed in one mail; the rest are counted in a "… and N more alerts" line. */
export const EMAIL_MAX_ALERTS_SHOWN = 100;

export interface EmailContent {
  subject: string;
  html: string;
  text: string;
}

/** Dark enough for white text on the heading bar. */
const COLORS: Readonly<Record<ViewColor, string>> = {
  red: '#c62828',
  orange: '#d9480f',
  yellow: '#a16207',
  green: '#2e7d32',
  blue: '#1d4ed8',
};
const FONT = "font-family:Arial,Helvetica,'PingFang SC','Microsoft YaHei',sans-serif;";

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Only http(s) links are made clickable. */
function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

function renderAlertHtml(view: NotificationView, alert: AlertView): string {
  const rows = listAlertFields(view, alert)
    .map(
      ([name, value]) =>
        `<tr><td style="padding:3px 12px 3px 0;color:#6b7280;font-size:13px;white-space:nowrap;vertical-align:top;">${escapeHtml(name)}</td>` +
        `<td style="padding:3px 0;color:#111827;font-size:13px;word-break:break-word;">${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  const link = isWebUrl(alert.source.url)
    ? `<tr><td colspan="2" style="padding:8px 0 0 0;font-size:13px;"><a href="${escapeHtml(alert.source.url)}" style="color:#1d4ed8;text-decoration:underline;">${escapeHtml(view.texts.viewAlert)}</a></td></tr>`
    : '';
  return (
    `<tr><td style="padding:0 24px 12px 24px;">` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border:1px solid #e5e7eb;border-left:4px solid ${COLORS[alert.color]};">` +
    `<tr><td style="padding:10px 12px;">` +
    `<div style="${FONT}font-size:15px;font-weight:bold;color:${COLORS[alert.color]};padding-bottom:6px;">${escapeHtml(alert.headline)}</div>` +
    `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="${FONT}">${rows}${link}</table>` +
    `</td></tr></table></td></tr>`
  );
}

function renderHtml(view: NotificationView, locale: string, shown: number): string {
  const t = view.texts;
  const group = joinLabels(view.groupLabels);
  const hidden = view.alerts.length - shown;
  const paragraph = (text: string, style = 'color:#374151;') =>
    `<tr><td style="padding:0 24px 12px 24px;${FONT}font-size:14px;${style}">${escapeHtml(text)}</td></tr>`;
  const button = isWebUrl(view.dashboardUrl)
    ? `<tr><td style="padding:8px 24px 20px 24px;"><table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr><td style="background-color:#1d4ed8;border-radius:4px;">` +
      `<a href="${escapeHtml(view.dashboardUrl)}" style="display:inline-block;padding:10px 18px;${FONT}font-size:14px;font-weight:bold;color:#ffffff;text-decoration:none;">${escapeHtml(t.openAlertCenter)}</a>` +
      `</td></tr></table></td></tr>`
    : '';
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(locale)}"><head><meta charset="utf-8">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(view.title)}</title></head>`,
    '<body style="margin:0;padding:0;background-color:#f3f4f6;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f3f4f6;"><tr><td align="center" style="padding:24px 8px;">',
    '<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border:1px solid #e5e7eb;">',
    `<tr><td style="background-color:${COLORS[view.color]};padding:16px 24px;${FONT}font-size:18px;font-weight:bold;color:#ffffff;">${escapeHtml(view.title)}</td></tr>`,
    `<tr><td style="height:16px;line-height:16px;font-size:0;">&nbsp;</td></tr>`,
    paragraph(view.summary),
    group ? paragraph(`${t.groupedBy}: ${group}`, 'color:#6b7280;font-size:13px;') : '',
    ...view.alerts.slice(0, shown).map((alert) => renderAlertHtml(view, alert)),
    hidden > 0 ? paragraph(describeHiddenAlerts(view, hidden)) : '',
    button,
    `<tr><td style="padding:12px 24px;border-top:1px solid #e5e7eb;${FONT}font-size:12px;color:#6b7280;">${escapeHtml(`${t.project}: ${view.projectName} · ${view.footer}`)}</td></tr>`,
    '</table></td></tr></table></body></html>',
  ].join('\n');
}

function renderText(view: NotificationView, shown: number): string {
  const t = view.texts;
  const lines = [view.title, '', view.summary];
  const group = joinLabels(view.groupLabels);
  if (group) lines.push(`${t.groupedBy}: ${group}`);
  for (const alert of view.alerts.slice(0, shown)) {
    lines.push('', alert.headline);
    for (const [name, value] of listAlertFields(view, alert)) lines.push(`  ${name}: ${value}`);
    lines.push(`  ${t.viewAlert}: ${alert.source.url}`);
  }
  const hidden = view.alerts.length - shown;
  if (hidden > 0) lines.push('', describeHiddenAlerts(view, hidden));
  lines.push('', `${t.openAlertCenter}: ${view.dashboardUrl}`, '', '-- ');
  lines.push(`${t.project}: ${view.projectName}`, view.footer);
  return `${lines.join('\n')}\n`;
}

/** Subject, HTML (tables and inline styles only, for every mail client) and plain text. */
export function renderEmail(message: NotificationMessage): EmailContent {
  const view = buildNotificationView(message);
  const shown = Math.min(view.alerts.length, EMAIL_MAX_ALERTS_SHOWN);
  return {
    subject: view.title,
    html: renderHtml(view, message.locale, shown),
    text: renderText(view, shown),
  };
}
