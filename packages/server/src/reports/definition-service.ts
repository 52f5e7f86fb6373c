import type { Selectable } from 'kysely';
import type { AuditLog } from '../audit/index.ts';
import type { Clock } from '../platform/index.ts';
import type { MetaDb } from '../store/index.ts';
import { REPORT_KINDS, type ReportKind } from './report-document.ts';
import {
  defaultDefinitionInput,
  reportDefinitionInputSchema,
  type ReportDefinition,
  type ReportDefinitionInput,
  type ReportDefinitionsTable,
  type ReportTables,
} from './report-schema.ts';

export interface DefinitionServiceDeps {
  db: MetaDb;
  audit: AuditLog;
  clock: Clock;
  /** Throws when a channel id is not one of the project's notification channels. */
  checkChannel(projectId: string, channelId: string): Promise<void>;
}

function toDefinition(row: Selectable<ReportDefinitionsTable>): ReportDefinition {
  return {
    projectId: row.project_id,
    kind: row.kind as ReportKind,
    ...reportDefinitionInputSchema.parse({
      enabled: row.enabled === 1,
      sendTime: row.send_time,
      locale: row.locale,
      sections: JSON.parse(row.sections) as unknown,
      recipients: JSON.parse(row.recipients) as unknown,
      channelIds: JSON.parse(row.channel_ids) as unknown,
      formats: JSON.parse(row.formats) as unknown,
    }),
    lastScheduledAt: row.last_scheduled_at,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

/**
 * The daily, weekly and monthly report definitions of each project. A project without a stored
 * definition has the default one (disabled), so every project lists all three kinds.
 */
export function createDefinitionService(deps: DefinitionServiceDeps) {
  const db = deps.db.withTables<ReportTables>();
  const { audit, clock } = deps;

  async function find(projectId: string, kind: ReportKind): Promise<ReportDefinition | null> {
    const row = await db
      .selectFrom('report_definitions')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return row ? toDefinition(row) : null;
  }

  function fallback(projectId: string, kind: ReportKind): ReportDefinition {
    return {
      projectId,
      kind,
      ...defaultDefinitionInput(kind),
      lastScheduledAt: null,
      updatedBy: 'system',
      updatedAt: 0,
    };
  }

  async function get(projectId: string, kind: ReportKind): Promise<ReportDefinition> {
    return (await find(projectId, kind)) ?? fallback(projectId, kind);
  }

  return {
    get,

    async list(projectId: string): Promise<ReportDefinition[]> {
      return Promise.all(REPORT_KINDS.map((kind) => get(projectId, kind)));
    },

    /** Every enabled definition of every project, for the scheduler. */
    async listEnabled(): Promise<ReportDefinition[]> {
      const rows = await db
        .selectFrom('report_definitions')
        .selectAll()
        .where('enabled', '=', 1)
        .execute();
      return rows.map(toDefinition);
    },

    /**
     * Replaces a definition. Enabling (or changing the time of) a schedule starts it from now:
     * it sends at the next scheduled time, never a report for a period already past.
     */
    async put(
      projectId: string,
      kind: ReportKind,
      input: ReportDefinitionInput,
      actor: string,
    ): Promise<ReportDefinition> {
      const parsed = reportDefinitionInputSchema.parse(input);
      for (const channelId of new Set(parsed.channelIds))
        await deps.checkChannel(projectId, channelId);
      const before = await find(projectId, kind);
      const now = clock.now();
      const restart =
        !before || !before.enabled || before.sendTime !== parsed.sendTime ? now : null;
      const row: Selectable<ReportDefinitionsTable> = {
        project_id: projectId,
        kind,
        enabled: parsed.enabled ? 1 : 0,
        send_time: parsed.sendTime,
        locale: parsed.locale,
        sections: JSON.stringify(parsed.sections),
        recipients: JSON.stringify([...new Set(parsed.recipients.map((r) => r.toLowerCase()))]),
        channel_ids: JSON.stringify([...new Set(parsed.channelIds)]),
        formats: JSON.stringify([...new Set(parsed.formats)]),
        last_scheduled_at: restart ?? before?.lastScheduledAt ?? now,
        updated_by: actor,
        updated_at: now,
      };
      await db
        .insertInto('report_definitions')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['project_id', 'kind']).doUpdateSet({
            enabled: row.enabled,
            send_time: row.send_time,
            locale: row.locale,
            sections: row.sections,
            recipients: row.recipients,
            channel_ids: row.channel_ids,
            formats: row.formats,
            last_scheduled_at: row.last_scheduled_at,
            updated_by: row.updated_by,
            updated_at: row.updated_at,
          }),
        )
        .execute();
      await audit.record({
        actor,
        action: 'report.definition.update',
        projectId,
        target: kind,
        details: {
          enabled: parsed.enabled,
          sendTime: parsed.sendTime,
          recipients: parsed.recipients.length,
          channels: parsed.channelIds.length,
        },
      });
      return toDefinition(row);
    },

    /** Records that the scheduled send at `at` was acted on. */
    async markScheduled(projectId: string, kind: ReportKind, at: number): Promise<void> {
      await db
        .updateTable('report_definitions')
        .set({ last_scheduled_at: at })
        .where('project_id', '=', projectId)
        .where('kind', '=', kind)
        .execute();
    },
  };
}

export type DefinitionService = ReturnType<typeof createDefinitionService>;
