export * from './limits.ts';
export * from './event-schema.ts';
