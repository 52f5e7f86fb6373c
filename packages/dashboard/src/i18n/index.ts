import { computed, ref } from 'vue';
import * as explorer from '../pages/analysis/explorer/messages.ts';
import * as insights from '../pages/analysis/insights/messages.ts';
import * as alerts from '../pages/alerts/messages.ts';
import * as reports from '../pages/reports/messages.ts';
import * as analysis from '../pages/analysis/messages.ts';
import * as business from '../pages/business/messages.ts';
import * as commerce from '../pages/commerce/messages.ts';
import * as operations from '../pages/operations/messages.ts';
import * as realtime from '../pages/realtime/messages.ts';
import * as settings from '../pages/settings/messages.ts';
import * as tech from '../pages/tech/messages.ts';
import * as users from '../pages/users/messages.ts';
import { en as core } from './en.ts';
import type { Locale } from './locale.ts';
import { zhCN as coreZh } from './zh-CN.ts';

export type { Locale } from './locale.ts';

/** The app's words (src/i18n) and each page's own (src/pages/<page>/messages.ts). */
const en = {
  ...core,
  ...realtime.en,
  ...users.en,
  ...business.en,
  ...commerce.en,
  ...operations.en,
  ...tech.en,
  ...alerts.en,
  ...reports.en,
  ...analysis.en,
  ...explorer.en,
  ...insights.en,
  ...settings.en,
};
export type MessageKey = keyof typeof en;
const zhCN: Record<MessageKey, string> = {
  ...coreZh,
  ...realtime.zhCN,
  ...users.zhCN,
  ...business.zhCN,
  ...commerce.zhCN,
  ...operations.zhCN,
  ...tech.zhCN,
  ...alerts.zhCN,
  ...reports.zhCN,
  ...analysis.zhCN,
  ...explorer.zhCN,
  ...insights.zhCN,
  ...settings.zhCN,
};

const STORAGE_KEY = 'sightline_locale';
const dictionaries: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

/** The browser's language unless the user picked one: zh-* → zh-CN, anything else → en. */
function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'zh-CN' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export const locale = ref<Locale>(initialLocale());
document.documentElement.lang = locale.value;

export function setLocale(next: Locale): void {
  locale.value = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
}

/** The text of a key in the current language, with `{name}` placeholders filled in. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  const text = dictionaries[locale.value][key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/** Has the dictionary a key (error codes arrive from the server as strings)? */
export const hasMessage = (key: string): key is MessageKey => key in en;

export const isChinese = computed(() => locale.value === 'zh-CN');
