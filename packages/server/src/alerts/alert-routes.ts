import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERR_ALERT_NOT_FOUND, SightlineError } from '@sightline/shared';
import { canAccessProject, describeActor, getPrincipal, SECURED_ROUTE } from '../auth/index.ts';
import type { Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { EventStore } from '../store/index.ts';
import { alertPolicySchema } from './alert-rule-schema.ts';
import { channelInputSchema } from './channel-service.ts';
import type { Alerting } from './create-alerting.ts';
import { previewRule } from './preview-rule.ts';
import { alertmanagerPayloadSchema, receiveAlertmanager } from './receive-alertmanager.ts';
import { parseRuleSpec } from './rule-service.ts';
import { silenceInputSchema } from './silence-service.ts';

export interface AlertRoutesDeps {
  alerting: Alerting;
  clock: Clock;
  eventStore: EventStore;
  projects: Pick<ProjectService, 'get'>;
  metaDb: Parameters<typeof receiveAlertmanager>[0]['db'];
}

const projectParams = z.object({ projectId: z.string().min(1).max(100) });
const alertParams = projectParams.extend({ alertId: z.string().min(1).max(64) });
const ruleParams = projectParams.extend({ ruleId: z.string().min(1).max(64) });
const channelParams = projectParams.extend({ channelId: z.string().min(1).max(64) });
const silenceParams = projectParams.extend({ silenceId: z.string().min(1).max(64) });
const commentBody = z.object({ comment: z.string().trim().min(1).max(2_000) });
const ackBody = z.object({ comment: z.string().trim().max(2_000).optional() }).default({});
/** Any JSON object: rules are checked by parseRuleSpec for errors with a stable code. */
const ruleBody = z.record(z.string(), z.unknown());
const periodQuery = z.object({
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(200),
});

const READ = { permission: 'data:read' } as const;
const RESPOND = { permission: 'alerts:respond' } as const;
const MANAGE = { permission: 'alerts:manage' } as const;
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

  registerRuleRoutes();
  registerSilenceRoutes();
  registerChannelRoutes();
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

  /** Seed 003 §3.2.5: the active alerts of every project the caller may see, and acknowledging. */
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
        for (const projectId of projectIds.filter((id) => canAccessProject(principal, id)))
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
        if (!canAccessProject(getPrincipal(request), projectId))
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

  function registerRuleRoutes() {
    const rules = `${base}/rules`;
    r.get(
      rules,
      {
        config: READ,
        schema: { ...tags, summary: 'Alert rules of a project', params: projectParams },
      },
      async (request) => ({
        rules: await alerting.rules.list(request.params.projectId),
      }),
    );
    r.post(
      rules,
      {
        config: MANAGE,
        schema: {
          ...tags,
          summary: 'Create an alert rule on a catalog metric (see docs/alerts.md)',
          description: 'Invalid rules get ERR_ALERT_RULE_INVALID naming the field. Audited.',
          params: projectParams,
          body: ruleBody,
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await alerting.rules.create(
              request.params.projectId,
              request.body as never,
              actorOf(request),
            ),
          ),
    );
    r.post(
      `${rules}/preview`,
      {
        config: READ,
        schema: {
          ...tags,
          summary: 'How a rule would have fired over the last 7 days (evaluated every hour)',
          params: projectParams,
          body: ruleBody,
        },
      },
      async (request) => {
        const { projectId } = request.params;
        const spec = await parseRuleSpec(deps.metaDb, projectId, request.body);
        const project = await deps.projects.get(projectId);
        return previewRule({ store: deps.eventStore, project, spec, now: clock.now() });
      },
    );
    r.get(
      `${rules}/:ruleId`,
      { config: READ, schema: { ...tags, summary: 'One alert rule', params: ruleParams } },
      (request) => alerting.rules.get(request.params.projectId, request.params.ruleId),
    );
    r.put(
      `${rules}/:ruleId`,
      {
        config: MANAGE,
        schema: {
          ...tags,
          summary: 'Replace an alert rule (evaluated again at once)',
          params: ruleParams,
          body: ruleBody,
        },
      },
      (request) =>
        alerting.rules.update(
          request.params.projectId,
          request.params.ruleId,
          request.body as never,
          actorOf(request),
        ),
    );
    r.delete(
      `${rules}/:ruleId`,
      {
        config: MANAGE,
        schema: {
          ...tags,
          summary: 'Delete an alert rule with its alerts and their history',
          params: ruleParams,
        },
      },
      async (request, reply) => {
        await alerting.rules.remove(
          request.params.projectId,
          request.params.ruleId,
          actorOf(request),
        );
        return reply.status(204).send();
      },
    );
  }

  function registerSilenceRoutes() {
    const silences = `${base}/silences`;
    r.get(
      silences,
      {
        config: READ,
        schema: {
          ...tags,
          summary: 'Silences and mute windows not yet over (and those ended in the last days)',
          params: projectParams,
          querystring: z.object({ expiredWithinDays: z.coerce.number().min(0).max(90).default(7) }),
        },
      },
      async (request) => ({
        silences: await alerting.silences.list(
          request.params.projectId,
          request.query.expiredWithinDays * DAY_MS,
        ),
      }),
    );
    r.post(
      silences,
      {
        config: RESPOND,
        schema: {
          ...tags,
          summary: 'Silence alerts matching labels for a period, or in a recurring mute window',
          params: projectParams,
          body: silenceInputSchema,
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await alerting.silences.create(
              request.params.projectId,
              request.body,
              actorOf(request),
            ),
          ),
    );
    r.delete(
      `${silences}/:silenceId`,
      {
        config: RESPOND,
        schema: {
          ...tags,
          summary: 'End a silence now (it stays in the list as expired)',
          params: silenceParams,
        },
      },
      (request) =>
        alerting.silences.expire(
          request.params.projectId,
          request.params.silenceId,
          actorOf(request),
        ),
    );
  }

  function registerChannelRoutes() {
    const channels = `${base}/channels`;
    r.get(
      channels,
      {
        config: READ,
        schema: {
          ...tags,
          summary: 'Notification channels (secrets masked)',
          params: projectParams,
        },
      },
      async (request) => ({
        channels: await alerting.channels.list(request.params.projectId),
      }),
    );
    r.post(
      channels,
      {
        config: MANAGE,
        schema: {
          ...tags,
          summary: 'Add a notification channel (webhook, DingTalk, Feishu, WeCom, Slack, email)',
          params: projectParams,
          body: channelInputSchema,
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await alerting.channels.create(
              request.params.projectId,
              request.body,
              actorOf(request),
            ),
          ),
    );
    r.get(
      `${channels}/:channelId`,
      {
        config: READ,
        schema: { ...tags, summary: 'One channel (secrets masked)', params: channelParams },
      },
      (request) => alerting.channels.get(request.params.projectId, request.params.channelId),
    );
    r.put(
      `${channels}/:channelId`,
      {
        config: MANAGE,
        schema: {
          ...tags,
          summary: 'Replace a channel; masked secrets sent back keep their stored values',
          params: channelParams,
          body: channelInputSchema,
        },
      },
      (request) =>
        alerting.channels.update(
          request.params.projectId,
          request.params.channelId,
          request.body,
          actorOf(request),
        ),
    );
    r.delete(
      `${channels}/:channelId`,
      {
        config: MANAGE,
        schema: {
          ...tags,
          summary: 'Delete a channel (rules naming it stop using it)',
          params: channelParams,
        },
      },
      async (request, reply) => {
        await alerting.channels.remove(
          request.params.projectId,
          request.params.channelId,
          actorOf(request),
        );
        return reply.status(204).send();
      },
    );
    r.post(
      `${channels}/:channelId/test`,
      {
        config: MANAGE,
        schema: {
          ...tags,
          summary: 'Send a test message now; answers with its delivery log entry',
          params: channelParams,
        },
      },
      async (request) => {
        await alerting.channels.get(request.params.projectId, request.params.channelId);
        return alerting.sendTest(request.params.projectId, request.params.channelId);
      },
    );
  }
}
