import { getDimension } from '@sightline/shared';
import type { ReportLocale } from '../report-document.ts';
import { NO_VALUE_SEGMENT, OTHER_SEGMENT } from './choose-drivers.ts';

/** A segment key as a reader sees it: "$other" and missing values in words. */
export function labelSegment(segment: string, locale: ReportLocale): string {
  if (segment === OTHER_SEGMENT) return locale === 'zh-CN' ? '其他' : 'others';
  if (segment === NO_VALUE_SEGMENT) return locale === 'zh-CN' ? '（未设置）' : '(not set)';
  return segment;
}

/**
 * A dimension and segment inside a sentence: "channel douyin", "渠道 douyin". English names are
 * lower-cased ("Channel" → "channel") unless they start with an acronym ("API route", "OS").
 */
export function nameSegment(dimension: string, segment: string, locale: ReportLocale): string {
  return `${nameDimension(dimension, locale)} ${labelSegment(segment, locale)}`;
}

/** A dimension's name inside a sentence ("product type", "商品类型"). */
export function nameDimension(dimension: string, locale: ReportLocale): string {
  const name = getDimension(dimension)?.name[locale] ?? dimension;
  return locale === 'en' && /^[A-Z][a-z]/.test(name) ? name.toLowerCase() : name;
}
