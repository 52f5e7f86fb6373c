import { toSingleLine, type AlertView, type NotificationView } from './notification-view.ts';

/** Longest labels line of an alert; keeps one alert well inside every service's limits. */
const MAX_LABELS_LINE_CHARS = 1_000;

/**
 * A link target safe inside markdown `[text](url)`: only http(s), with the characters that
 * would end the link encoded. Null for anything else, so no link is shown.
 */
export function toLinkUrl(url: string): string | null {
  if (!/^https?:\/\//i.test(url)) return null;
  return url.replace(
    /[\s()<>|[\]]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** "name=value, name=value" (empty when there are none). */
export function joinLabels(labels: AlertView['labels']): string {
  return labels.map(([name, value]) => `${name}=${value}`).join(', ');
}

/** The lines of one alert as "**Name**: value" pairs, in the order every chat channel shows. */
export function listAlertFields(
  view: NotificationView,
  alert: AlertView,
): Array<readonly [string, string]> {
  const t = view.texts;
  const fields: Array<readonly [string, string]> = [
    [t.value, alert.valueText],
    [t.condition, alert.conditionText],
    [t.startedAt, alert.startedAt],
  ];
  if (alert.resolvedAt)
    fields.push([t.resolvedAt, `${alert.resolvedAt} (${alert.duration ?? ''})`]);
  const labels = toSingleLine(joinLabels(alert.labels), MAX_LABELS_LINE_CHARS);
  if (labels) fields.push([t.labels, labels]);
  return fields;
}

/**
 * DingTalk and WeCom markdown render inline HTML such as `<font>`; user text must not open a
 * tag, so its "<" becomes a full-width "＜".
 */
export function neutralizeTags(text: string): string {
  return text.replace(/</g, '＜');
}
