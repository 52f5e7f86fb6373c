import { ERR_INSIGHT_NOT_FOUND, ERR_INSIGHT_NOT_OWNER, SightlineError } from '@sightline/shared';
import type { AuditLog } from '../audit/index.ts';
import { createId, type Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { InsightsTable, MetaDb } from '../store/index.ts';
import { checkInsight } from './check-insight-params.ts';
import { toStoredInsight } from './read-insight.ts';
import {
  layoutSchema,
  type Insight,
  type InsightInput,
  type InsightPatch,
} from './insight-schemas.ts';

export interface InsightServiceDeps {
  db: MetaDb;
  audit: AuditLog;
  clock: Clock;
  projects: Pick<ProjectService, 'get'>;
}

/** Who asks: their audit name (`user:<id>`, `token:<id>`) and whether they are an admin. */
export interface Caller {
  actor: string;
  admin: boolean;
}

/** Owners change their own insights and dashboards; admins change anyone's. */
export const canEdit = (caller: Caller, owner: string): boolean =>
  caller.admin || caller.actor === owner;

export function toInsight(row: InsightsTable, caller: Caller): Insight {
  return {
    ...toStoredInsight(row),
    owner: row.owner,
    createdAt: row.created_at,
    editable: canEdit(caller, row.owner),
  };
}

/**
 * Saved insights: a report request (kind + params) with the filter bar it was saved with. Every
 * project member who may read data sees them; only the owner or an admin changes one. Every
 * change is audited. Deleting an insight removes its tiles from the project's dashboards.
 */
export function createInsightService(deps: InsightServiceDeps) {
  const { db, audit, clock } = deps;

  async function findRow(projectId: string, id: string): Promise<InsightsTable> {
    const row = await db
      .selectFrom('insights')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new SightlineError(ERR_INSIGHT_NOT_FOUND, { insightId: id, projectId });
    return row;
  }

  async function findEditable(projectId: string, id: string, caller: Caller) {
    const row = await findRow(projectId, id);
    if (!canEdit(caller, row.owner))
      throw new SightlineError(ERR_INSIGHT_NOT_OWNER, { target: `insight ${id}` });
    return row;
  }

  return {
    async list(projectId: string, caller: Caller): Promise<Insight[]> {
      await deps.projects.get(projectId);
      const rows = await db
        .selectFrom('insights')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('updated_at', 'desc')
        .orderBy('id')
        .execute();
      return rows.map((row) => toInsight(row, caller));
    },

    async get(projectId: string, id: string, caller: Caller): Promise<Insight> {
      return toInsight(await findRow(projectId, id), caller);
    },

    async create(projectId: string, input: InsightInput, caller: Caller): Promise<Insight> {
      await deps.projects.get(projectId);
      const kind = checkInsight(input.kind, input.params);
      const now = clock.now();
      const row: InsightsTable = {
        id: createId('ins_'),
        project_id: projectId,
        name: input.name,
        kind,
        params: JSON.stringify(input.params),
        filters: JSON.stringify(input.filters),
        owner: caller.actor,
        created_at: now,
        updated_at: now,
      };
      await db.insertInto('insights').values(row).execute();
      await audit.record({
        actor: caller.actor,
        action: 'insight.create',
        projectId,
        target: row.id,
        details: { name: row.name, kind },
      });
      return toInsight(row, caller);
    },

    async update(
      projectId: string,
      id: string,
      patch: InsightPatch,
      caller: Caller,
    ): Promise<Insight> {
      const current = await findEditable(projectId, id, caller);
      const params = patch.params ?? (JSON.parse(current.params) as Record<string, unknown>);
      // A new kind or new params are checked together: params must fit the kind they run as.
      const kind =
        patch.kind !== undefined || patch.params !== undefined
          ? checkInsight(patch.kind ?? current.kind, params)
          : current.kind;
      const next: InsightsTable = {
        ...current,
        name: patch.name ?? current.name,
        kind,
        params: JSON.stringify(params),
        filters: patch.filters ? JSON.stringify(patch.filters) : current.filters,
        updated_at: clock.now(),
      };
      await db
        .updateTable('insights')
        .set({
          name: next.name,
          kind: next.kind,
          params: next.params,
          filters: next.filters,
          updated_at: next.updated_at,
        })
        .where('id', '=', id)
        .execute();
      await audit.record({
        actor: caller.actor,
        action: 'insight.update',
        projectId,
        target: id,
        details: {
          fields: Object.keys(patch),
          ...(next.owner !== caller.actor ? { owner: next.owner } : {}),
        },
      });
      return toInsight(next, caller);
    },

    async remove(projectId: string, id: string, caller: Caller): Promise<void> {
      const current = await findEditable(projectId, id, caller);
      // The insight and its tiles go together: no dashboard is left naming a missing insight.
      const changed = await db.transaction().execute(async (trx) => {
        const boards = await trx
          .selectFrom('dashboards')
          .select(['id', 'layout'])
          .where('project_id', '=', projectId)
          .execute();
        const touched: string[] = [];
        for (const board of boards) {
          const layout = layoutSchema.parse(JSON.parse(board.layout));
          const kept = layout.filter((tile) => tile.insightId !== id);
          if (kept.length === layout.length) continue;
          touched.push(board.id);
          await trx
            .updateTable('dashboards')
            .set({ layout: JSON.stringify(kept), updated_at: clock.now() })
            .where('id', '=', board.id)
            .execute();
        }
        await trx.deleteFrom('insights').where('id', '=', id).execute();
        return touched;
      });
      await audit.record({
        actor: caller.actor,
        action: 'insight.delete',
        projectId,
        target: id,
        details: {
          name: current.name,
          kind: current.kind,
          ...(current.owner !== caller.actor ? { owner: current.owner } : {}),
          ...(changed.length > 0 ? { removedFromDashboards: changed } : {}),
        },
      });
    },
  };
}

export type InsightService = ReturnType<typeof createInsightService>;
