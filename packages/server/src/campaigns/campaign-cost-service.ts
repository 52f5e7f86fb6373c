import { ERR_REQUEST_INVALID, SightlineError, type Filter } from '@sightline/shared';
import { z } from 'zod';
import type { AuditLog } from '../audit/index.ts';
import { addLocalDays, parseLocalDate, toLocalDate, type Clock } from '../platform/index.ts';
import type { Project, ProjectService } from '../projects/index.ts';
import {
  compactParams,
  createQueryContext,
  duckDbDialect,
  openSource,
  scopeConditions,
  SqlParams,
} from '../queries/index.ts';
import type { EventStore, SqlStatement, SqlValue } from '../store/index.ts';

/** Most rows one PUT may carry. */
export const MAX_COST_ROWS = 1_000;
/** Most rows one GET answers (the rest is flagged as truncated). */
export const MAX_LISTED_COSTS = 10_000;
const MAX_LIST_DAYS = 3_660;
const DEFAULT_LIST_DAYS = 30;
/** Rows per INSERT statement (5 bound values each). */
const ROWS_PER_STATEMENT = 200;

export const localDaySchema = z
  .string()
  .refine(
    (text) => parseLocalDate(text) !== null && text >= '2000-01-01' && text <= '2099-12-31',
    'a date YYYY-MM-DD between 2000-01-01 and 2099-12-31',
  );

