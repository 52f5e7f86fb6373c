import {
  ERR_ALERT_SILENCE_INVALID,
  ERR_ALERT_SILENCE_NOT_FOUND,
  SightlineError,
} from '@sightline/shared';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { AuditLog } from '../audit/index.ts';
import { createId, type Clock } from '../platform/index.ts';
import type { AlertSilencesTable, MetaDb } from '../store/index.ts';
import {
  matcherSchema,
  muteScheduleSchema,
  type LabelMatcher,
  type MuteSchedule,
} from './alert-rule-schema.ts';
import { anchored, type ActiveSilence } from './match-silences.ts';

const MAX_SILENCE_MS = 366 * 24 * 3_600_000;

export const silenceInputSchema = z
  .object({
    matchers: z.array(matcherSchema).min(1).max(20),
    /** Epoch ms; default now. */
    startsAt: z.number().int().nonnegative().optional(),
    endsAt: z.number().int().positive(),
    /** Makes it a recurring mute window inside [startsAt, endsAt). */
    schedule: muteScheduleSchema.nullable().default(null),
    comment: z.string().trim().min(1).max(1_000),
  })
  .strict();
export type SilenceInput = z.input<typeof silenceInputSchema>;

export interface Silence extends ActiveSilence {
  projectId: string;
  comment: string;
  createdBy: string;
  createdAt: number;
  /** active, pending (starts later), or expired. */
  status: 'active' | 'pending' | 'expired';
}

export interface SilenceServiceDeps {
  db: MetaDb;
  audit: AuditLog;
  clock: Clock;
}

/** Silences and recurring mute windows: label matchers over a period, with who and why. */
export function createSilenceService(deps: SilenceServiceDeps) {
  const { db, audit, clock } = deps;
  const toSilence = (row: Selectable<AlertSilencesTable>): Silence => {
    const now = clock.now();
    const end = row.expired_at ?? row.ends_at;
    return {
      id: row.id,
      projectId: row.project_id,
      matchers: JSON.parse(row.matchers) as LabelMatcher[],
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      schedule: row.schedule ? (JSON.parse(row.schedule) as MuteSchedule) : null,
      expiredAt: row.expired_at,
      comment: row.comment,
      createdBy: row.created_by,
      createdAt: row.created_at,
      status: now >= end ? 'expired' : now < row.starts_at ? 'pending' : 'active',
    };
  };

  return {
    /** Silences not yet over, plus those that ended in the last `expiredWithinMs`. */
    async list(projectId: string, expiredWithinMs = 0): Promise<Silence[]> {
      const rows = await db
        .selectFrom('alert_silences')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('ends_at', '>', clock.now() - expiredWithinMs)
        .orderBy('starts_at', 'desc')
        .execute();
      return rows
        .map(toSilence)
        .filter(
          (s) =>
            s.status !== 'expired' || (s.expiredAt ?? s.endsAt) > clock.now() - expiredWithinMs,
        );
    },

    async create(projectId: string, input: SilenceInput, actor: string): Promise<Silence> {
      const parsed = silenceInputSchema.safeParse(input);
      if (!parsed.success)
        throw new SightlineError(ERR_ALERT_SILENCE_INVALID, {
          reason: parsed.error.issues[0]?.message ?? 'invalid',
        });
      const now = clock.now();
      const startsAt = parsed.data.startsAt ?? now;
      const { endsAt, matchers } = parsed.data;
      if (endsAt <= startsAt || endsAt <= now)
        throw new SightlineError(ERR_ALERT_SILENCE_INVALID, {
          reason: 'endsAt must be in the future and after startsAt',
        });
      if (endsAt - startsAt > MAX_SILENCE_MS && !parsed.data.schedule)
        throw new SightlineError(ERR_ALERT_SILENCE_INVALID, {
          reason: 'a one-off silence lasts at most a year',
        });
      for (const matcher of matchers)
        if (matcher.op === '=~' || matcher.op === '!~')
          try {
            anchored(matcher.value);
          } catch {
            throw new SightlineError(ERR_ALERT_SILENCE_INVALID, {
              reason: `invalid regular expression for ${matcher.name}`,
            });
          }
      const row: Selectable<AlertSilencesTable> = {
        id: createId('sil_'),
        project_id: projectId,
        matchers: JSON.stringify(matchers),
        starts_at: startsAt,
        ends_at: endsAt,
        schedule: parsed.data.schedule ? JSON.stringify(parsed.data.schedule) : null,
        comment: parsed.data.comment,
        created_by: actor,
        created_at: now,
        expired_at: null,
      };
      await db.insertInto('alert_silences').values(row).execute();
      await audit.record({
        actor,
        action: 'alert.silence.create',
        projectId,
        target: row.id,
        details: { matchers, startsAt, endsAt, recurring: row.schedule !== null },
      });
      return toSilence(row);
    },

    /** Ends a silence now (kept for the record). */
    async expire(projectId: string, silenceId: string, actor: string): Promise<Silence> {
      const row = await db
        .selectFrom('alert_silences')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('id', '=', silenceId)
        .executeTakeFirst();
      if (!row) throw new SightlineError(ERR_ALERT_SILENCE_NOT_FOUND, { silenceId, projectId });
      const now = clock.now();
      const expiredAt = Math.min(row.expired_at ?? Infinity, now);
      await db
        .updateTable('alert_silences')
        .set({ expired_at: expiredAt })
        .where('id', '=', silenceId)
        .execute();
      await audit.record({ actor, action: 'alert.silence.expire', projectId, target: silenceId });
      return toSilence({ ...row, expired_at: expiredAt });
    },
  };
}

export type SilenceService = ReturnType<typeof createSilenceService>;
