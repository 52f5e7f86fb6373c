import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERR_ALERT_NOT_FOUND, SightlineError } from '@sightline/shared';
import { describeActor, getPrincipal, SECURED_ROUTE, seesWholeProject } from '../auth/index.ts';
import type { Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { EventStore } from '../store/index.ts';
import {
  registerChannelRoutes,
  registerRuleRoutes,
  registerSilenceRoutes,
} from './alert-config-routes.ts';
import { alertPolicySchema } from './alert-rule-schema.ts';
import type { Alerting } from './create-alerting.ts';
import { alertmanagerPayloadSchema, receiveAlertmanager } from './receive-alertmanager.ts';

export interface AlertRoutesDeps {
  alerting: Alerting;
  clock: Clock;
  eventStore: EventStore;
  projects: Pick<ProjectService, 'get'>;
  metaDb: Parameters<typeof receiveAlertmanager>[0]['db'];
}

const projectParams = z.object({ projectId: z.string().min(1).max(100) });
const alertParams = projectParams.extend({ alertId: z.string().min(1).max(64) });
const commentBody = z.object({ comment: z.string().trim().min(1).max(2_000) });
const ackBody = z.object({ comment: z.string().trim().max(2_000).optional() }).default({});
const periodQuery = z.object({
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(200),
});

const READ = { permission: 'data:read', wholeProject: true } as const;
const RESPOND = { permission: 'alerts:respond', wholeProject: true } as const;
const MANAGE = { permission: 'alerts:manage', wholeProject: true } as const;
const DAY_MS = 24 * 3_600_000;

const actorOf = (request: FastifyRequest) => describeActor(getPrincipal(request));

/**
 * Alerting under /api/v1/projects/:projectId/alerts: the alert center (list, acknowledge,
 * comment, history, noise), rules (with a 7-day preview), silences, channels (with a test
 * send), the notification policy, the delivery log, and Alertmanager's webhook.
 */
export function registerAlertRoutes(app: FastifyInstance, deps: AlertRoutesDeps): void {
  const { alerting, clock } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/projects/:projectId/alerts';
  const tags = { tags: ['alerts'], security: SECURED_ROUTE };

  r.get(
    base,
    {
      config: READ,
      schema: {
        ...tags,
        summary: 'Firing and pending alerts, and those resolved in the last hours',
        params: projectParams,
        querystring: z.object({
          resolvedWithinHours: z.coerce.number().min(0).max(720).default(24),
        }),
      },
    },
    async (request) => ({
      alerts: await alerting.center.list(request.params.projectId, {
        resolvedWithinMs: request.query.resolvedWithinHours * 3_600_000,
      }),
    }),
  );

  r.get(
    `${base}/history`,
    {
      config: READ,
      schema: {
        ...tags,
        summary: 'Every alert transition, acknowledgement and comment of a period',
        params: projectParams,
        querystring: periodQuery,
      },
    },
    async (request) => {
      const to = request.query.to ?? clock.now() + 1;
      const from = request.query.from ?? to - 7 * DAY_MS;
      return {
        from,
        to,
        events: await alerting.center.history(request.params.projectId, {
          from,
          to,
          limit: request.query.limit,
        }),
      };
    },
  );

  r.get(
    `${base}/noise`,
    {
      config: READ,
      schema: {
        ...tags,
        summary: 'Noise report: raw firings against notifications sent, and what removed the rest',
        params: projectParams,
        querystring: periodQuery,
      },
    },
    async (request) => {
      const to = request.query.to ?? clock.now() + 1;
      const from = request.query.from ?? to - 7 * DAY_MS;
      return alerting.center.noise(request.params.projectId, from, to);
    },
  );

  r.get(
    `${base}/deliveries`,
    {
      config: READ,
      schema: {
        ...tags,
        summary: 'The delivery log: every notification, its attempts and outcome',
        params: projectParams,
        querystring: periodQuery,
      },
    },
    async (request) => ({
      deliveries: await alerting.center.deliveries(request.params.projectId, request.query.limit),
    }),
  );

  r.post(
    `${base}/alertmanager`,
    {
      config: MANAGE,
      schema: {
        ...tags,
        summary: "Alertmanager's webhook: its alerts show up in the alert center",
        description:
          'Point an Alertmanager webhook_config at this URL with an API token (authorization ' +
          'bearer). Alerts are identified by their labels; severity critical/page → P0, ' +
          'error/warning → P1, others P2. They notify the policy’s default channels.',
        params: projectParams,
        body: alertmanagerPayloadSchema,
      },
    },
    async (request) => {
      await deps.projects.get(request.params.projectId);
      const result = await receiveAlertmanager({
        db: deps.metaDb,
        clock,
        projectId: request.params.projectId,
        payload: request.body,
      });
      if (result.changed > 0) await alerting.dispatchNow([request.params.projectId]);
      return result;
    },
  );

  const setup = { app, base, tags, alerting, deps };
  registerRuleRoutes(setup);
  registerSilenceRoutes(setup);
  registerChannelRoutes(setup);
  registerMonitoringAlertRoutes();

  r.get(
    `${base}/policy`,
    {
      config: READ,
      schema: {
        ...tags,
        summary: 'The notification policy (grouping, timing, inhibition, language)',
        params: projectParams,
      },
    },
    (request) => alerting.policies.get(request.params.projectId),
  );
  r.put(
    `${base}/policy`,
    {
      config: MANAGE,
      schema: {
        ...tags,
        summary: 'Set the notification policy; omitted fields take their defaults',
        params: projectParams,
        body: alertPolicySchema,
      },
    },
    (request) => alerting.policies.put(request.params.projectId, request.body, actorOf(request)),
  );

  r.get(
    `${base}/:alertId`,
    {
      config: READ,
      schema: {
        ...tags,
        summary: 'One alert with its history (newest first)',
        params: alertParams,
      },
    },
    (request) => alerting.center.get(request.params.projectId, request.params.alertId),
  );
  r.post(
    `${base}/:alertId/acknowledge`,
    {
      config: RESPOND,
      schema: {
        ...tags,
        summary:
          'Acknowledge a firing alert: no reminders until it resolves (ERR_ALERT_NOT_FIRING otherwise)',
        params: alertParams,
        body: ackBody,
      },
    },
    (request) =>
      alerting.center.acknowledge(
        request.params.projectId,
        request.params.alertId,
        actorOf(request),
        request.body.comment ?? null,
      ),
  );
  r.post(
    `${base}/:alertId/unacknowledge`,
    {
      config: RESPOND,
      schema: { ...tags, summary: 'Take an acknowledgement back', params: alertParams },
    },
    (request) =>
      alerting.center.unacknowledge(
        request.params.projectId,
        request.params.alertId,
        actorOf(request),
      ),
  );
  r.post(
    `${base}/:alertId/comments`,
    {
      config: RESPOND,
      schema: {
        ...tags,
        summary: 'Comment on an alert (kept in its history)',
        params: alertParams,
        body: commentBody,
      },
    },
    (request) =>
      alerting.center.comment(
        request.params.projectId,
        request.params.alertId,
        actorOf(request),
        request.body.comment,
      ),
  );

  /**
   * Seed 003 §3.2.5: the active alerts of every project the caller may see whole (not through a
   * row-level scope), and acknowledging.
   */
  function registerMonitoringAlertRoutes() {
    const monitoringTags = { tags: ['monitoring'], security: SECURED_ROUTE };
    r.get(
      '/api/v1/monitoring/alerts/active',
      {
        config: READ,
        schema: {
          ...monitoringTags,
          summary: 'Firing and pending alerts across the projects the caller may see',
        },
      },
      async (request) => {
        const principal = getPrincipal(request);
        const projectIds = await alerting.center.projectsWithActiveAlerts();
        const alerts = [];
        for (const projectId of projectIds.filter((id) => seesWholeProject(principal, id)))
          alerts.push(...(await alerting.center.list(projectId, { resolvedWithinMs: 0 })));
        return { alerts };
      },
    );
    r.post(
      '/api/v1/monitoring/alerts/:alertId/acknowledge',
      {
        config: RESPOND,
        schema: {
          ...monitoringTags,
          summary: 'Acknowledge a firing alert of any project the caller may see',
          params: z.object({ alertId: z.string().min(1).max(64) }),
          body: ackBody,
        },
      },
      async (request) => {
        const projectId = await alerting.center.findProjectOf(request.params.alertId);
        if (!seesWholeProject(getPrincipal(request), projectId))
          throw new SightlineError(ERR_ALERT_NOT_FOUND, {
            alertId: request.params.alertId,
            projectId: '-',
          });
        return alerting.center.acknowledge(
          projectId,
          request.params.alertId,
          actorOf(request),
          request.body.comment ?? null,
        );
      },
    );
  }
}
