import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetaStore, type MetaStore } from '../store/index.ts';
import { createTempDir } from '../testing/temp-dir.ts';
import { pruneAlertHistory } from './prune-alert-history.ts';

const DAY_MS = 86_400_000;
const NOW = Date.parse('2026-11-21T04:00:00Z');
const CUTOFF = NOW - 400 * DAY_MS;
const OLD = CUTOFF - DAY_MS;
const RECENT = NOW - DAY_MS;

describe('pruneAlertHistory', () => {
  let dir: ReturnType<typeof createTempDir>;
  let meta: MetaStore;

  beforeEach(async () => {
    dir = createTempDir('sightline-prune-');
    meta = createMetaStore(join(dir.path, 'meta.sqlite'));
    await meta.migrate();
    const db = meta.db;
    await db
      .insertInto('projects')
      .values({
        id: 'shop',
        name: 'Shop',
        time_zone: 'Asia/Shanghai',
        retention_days: 180,
        dnt_mode: 'drop',
        field_denylist: '[]',
        sdk_config: '{}',
        created_at: OLD,
      })
      .execute();
    await db
      .insertInto('alert_channels')
      .values({
        id: 'ch',
        project_id: 'shop',
        name: 'hook',
        kind: 'webhook',
        config_sealed: '',
        send_resolved: 1,
        enabled: 1,
        created_by: 'user:u1',
        created_at: OLD,
        updated_at: OLD,
      })
      .execute();
    const instance = (id: string, state: string, lastEvalAt: number, resolvedAt: number | null) =>
      db
        .insertInto('alert_instances')
        .values({
          id,
          project_id: 'shop',
          rule_id: null,
          source: 'alertmanager',
          fingerprint: id,
          labels: JSON.stringify({ alertname: id }),
          annotations: '{}',
          breaches: '',
          recent_values: '[]',
          severity: 'P1',
          state,
          last_eval_at: lastEvalAt,
          resolved_at: resolvedAt,
        })
        .execute();
    // Resolved long ago; resolved recently after a long episode; firing since long ago.
    await instance('old_resolved', 'resolved', OLD, OLD);
    await instance('recent_resolved', 'resolved', RECENT, RECENT);
    await instance('old_firing', 'firing', RECENT, null);
    const event = (instanceId: string, at: number) =>
      db
        .insertInto('alert_events')
        .values({ project_id: 'shop', instance_id: instanceId, at, kind: 'transition' })
        .execute();
    await event('old_resolved', OLD);
    await event('recent_resolved', OLD);
    await event('recent_resolved', RECENT);
    await event('old_firing', OLD);
    const notification = (id: string, status: string, createdAt: number) =>
      db
        .insertInto('alert_notifications')
        .values({
          id,
          project_id: 'shop',
          channel_id: 'ch',
          kind: 'firing',
          alert_count: 1,
          message: '{}',
          status,
          attempts: 1,
          created_at: createdAt,
        })
        .execute();
    await notification('old_sent', 'sent', OLD);
    await notification('old_failed', 'failed', OLD);
    await notification('old_retrying', 'retrying', OLD);
    await notification('recent_sent', 'sent', RECENT);
    const silence = (id: string, endsAt: number, expiredAt: number | null) =>
      db
        .insertInto('alert_silences')
        .values({
          id,
          project_id: 'shop',
          matchers: '[]',
          starts_at: OLD - DAY_MS,
          ends_at: endsAt,
          comment: '',
          created_by: 'user:u1',
          created_at: OLD - DAY_MS,
          expired_at: expiredAt,
        })
        .execute();
    await silence('ended_old', OLD, null);
    await silence('expired_old', NOW + DAY_MS, OLD);
    await silence('active', NOW + DAY_MS, null);
  });
  afterEach(async () => {
    await meta.close();
    dir.remove();
  });

  it('deletes what ended before the cutoff and keeps whatever is still live', async () => {
    const pruned = await pruneAlertHistory(meta.db, { before: CUTOFF });
    expect(pruned).toEqual({ alerts: 1, events: 1, notifications: 2, silences: 2 });

    const ids = async (table: 'alert_instances' | 'alert_notifications' | 'alert_silences') =>
      (await meta.db.selectFrom(table).select('id').orderBy('id').execute()).map((r) => r.id);
    expect(await ids('alert_instances')).toEqual(['old_firing', 'recent_resolved']);
    expect(await ids('alert_notifications')).toEqual(['old_retrying', 'recent_sent']);
    expect(await ids('alert_silences')).toEqual(['active']);
    const events = await meta.db
      .selectFrom('alert_events')
      .select(['instance_id', 'at'])
      .orderBy('instance_id')
      .orderBy('at')
      .execute();
    // The firing alert keeps how its episode began; the resolved one loses its old events.
    expect(events).toEqual([
      { instance_id: 'old_firing', at: OLD },
      { instance_id: 'recent_resolved', at: RECENT },
    ]);

    expect(await pruneAlertHistory(meta.db, { before: CUTOFF })).toEqual({
      alerts: 0,
      events: 0,
      notifications: 0,
      silences: 0,
    });
  });
});
