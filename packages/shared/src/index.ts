export * from './errors/index.ts';
export * from './wire/index.ts';
