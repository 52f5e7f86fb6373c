import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { ERR_DASHBOARD_NOT_BUILT, SightlineError } from '@sightline/shared';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The server package's directory: the nearest with a package.json, from src/http or dist. */
function serverPackageDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Where `npm run build -w @sightline/dashboard` puts the single-page app. */
export const DASHBOARD_DIST = join(serverPackageDir(), '..', 'dashboard', 'dist');

/** Paths the dashboard's router owns: each answers the app's index.html. */
const APP_PATHS = ['/', '/login', '/p/*', '/share/*'];

/**
 * Serves the dashboard: hashed assets under /assets/ cached for a year, and index.html (never
 * cached, so a new build shows at once) for every path of the app, so a bookmarked or shared
 * URL opens the same view. Without a build, those paths say how to make one.
 */
export async function registerDashboardRoutes(
  app: FastifyInstance,
  dist: string = DASHBOARD_DIST,
): Promise<void> {
  const built = existsSync(`${dist}/index.html`);
  if (built) {
    await app.register(fastifyStatic, {
      root: `${dist}/assets`,
      prefix: '/assets/',
      immutable: true,
      maxAge: '365d',
      index: false,
    });
  }
  const sendApp = (reply: FastifyReply) => {
    if (!built) throw new SightlineError(ERR_DASHBOARD_NOT_BUILT, { dir: dist });
    return reply
      .header('cache-control', 'no-cache')
      .sendFile('index.html', dist, { cacheControl: false });
  };
  for (const path of APP_PATHS)
    app.get(path, { schema: { hide: true } }, (_request, reply) => sendApp(reply));
}