/** One day's spend on a channel, or on one campaign of it. */
export const campaignCostInputSchema = z.object({
  day: localDaySchema.describe('The local day (project time zone) the money was spent'),
  channel: z.string().trim().min(1).max(100).describe('As events carry it, e.g. wechat'),
  campaign: z
    .string()
    .trim()
    .max(200)
    .default('')
    .describe("The campaign; '' (default) for spend of the channel as a whole"),
  cost: z
    .number()
    .int('integer minor units (fen, cents), e.g. 1999 for 19.99')
    .min(0)
    .max(1e13)
    .describe('Integer minor units (fen, cents)'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY')
    .default('CNY'),
});
export type CampaignCostInput = z.infer<typeof campaignCostInputSchema>;

export interface CampaignCost {
  day: string;
  channel: string;
  campaign: string;
  cost: number;
  currency: string;
  /** Epoch ms of the last write. */
  updatedAt: number;
}

export interface CampaignCostKey {
  day: string;
  channel: string;
  campaign: string;
}

export interface ListCampaignCostsQuery {
  /** First local day, inclusive (default: 29 days before today). */
  from?: string | undefined;
  /** Last local day, inclusive (default: today). */
  to?: string | undefined;
  channel?: string | undefined;
  campaign?: string | undefined;
}

export interface CampaignCostServiceDeps {
  eventStore: EventStore;
  projects: Pick<ProjectService, 'get'>;
  audit: AuditLog;
  clock: Clock;
}

const keyOf = (row: CampaignCostKey) => JSON.stringify([row.day, row.channel, row.campaign]);

function invalid(reason: string): SightlineError {
  return new SightlineError(ERR_REQUEST_INVALID, { reason });
}

/**
 * Channel and campaign spend entered by people (seed 001 §1.2: CAC and ROI need it). Rows are
 * keyed by day, channel and campaign: writing a key again replaces its cost. Writes are one
 * transaction each and audited.
 */
export function createCampaignCostService(deps: CampaignCostServiceDeps) {
  const { eventStore, audit, clock } = deps;

  return {
    async upsert(projectId: string, input: readonly CampaignCostInput[], actor: string) {
      await deps.projects.get(projectId);
      if (input.length > MAX_COST_ROWS) throw invalid(`at most ${MAX_COST_ROWS} rows per request`);
      // A key given twice: the later row wins (one statement may not touch a key twice).
      const rows = [...new Map(input.map((row) => [keyOf(row), row])).values()];
      const updatedAt = new Date(clock.now()).toISOString();
      const statements: SqlStatement[] = [];
      for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
        // $1 and $2 (the write time and project) are shared by every row of the statement.
        const params: SqlValue[] = [updatedAt, projectId];
        const tuples = chunk.map((row) => {
          const at = params.length;
          params.push(row.day, row.channel, row.campaign, row.cost, row.currency);
          return `($2, CAST($${at + 1} AS DATE), $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $1::TIMESTAMPTZ)`;
        });
        statements.push({
          sql:
            `INSERT OR REPLACE INTO campaign_costs (project_id, day, channel, campaign, cost, ` +
            `currency, updated_at) VALUES ${tuples.join(', ')}`,
          params,
        });
      }
      if (statements.length > 0) await eventStore.executeInTransaction(statements);
      const days = rows.map((row) => row.day).sort();
      await audit.record({
        actor,
        action: 'campaign.cost.upsert',
        projectId,
        details: {
          rows: rows.length,
          from: days[0] ?? null,
          to: days.at(-1) ?? null,
          total: rows.reduce((sum, row) => sum + row.cost, 0),
        },
      });
      return { upserted: rows.length };
    },

    /** Spend rows; a caller's row-level scope (channel, campaign) cuts them like any query. */
    async list(projectId: string, query: ListCampaignCostsQuery, rowScope: readonly Filter[] = []) {
      const project = await deps.projects.get(projectId);
      const today = toLocalDate(clock.now(), project.timeZone);
      const to = query.to ?? today;
      const from = query.from ?? addLocalDays(to, -(DEFAULT_LIST_DAYS - 1));
      if (from > to) throw invalid('from must not be after to');
      if (addLocalDays(from, MAX_LIST_DAYS) <= to)
        throw invalid(`at most ${MAX_LIST_DAYS} days at once`);
      const params: SqlValue[] = [projectId, from, to];
      const where = ['project_id = $1', 'day >= CAST($2 AS DATE)', 'day <= CAST($3 AS DATE)'];
      if (query.channel !== undefined) where.push(`channel = $${params.push(query.channel)}`);
      if (query.campaign !== undefined) where.push(`campaign = $${params.push(query.campaign)}`);
      if (rowScope.length > 0) where.push(...scopeCostConditions(deps, project, rowScope, params));
      // Compacted: the scope's builder may bind values (the zone) its conditions do not use.
      const select = compactParams(
        `SELECT CAST(day AS VARCHAR) AS day, channel, campaign, cost, currency, ` +
          `epoch_ms(updated_at) AS updated_at FROM campaign_costs c WHERE ${where.join(' AND ')} ` +
          `ORDER BY day, channel, campaign LIMIT ${MAX_LISTED_COSTS + 1}`,
        params,
      );
      const rows = await eventStore.query(select.sql, select.params);
      const costs: CampaignCost[] = rows.slice(0, MAX_LISTED_COSTS).map((row) => ({
        day: String(row.day),
        channel: String(row.channel),
        campaign: String(row.campaign),
        cost: Number(row.cost),
        currency: String(row.currency),
        updatedAt: Number(row.updated_at),
      }));
      return { from, to, costs, truncated: rows.length > MAX_LISTED_COSTS };
    },

    async remove(projectId: string, key: CampaignCostKey, actor: string) {
      await deps.projects.get(projectId);
      const [deleted = 0] = await eventStore.executeInTransaction([
        {
          sql:
            'DELETE FROM campaign_costs WHERE project_id = $1 AND day = CAST($2 AS DATE) ' +
            'AND channel = $3 AND campaign = $4',
          params: [projectId, key.day, key.channel, key.campaign],
        },
      ]);
      await audit.record({
        actor,
        action: 'campaign.cost.delete',
        projectId,
        target: keyOf(key),
        details: { deleted },
      });
      return { deleted };
    },
  };
}

export type CampaignCostService = ReturnType<typeof createCampaignCostService>;

/**
 * The caller's row scope on `campaign_costs c` through the query engine's one place for access
 * rules; `params` (already bound values) gains the scope's values. A dimension spend does not
 * carry (only channel and campaign) is refused, not ignored.
 */
function scopeCostConditions(
  deps: Pick<CampaignCostServiceDeps, 'eventStore' | 'clock'>,
  project: Pick<Project, 'id' | 'timeZone'>,
  rowScope: readonly Filter[],
  params: SqlValue[],
): string[] {
  const sql = new SqlParams();
  for (const value of params) sql.add(value);
  const scope = { dialect: duckDbDialect, projectId: project.id, timeZone: project.timeZone };
  const source = openSource('campaign_costs', scope, sql);
  const now = deps.clock.now();
  const ctx = createQueryContext({
    store: deps.eventStore,
    dialect: duckDbDialect,
    projectId: project.id,
    timeZone: project.timeZone,
    from: now,
    to: now,
    now,
    rowScope,
  });
  const conditions = scopeConditions(ctx, source, sql, { range: null });
  params.push(...sql.values.slice(params.length));
  return conditions;
}
