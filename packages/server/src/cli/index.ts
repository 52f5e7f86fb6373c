export { createProgram, runCli } from './run-cli.ts';
