import type { AuditLog } from '../audit/index.ts';
import type { Clock } from '../platform/index.ts';
import type { MetaDb } from '../store/index.ts';
import { alertPolicySchema, type AlertPolicy } from './alert-rule-schema.ts';
import { checkChannels } from './rule-service.ts';

export interface PolicyServiceDeps {
  db: MetaDb;
  audit: AuditLog;
  clock: Clock;
}

/** A project's notification policy (grouping, timing, inhibition, language); defaults until set. */
export function createPolicyService(deps: PolicyServiceDeps) {
  const { db, audit, clock } = deps;
  return {
    async get(projectId: string): Promise<AlertPolicy> {
      const row = await db
        .selectFrom('alert_policies')
        .select('spec')
        .where('project_id', '=', projectId)
        .executeTakeFirst();
      return alertPolicySchema.parse(row ? JSON.parse(row.spec) : {});
    },

    async put(projectId: string, input: unknown, actor: string): Promise<AlertPolicy> {
      const policy = alertPolicySchema.parse(input);
      await checkChannels(db, projectId, policy.defaultChannelIds);
      const now = clock.now();
      const spec = JSON.stringify(policy);
      await db
        .insertInto('alert_policies')
        .values({ project_id: projectId, spec, updated_by: actor, updated_at: now })
        .onConflict((c) =>
          c.column('project_id').doUpdateSet({ spec, updated_by: actor, updated_at: now }),
        )
        .execute();
      await audit.record({
        actor,
        action: 'alert.policy.update',
        projectId,
        details: { ...policy },
      });
      return policy;
    },
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;
