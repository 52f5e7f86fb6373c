import { ERR_SEGMENT_NOT_FOUND, SightlineError, type Filter } from '@sightline/shared';
import type { AuditLog } from '../../../audit/index.ts';
import { createId, type Clock } from '../../../platform/index.ts';
import type { ProjectService } from '../../../projects/index.ts';
import type { EventStore, MetaDb, SegmentsTable } from '../../../store/index.ts';
import {
  segmentMatchSchema,
  type SegmentDefinition,
  type SegmentMatch,
} from './segment-definition.ts';
import {
  countSegmentMembers,
  deleteSegmentMembers,
  readScopedSegmentMembers,
  refreshSegmentMembers,
} from './segment-members.ts';

export interface SegmentServiceDeps {
  db: MetaDb;
  eventStore: EventStore;
  audit: AuditLog;
  clock: Clock;
  projects: Pick<ProjectService, 'get'>;
}

/** A saved segment as the API shows it (times in epoch ms). */
export interface Segment extends SegmentMatch {
  id: string;
  projectId: string;
  name: string;
  description: string | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  /** When its members were last computed; null before the first refresh. */
  refreshedAt: number | null;
  /** Members at the last refresh. */
  size: number | null;
}

export interface SegmentPatch {
  name?: string | undefined;
  description?: string | null | undefined;
  match?: SegmentMatch['match'] | undefined;
  rules?: SegmentMatch['rules'] | undefined;
}

function toSegment(row: SegmentsTable): Segment {
  const definition = segmentMatchSchema.parse(JSON.parse(row.definition));
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    description: row.description,
    match: definition.match,
    rules: definition.rules,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    refreshedAt: row.refreshed_at,
    size: row.size,
  };
}

/**
 * Saved segments: definitions in the MetaStore, members in the event store. Creating or changing
 * the rules recomputes the members at once, so a segment is usable as a filter right away; after
 * that members change only on refresh. Every change is audited.
 */
export function createSegmentService(deps: SegmentServiceDeps) {
  const { db, audit, clock } = deps;

  async function get(projectId: string, id: string): Promise<Segment> {
    const row = await db
      .selectFrom('segments')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new SightlineError(ERR_SEGMENT_NOT_FOUND, { segmentId: id, projectId });
    return toSegment(row);
  }

  // Members are computed with the row scope of whoever creates, changes or refreshes the
  // segment (the audit entry records it); reports on a segment still apply their own caller's
  // scope, and member exports are cut to the exporter's scope (readScopedSegmentMembers).
  async function recompute(segment: Segment, rowScope: readonly Filter[]): Promise<Segment> {
    const now = clock.now();
    const size = await refreshSegmentMembers(
      { store: deps.eventStore, projectId: segment.projectId, now, rowScope },
      segment.id,
      segment,
    );
    await db
      .updateTable('segments')
      .set({ refreshed_at: now, size })
      .where('id', '=', segment.id)
      .execute();
    return { ...segment, refreshedAt: now, size };
  }

  const definitionOf = (match: SegmentMatch) =>
    JSON.stringify({ match: match.match, rules: match.rules });
  /** Audit detail naming the scope members were computed with, when there was one. */
  const scopeDetail = (rowScope: readonly Filter[]) => (rowScope.length > 0 ? { rowScope } : {});

  return {
    async list(projectId: string): Promise<Segment[]> {
      await deps.projects.get(projectId);
      const rows = await db
        .selectFrom('segments')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toSegment);
    },

    get,

    async create(
      projectId: string,
      definition: SegmentDefinition,
      actor: string,
      rowScope: readonly Filter[] = [],
    ) {
      await deps.projects.get(projectId);
      const now = clock.now();
      const id = createId('seg_');
      await db
        .insertInto('segments')
        .values({
          id,
          project_id: projectId,
          name: definition.name,
          description: definition.description ?? null,
          definition: definitionOf(definition),
          created_by: actor,
          created_at: now,
          updated_at: now,
          refreshed_at: null,
          size: null,
        })
        .execute();
      const segment = await recompute(await get(projectId, id), rowScope);
      await audit.record({
        actor,
        action: 'segment.create',
        projectId,
        target: id,
        details: { name: segment.name, size: segment.size, ...scopeDetail(rowScope) },
      });
      return segment;
    },

    async update(
      projectId: string,
      id: string,
      patch: SegmentPatch,
      actor: string,
      rowScope: readonly Filter[] = [],
    ) {
      const current = await get(projectId, id);
      const rulesChanged = patch.match !== undefined || patch.rules !== undefined;
      const next: Segment = {
        ...current,
        name: patch.name ?? current.name,
        description: patch.description === undefined ? current.description : patch.description,
        match: patch.match ?? current.match,
        rules: patch.rules ?? current.rules,
        updatedAt: clock.now(),
      };
      await db
        .updateTable('segments')
        .set({
          name: next.name,
          description: next.description,
          definition: definitionOf(next),
          updated_at: next.updatedAt,
        })
        .where('id', '=', id)
        .execute();
      const segment = rulesChanged ? await recompute(next, rowScope) : next;
      await audit.record({
        actor,
        action: 'segment.update',
        projectId,
        target: id,
        details: {
          fields: Object.keys(patch),
          size: segment.size,
          ...(rulesChanged ? scopeDetail(rowScope) : {}),
        },
      });
      return segment;
    },

    async remove(projectId: string, id: string, actor: string): Promise<void> {
      const segment = await get(projectId, id);
      await deleteSegmentMembers(deps.eventStore, projectId, id);
      await db.deleteFrom('segments').where('id', '=', id).execute();
      await audit.record({
        actor,
        action: 'segment.delete',
        projectId,
        target: id,
        details: { name: segment.name },
      });
    },

    async refresh(
      projectId: string,
      id: string,
      actor: string,
      rowScope: readonly Filter[] = [],
    ): Promise<Segment> {
      const segment = await recompute(await get(projectId, id), rowScope);
      await audit.record({
        actor,
        action: 'segment.refresh',
        projectId,
        target: id,
        details: { size: segment.size, ...scopeDetail(rowScope) },
      });
      return segment;
    },

    /** The size of an unsaved definition now; nothing is stored. */
    async preview(
      projectId: string,
      match: SegmentMatch,
      rowScope: readonly Filter[] = [],
    ): Promise<{ size: number; at: number }> {
      await deps.projects.get(projectId);
      const at = clock.now();
      const size = await countSegmentMembers(
        { store: deps.eventStore, projectId, now: at, rowScope },
        match,
      );
      return { size, at };
    },

    /** The stored members' person ids within the caller's row scope, a page at a time. */
    async members(projectId: string, id: string, rowScope: readonly Filter[] = []) {
      const segment = await get(projectId, id);
      const scope = { store: deps.eventStore, projectId, now: clock.now(), rowScope };
      return { segment, pages: readScopedSegmentMembers(scope, id) };
    },
  };
}

export type SegmentService = ReturnType<typeof createSegmentService>;
