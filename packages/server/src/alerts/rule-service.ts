import {
  ERR_ALERT_CHANNEL_NOT_FOUND,
  ERR_ALERT_INSIGHT_NOT_FOUND,
  ERR_ALERT_RULE_INVALID,
  ERR_ALERT_RULE_NOT_FOUND,
  ERR_AUTH_FORBIDDEN,
  SightlineError,
  getMetric,
} from '@sightline/shared';
import type { Selectable } from 'kysely';
import type { AuditLog } from '../audit/index.ts';
import { readInsight } from '../insights/index.ts';
import { createId, type Clock } from '../platform/index.ts';
import type { AlertRulesTable, MetaDb } from '../store/index.ts';
import {
  alertRuleSpecSchema,
  type AlertRuleInput,
  type AlertRuleSpec,
} from './alert-rule-schema.ts';
import { resolveInsightWatch } from './resolve-insight-watch.ts';

/** A rule as the API shows it: its definition plus scheduling state. */
export type AlertRule = AlertRuleSpec & {
  id: string;
  projectId: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  nextEvalAt: number;
  lastEvalAt: number | null;
  lastEvalMs: number | null;
  lastError: string | null;
};

export interface RuleServiceDeps {
  db: MetaDb;
  audit: AuditLog;
  clock: Clock;
}

export function toAlertRule(row: Selectable<AlertRulesTable>): AlertRule {
  const spec = alertRuleSpecSchema.parse(JSON.parse(row.spec));
  return {
    ...spec,
    id: row.id,
    projectId: row.project_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    nextEvalAt: row.next_eval_at,
    lastEvalAt: row.last_eval_at,
    lastEvalMs: row.last_eval_ms,
    lastError: row.last_error,
  };
}

/** Who saves or previews a rule: a rule on a saved insight needs the right to read it. */
export interface RuleAuthor {
  /** The caller may read the project's data, so its saved insights (data:read). */
  canReadInsights: boolean;
}

/**
 * Parses and checks a rule against the catalog (or the saved insight it watches, as it is now)
 * and the project's channels.
 */
export async function parseRuleSpec(
  db: MetaDb,
  projectId: string,
  input: unknown,
  author: RuleAuthor = { canReadInsights: true },
): Promise<AlertRuleSpec> {
  const parsed = alertRuleSpecSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw new SightlineError(
      ERR_ALERT_RULE_INVALID,
      { reason: `${where ? `${where}: ` : ''}${issue?.message ?? 'invalid'}` },
      parsed.error.issues,
    );
  }
  const spec = parsed.data;
  if (spec.query.source === 'insight') {
    if (!author.canReadInsights)
      throw new SightlineError(ERR_AUTH_FORBIDDEN, { permission: 'data:read' });
    const insight = await readInsight(db, projectId, spec.query.insightId);
    if (!insight)
      throw new SightlineError(ERR_ALERT_INSIGHT_NOT_FOUND, {
        insightId: spec.query.insightId,
        projectId,
      });
    resolveInsightWatch(insight, spec);
  } else checkMetricQuery(spec);
  await checkChannels(db, projectId, spec.channelIds);
  return spec;
}

function checkMetricQuery(spec: AlertRuleSpec): void {
  if (spec.query.source !== 'metric') return;
  const metric = getMetric(spec.query.metric);
  if (!metric)
    throw new SightlineError(ERR_ALERT_RULE_INVALID, {
      reason: `query.metric: unknown metric ${spec.query.metric}`,
    });
  if (spec.query.groupBy && !metric.dimensions.includes(spec.query.groupBy))
    throw new SightlineError(ERR_ALERT_RULE_INVALID, {
      reason: `query.groupBy: ${spec.query.metric} cannot be split by ${spec.query.groupBy} (it can by ${metric.dimensions.join(', ') || 'nothing'})`,
    });
  if (spec.minVolume && !getMetric(spec.minVolume.metric))
    throw new SightlineError(ERR_ALERT_RULE_INVALID, {
      reason: `minVolume.metric: unknown metric ${spec.minVolume.metric}`,
    });
}

