import { ERR_ALERT_CHANNEL_NOT_FOUND, SightlineError } from '@sightline/shared';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { AuditLog } from '../audit/index.ts';
import { createId, decryptWithSecret, encryptWithSecret, type Clock } from '../platform/index.ts';
import type { AlertChannelsTable, MetaDb } from '../store/index.ts';
import {
  channelConfigSchema,
  mergeChannelSecrets,
  redactChannelConfig,
  type ChannelConfig,
} from './channels/channel-config.ts';

const SEAL_PURPOSE = 'alert-channel';

export const channelInputSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    sendResolved: z.boolean().default(true),
    enabled: z.boolean().default(true),
    config: channelConfigSchema,
  })
  .strict();
export type ChannelInput = z.input<typeof channelInputSchema>;

/** A channel as the API shows it: secrets masked. */
export interface AlertChannel {
  id: string;
  projectId: string;
  name: string;
  kind: string;
  sendResolved: boolean;
  enabled: boolean;
  config: Record<string, unknown>;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface ChannelServiceDeps {
  db: MetaDb;
  audit: AuditLog;
  clock: Clock;
  masterSecret: string;
}

/**
 * Notification channels of a project. Their configs (robot URLs with tokens, signing secrets,
 * recipients) are sealed with the master secret at rest and masked in every answer.
 */
export function createChannelService(deps: ChannelServiceDeps) {
  const { db, audit, clock, masterSecret } = deps;
  const open = (row: Selectable<AlertChannelsTable>): ChannelConfig =>
    channelConfigSchema.parse(
      JSON.parse(decryptWithSecret(masterSecret, SEAL_PURPOSE, row.config_sealed)),
    );
  const seal = (config: ChannelConfig) =>
    encryptWithSecret(masterSecret, SEAL_PURPOSE, JSON.stringify(config));
  const toChannel = (row: Selectable<AlertChannelsTable>): AlertChannel => ({
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    kind: row.kind,
    sendResolved: row.send_resolved === 1,
    enabled: row.enabled === 1,
    config: redactChannelConfig(open(row)),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
  async function getRow(projectId: string, channelId: string) {
    const row = await db
      .selectFrom('alert_channels')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '=', channelId)
      .executeTakeFirst();
    if (!row) throw new SightlineError(ERR_ALERT_CHANNEL_NOT_FOUND, { channelId, projectId });
    return row;
  }

  return {
    /** The stored config in clear, for sending. */
    open,

    async list(projectId: string): Promise<AlertChannel[]> {
      const rows = await db
        .selectFrom('alert_channels')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('name')
        .execute();
      return rows.map(toChannel);
    },

    async get(projectId: string, channelId: string): Promise<AlertChannel> {
      return toChannel(await getRow(projectId, channelId));
    },

    async getRow(projectId: string, channelId: string) {
      return getRow(projectId, channelId);
    },

    async create(projectId: string, input: ChannelInput, actor: string): Promise<AlertChannel> {
      const parsed = channelInputSchema.parse(input);
      // A mask cannot stand for anything on a new channel.
      const config = mergeChannelSecrets(parsed.config, parsed.config);
      const now = clock.now();
      const row: Selectable<AlertChannelsTable> = {
        id: createId('chn_'),
        project_id: projectId,
        name: parsed.name,
        kind: config.kind,
        config_sealed: seal(config),
        send_resolved: parsed.sendResolved ? 1 : 0,
        enabled: parsed.enabled ? 1 : 0,
        created_by: actor,
        created_at: now,
        updated_at: now,
      };
      await db.insertInto('alert_channels').values(row).execute();
      await audit.record({
        actor,
        action: 'alert.channel.create',
        projectId,
        target: row.id,
        details: { name: row.name, kind: row.kind },
      });
      return toChannel(row);
    },

    /** Replaces the channel; secrets sent back masked keep their stored values. */
    async update(
      projectId: string,
      channelId: string,
      input: ChannelInput,
      actor: string,
    ): Promise<AlertChannel> {
      const row = await getRow(projectId, channelId);
      const parsed = channelInputSchema.parse(input);
      const config = mergeChannelSecrets(open(row), parsed.config);
      await db
        .updateTable('alert_channels')
        .set({
          name: parsed.name,
          kind: config.kind,
          config_sealed: seal(config),
          send_resolved: parsed.sendResolved ? 1 : 0,
          enabled: parsed.enabled ? 1 : 0,
          updated_at: clock.now(),
        })
        .where('id', '=', channelId)
        .execute();
      await audit.record({
        actor,
        action: 'alert.channel.update',
        projectId,
        target: channelId,
        details: { name: parsed.name, kind: config.kind, enabled: parsed.enabled },
      });
      return toChannel(await getRow(projectId, channelId));
    },

    async remove(projectId: string, channelId: string, actor: string): Promise<void> {
      const row = await getRow(projectId, channelId);
      await db.deleteFrom('alert_channels').where('id', '=', channelId).execute();
      await audit.record({
        actor,
        action: 'alert.channel.delete',
        projectId,
        target: channelId,
        details: { name: row.name, kind: row.kind },
      });
    },
  };
}

export type ChannelService = ReturnType<typeof createChannelService>;
