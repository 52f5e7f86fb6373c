/**
 * Inline styles of the report email. Mail clients drop <style> blocks and external CSS, so every
 * element carries its own; tables do the layout because Outlook renders with Word's engine.
 */
export const EMAIL_STYLES = {
  fontFamily:
    "-apple-system,BlinkMacSystemFont,'PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei','Helvetica Neue',Arial,sans-serif",
  contentWidthPx: 680,
  innerWidthPx: 640,
  pageBackground: '#f3f4f6',
  cardBorder: '#e5e7eb',
  text: '#111827',
  muted: '#6b7280',
  accent: '#2f6bff',
  good: '#15803d',
  bad: '#b91c1c',
  neutral: '#6b7280',
  severity: { info: '#2563eb', warning: '#b45309', critical: '#b91c1c' },
  heading:
    'margin:0;padding:24px 0 8px 0;font-size:18px;line-height:26px;font-weight:bold;color:#111827;',
  paragraph: 'margin:0;padding:0 0 8px 0;font-size:14px;line-height:22px;color:#374151;',
  th: 'padding:6px 8px;border-bottom:1px solid #d1d5db;background-color:#f9fafb;font-size:12px;line-height:18px;font-weight:bold;color:#374151;',
  td: 'padding:6px 8px;border-bottom:1px solid #e5e7eb;font-size:13px;line-height:18px;color:#111827;',
} as const;
