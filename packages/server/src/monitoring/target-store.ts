import {
  ERR_MONITORING_TARGET_INVALID,
  ERR_MONITORING_TARGET_NAME_TAKEN,
  ERR_MONITORING_TARGET_NOT_FOUND,
  SightlineError,
} from '@sightline/shared';
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import type { AuditLog } from '../audit/index.ts';
import { createId, type Clock } from '../platform/index.ts';
import type { MetaDatabase } from '../store/index.ts';
import type { MonitoringTables, MonitorTargetsTable } from './monitoring-schema.ts';
import { probeSpecSchema, type ProbeSpec, type ProbeStatus } from './probe-schemas.ts';
import {
  MAX_TARGETS,
  targetInputSchema,
  targetPatchSchema,
  type MonitorTarget,
  type TargetInput,
  type TargetPatch,
} from './target-schemas.ts';

export type MonitoringDb = Kysely<MetaDatabase & MonitoringTables>;
type TargetRow = Selectable<MonitorTargetsTable>;

/** A stored target with its probe, as the scheduler needs it. */
export interface ScheduledTarget {
  id: string;
  spec: ProbeSpec;
  intervalSec: number;
  lastCheckedAt: number | null;
}

export interface TargetStoreOptions {
  db: MonitoringDb;
  clock: Clock;
  audit: AuditLog;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || 'target'}: ${issue?.message ?? 'invalid'}`;
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new SightlineError(ERR_MONITORING_TARGET_INVALID, {
      reason: describeIssue(parsed.error),
    });
  }
  return parsed.data;
}

export function toTarget(row: TargetRow): MonitorTarget {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as MonitorTarget['kind'],
    config: JSON.parse(row.config) as Record<string, unknown>,
    intervalSec: row.interval_sec,
    enabled: row.enabled === 1,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastCheckedAt: row.last_checked_at,
    lastStatus: (row.last_status ?? 'unknown') as ProbeStatus | 'unknown',
    lastLatencyMs: row.last_latency_ms,
    lastError: row.last_error,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Error && /UNIQUE constraint failed: monitor_targets\.name/.test(error.message)
  );
}

/** Targets CRUD in the metadata store; every change is audited. */
export function createTargetStore(options: TargetStoreOptions) {
  const { db, clock, audit } = options;

  async function getRow(id: string): Promise<TargetRow> {
    const row = await db
      .selectFrom('monitor_targets')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new SightlineError(ERR_MONITORING_TARGET_NOT_FOUND, { targetId: id });
    return row;
  }

  async function writeGuarded<T>(name: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new SightlineError(ERR_MONITORING_TARGET_NAME_TAKEN, { name });
      }
      throw error;
    }
  }

  return {
    async list(): Promise<MonitorTarget[]> {
      const rows = await db.selectFrom('monitor_targets').selectAll().orderBy('name').execute();
      return rows.map(toTarget);
    },

    get: async (id: string): Promise<MonitorTarget> => toTarget(await getRow(id)),

    async getSpec(id: string): Promise<ProbeSpec> {
      const row = await getRow(id);
      return probeSpecSchema.parse({ kind: row.kind, config: JSON.parse(row.config) as unknown });
    },

    /** Enabled targets whose last check is at least their interval old (or never ran). */
    async listDue(now: number): Promise<ScheduledTarget[]> {
      const rows = await db
        .selectFrom('monitor_targets')
        .selectAll()
        .where('enabled', '=', 1)
        .execute();
      return rows
        .filter(
          (row) =>
            row.last_checked_at === null || row.last_checked_at + row.interval_sec * 1_000 <= now,
        )
        .map((row) => ({
          id: row.id,
          spec: probeSpecSchema.parse({
            kind: row.kind,
            config: JSON.parse(row.config) as unknown,
          }),
          intervalSec: row.interval_sec,
          lastCheckedAt: row.last_checked_at,
        }));
    },

    async create(input: TargetInput, actor: string): Promise<MonitorTarget> {
      const target = parseOrThrow(targetInputSchema, input);
      const count = await db
        .selectFrom('monitor_targets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      if (Number(count.n) >= MAX_TARGETS) {
        throw new SightlineError(ERR_MONITORING_TARGET_INVALID, {
          reason: `at most ${MAX_TARGETS} targets; delete unused ones first`,
        });
      }
      const now = clock.now();
      const row: TargetRow = {
        id: createId('mon_'),
        name: target.name,
        kind: target.kind,
        config: JSON.stringify(target.config),
        interval_sec: target.intervalSec,
        enabled: target.enabled ? 1 : 0,
        created_by: actor,
        created_at: now,
        updated_at: now,
        last_checked_at: null,
        last_status: null,
        last_latency_ms: null,
        last_error: null,
      };
      await writeGuarded(target.name, () => db.insertInto('monitor_targets').values(row).execute());
      await audit.record({
        actor,
        action: 'monitoring.target.create',
        target: row.id,
        details: { name: row.name, kind: row.kind },
      });
      return toTarget(row);
    },

    async update(id: string, patch: TargetPatch, actor: string): Promise<MonitorTarget> {
      const changes = parseOrThrow(targetPatchSchema, patch);
      const existing = await getRow(id);
      const kindChanged = changes.kind !== undefined && changes.kind !== existing.kind;
      const spec =
        changes.config !== undefined || kindChanged
          ? parseOrThrow(probeSpecSchema, {
              kind: changes.kind ?? existing.kind,
              config: changes.config ?? {},
            })
          : null;
      const name = changes.name ?? existing.name;
      await writeGuarded(name, () =>
        db
          .updateTable('monitor_targets')
          .set({
            name,
            interval_sec: changes.intervalSec ?? existing.interval_sec,
            enabled: changes.enabled === undefined ? existing.enabled : changes.enabled ? 1 : 0,
            ...(spec ? { kind: spec.kind, config: JSON.stringify(spec.config) } : {}),
            updated_at: clock.now(),
          })
          .where('id', '=', id)
          .execute(),
      );
      await audit.record({
        actor,
        action: 'monitoring.target.update',
        target: id,
        details: { fields: Object.keys(changes) },
      });
      return toTarget(await getRow(id));
    },

    async remove(id: string, actor: string): Promise<void> {
      const existing = await getRow(id);
      await db.deleteFrom('monitor_targets').where('id', '=', id).execute();
      await audit.record({
        actor,
        action: 'monitoring.target.delete',
        target: id,
        details: { name: existing.name, kind: existing.kind },
      });
    },
  };
}

export type TargetStore = ReturnType<typeof createTargetStore>;
