import { ERR_ANOMALY_NOT_FOUND, SightlineError } from '@sightline/shared';
import type { Kysely } from 'kysely';
import type { MetaDatabase } from '../store/index.ts';
import { createId } from '../platform/index.ts';
import type {
  AnomalyFindingsTable,
  AnomalyTables,
  Finding,
  FindingDraft,
  FindingKind,
  ListFindingsQuery,
  ReviewState,
  Severity,
} from './anomaly-schema.ts';

export function toFinding(row: AnomalyFindingsTable): Finding {
  return {
    id: row.id,
    projectId: row.project_id,
    kind: row.kind as FindingKind,
    dedupKey: row.dedup_key,
    severity: row.severity as Severity,
    summary: row.summary,
    evidence: JSON.parse(row.evidence) as Record<string, unknown>,
    occurredAt: row.occurred_at,
    detectedAt: row.detected_at,
    lastSeenAt: row.last_seen_at,
    state: row.state as ReviewState,
    reviewedBy: row.reviewed_by,
    reviewedAt: row.reviewed_at,
    reviewNote: row.review_note,
  };
}

export interface ReviewChange {
  state: ReviewState;
  note: string | null;
  actor: string;
  at: number;
}

/** The anomaly_findings table: stored once per (project, dedup key), reviewed in place. */
export function createFindingStore(db: Kysely<MetaDatabase & AnomalyTables>) {
  async function get(projectId: string, id: string): Promise<Finding> {
    const row = await db
      .selectFrom('anomaly_findings')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new SightlineError(ERR_ANOMALY_NOT_FOUND, { findingId: id, projectId });
    return toFinding(row);
  }

  return {
    get,
    /**
     * Stores new drafts and refreshes the evidence of known ones (a burst still growing); the
     * review state of a known finding is never touched. Returns the newly stored findings.
     */
    async record(projectId: string, drafts: readonly FindingDraft[], at: number) {
      return db.transaction().execute(async (trx) => {
        const created: Finding[] = [];
        for (const draft of drafts) {
          const evidence = JSON.stringify(draft.evidence);
          const known = await trx
            .updateTable('anomaly_findings')
            .set({ evidence, summary: draft.summary, last_seen_at: at })
            .where('project_id', '=', projectId)
            .where('dedup_key', '=', draft.dedupKey)
            .executeTakeFirst();
          if (Number(known.numUpdatedRows) > 0) continue;
          const row: AnomalyFindingsTable = {
            id: createId('anm_'),
            project_id: projectId,
            kind: draft.kind,
            dedup_key: draft.dedupKey,
            severity: draft.severity,
            summary: draft.summary,
            evidence,
            occurred_at: draft.occurredAt,
            detected_at: at,
            last_seen_at: at,
            state: 'open',
            reviewed_by: null,
            reviewed_at: null,
            review_note: null,
          };
          await trx.insertInto('anomaly_findings').values(row).execute();
          created.push(toFinding(row));
        }
        return created;
      });
    },
    async list(projectId: string, query: ListFindingsQuery): Promise<Finding[]> {
      let select = db
        .selectFrom('anomaly_findings')
        .selectAll()
        .where('project_id', '=', projectId);
      if (query.state) select = select.where('state', '=', query.state);
      if (query.kind) select = select.where('kind', '=', query.kind);
      const rows = await select
        .orderBy('detected_at', 'desc')
        .orderBy('occurred_at', 'desc')
        .orderBy('id')
        .limit(query.limit)
        .execute();
      return rows.map(toFinding);
    },
    async review(projectId: string, id: string, change: ReviewChange): Promise<Finding> {
      await get(projectId, id);
      await db
        .updateTable('anomaly_findings')
        .set({
          state: change.state,
          reviewed_by: change.actor,
          reviewed_at: change.at,
          review_note: change.note,
        })
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .execute();
      return get(projectId, id);
    },
  };
}
export type FindingStore = ReturnType<typeof createFindingStore>;
