export * from './limits.ts';
export * from './event-schema.ts';
export * from './parse-wire-event.ts';
export * from './commerce-schema.ts';
export * from './sdk-config.ts';
