export * from './errors/index.ts';
export * from './wire/index.ts';
export * from './metrics/index.ts';
export * from './query/query-schema.ts';
export * from './query/query-request.ts';
export * from './reports/report-document.ts';
