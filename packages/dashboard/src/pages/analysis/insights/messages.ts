/**
 * Text of the analysis page's insights part, in both languages. Keys start with `insights.`; the
 * Chinese object must have every key of the English one (checked by its type).
 */
export const en = {} as const;

export const zhCN: Record<keyof typeof en, string> = {};
