import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  canAccessProject,
  describeActor,
  getPrincipal,
  type SECURED_ROUTE,
} from '../auth/index.ts';
import type { AlertRoutesDeps } from './alert-routes.ts';
import { channelInputSchema } from './channel-service.ts';
import type { Alerting } from './create-alerting.ts';
import { previewRule } from './preview-rule.ts';
import { parseRuleSpec, type RuleAuthor } from './rule-service.ts';
import { silenceInputSchema } from './silence-service.ts';

/** What the alerting route groups share: the typed router, the base path and the services. */
export interface AlertRouteSetup {
  app: FastifyInstance;
  base: string;
  tags: { tags: string[]; security: typeof SECURED_ROUTE };
  alerting: Alerting;
  deps: AlertRoutesDeps;
}

const projectParams = z.object({ projectId: z.string().min(1).max(100) });
const ruleParams = projectParams.extend({ ruleId: z.string().min(1).max(64) });
const channelParams = projectParams.extend({ channelId: z.string().min(1).max(64) });
const silenceParams = projectParams.extend({ silenceId: z.string().min(1).max(64) });
/** Any JSON object: rules are checked by parseRuleSpec for errors with a stable code. */
const ruleBody = z.record(z.string(), z.unknown());
const READ = { permission: 'data:read', wholeProject: true } as const;
const RESPOND = { permission: 'alerts:respond', wholeProject: true } as const;
const MANAGE = { permission: 'alerts:manage', wholeProject: true } as const;
const DAY_MS = 24 * 3_600_000;
const actorOf = (request: FastifyRequest) => describeActor(getPrincipal(request));
/** A rule on a saved insight may be saved or previewed only by someone who may read it. */
function authorOf(request: FastifyRequest, projectId: string): RuleAuthor {
  const principal = getPrincipal(request);
  return {
    canReadInsights:
      principal.permissions.has('data:read') && canAccessProject(principal, projectId),
  };
}

export function registerRuleRoutes(setup: AlertRouteSetup): void {
  const { base, tags, alerting, deps } = setup;
  const r = setup.app.withTypeProvider<ZodTypeProvider>();
  const { clock } = deps;
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
        summary: 'Create an alert rule on a catalog metric or a saved insight (see docs/alerts.md)',
        description:
          'Invalid rules get ERR_ALERT_RULE_INVALID naming the field. A rule on a saved insight ' +
          '(query.source "insight") needs a trends or funnel insight of the project ' +
          '(ERR_ALERT_INSIGHT_UNSUPPORTED, ERR_ALERT_INSIGHT_NOT_FOUND) and data:read. Audited.',
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
            authorOf(request, request.params.projectId),
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
      const author = authorOf(request, projectId);
      const spec = await parseRuleSpec(deps.metaDb, projectId, request.body, author);
      const project = await deps.projects.get(projectId);
      const { eventStore: store, metaDb: db } = deps;
      return previewRule({ store, db, project, spec, now: clock.now() });
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
        authorOf(request, request.params.projectId),
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

export function registerSilenceRoutes(setup: AlertRouteSetup): void {
  const { base, tags, alerting } = setup;
  const r = setup.app.withTypeProvider<ZodTypeProvider>();
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
          await alerting.silences.create(request.params.projectId, request.body, actorOf(request)),
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

export function registerChannelRoutes(setup: AlertRouteSetup): void {
  const { base, tags, alerting } = setup;
  const r = setup.app.withTypeProvider<ZodTypeProvider>();
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
          await alerting.channels.create(request.params.projectId, request.body, actorOf(request)),
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
