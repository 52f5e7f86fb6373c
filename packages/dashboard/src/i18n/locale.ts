/** The dashboard's languages (free of the DOM, so formatting code can be tested in Node). */
export type Locale = 'zh-CN' | 'en';
