import { createHmac, randomUUID } from 'node:crypto';
import { fetchPost } from '@sightline/sdk/fetch-post';
import { createTransport, type Transport } from '@sightline/sdk/transport';

export interface NodeOptions {
  /** Sightline server, e.g. `https://analytics.example.com`. Required. */
  endpoint: string;
  /** The project's write key. Required. */
  writeKey: string;
  /**
   * The project's secret key: batches are signed, so events may carry the end user's `ip` and
   * `user_agent` and are trusted as server-side. Keep it on the server only.
   */
  secretKey?: string;
  app?: string;
  release?: string;
  env?: string;
  /** Events per request. Default 100. */
  batchSize?: number;
  /** Ms before a partial batch is sent. Default 1000. */
  flushInterval?: number;
  /** Events held in memory while Sightline cannot be reached; the oldest go first. Default 10 000. */
  maxQueue?: number;
  /** Send what is queued when the process is about to exit on its own. Default true. */
  flushOnExit?: boolean;
}

/** Who an event is about: at least one id. */
export interface Who {
  userId?: string | null;
  anonymousId?: string | null;
}

/** Wire fields beyond the basics (see docs/events.md), snake_case as on the wire. */
export type Fields = Record<string, unknown>;

export interface OrderLine {
  product_id: string;
  sku?: string;
  category?: string;
  quantity: number;
  /** Per unit, minor units. */
  price: number;
  cost?: number;
}

export interface Sightline {
  /** Any event, wire fields as in the event spec. */
  capture(event: Fields & { type: string }): void;
  track(name: string, who: Who, props?: Fields, fields?: Fields): void;
  identify(userId: string, anonymousId: string, traits?: Fields): void;
  /** One API request (what the middlewares send). */
  apiCall(call: {
    method: string;
    route: string;
    status: number;
    durationMs: number;
    requestId?: string;
    traceId?: string;
    timeout?: boolean;
    userId?: string | null;
  }): void;
  /** A server error, with its stack. */
  error(error: unknown, fields?: Fields): void;
  /** A paid order (becomes an order in Sightline's order tables). */
  orderCompleted(
    who: Who,
    order: {
      orderId: string;
      /** What the customer paid, minor units. */
      amount: number;
      currency: string;
      items?: OrderLine[];
    } & Fields,
  ): void;
  orderRefunded(
    who: Who,
    refund: {
      orderId: string;
      amount: number;
      currency: string;
      refundId?: string;
      reason?: string;
    },
  ): void;
  /** An AI task finished. */
  taskCompleted(
    who: Who,
    task: {
      taskId: string;
      feature: string;
      status: 'success' | 'failed';
      durationMs: number;
      errorCode?: string;
    } & Fields,
  ): void;
  flush(): Promise<void>;
  /** Sends what is queued and stops; call it from your shutdown (SIGTERM) handler. */
  shutdown(): Promise<void>;
}

/** The X-Sightline-Signature header: HMAC-SHA256 of `t.body` with the secret key. */
export function signBatch(secretKey: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secretKey).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

const ids = (who: Who) => ({
  ...(who.userId ? { user_id: who.userId } : {}),
  ...(who.anonymousId ? { anonymous_id: who.anonymousId } : {}),
});

/**
 * Server-side tracking: batches, retries with backoff (the browser SDK's transport), signs each
 * request when given the secret key, and flushes when the process is about to exit.
 */
export function createSightline(options: NodeOptions): Sightline {
  const transport: Transport = createTransport({
    endpoint: options.endpoint,
    writeKey: options.writeKey,
    batchSize: options.batchSize ?? 100,
    flushInterval: options.flushInterval ?? 1_000,
    maxQueue: options.maxQueue ?? 10_000,
    platform: {
      post(url, body, headers, postOptions) {
        const signed = options.secretKey
          ? {
              ...headers,
              'x-sightline-signature': signBatch(
                options.secretKey,
                body,
                Math.floor(Date.now() / 1000),
              ),
            }
          : headers;
        return fetchPost(url, body, signed, postOptions);
      },
    },
  });
  const onExit = () => void transport.flush();
  if (options.flushOnExit ?? true) process.once('beforeExit', onExit);

  function capture(event: Fields & { type: string }): void {
    try {
      transport.enqueue({
        ts: Date.now(),
        platform: 'server',
        ...(options.app ? { app: options.app } : {}),
        ...(options.release ? { release: options.release } : {}),
        ...(options.env ? { env: options.env } : {}),
        ...event,
        event_id: typeof event.event_id === 'string' ? event.event_id : randomUUID(),
      });
    } catch {
      // Tracking never breaks the request it observes.
    }
  }

  return {
    capture,
    track: (name, who, props, fields) =>
      capture({ type: 'event', name, ...ids(who), ...(props ? { props } : {}), ...fields }),
    identify: (userId, anonymousId, traits) =>
      capture({
        type: 'identify',
        user_id: userId,
        anonymous_id: anonymousId,
        ...(traits ? { traits } : {}),
      }),
    apiCall: (call) =>
      capture({
        type: 'api',
        name: 'api_call',
        status: call.status,
        duration_ms: Math.max(0, Math.round(call.durationMs)),
        ...(call.requestId ? { request_id: call.requestId } : {}),
        ...(call.traceId ? { trace_id: call.traceId } : {}),
        ...(call.userId ? { user_id: call.userId } : {}),
        props: {
          method: call.method.toUpperCase(),
          route: call.route,
          timeout: call.timeout ?? false,
          retry: 0,
        },
      }),
    error(error, fields) {
      const e = error instanceof Error ? error : new Error(String(error));
      capture({
        type: 'error',
        name: 'server_error',
        message: e.message.slice(0, 2_048),
        ...(e.stack ? { stack: e.stack.slice(0, 16_384) } : {}),
        props: { error_name: e.name },
        ...fields,
      });
    },
    orderCompleted(who, order) {
      const { orderId, amount, currency, ...props } = order;
      capture({
        type: 'event',
        name: 'order_completed',
        ...ids(who),
        amount,
        currency,
        props: { order_id: orderId, ...props },
      });
    },
    orderRefunded(who, refund) {
      capture({
        type: 'event',
        name: 'order_refunded',
        ...ids(who),
        amount: refund.amount,
        currency: refund.currency,
        props: {
          order_id: refund.orderId,
          ...(refund.refundId ? { refund_id: refund.refundId } : {}),
          ...(refund.reason ? { reason: refund.reason } : {}),
        },
      });
    },
    taskCompleted(who, task) {
      const { taskId, feature, status, durationMs, errorCode, ...props } = task;
      capture({
        type: 'event',
        name: 'task_completed',
        ...ids(who),
        feature,
        duration_ms: Math.max(0, Math.round(durationMs)),
        props: {
          task_id: taskId,
          status,
          ...(errorCode ? { error_code: errorCode } : {}),
          ...props,
        },
      });
    },
    flush: () => transport.flush(),
    async shutdown() {
      process.removeListener('beforeExit', onExit);
      await transport.flush();
      transport.close();
    },
  };
}
