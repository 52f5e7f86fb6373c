// Worker threads do not inherit the TypeScript loader of the thread that starts them (neither
// tsx's register() nor a test runner's transform), so the worker registers tsx itself.
import { register } from 'tsx/esm/api';

register();
await import('./duckdb-worker.ts');
