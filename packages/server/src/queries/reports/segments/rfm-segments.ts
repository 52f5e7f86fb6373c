import type { LocalizedText } from '@sightline/shared';

/** The classic RFM segments, best first. */
export const RFM_SEGMENT_IDS = [
  'champions',
  'loyal',
  'potential_loyalists',
  'new_customers',
  'promising',
  'need_attention',
  'about_to_sleep',
  'cant_lose_them',
  'at_risk',
  'hibernating',
] as const;
export type RfmSegmentId = (typeof RFM_SEGMENT_IDS)[number];

export const RFM_SEGMENT_LABELS: Readonly<Record<RfmSegmentId, LocalizedText>> = {
  champions: { 'zh-CN': '重要价值客户', en: 'Champions' },
  loyal: { 'zh-CN': '忠诚客户', en: 'Loyal' },
  potential_loyalists: { 'zh-CN': '潜力客户', en: 'Potential loyalists' },
  new_customers: { 'zh-CN': '新客户', en: 'New customers' },
  promising: { 'zh-CN': '有望培养客户', en: 'Promising' },
  need_attention: { 'zh-CN': '需要关注客户', en: 'Need attention' },
  about_to_sleep: { 'zh-CN': '即将沉睡客户', en: 'About to sleep' },
  cant_lose_them: { 'zh-CN': '重要挽留客户', en: "Can't lose them" },
  at_risk: { 'zh-CN': '流失风险客户', en: 'At risk' },
  hibernating: { 'zh-CN': '沉睡客户', en: 'Hibernating' },
};

/**
 * The segment of an R (recency) and F (frequency) score, 1–5 each, on the usual R×F grid:
 *
 * ```
 *        F=1            F=2            F=3             F=4        F=5
 * R=5    new_customers  potential      potential       champions  champions
 * R=4    promising      potential      potential       loyal      loyal
 * R=3    about_to_sleep about_to_sleep need_attention  loyal      loyal
 * R=2    hibernating    hibernating    at_risk         at_risk    cant_lose_them
 * R=1    hibernating    hibernating    at_risk         at_risk    cant_lose_them
 * ```
 */
export function getRfmSegment(r: number, f: number): RfmSegmentId {
  if (r <= 2) return f <= 2 ? 'hibernating' : f <= 4 ? 'at_risk' : 'cant_lose_them';
  if (r === 3) return f <= 2 ? 'about_to_sleep' : f === 3 ? 'need_attention' : 'loyal';
  if (f >= 4) return r === 5 ? 'champions' : 'loyal';
  if (f >= 2) return 'potential_loyalists';
  return r === 5 ? 'new_customers' : 'promising';
}
