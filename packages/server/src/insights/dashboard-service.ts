import {
  ERR_INSIGHT_DASHBOARD_NOT_FOUND,
  ERR_INSIGHT_NOT_OWNER,
  ERR_INSIGHT_TILE_INVALID,
  SightlineError,
} from '@sightline/shared';
import { createId } from '../platform/index.ts';
import type { DashboardsTable } from '../store/index.ts';
import {
  layoutSchema,
  type Dashboard,
  type DashboardInput,
  type DashboardPatch,
  type Insight,
  type Tile,
} from './insight-schemas.ts';
import { canEdit, toInsight, type Caller, type InsightServiceDeps } from './insight-service.ts';

function toDashboard(row: DashboardsTable, caller: Caller): Dashboard {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    owner: row.owner,
    layout: layoutSchema.parse(JSON.parse(row.layout)),
    shared: row.shared === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    editable: canEdit(caller, row.owner),
  };
}

/** A dashboard is visible to its owner, to admins, and to everyone on the project once shared. */
const isVisible = (row: DashboardsTable, caller: Caller) =>
  row.shared === 1 || canEdit(caller, row.owner);

/**
 * Dashboards composed of saved insights: an ordered layout of tiles (an insight and a width).
 * Tiles must name insights saved in the same project. Every change is audited.
 */
export function createDashboardService(deps: InsightServiceDeps) {
  const { db, audit, clock } = deps;

  /** The row when the caller may see it; otherwise not found, so private boards stay unknown. */
  async function findVisible(projectId: string, id: string, caller: Caller) {
    const row = await db
      .selectFrom('dashboards')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || !isVisible(row, caller))
      throw new SightlineError(ERR_INSIGHT_DASHBOARD_NOT_FOUND, { dashboardId: id, projectId });
    return row;
  }

  async function findEditable(projectId: string, id: string, caller: Caller) {
    const row = await findVisible(projectId, id, caller);
    if (!canEdit(caller, row.owner))
      throw new SightlineError(ERR_INSIGHT_NOT_OWNER, { target: `dashboard ${id}` });
    return row;
  }

  async function checkTiles(projectId: string, layout: readonly Tile[]): Promise<void> {
    if (layout.length === 0) return;
    const ids = [...new Set(layout.map((tile) => tile.insightId))];
    const found = await db
      .selectFrom('insights')
      .select('id')
      .where('project_id', '=', projectId)
      .where('id', 'in', ids)
      .execute();
    const known = new Set(found.map((row) => row.id));
    const index = layout.findIndex((tile) => !known.has(tile.insightId));
    const missing = layout[index];
    if (missing)
      throw new SightlineError(ERR_INSIGHT_TILE_INVALID, { index, insightId: missing.insightId });
  }

  const ownerDetail = (row: DashboardsTable, caller: Caller) =>
    row.owner !== caller.actor ? { owner: row.owner } : {};

  return {
    async list(projectId: string, caller: Caller): Promise<Dashboard[]> {
      await deps.projects.get(projectId);
      const rows = await db
        .selectFrom('dashboards')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('name')
        .orderBy('id')
        .execute();
      return rows.filter((row) => isVisible(row, caller)).map((row) => toDashboard(row, caller));
    },

    /** The dashboard with the insights of its tiles, so a viewer needs one request. */
    async get(
      projectId: string,
      id: string,
      caller: Caller,
    ): Promise<Dashboard & { insights: Insight[] }> {
      const dashboard = toDashboard(await findVisible(projectId, id, caller), caller);
      const ids = [...new Set(dashboard.layout.map((tile) => tile.insightId))];
      const rows =
        ids.length === 0
          ? []
          : await db
              .selectFrom('insights')
              .selectAll()
              .where('project_id', '=', projectId)
              .where('id', 'in', ids)
              .execute();
      return { ...dashboard, insights: rows.map((row) => toInsight(row, caller)) };
    },

    async create(projectId: string, input: DashboardInput, caller: Caller): Promise<Dashboard> {
      await deps.projects.get(projectId);
      await checkTiles(projectId, input.layout);
      const now = clock.now();
      const row: DashboardsTable = {
        id: createId('dsh_'),
        project_id: projectId,
        name: input.name,
        owner: caller.actor,
        layout: JSON.stringify(input.layout),
        shared: input.shared ? 1 : 0,
        created_at: now,
        updated_at: now,
      };
      await db.insertInto('dashboards').values(row).execute();
      await audit.record({
        actor: caller.actor,
        action: 'dashboard.create',
        projectId,
        target: row.id,
        details: { name: row.name, tiles: input.layout.length, shared: input.shared },
      });
      return toDashboard(row, caller);
    },

    async update(
      projectId: string,
      id: string,
      patch: DashboardPatch,
      caller: Caller,
    ): Promise<Dashboard> {
      const current = await findEditable(projectId, id, caller);
      if (patch.layout) await checkTiles(projectId, patch.layout);
      const next: DashboardsTable = {
        ...current,
        name: patch.name ?? current.name,
        layout: patch.layout ? JSON.stringify(patch.layout) : current.layout,
        shared: patch.shared === undefined ? current.shared : patch.shared ? 1 : 0,
        updated_at: clock.now(),
      };
      await db
        .updateTable('dashboards')
        .set({
          name: next.name,
          layout: next.layout,
          shared: next.shared,
          updated_at: next.updated_at,
        })
        .where('id', '=', id)
        .execute();
      await audit.record({
        actor: caller.actor,
        action: 'dashboard.update',
        projectId,
        target: id,
        details: {
          fields: Object.keys(patch),
          ...(patch.layout ? { tiles: patch.layout.length } : {}),
          ...(patch.shared === undefined ? {} : { shared: patch.shared }),
          ...ownerDetail(current, caller),
        },
      });
      return toDashboard(next, caller);
    },

    async remove(projectId: string, id: string, caller: Caller): Promise<void> {
      const current = await findEditable(projectId, id, caller);
      await db.deleteFrom('dashboards').where('id', '=', id).execute();
      await audit.record({
        actor: caller.actor,
        action: 'dashboard.delete',
        projectId,
        target: id,
        details: { name: current.name, ...ownerDetail(current, caller) },
      });
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
