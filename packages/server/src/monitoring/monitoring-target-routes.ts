import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { describeActor, getPrincipal } from '../auth/index.ts';
import type { Monitoring } from './create-monitoring.ts';
import { historyQuery, targetParams, uptimeQuery } from './monitoring-route-schemas.ts';
import { MANAGE_ROUTE, MONITORING_TAGS, READ_ROUTE } from './route-access.ts';
import {
  checkSchema,
  targetInputSchema,
  targetPatchSchema,
  targetSchema,
  uptimeSchema,
} from './target-schemas.ts';

const HOUR_MS = 3_600_000;
const BASE = '/api/v1/monitoring/targets';

const actorOf = (request: FastifyRequest) => describeActor(getPrincipal(request));

/** Probe targets: CRUD, a check on demand, the history and the uptime of each. */
export function registerMonitoringTargetRoutes(app: FastifyInstance, monitoring: Monitoring): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const manageNote = 'Needs projects:manage. Audited.';

  r.get(
    BASE,
    {
      ...READ_ROUTE,
      schema: {
        ...MONITORING_TAGS,
        summary: 'Probe targets, by name, with their latest check',
        response: { 200: z.object({ targets: z.array(targetSchema) }) },
      },
    },
    async () => ({ targets: await monitoring.listTargets() }),
  );

  r.post(
    BASE,
    {
      ...MANAGE_ROUTE,
      schema: {
        ...MONITORING_TAGS,
        summary: 'Add a probe target (http, tcp, postgres or mysql)',
        description:
          'Checked every intervalSec seconds from the next scheduler pass on. Names are unique ' +
          `(ERR_MONITORING_TARGET_NAME_TAKEN). ${manageNote}`,
        body: targetInputSchema,
        response: { 201: targetSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await monitoring.createTarget(request.body, actorOf(request))),
  );

  r.get(
    `${BASE}/:targetId`,
    {
      ...READ_ROUTE,
      schema: {
        ...MONITORING_TAGS,
        summary: 'One probe target',
        params: targetParams,
        response: { 200: targetSchema },
      },
    },
    (request) => monitoring.getTarget(request.params.targetId),
  );

  r.patch(
    `${BASE}/:targetId`,
    {
      ...MANAGE_ROUTE,
      schema: {
        ...MONITORING_TAGS,
        summary: 'Rename, reschedule, pause or reconfigure a probe target',
        description:
          'config replaces the whole config and is checked against kind (the new one, or the ' +
          `current); changing kind needs a config. ${manageNote}`,
        params: targetParams,
        body: targetPatchSchema,
        response: { 200: targetSchema },
      },
    },
    (request) => monitoring.updateTarget(request.params.targetId, request.body, actorOf(request)),
  );

  r.delete(
    `${BASE}/:targetId`,
    {
      ...MANAGE_ROUTE,
      schema: {
        ...MONITORING_TAGS,
        summary: 'Delete a probe target and its history',
        description: manageNote,
        params: targetParams,
        response: { 204: z.null().describe('deleted') },
      },
    },
    async (request, reply) => {
      await monitoring.deleteTarget(request.params.targetId, actorOf(request));
      return reply.status(204).send(null);
    },
  );

  r.post(
    `${BASE}/:targetId/check`,
    {
      ...MANAGE_ROUTE,
      schema: {
        ...MONITORING_TAGS,
        summary: 'Check a target now (paused ones too) and store the result',
        description:
          'Answers when the check is done: at most the probe timeout. Needs projects:manage.',
        params: targetParams,
        response: { 200: checkSchema },
      },
    },
    (request) => monitoring.checkNow(request.params.targetId),
  );

  r.get(
    `${BASE}/:targetId/history`,
    {
      ...READ_ROUTE,
      schema: {
        ...MONITORING_TAGS,
        summary: 'Checks of a target, newest first',
        params: targetParams,
        querystring: historyQuery,
        response: { 200: z.object({ checks: z.array(checkSchema) }) },
      },
    },
    async (request) => ({
      checks: await monitoring.listChecks(request.params.targetId, request.query),
    }),
  );

  r.get(
    `${BASE}/:targetId/uptime`,
    {
      ...READ_ROUTE,
      schema: {
        ...MONITORING_TAGS,
        summary: 'Uptime and latency percentiles of a target over a window ending now',
        description:
          'Degraded checks count as available; latency percentiles leave out down checks.',
        params: targetParams,
        querystring: uptimeQuery,
        response: { 200: uptimeSchema },
      },
    },
    (request) => monitoring.getUptime(request.params.targetId, request.query.windowHours * HOUR_MS),
  );
}
