import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../platform/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { DefinitionService } from './definition-service.ts';
import { getDueSendTime, getLastCompletePeriod } from './report-periods.ts';
import type { GenerateReportInput, ReportTrigger } from './report-schema.ts';

export interface RunScheduleDeps {
  definitions: DefinitionService;
  projects: Pick<ProjectService, 'get'>;
  clock: Clock;
  logger: FastifyBaseLogger;
  enqueue(
    projectId: string,
    input: GenerateReportInput,
    by: { actor: string; trigger: ReportTrigger },
  ): Promise<unknown>;
}

/**
 * Queues the report of every enabled definition whose send time has come since it last acted:
 * the daily report for yesterday, the weekly for last week, the monthly for last month, all in
 * the project's zone at the time of the send. Marks the send first, so a failure is not repeated
 * every tick (the run shows the failure; regenerate it by hand).
 */
export async function runSchedule(deps: RunScheduleDeps): Promise<number> {
  const now = deps.clock.now();
  let queued = 0;
  for (const definition of await deps.definitions.listEnabled()) {
    try {
      const project = await deps.projects.get(definition.projectId);
      const due = getDueSendTime({
        kind: definition.kind,
        sendTime: definition.sendTime,
        zone: project.timeZone,
        after: definition.lastScheduledAt ?? definition.updatedAt,
        now,
      });
      if (due === null) continue;
      await deps.definitions.markScheduled(definition.projectId, definition.kind, due);
      const period = getLastCompletePeriod(definition.kind, due, project.timeZone);
      await deps.enqueue(
        definition.projectId,
        { kind: definition.kind, date: period.startDate, deliver: true },
        { actor: 'system:schedule', trigger: 'schedule' },
      );
      queued += 1;
    } catch (error) {
      deps.logger.error(
        { err: error, projectId: definition.projectId, kind: definition.kind },
        'scheduled report could not be queued',
      );
    }
  }
  return queued;
}
