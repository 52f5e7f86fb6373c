import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { REALTIME_KPIS, type RealtimeSnapshot } from './index.ts';

interface Kpi {
  metric: string;
  value: number | null;
  previous: number | null;
}

const kpisOf = (snapshot: RealtimeSnapshot) => {
  if (!snapshot.today.ok) throw new Error(snapshot.today.message);
  return (snapshot.today.result as { kpis: Kpi[] }).kpis;
};

describe('realtime push over socket.io against a real server', () => {
  let t: TestApp;
  let url = '';
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { SIGHTLINE_REALTIME_INTERVAL_MS: '300' } });
    await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t.close();
  });

  function open(auth: Record<string, string> = {}): Socket {
    const socket = connect(url, { auth, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    return socket;
  }

  /** Subscribes and resolves with the ack (and the first snapshot when accepted). */
  function subscribe(socket: Socket, projectId: string) {
    const first = new Promise<RealtimeSnapshot>((resolve) => socket.once('snapshot', resolve));
    const ack = socket.emitWithAck('subscribe', projectId) as Promise<{
      ok: boolean;
      code?: string;
    }>;
    return { ack, first };
  }

  async function apiToday() {
    const answer = await t.app.fastify.inject({
      method: 'POST',
      url: `/api/v1/projects/${t.project.id}/reports/kpis`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: { range: 'today', metrics: [...REALTIME_KPIS], compare: 'same_time_yesterday' },
    });
    expect(answer.statusCode).toBe(200);
    return answer.json<{ result: { kpis: Kpi[] } }>().result.kpis;
  }

  async function sendOrder(amount: number) {
    const answer = await t.app.fastify.inject({
      method: 'POST',
      url: '/api/v1/batch',
      headers: { 'x-sightline-key': t.project.writeKey },
      payload: {
        batch: [
          {
            event_id: randomUUID(),
            type: 'event',
            name: 'order_completed',
            user_id: `buyer-${amount}`,
            amount,
            currency: 'CNY',
            props: { order_id: `SO-${randomUUID()}` },
          },
        ],
      },
    });
    expect(answer.statusCode).toBe(200);
  }

  it('refuses a connection without a session or token', async () => {
    const socket = open();
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(error.message).toBe('ERR_AUTH_REQUIRED');
  });

  it("pushes the query API's numbers at once and again after new events arrive", async () => {
    await sendOrder(12_300);
    const socket = open({ token: t.adminToken });
    const { ack, first } = subscribe(socket, t.project.id);
    expect(await ack).toEqual({ ok: true });
    const snapshot = await first;
    expect(snapshot.projectId).toBe(t.project.id);
    expect(kpisOf(snapshot)).toEqual(await apiToday());
    const gmv = kpisOf(snapshot).find((kpi) => kpi.metric === 'gmv')?.value;
    expect(gmv).toBe(12_300);
    for (const part of ['qps', 'minutes', 'featureShare', 'channelConversion', 'errorCodes'])
      expect(snapshot[part as keyof RealtimeSnapshot], part).toMatchObject({ ok: true });

    // Without asking again: the next pushes carry the new order.
    await sendOrder(4_500);
    const updated = await new Promise<RealtimeSnapshot>((resolve) => {
      const check = (next: RealtimeSnapshot) => {
        if (kpisOf(next).find((kpi) => kpi.metric === 'gmv')?.value === 16_800) {
          socket.off('snapshot', check);
          resolve(next);
        }
      };
      socket.on('snapshot', check);
    });
    expect(kpisOf(updated)).toEqual(await apiToday());
    socket.close();
  });

  it('refuses a project the caller may not read', async () => {
    const other = await t.app.services.projects.create(
      { id: 'other', name: 'Other', timeZone: 'Asia/Shanghai', retentionDays: 30 },
      'test',
    );
    expect(other.project.id).toBe('other');
    const { token } = await t.app.services.auth.createToken(
      { name: 'shop only', role: 'analyst', projectId: t.project.id },
      'test',
    );
    const socket = open({ token });
    expect(await subscribe(socket, 'other').ack).toMatchObject({
      ok: false,
      code: 'ERR_AUTH_FORBIDDEN',
    });
    expect(await subscribe(socket, 'nope').ack).toMatchObject({ ok: false });
    expect(await subscribe(socket, t.project.id).ack).toEqual({ ok: true });
    socket.close();
  });
});
