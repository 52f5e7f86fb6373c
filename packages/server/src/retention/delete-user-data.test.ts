import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeServices, openServices, type AppServices } from '../app.ts';
import { ensureSecrets, loadConfig } from '../config/index.ts';
import { createFakeClock } from '../platform/index.ts';
import { createWriteBatch, type OrderRow, type RefundRow } from '../store/index.ts';
import { makeEventRow } from '../testing/event-row-fixture.ts';
import { createTempDir } from '../testing/temp-dir.ts';
import { deleteUserData } from './delete-user-data.ts';

const NOW = Date.UTC(2026, 10, 20, 8, 0, 0);

function makeOrder(projectId: string, orderId: string, overrides: Partial<OrderRow>): OrderRow {
  return {
    projectId,
    orderId,
    userId: null,
    anonymousId: null,
    status: 'paid',
    orderTime: NOW,
    paidAt: NOW,
    currency: 'CNY',
    grossAmount: 10_000,
    discountAmount: 0,
    payAmount: 10_000,
    costAmount: null,
    commissionAmount: null,
    agentId: null,
    channel: 'organic',
    platform: 'web',
    productType: 'goods',
    couponId: null,
    ipHash: 'ip-hash',
    addressHash: 'address-hash',
    deviceId: 'device-1',
    province: '广东省',
    city: '深圳市',
    source: 'event',
    updatedAt: NOW,
    ...overrides,
  };
}

function makeRefund(projectId: string, refundId: string, overrides: Partial<RefundRow>): RefundRow {
  return {
    projectId,
    refundId,
    orderId: 'o1',
    userId: null,
    refundTime: NOW,
    amount: 1_000,
    reason: 'damaged',
    source: 'event',
    ...overrides,
  };
}

