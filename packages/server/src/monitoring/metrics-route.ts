import type { FastifyInstance } from 'fastify';
import { ERR_MONITORING_METRICS_TOKEN_INVALID, SightlineError } from '@sightline/shared';
import { safeEqual } from '../platform/index.ts';
import type { SightlineMetrics } from './sightline-metrics.ts';

export interface MetricsRouteOptions {
  metrics: SightlineMetrics;
  /**
   * When set, a scrape must send `Authorization: Bearer <token>`; when absent the endpoint is
   * open, as Prometheus exporters usually are (bind or firewall it instead).
   */
  token?: string | null;
}

const BEARER = /^Bearer\s+(\S+)$/i;

/** GET /metrics: Sightline's own metrics in the Prometheus text format (0.0.4). */
export function registerMetricsRoute(app: FastifyInstance, options: MetricsRouteOptions): void {
  const { metrics, token } = options;
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Prometheus metrics of this server (text exposition format)',
        description: token
          ? 'Needs Authorization: Bearer <metrics token> (ERR_MONITORING_METRICS_TOKEN_INVALID).'
          : 'Open: no metrics token is configured.',
        ...(token ? { security: [{ bearer: [] }] } : {}),
      },
    },
    async (request, reply) => {
      if (token) {
        const given = BEARER.exec(request.headers.authorization ?? '')?.[1] ?? '';
        if (!safeEqual(given, token))
          throw new SightlineError(ERR_MONITORING_METRICS_TOKEN_INVALID);
      }
      const body = await metrics.render();
      return reply.header('content-type', metrics.contentType).send(body);
    },
  );
}
