import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSightline,
  sightlineExpress,
  sightlineExpressErrors,
  sightlineFastify,
  sightlineKoa,
  type Sightline,
} from '../../packages/node/src/index.ts';
import { createTestApp, type TestApp } from '../../packages/server/src/testing/test-app.ts';

describe('@sightline/node against a real server', () => {
  let t: TestApp;
  let endpoint = '';
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
    endpoint = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  const sightlineFor = (app: string, secret = true): Sightline =>
    createSightline({
      endpoint,
      writeKey: t.project.writeKey,
      ...(secret ? { secretKey: t.project.secretKey } : {}),
      app,
      release: `${app}@1.0.0`,
      flushOnExit: false,
    });

  const apiCalls = (app: string) =>
    t.app.services.eventStore.query(
      `SELECT status, json_extract_string(props, '$.method') AS method,
         json_extract_string(props, '$.route') AS route, request_id, platform
       FROM events WHERE app = $1 AND name = 'api_call' ORDER BY route, status`,
      [app],
    );
  const errorsOf = (app: string) =>
    t.app.services.eventStore.query(
      `SELECT json_extract_string(props, '$.message') AS message,
         json_extract_string(props, '$.route') AS route
       FROM events WHERE app = $1 AND type = 'error'`,
      [app],
    );

  it('signs batches so server events carry the end user ip and user agent', async () => {
    const sightline = sightlineFor('signed');
    sightline.track(
      'login',
      { userId: 'u1' },
      { method: 'phone' },
      {
        ip: '203.0.113.7',
        user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)',
      },
    );
    await sightline.shutdown();
    const rows = await t.app.services.eventStore.query(
      `SELECT user_id, ua_os, ip_hash IS NOT NULL AS has_ip, platform FROM events WHERE app = 'signed'`,
    );
    expect(rows).toEqual([{ user_id: 'u1', ua_os: 'iOS', has_ip: true, platform: 'server' }]);

    // A wrong secret is refused for good (no retry loop) and nothing is stored.
    const forged = createSightline({
      endpoint,
      writeKey: t.project.writeKey,
      secretKey: 'not-the-secret',
      app: 'forged',
      flushOnExit: false,
    });
    forged.track('login', { userId: 'u2' });
    await forged.shutdown();
    expect(
      await t.app.services.eventStore.query(
        `SELECT count(*) AS n FROM events WHERE app = 'forged'`,
      ),
    ).toEqual([{ n: 0 }]);
  });

  it('records orders, refunds and tasks with the helpers, and they reach the order tables', async () => {
    const sightline = sightlineFor('helpers');
    sightline.orderCompleted(
      { userId: 'buyer-1' },
      {
        orderId: 'SO-1',
        amount: 24_900,
        currency: 'CNY',
        items: [{ product_id: 'p1', quantity: 1, price: 25_900, cost: 15_000 }],
        discount: 1_000,
      },
    );
    sightline.orderRefunded(
      { userId: 'buyer-1' },
      { orderId: 'SO-1', amount: 5_000, currency: 'CNY', refundId: 'R-1', reason: 'damaged' },
    );
    sightline.taskCompleted(
      { userId: 'buyer-1' },
      {
        taskId: 't-1',
        feature: 'remove_bg',
        status: 'failed',
        durationMs: 3_200,
        errorCode: 'TIMEOUT',
      },
    );
    await sightline.shutdown();
    expect(
      await t.app.services.eventStore.query(
        `SELECT order_id, user_id, pay_amount, discount_amount FROM orders WHERE order_id = 'SO-1'`,
      ),
    ).toEqual([
      { order_id: 'SO-1', user_id: 'buyer-1', pay_amount: 24_900, discount_amount: 1_000 },
    ]);
    expect(
      await t.app.services.eventStore.query(
        `SELECT amount, reason FROM refunds WHERE order_id = 'SO-1'`,
      ),
    ).toEqual([{ amount: 5_000, reason: 'damaged' }]);
    expect(
      await t.app.services.eventStore.query(
        `SELECT feature, duration_ms, json_extract_string(props, '$.error_code') AS code
         FROM events WHERE app = 'helpers' AND name = 'task_completed'`,
      ),
    ).toEqual([{ feature: 'remove_bg', duration_ms: 3_200, code: 'TIMEOUT' }]);
  });

  it('Express middleware records route templates, statuses and errors', async () => {
    const sightline = sightlineFor('express');
    const app = express();
    app.use(sightlineExpress(sightline));
    app.get('/api/products/:id', (req, res) => {
      res.status(req.params.id === '0' ? 404 : 200).json({ id: req.params.id });
    });
    app.get('/api/broken', () => {
      throw new Error('database is down');
    });
    app.use(sightlineExpressErrors(sightline));
    const server = app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await fetch(`${base}/api/products/123`, { headers: { 'x-request-id': 'req-1' } });
    await fetch(`${base}/api/products/0`);
    await fetch(`${base}/api/broken`);
    await fetch(`${base}/nowhere`);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sightline.shutdown();
    expect(await apiCalls('express')).toEqual(
      [
        {
          status: 200,
          method: 'GET',
          route: '/api/products/:id',
          request_id: 'req-1',
          platform: 'server',
        },
        {
          status: 404,
          method: 'GET',
          route: '/api/products/:id',
          request_id: null,
          platform: 'server',
        },
        { status: 500, method: 'GET', route: '/api/broken', request_id: null, platform: 'server' },
        { status: 404, method: 'GET', route: 'unmatched', request_id: null, platform: 'server' },
      ].sort((a, b) => a.route.localeCompare(b.route) || a.status - b.status),
    );
    expect(await errorsOf('express')).toEqual([
      { message: 'database is down', route: '/api/broken' },
    ]);
  });

  it('Fastify plugin records route templates, statuses and errors', async () => {
    const sightline = sightlineFor('fastify');
    const app = Fastify();
    await app.register(sightlineFastify(sightline));
    app.get('/api/orders/:id', () => Promise.resolve({ ok: true }));
    app.get('/api/fail', () => Promise.reject(new Error('payment gateway timeout')));
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    await fetch(`${base}/api/orders/9`);
    await fetch(`${base}/api/fail`);
    await app.close();
    await sightline.shutdown();
    expect((await apiCalls('fastify')).map((r) => [r.route, r.status])).toEqual([
      ['/api/fail', 500],
      ['/api/orders/:id', 200],
    ]);
    expect(await errorsOf('fastify')).toEqual([
      { message: 'payment gateway timeout', route: '/api/fail' },
    ]);
  });

  it('Koa middleware records route templates, statuses and errors', async () => {
    const sightline = sightlineFor('koa');
    const app = new Koa();
    const router = new Router();
    router.get('/api/users/:id', (ctx) => {
      ctx.body = { id: ctx.params.id };
    });
    router.get('/api/crash', () => {
      throw new Error('null pointer');
    });
    app.use(sightlineKoa(sightline));
    app.use(router.routes());
    app.silent = true;
    const server = app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await fetch(`${base}/api/users/5`);
    await fetch(`${base}/api/crash`);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sightline.shutdown();
    expect((await apiCalls('koa')).map((r) => [r.route, r.status])).toEqual([
      ['/api/crash', 500],
      ['/api/users/:id', 200],
    ]);
    expect(await errorsOf('koa')).toEqual([{ message: 'null pointer', route: '/api/crash' }]);
  });
});
