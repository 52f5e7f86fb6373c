import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppServices } from '../app.ts';

export interface HealthRoutesOptions {
  services: AppServices;
  isShuttingDown: () => boolean;
}

const readySchema = z.object({
  ready: z.boolean(),
  store: z.object({
    ok: z.boolean(),
    sizeBytes: z.number().nullable(),
    applyBacklogEvents: z.number().optional(),
    error: z.string().optional(),
  }),
  writer: z.object({ queueDepth: z.number(), queueCapacity: z.number() }),
  shuttingDown: z.boolean(),
});

/** /healthz: the process answers. /readyz: it can take traffic (store reachable, queue not full). */
export function registerHealthRoutes(app: FastifyInstance, options: HealthRoutesOptions): void {
  const { services } = options;
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness',
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    () => ({ ok: true as const }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: event store reachable, writer queue depth',
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_request, reply) => {
      const store = await services.eventStore.health();
      const queueDepth = services.ingest.queueDepth();
      const capacity = services.config.writerQueueMaxEvents;
      const shuttingDown = options.isShuttingDown();
      const ready = store.ok && !shuttingDown && queueDepth < capacity;
      return reply.status(ready ? 200 : 503).send({
        ready,
        store,
        writer: { queueDepth, queueCapacity: capacity },
        shuttingDown,
      });
    },
  );
}
