export * from './define-error.ts';
export * from './catalogue.ts';
