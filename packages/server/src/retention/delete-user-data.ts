import type { AuditLog } from '../audit/index.ts';
import type { ProjectService } from '../projects/index.ts';
import type { EventStore, SqlStatement } from '../store/index.ts';

/** The anonymous ids identify linked to the user: their pre-login events are theirs too. */
const LINKED_ANONYMOUS_IDS = `SELECT anonymous_id FROM identities WHERE project_id = $1 AND user_id = $2`;
/**
 * Rows of the user: identified as them, or anonymous with one of their linked ids. A row under a
 * linked anonymous id but identified as someone else (a shared device) belongs to that other user.
 */
const BELONGS_TO_USER = `(user_id = $2 OR (user_id IS NULL AND anonymous_id IN (${LINKED_ANONYMOUS_IDS})))`;

/** The rollups that name people (counts per minute do not): by user id, or a linked anonymous id. */
const PEOPLE_ROLLUPS = ['rollup_active_people', 'rollup_page_viewers', 'rollup_first_events'];
const deleteFromRollup = (table: string) =>
  `DELETE FROM ${table} WHERE project_id = $1 AND (user_id = $2 OR ` +
  `(user_id = '' AND anonymous_id IN (${LINKED_ANONYMOUS_IDS})))`;

// Order of statements matters: identities go last because the others look up linked ids there.
const SQL = {
  deleteEvents: `DELETE FROM events WHERE project_id = $1 AND ${BELONGS_TO_USER}`,
  // Orders and refunds are kept with their amounts, so GMV and refund totals do not change;
  // only what ties them to a person is removed.
  anonymiseOrders:
    `UPDATE orders SET user_id = NULL, anonymous_id = NULL, ip_hash = NULL, address_hash = NULL, ` +
    `device_id = NULL WHERE project_id = $1 AND ${BELONGS_TO_USER}`,
  anonymiseRefunds: `UPDATE refunds SET user_id = NULL WHERE project_id = $1 AND user_id = $2`,
  // Saved segments list people by person id: the user id, or an anonymous id never linked.
  deleteSegmentMembers:
    `DELETE FROM segment_members WHERE project_id = $1 AND (person_id = $2 OR ` +
    `person_id IN (${LINKED_ANONYMOUS_IDS}))`,
  deleteIdentities: `DELETE FROM identities WHERE project_id = $1 AND user_id = $2`,
} as const;

export interface DeleteUserDataDeps {
  eventStore: EventStore;
  projects: ProjectService;
  audit: AuditLog;
}

export interface DeleteUserDataParams {
  projectId: string;
  /** The user id the app sends (pseudonymous; never an email or phone number). */
  userId: string;
  actor: string;
}

export interface DeleteUserDataResult {
  projectId: string;
  userId: string;
  deletedEvents: number;
  deletedIdentities: number;
  anonymisedOrders: number;
  anonymisedRefunds: number;
}

/**
 * A deletion request (seed 001 §5, 可删除请求): removes the user's events, including anonymous
 * events from before they logged in, and their identity links; anonymises their orders and
 * refunds. One transaction, so a failure leaves nothing half deleted.
 */
export async function deleteUserData(
  deps: DeleteUserDataDeps,
  params: DeleteUserDataParams,
): Promise<DeleteUserDataResult> {
  const { projectId, userId } = params;
  await deps.projects.get(projectId);
  const bind = (sql: string): SqlStatement => ({ sql, params: [projectId, userId] });
  const results = await deps.eventStore.executeInTransaction([
    bind(SQL.deleteEvents),
    bind(SQL.anonymiseOrders),
    bind(SQL.anonymiseRefunds),
    ...PEOPLE_ROLLUPS.map((table) => bind(deleteFromRollup(table))),
    bind(SQL.deleteSegmentMembers),
    bind(SQL.deleteIdentities),
  ]);
  const [deletedEvents = 0, anonymisedOrders = 0, anonymisedRefunds = 0] = results;
  const deletedIdentities = results.at(-1) ?? 0;
  const counts = { deletedEvents, deletedIdentities, anonymisedOrders, anonymisedRefunds };
  await deps.audit.record({
    actor: params.actor,
    action: 'user.data.delete',
    projectId,
    target: userId,
    details: counts,
  });
  return { projectId, userId, ...counts };
}
