import type { Sightline } from './sightline.ts';

/**
 * Middlewares that record each request as an `api_call` event (method, route template, status,
 * duration, request id) and each server error as a `server_error` event. The route is the
 * framework's template (`/api/products/:id`), never the concrete path, so one endpoint is one
 * series; requests no route matched are `unmatched`.
 */

export interface MiddlewareOptions<Request> {
  /** The logged-in user of a request, when you know it. */
  userOf?: (request: Request) => string | null | undefined;
  /** Requests to leave out (health checks). Default: none. */
  ignore?: (request: Request) => boolean;
}

const UNMATCHED = 'unmatched';
const headerOf = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value[0] : value;

/** Structural types of the frameworks' objects, so this package depends on none of them. */
interface ExpressRequest {
  method: string;
  baseUrl?: string;
  route?: { path?: unknown };
  headers: Record<string, string | string[] | undefined>;
}
interface ExpressResponse {
  statusCode: number;
  on(event: 'finish' | 'close', listener: () => void): unknown;
}

/** `app.use(sightlineExpress(sightline))` before your routes. */
export function sightlineExpress<R extends ExpressRequest>(
  sightline: Sightline,
  options: MiddlewareOptions<R> = {},
) {
  return (request: R, response: ExpressResponse, next: () => void): void => {
    if (options.ignore?.(request)) return next();
    const started = performance.now();
    let done = false;
    const record = () => {
      if (done) return;
      done = true;
      const template = typeof request.route?.path === 'string' ? request.route.path : null;
      sightline.apiCall({
        method: request.method,
        route: template === null ? UNMATCHED : `${request.baseUrl ?? ''}${template}`,
        status: response.statusCode,
        durationMs: performance.now() - started,
        ...requestIds(request.headers),
        userId: options.userOf?.(request) ?? null,
      });
    };
    response.on('finish', record);
    response.on('close', record);
    next();
  };
}

/** `app.use(sightlineExpressErrors(sightline))` after your routes: records, then passes on. */
export function sightlineExpressErrors(sightline: Sightline) {
  return (
    error: unknown,
    request: ExpressRequest,
    _response: unknown,
    next: (e: unknown) => void,
  ) => {
    const template = typeof request.route?.path === 'string' ? request.route.path : UNMATCHED;
    sightline.error(error, {
      props: { route: `${request.baseUrl ?? ''}${template}`, method: request.method },
    });
    next(error);
  };
}

interface FastifyLike {
  addHook(name: 'onResponse' | 'onError', hook: (...args: never[]) => void): unknown;
}
interface FastifyRequestLike {
  method: string;
  routeOptions?: { url?: string };
  headers: Record<string, string | string[] | undefined>;
}
interface FastifyReplyLike {
  statusCode: number;
  elapsedTime: number;
}

/**
 * `await app.register(sightlineFastify(sightline))`: hooks on the whole app (the plugin is not
 * encapsulated, like fastify-plugin).
 */
export function sightlineFastify<R extends FastifyRequestLike>(
  sightline: Sightline,
  options: MiddlewareOptions<R> = {},
) {
  const onResponse = (request: FastifyRequestLike, reply: FastifyReplyLike, next: () => void) => {
    if (options.ignore?.(request as R) !== true)
      sightline.apiCall({
        method: request.method,
        route: request.routeOptions?.url ?? UNMATCHED,
        status: reply.statusCode,
        durationMs: reply.elapsedTime,
        ...requestIds(request.headers),
        userId: options.userOf?.(request as R) ?? null,
      });
    next();
  };
  const onError = (
    request: FastifyRequestLike,
    _reply: unknown,
    error: Error,
    next: () => void,
  ) => {
    sightline.error(error, {
      props: { route: request.routeOptions?.url ?? UNMATCHED, method: request.method },
    });
    next();
  };
  const plugin = (app: FastifyLike, _opts: unknown, done: () => void) => {
    app.addHook('onResponse', onResponse);
    app.addHook('onError', onError);
    done();
  };
  // Fastify's convention for a plugin whose hooks apply to the app that registers it.
  return Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'sightline',
  });
}

interface KoaContextLike {
  method: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Set by @koa/router: the matched route's template. */
  _matchedRoute?: string | RegExp;
  routerPath?: string;
}

/** `app.use(sightlineKoa(sightline))` first, before the router. */
export function sightlineKoa<C extends KoaContextLike>(
  sightline: Sightline,
  options: MiddlewareOptions<C> = {},
) {
  return async (ctx: C, next: () => Promise<unknown>): Promise<void> => {
    if (options.ignore?.(ctx) === true) {
      await next();
      return;
    }
    const started = performance.now();
    let status: number | null = null;
    try {
      await next();
    } catch (error) {
      const e = error as { status?: number; expose?: boolean };
      status = typeof e.status === 'number' ? e.status : 500;
      const template = typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : UNMATCHED;
      if (status >= 500) sightline.error(error, { props: { route: template, method: ctx.method } });
      throw error;
    } finally {
      const template =
        typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : (ctx.routerPath ?? UNMATCHED);
      sightline.apiCall({
        method: ctx.method,
        route: template,
        status: status ?? ctx.status,
        durationMs: performance.now() - started,
        ...requestIds(ctx.headers),
        userId: options.userOf?.(ctx) ?? null,
      });
    }
  };
}

function requestIds(headers: Record<string, string | string[] | undefined>) {
  const requestId = headerOf(headers['x-request-id']);
  const traceparent = headerOf(headers.traceparent);
  const traceId = traceparent?.split('-')[1];
  return {
    ...(requestId ? { requestId } : {}),
    ...(traceId ? { traceId } : {}),
  };
}
