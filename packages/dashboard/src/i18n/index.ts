import { computed, ref } from 'vue';
import { en, type MessageKey } from './en.ts';
import type { Locale } from './locale.ts';
import { zhCN } from './zh-CN.ts';

export type { Locale } from './locale.ts';
export type { MessageKey } from './en.ts';

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
