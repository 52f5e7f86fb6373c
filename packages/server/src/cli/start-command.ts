import { SingleBar } from 'cli-progress';
import { ERR_STORE_LOCKED, SightlineError } from '@sightline/shared';
import { buildApp, type AppServices, type SightlineApp } from '../app.ts';
import {
  claimDataDir,
  DEMO_PROJECT_ID,
  ensureAdmin,
  findRunningServer,
  seedDemo,
} from '../bootstrap/index.ts';
import type { SightlineConfig } from '../config/index.ts';
import { startRetentionSchedule } from '../retention/index.ts';

/**
 * Seeds demo data with a progress bar on a terminal, or a line per few days otherwise; both on
 * stderr, so `--json` output on stdout stays parseable.
 */
export async function runDemoSeed(
  services: AppServices,
  config: SightlineConfig,
  projectId?: string,
) {
  const bar = process.stderr.isTTY
    ? new SingleBar({
        format: 'Generating demo data [{bar}] {value}/{total} days | {events} events',
      })
    : null;
  bar?.start(config.demoDays, 0, { events: 0 });
  const result = await seedDemo(services, {
    ...(projectId ? { projectId } : {}),
    days: config.demoDays,
    seed: config.demoSeed,
    scale: config.demoScale,
    onProgress: ({ day, days, events }) => {
      if (bar) bar.update(day, { events });
      else if (day % 5 === 0 || day === days) {
        console.error(`demo data: day ${day}/${days}, ${events} events`);
      }
    },
  });
  bar?.stop();
  return result;
}

/** `sightline start`: first-start bootstrap, listen, and a graceful shutdown on SIGINT/SIGTERM. */
export async function startServer(config: SightlineConfig): Promise<SightlineApp> {
  const running = findRunningServer(config.dataDir);
  if (running)
    throw new SightlineError(ERR_STORE_LOCKED, { dataDir: config.dataDir, pid: running.pid });
  const app = await buildApp({ config });
  const lines: string[] = [];
  const admin = await ensureAdmin(app.services.auth, config);
  if (admin) {
    lines.push(`Admin account: ${admin.email}`);
    if (admin.generatedPassword)
      lines.push(
        `Admin password: ${admin.generatedPassword}  (shown once; reset with \`sightline user reset\`)`,
      );
  }
  if (config.demo && (await app.services.projects.list()).length === 0) {
    const seeded = await runDemoSeed(app.services, config);
    lines.push(
      `Demo project "${seeded.projectId}": ${seeded.accepted} events over ${config.demoDays} days`,
    );
    if (seeded.secretKey) lines.push(`Demo secret key: ${seeded.secretKey}  (shown once)`);
  }
  const demoKey = (await app.services.projects.list([DEMO_PROJECT_ID]))[0]
    ? (await app.services.projects.listKeys(DEMO_PROJECT_ID)).find((key) => key.kind === 'write')
    : undefined;
  if (demoKey) lines.push(`Demo write key: ${demoKey.display}`);

  await app.fastify.listen({ port: config.port, host: config.host });
  const address = app.fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const release = claimDataDir(config.dataDir, url);
  const retention = startRetentionSchedule({
    ...app.services,
    runAt: config.retentionRunAt,
    timeZone: config.timeZone,
    logger: app.services.logger,
  });

  console.log(
    [
      `Sightline is running at ${url}`,
      `API docs: ${url}/docs`,
      `Data: ${config.dataDir}`,
      ...lines,
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    retention.stop();
    console.log(`${signal}: finishing pending writes and shutting down…`);
    const force = setTimeout(() => {
      console.error(`Shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting.`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    app
      .close()
      .then(() => {
        release();
        process.exit(0);
      })
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return app;
}
