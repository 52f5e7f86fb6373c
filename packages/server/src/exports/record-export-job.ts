import type { AuditLog } from '../audit/index.ts';
import { describeActor, getRowScope, type Principal } from '../auth/index.ts';
import { createId, type Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { EventStore } from '../store/index.ts';
import { describeExport } from './describe-export.ts';
import type { ExportJobStore } from './export-job-store.ts';
import type { CreateExportInput } from './export-schema.ts';
import { resolveExportSource } from './resolve-export-source.ts';

export interface RecordExportJobDeps {
  projects: Pick<ProjectService, 'get'>;
  jobs: ExportJobStore;
  audit: AuditLog;
  clock: Clock;
  store: EventStore;
  /** How long the job and its file are kept. */
  retentionMs: number;
}

export interface RecordExportJobParams {
  principal: Principal;
  projectId: string;
  input: CreateExportInput;
}

/**
 * Checks an export request as its run will read it (400 at once rather than a failed job),
 * records the job (queued, with the caller's row scope and the watermark) and audits it.
 * Returns the job's id.
 */
export async function recordExportJob(
  deps: RecordExportJobDeps,
  params: RecordExportJobParams,
): Promise<string> {
  const { projects, jobs, audit, clock, retentionMs } = deps;
  const { principal, projectId, input } = params;
  const project = await projects.get(projectId);
  const rowScope = getRowScope(principal, projectId);
  const now = clock.now();
  const source = resolveExportSource({
    source: input.source,
    project,
    rowScope,
    store: deps.store,
    now,
  });
  const actor = describeActor(principal);
  const described = describeExport({
    project,
    actor,
    actorLabel: principal.label,
    at: now,
    source,
    rowScope,
    format: input.format,
  });
  const id = createId('exp_');
  await jobs.insert({
    id,
    project_id: projectId,
    created_by: principal.id,
    actor,
    actor_label: principal.label,
    source: JSON.stringify(source),
    row_scope: JSON.stringify(rowScope),
    format: input.format,
    status: 'queued',
    rows_written: 0,
    rows_total: null,
    bytes: null,
    file_path: null,
    file_name: described.fileName,
    watermark: described.watermark,
    error_code: null,
    error_message: null,
    created_at: now,
    started_at: null,
    finished_at: null,
    expires_at: now + retentionMs,
  });
  await audit.record({
    actor,
    action: 'data.export',
    projectId,
    target: id,
    details: {
      source: source.kind === 'rows' ? `rows:${source.source}` : `report:${source.report}`,
      format: input.format,
      from: source.resolved.from,
      to: source.resolved.to,
      summary: described.summary,
      watermark: described.watermark,
      ...(rowScope.length > 0 ? { rowScope } : {}),
    },
  });
  return id;
}