describe('deleteUserData', () => {
  let dir: ReturnType<typeof createTempDir>;
  let services: AppServices;

  beforeEach(async () => {
    dir = createTempDir();
    const config = ensureSecrets(
      loadConfig({
        env: { SIGHTLINE_DATA_DIR: dir.path, SIGHTLINE_DEMO: '0', SIGHTLINE_LOG_LEVEL: 'silent' },
      }),
    );
    services = await openServices(config, createFakeClock(NOW));
    for (const id of ['shop', 'other']) {
      await services.projects.create({ id, name: id, timeZone: 'UTC', retentionDays: 180 }, 't');
    }
    const event = (projectId: string, userId: string | null, anonymousId: string | null) =>
      makeEventRow({ projectId, userId, anonymousId, name: `${userId}/${anonymousId}` });
    await services.eventStore.commit(
      createWriteBatch({
        events: [
          // u1's: two anonymous events before login on a1, one on a2, two after login.
          event('shop', null, 'a1'),
          event('shop', null, 'a1'),
          event('shop', null, 'a2'),
          event('shop', 'u1', 'a1'),
          event('shop', 'u1', null),
          // Not u1's: u2 on u1's device (a1), u2 elsewhere, an unlinked visitor, u1 of another
          // project (user ids are per project).
          event('shop', 'u2', 'a1'),
          event('shop', 'u2', 'a3'),
          event('shop', null, 'a9'),
          event('other', 'u1', 'a1'),
        ],
        identities: [
          { projectId: 'shop', anonymousId: 'a1', userId: 'u1', linkedAt: NOW },
          { projectId: 'shop', anonymousId: 'a2', userId: 'u1', linkedAt: NOW },
          { projectId: 'shop', anonymousId: 'a3', userId: 'u2', linkedAt: NOW },
          { projectId: 'other', anonymousId: 'a1', userId: 'u1', linkedAt: NOW },
        ],
        orders: [
          makeOrder('shop', 'o1', { userId: 'u1', anonymousId: 'a1', payAmount: 9_000 }),
          makeOrder('shop', 'o2', { anonymousId: 'a2', payAmount: 5_000 }),
          makeOrder('shop', 'o3', { userId: 'u2', payAmount: 3_000 }),
          makeOrder('other', 'o1', { userId: 'u1', payAmount: 7_000 }),
        ],
        refunds: [
          makeRefund('shop', 'r1', { orderId: 'o1', userId: 'u1', amount: 1_000 }),
          makeRefund('shop', 'r2', { orderId: 'o3', userId: 'u2', amount: 500 }),
          makeRefund('other', 'r1', { orderId: 'o1', userId: 'u1', amount: 700 }),
        ],
      }),
    );
  });
  afterEach(async () => {
    await closeServices(services);
    dir.remove();
  });

  const query = (sql: string, params: string[] = []) => services.eventStore.query(sql, params);

  it("deletes the user's events, pre-login ones included, and their identity links", async () => {
    const result = await deleteUserData(services, {
      projectId: 'shop',
      userId: 'u1',
      actor: 'user:u_admin',
    });
    expect(result).toEqual({
      projectId: 'shop',
      userId: 'u1',
      deletedEvents: 5,
      deletedIdentities: 2,
      anonymisedOrders: 2,
      anonymisedRefunds: 1,
    });
    expect(await query(`SELECT project_id, name FROM events ORDER BY project_id, name`)).toEqual([
      { project_id: 'other', name: 'u1/a1' },
      { project_id: 'shop', name: 'null/a9' },
      { project_id: 'shop', name: 'u2/a1' },
      { project_id: 'shop', name: 'u2/a3' },
    ]);
    expect(
      await query(`SELECT project_id, anonymous_id, user_id FROM identities ORDER BY ALL`),
    ).toEqual([
      { project_id: 'other', anonymous_id: 'a1', user_id: 'u1' },
      { project_id: 'shop', anonymous_id: 'a3', user_id: 'u2' },
    ]);
  });

  it('removes the user from the rollups that name people, and only them', async () => {
    const view = (userId: string | null, anonymousId: string | null) =>
      makeEventRow({ projectId: 'shop', userId, anonymousId, name: 'page_view', type: 'page' });
    await services.eventStore.commit(
      createWriteBatch({ events: [view(null, 'a1'), view('u1', null), view('u2', 'a3')] }),
    );
    const tuples = (table: string) =>
      query(`SELECT DISTINCT project_id, user_id, anonymous_id FROM ${table} ORDER BY ALL`);
    const eventTuples = (where: string) =>
      query(
        `SELECT DISTINCT project_id, coalesce(user_id, '') AS user_id, ` +
          `coalesce(anonymous_id, '') AS anonymous_id FROM events WHERE ${where} ORDER BY ALL`,
      );
    const rollups = [
      ['rollup_active_people', 'true'],
      ['rollup_page_viewers', "name = 'page_view'"],
      ['rollup_first_events', 'true'],
    ] as const;
    expect(await tuples('rollup_page_viewers')).toHaveLength(3);
    await deleteUserData(services, { projectId: 'shop', userId: 'u1', actor: 'cli' });
    // Each keeps exactly the id tuples of the events left.
    for (const [table, kept] of rollups)
      expect({ table, tuples: await tuples(table) }).toEqual({
        table,
        tuples: await eventTuples(kept),
      });
    expect(await tuples('rollup_page_viewers')).toEqual([
      { project_id: 'shop', user_id: 'u2', anonymous_id: 'a3' },
    ]);
  });

  it('keeps order and refund amounts but removes what ties them to the user', async () => {
    const totals = `SELECT project_id, sum(pay_amount)::INTEGER AS gmv,
      (SELECT sum(amount)::INTEGER FROM refunds r WHERE r.project_id = o.project_id) AS refunded
      FROM orders o GROUP BY ALL ORDER BY ALL`;
    const before = await query(totals);
    await deleteUserData(services, { projectId: 'shop', userId: 'u1', actor: 'cli' });
    expect(await query(totals)).toEqual(before);
    expect(before).toEqual([
      { project_id: 'other', gmv: 7_000, refunded: 700 },
      { project_id: 'shop', gmv: 17_000, refunded: 1_500 },
    ]);
    expect(
      await query(
        `SELECT project_id, order_id, user_id, anonymous_id, ip_hash, address_hash, device_id, city, pay_amount FROM orders ORDER BY ALL`,
      ),
    ).toEqual([
      {
        project_id: 'other',
        order_id: 'o1',
        user_id: 'u1',
        anonymous_id: null,
        ip_hash: 'ip-hash',
        address_hash: 'address-hash',
        device_id: 'device-1',
        city: '深圳市',
        pay_amount: 7_000,
      },
      ...[
        ['o1', 9_000],
        ['o2', 5_000],
      ].map(([orderId, payAmount]) => ({
        project_id: 'shop',
        order_id: orderId,
        user_id: null,
        anonymous_id: null,
        ip_hash: null,
        address_hash: null,
        device_id: null,
        city: '深圳市',
        pay_amount: payAmount,
      })),
      {
        project_id: 'shop',
        order_id: 'o3',
        user_id: 'u2',
        anonymous_id: null,
        ip_hash: 'ip-hash',
        address_hash: 'address-hash',
        device_id: 'device-1',
        city: '深圳市',
        pay_amount: 3_000,
      },
    ]);
    expect(await query(`SELECT project_id, refund_id, user_id FROM refunds ORDER BY ALL`)).toEqual([
      { project_id: 'other', refund_id: 'r1', user_id: 'u1' },
      { project_id: 'shop', refund_id: 'r1', user_id: null },
      { project_id: 'shop', refund_id: 'r2', user_id: 'u2' },
    ]);
  });

  it('records the request in the audit log and is idempotent', async () => {
    await deleteUserData(services, { projectId: 'shop', userId: 'u1', actor: 'token:t_1' });
    const again = await deleteUserData(services, { projectId: 'shop', userId: 'u1', actor: 'cli' });
    expect(again).toMatchObject({
      deletedEvents: 0,
      deletedIdentities: 0,
      anonymisedOrders: 0,
      anonymisedRefunds: 0,
    });
    const entries = await services.audit.list({ action: 'user.data.delete', limit: 10 });
    expect(
      entries.map(({ actor, projectId, target, details }) => ({
        actor,
        projectId,
        target,
        details,
      })),
    ).toEqual([
      {
        actor: 'cli',
        projectId: 'shop',
        target: 'u1',
        details: {
          deletedEvents: 0,
          deletedIdentities: 0,
          anonymisedOrders: 0,
          anonymisedRefunds: 0,
        },
      },
      {
        actor: 'token:t_1',
        projectId: 'shop',
        target: 'u1',
        details: {
          deletedEvents: 5,
          deletedIdentities: 2,
          anonymisedOrders: 2,
          anonymisedRefunds: 1,
        },
      },
    ]);
  });

  it('rejects an unknown project without touching anything', async () => {
    await expect(
      deleteUserData(services, { projectId: 'nope', userId: 'u1', actor: 'cli' }),
    ).rejects.toMatchObject({ code: 'ERR_PROJECT_NOT_FOUND' });
    expect(await query('SELECT count(*)::INTEGER AS n FROM events')).toEqual([{ n: 9 }]);
  });
});
