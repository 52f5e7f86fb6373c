import { ERR_ANOMALY_NOT_FOUND } from '@sightline/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog, type AuditLog } from '../audit/index.ts';
import { createFakeClock } from '../platform/index.ts';
import { createProjectService } from '../projects/index.ts';
import type { MetaDb, OrderRow } from '../store/index.ts';
import { makeOrderRow } from '../testing/order-row-fixture.ts';
import { createQueryFixture, type QueryFixture } from '../testing/query-fixture.ts';
import { createAnomalies, type Anomalies } from './create-anomalies.ts';
import { openTestMetaDb } from '../testing/meta-database-at.ts';

const T0 = Date.parse('2026-11-20T04:00:00Z');
const MINUTE = 60_000;

const burstOrder = (i: number, extra: Partial<OrderRow> = {}) =>
  makeOrderRow({
    orderId: `b${String(i).padStart(2, '0')}`,
    paidAt: T0 - 60 * MINUTE + i * MINUTE,
    userId: `u${i % 3}`,
    ipHash: 'ip-1',
    ...extra,
  });

describe('createAnomalies', () => {
  const clock = createFakeClock(T0);
  let f: QueryFixture;
  let db: MetaDb;
  let audit: AuditLog;
  let anomalies: Anomalies;
  const errors: unknown[] = [];

  beforeAll(async () => {
    f = await createQueryFixture();
    db = await openTestMetaDb();
    audit = createAuditLog(db, clock);
    const projects = createProjectService({ db, audit, clock, masterSecret: 'x'.repeat(32) });
    await projects.create(
      { id: 'p_test', name: 'Test', timeZone: 'Asia/Shanghai', retentionDays: 180 },
      'test',
    );
    await f.load({
      orders: [
        ...Array.from({ length: 10 }, (_, i) => burstOrder(i)),
        // Bought by the agent itself.
        makeOrderRow({
          orderId: 'self',
          paidAt: T0 - 30 * MINUTE,
          userId: 'agent_1',
          agentId: 'agent_1',
          commissionAmount: 1_000,
        }),
        // Three hours ago: outside a scheduled scan's two hours.
        makeOrderRow({
          orderId: 'old',
          paidAt: T0 - 180 * MINUTE,
          userId: 'agent_2',
          agentId: 'agent_2',
        }),
      ],
    });
    anomalies = createAnomalies({
      db,
      store: f.store,
      clock,
      logger: { error: (details) => errors.push(details) },
      audit,
      projects,
    });
  });
  afterAll(async () => {
    await anomalies.stop();
    await db.destroy();
    await f.close();
  });
  beforeEach(() => clock.set(T0));

  it('stores each finding once, refreshing the evidence of a burst that grows', async () => {
    const first = await anomalies.tick();
    expect(first.map((x) => [x.kind, x.dedupKey, x.state, x.detectedAt])).toEqual([
      ['order_burst', 'order_burst:ip:ip-1:b00', 'open', T0],
      ['self_dealing', 'commission:self', 'open', T0],
    ]);
    expect(first[0]?.evidence).toMatchObject({ orderCount: 10, accounts: ['u0', 'u1', 'u2'] });
    expect(await anomalies.tick()).toEqual([]);

    await f.load({ orders: [burstOrder(10), burstOrder(11)] });
    clock.set(T0 + 5 * MINUTE);
    expect(await anomalies.tick()).toEqual([]);
    const [burst] = await anomalies.list('p_test', { kind: 'order_burst', limit: 10 });
    expect(burst).toMatchObject({
      id: first[0]?.id,
      detectedAt: T0,
      lastSeenAt: T0 + 5 * MINUTE,
      evidence: { orderCount: 12, firstOrderId: 'b00' },
    });
    expect(errors).toEqual([]);
  });

  it('scans a given window on demand', async () => {
    const found = await anomalies.scan('p_test', { from: T0 - 240 * MINUTE, to: T0 });
    expect(found.map((x) => x.dedupKey)).toEqual(['commission:old']);
    // Newest detection first, then the latest evidence first.
    const all = await anomalies.list('p_test', { limit: 10 });
    expect(all.map((x) => x.dedupKey)).toEqual([
      'commission:self',
      'order_burst:ip:ip-1:b00',
      'commission:old',
    ]);
  });

  it('reviews a finding, records who and when, and audits it', async () => {
    const [finding] = await anomalies.list('p_test', { kind: 'self_dealing', limit: 10 });
    if (!finding) throw new Error('no finding');
    expect(finding.dedupKey).toBe('commission:self');
    clock.set(T0 + 60 * MINUTE);
    const reviewed = await anomalies.review(
      'p_test',
      finding.id,
      { state: 'confirmed', note: 'agent warned' },
      'user:u_ana',
    );
    expect(reviewed).toMatchObject({
      state: 'confirmed',
      reviewedBy: 'user:u_ana',
      reviewedAt: T0 + 60 * MINUTE,
      reviewNote: 'agent warned',
    });
    expect(
      (await anomalies.list('p_test', { state: 'confirmed', limit: 10 })).map((x) => x.id),
    ).toEqual([finding.id]);
    expect(
      (await anomalies.list('p_test', { state: 'open', limit: 10 })).map((x) => x.kind),
    ).toEqual(['order_burst', 'self_dealing']);
    const [entry] = await audit.list({ projectId: 'p_test', action: 'anomaly.review', limit: 5 });
    expect(entry).toMatchObject({
      actor: 'user:u_ana',
      target: finding.id,
      details: { kind: 'self_dealing', from: 'open', to: 'confirmed', note: 'agent warned' },
    });
    // A later scan keeps the review.
    await anomalies.tick();
    expect((await anomalies.get('p_test', finding.id)).state).toBe('confirmed');
  });

  it('refuses unknown findings with ERR_ANOMALY_NOT_FOUND', async () => {
    await expect(anomalies.get('p_test', 'anm_nope')).rejects.toMatchObject({
      code: ERR_ANOMALY_NOT_FOUND.code,
    });
  });
});
