import { Command } from 'commander';
import { SIGHTLINE_VERSION } from '../app.ts';
import { registerAccountCommands } from './account-commands.ts';
import { registerDemoCommand } from './demo-command.ts';
import {
  loadCliConfig,
  parseIntOption,
  reportCliError,
  type GlobalOptions,
} from './cli-support.ts';
import { registerImportCommand } from './import-command.ts';
import { registerQueryCommand } from './query-command.ts';
import { registerReportCommand } from './report-command.ts';
import { registerRetentionCommand } from './retention-command.ts';
import { startServer } from './start-command.ts';

export function createProgram(): Command {
  const program = new Command('sightline')
    .description('Self-hosted analytics and monitoring for commerce')
    .version(SIGHTLINE_VERSION)
    .option('--data-dir <dir>', 'data directory (SIGHTLINE_DATA_DIR, default ./data)')
    .option('--config <file>', 'JSON config file (SIGHTLINE_CONFIG)')
    .option('--log-level <level>', 'fatal | error | warn | info | debug | trace | silent')
    .showHelpAfterError();

  program
    .command('start')
    .description('Start the server (creates the admin account and demo data on first start)')
    .option('--port <port>', 'HTTP port (SIGHTLINE_PORT, default 8080)', parseIntOption)
    .option('--host <host>', 'listen address (SIGHTLINE_HOST, default 0.0.0.0)')
    .option('--no-demo', 'do not generate demo data on first start (SIGHTLINE_DEMO=0)')
    .action(async (options: { port?: number; host?: string; demo: boolean }, command: Command) => {
      const extra: Record<string, unknown> = {};
      if (options.port !== undefined) extra.port = options.port;
      if (options.host) extra.host = options.host;
      if (!options.demo) extra.demo = false;
      await startServer(loadCliConfig(command.optsWithGlobals<GlobalOptions>(), extra));
    });

  registerAccountCommands(program);
  registerDemoCommand(program);
  registerImportCommand(program);
  registerRetentionCommand(program);
  registerQueryCommand(program);
  registerReportCommand(program);
  return program;
}

/** Runs the CLI; returns the exit code for commands that finish (start keeps running). */
export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync([...argv]);
    return 0;
  } catch (error) {
    return reportCliError(error);
  }
}
