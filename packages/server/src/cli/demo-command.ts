import type { Command } from 'commander';
import { ERR_STORE_LOCKED, SightlineError } from '@sightline/shared';
import { closeServices, openServices } from '../app.ts';
import { findRunningServer } from '../bootstrap/index.ts';
import { loadCliConfig, parseIntOption, printJson, type GlobalOptions } from './cli-support.ts';
import { runDemoSeed } from './start-command.ts';

/** `sightline demo`: generate demo data into a project (default "demo") of a stopped server. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Generate demo shop data (deterministic per seed; re-running the same seed adds nothing)',
    )
    .option('--project <id>', 'project to fill (created when missing)', 'demo')
    .option('--days <n>', 'days of history up to now (SIGHTLINE_DEMO_DAYS)', parseIntOption)
    .option('--seed <n>', 'random seed (SIGHTLINE_DEMO_SEED)', parseIntOption)
    .option(
      '--scale <x>',
      'traffic multiplier, 1 ≈ 2,000 visitors a day (SIGHTLINE_DEMO_SCALE)',
      Number,
    )
    .option('--json', 'print the result as JSON')
    .action(
      async (
        options: { project: string; days?: number; seed?: number; scale?: number; json?: boolean },
        command: Command,
      ) => {
        const extra: Record<string, unknown> = {};
        if (options.days !== undefined) extra.demoDays = options.days;
        if (options.seed !== undefined) extra.demoSeed = options.seed;
        if (options.scale !== undefined) extra.demoScale = options.scale;
        const config = loadCliConfig(command.optsWithGlobals<GlobalOptions>(), extra);
        const running = findRunningServer(config.dataDir);
        // The event store takes one writing process; demo data is large and is written locally.
        if (running)
          throw new SightlineError(ERR_STORE_LOCKED, { dataDir: config.dataDir, pid: running.pid });
        const services = await openServices(config);
        try {
          const result = await runDemoSeed(services, config, options.project);
          if (options.json) printJson(result);
          else {
            console.log(
              `Project ${result.projectId}: ${result.accepted} new events, ${result.duplicates} already present.`,
            );
            console.log(`Write key: ${result.writeKey}`);
            if (result.secretKey) console.log(`Secret key: ${result.secretKey}  (shown once)`);
          }
        } finally {
          await closeServices(services);
        }
      },
    );
}
