import { runCli } from './cli/index.ts';

// The process entry: everything else takes its config and clock as arguments.
const code = await runCli(process.argv);
if (code !== 0) process.exitCode = code;
