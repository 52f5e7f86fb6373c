import { describe, expect, it } from 'vitest';
import {
  findInhibited,
  planNotifications,
  type GroupRecord,
  type PlanParams,
  type RoutedAlert,
} from './plan-notifications.ts';

const S = 1_000;
const policy = {
  groupBy: ['alertname'],
  groupWaitSeconds: 30,
  groupIntervalSeconds: 300,
  repeatIntervalSeconds: 3_600,
};
const channels = new Map([
  ['web', { sendResolved: true }],
  ['mail', { sendResolved: false }],
]);

function alert(fingerprint: string, over: Partial<RoutedAlert> = {}): RoutedAlert {
  return {
    fingerprint,
    labels: { alertname: 'API slow', route: fingerprint },
    severity: 'P1',
    state: 'firing',
    acknowledged: false,
    channelIds: ['web'],
    muted: null,
    ...over,
  };
}

/** Feeds the plan's saved groups back in, as the dispatcher does between passes. */
function step(groups: GroupRecord[], params: Omit<PlanParams, 'groups' | 'policy' | 'channels'>) {
  const plan = planNotifications({ ...params, groups, policy, channels });
  const kept = groups.filter(
    (g) =>
      !plan.drop.some((d) => d.groupKey === g.groupKey && d.channelId === g.channelId) &&
      !plan.save.some((s) => s.groupKey === g.groupKey && s.channelId === g.channelId),
  );
  const next = [...kept, ...plan.save.map((g, i) => ({ ...g, id: g.id ?? `g${i}` }))];
  return { plan, next };
}

describe('planNotifications', () => {
  it('gathers a new group for group_wait, then sends all its alerts in one notification', () => {
    let groups: GroupRecord[] = [];
    let r = step(groups, { alerts: [alert('a')], now: 0 });
    expect(r.plan.sends).toEqual([]);
    groups = r.next;
    r = step(groups, { alerts: [alert('a'), alert('b')], now: 29 * S });
    expect(r.plan.sends).toEqual([]);
    groups = r.next;
    r = step(groups, { alerts: [alert('a'), alert('b')], now: 30 * S });
    expect(r.plan.sends).toEqual([
      {
        channelId: 'web',
        groupKey: '[["alertname","API slow"]]',
        groupLabels: { alertname: 'API slow' },
        firing: ['a', 'b'],
        resolved: [],
        reason: 'first',
      },
    ]);
  });

  it('holds changes until group_interval, repeats after repeat_interval unless all are acknowledged', () => {
    let { next: groups } = step([], { alerts: [alert('a')], now: 0 });
    ({ next: groups } = step(groups, { alerts: [alert('a')], now: 30 * S }));
    let r = step(groups, { alerts: [alert('a'), alert('b')], now: 100 * S });
    expect(r.plan.sends).toEqual([]); // changed, but the interval (300 s) is not over
    r = step(groups, { alerts: [alert('a'), alert('b')], now: 330 * S });
    expect(r.plan.sends.map((s) => [s.reason, s.firing])).toEqual([['changed', ['a', 'b']]]);
    groups = r.next;
    r = step(groups, { alerts: [alert('a'), alert('b')], now: 330 * S + 3_599 * S });
    expect(r.plan.sends).toEqual([]);
    r = step(groups, {
      alerts: [alert('a', { acknowledged: true }), alert('b')],
      now: 330 * S + 3_600 * S,
    });
    expect(r.plan.sends.map((s) => s.reason)).toEqual(['repeat']);
    r = step(groups, {
      alerts: [alert('a', { acknowledged: true }), alert('b', { acknowledged: true })],
      now: 330 * S + 3_600 * S,
    });
    expect(r.plan.sends).toEqual([]);
  });

  it('tells resolution only to channels that want it and were told of the firing', () => {
    const both = { channelIds: ['web', 'mail'] };
    let { next: groups } = step([], { alerts: [alert('a', both)], now: 0 });
    ({ next: groups } = step(groups, { alerts: [alert('a', both)], now: 30 * S }));
    expect(groups).toHaveLength(2);
    const r = step(groups, { alerts: [alert('a', { ...both, state: 'resolved' })], now: 400 * S });
    expect(r.plan.sends.map((s) => [s.channelId, s.firing, s.resolved])).toEqual([
      ['web', [], ['a']],
    ]);
    expect(r.plan.drop.map((g) => g.channelId).sort()).toEqual(['mail', 'web']);
  });

  it('leaves muted alerts out, and an alert resolving inside group_wait is never sent', () => {
    let r = step([], { alerts: [alert('a', { muted: 'silenced' })], now: 0 });
    expect(r.plan).toEqual({ sends: [], save: [], drop: [] });
    r = step([], { alerts: [alert('b')], now: 0 });
    r = step(r.next, { alerts: [alert('b', { state: 'resolved' })], now: 10 * S });
    expect(r.plan.sends).toEqual([]);
    expect(r.plan.drop).toHaveLength(1);
  });

  it('a firing P0 inhibits P1/P2 alerts with equal inhibit labels only', () => {
    const alerts = [
      alert('p0', { severity: 'P0', labels: { service: 'pay' } }),
      alert('p1-pay', { labels: { service: 'pay' } }),
      alert('p2-pay', { severity: 'P2', labels: { service: 'pay' } }),
      alert('p1-shop', { labels: { service: 'shop' } }),
      alert('p1-resolved', { state: 'resolved', labels: { service: 'pay' } }),
    ];
    expect([...findInhibited(alerts, ['service'])].sort()).toEqual(['p1-pay', 'p2-pay']);
    expect([...findInhibited(alerts.slice(1), ['service'])]).toEqual([]);
  });
});