export async function checkChannels(
  db: MetaDb,
  projectId: string,
  channelIds: readonly string[],
): Promise<void> {
  if (channelIds.length === 0) return;
  const found = await db
    .selectFrom('alert_channels')
    .select('id')
    .where('project_id', '=', projectId)
    .where('id', 'in', [...channelIds])
    .execute();
  const known = new Set(found.map((row) => row.id));
  const missing = channelIds.find((id) => !known.has(id));
  if (missing) throw new SightlineError(ERR_ALERT_CHANNEL_NOT_FOUND, { channelId: missing });
}

/** The audit entry names the insight a rule watches: who pointed alerts at whose insight. */
const watchedDetail = (spec: AlertRuleSpec) =>
  spec.query.source === 'insight' ? { insightId: spec.query.insightId } : {};

/** Alert rules of a project: create, change, enable/disable, delete; every change audited. */
export function createRuleService(deps: RuleServiceDeps) {
  const { db, audit, clock } = deps;

  async function getRow(projectId: string, ruleId: string) {
    const row = await db
      .selectFrom('alert_rules')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '=', ruleId)
      .executeTakeFirst();
    if (!row) throw new SightlineError(ERR_ALERT_RULE_NOT_FOUND, { ruleId, projectId });
    return row;
  }

  async function listRules(projectId: string): Promise<AlertRule[]> {
    const rows = await db
      .selectFrom('alert_rules')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('severity')
      .orderBy('name')
      .execute();
    return rows.map(toAlertRule);
  }

  return {
    list: listRules,

    /** Names of the project's rules that watch this saved insight. */
    async watching(projectId: string, insightId: string): Promise<string[]> {
      return (await listRules(projectId))
        .filter((rule) => rule.query.source === 'insight' && rule.query.insightId === insightId)
        .map((rule) => rule.name);
    },

    async get(projectId: string, ruleId: string): Promise<AlertRule> {
      return toAlertRule(await getRow(projectId, ruleId));
    },

    async create(
      projectId: string,
      input: AlertRuleInput,
      actor: string,
      author?: RuleAuthor,
    ): Promise<AlertRule> {
      const spec = await parseRuleSpec(db, projectId, input, author);
      const now = clock.now();
      const row: Selectable<AlertRulesTable> = {
        id: createId('rul_'),
        project_id: projectId,
        name: spec.name,
        severity: spec.severity,
        enabled: spec.enabled ? 1 : 0,
        spec: JSON.stringify(spec),
        created_by: actor,
        created_at: now,
        updated_at: now,
        next_eval_at: now,
        last_eval_at: null,
        last_eval_ms: null,
        last_error: null,
      };
      await db.insertInto('alert_rules').values(row).execute();
      await audit.record({
        actor,
        action: 'alert.rule.create',
        projectId,
        target: row.id,
        details: { name: spec.name, severity: spec.severity, ...watchedDetail(spec) },
      });
      return toAlertRule(row);
    },

    /** Replaces the definition; the rule is evaluated again at once. */
    async update(
      projectId: string,
      ruleId: string,
      input: AlertRuleInput,
      actor: string,
      author?: RuleAuthor,
    ): Promise<AlertRule> {
      await getRow(projectId, ruleId);
      const spec = await parseRuleSpec(db, projectId, input, author);
      const now = clock.now();
      await db
        .updateTable('alert_rules')
        .set({
          name: spec.name,
          severity: spec.severity,
          enabled: spec.enabled ? 1 : 0,
          spec: JSON.stringify(spec),
          updated_at: now,
          next_eval_at: now,
          last_error: null,
        })
        .where('id', '=', ruleId)
        .execute();
      await audit.record({
        actor,
        action: 'alert.rule.update',
        projectId,
        target: ruleId,
        details: { name: spec.name, enabled: spec.enabled, ...watchedDetail(spec) },
      });
      return toAlertRule(await getRow(projectId, ruleId));
    },

    /** Deletes the rule with its alerts and their history. */
    async remove(projectId: string, ruleId: string, actor: string): Promise<void> {
      const row = await getRow(projectId, ruleId);
      await db.deleteFrom('alert_rules').where('id', '=', ruleId).execute();
      await audit.record({
        actor,
        action: 'alert.rule.delete',
        projectId,
        target: ruleId,
        details: { name: row.name },
      });
    },
  };
}

export type RuleService = ReturnType<typeof createRuleService>;
