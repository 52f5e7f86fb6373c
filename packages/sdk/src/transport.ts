import { createTaskQueue, type TaskQueue } from './task-queue.ts';

/** One event as sent on the wire (see docs/events.md). */
export type WireEvent = Record<string, unknown> & { event_id: string; type: string };

/** What the platform gives the transport: a way to POST and, where there is one, a beacon. */
export interface TransportPlatform {
  /** POSTs a JSON body; resolves with the status (and Retry-After seconds); rejects offline. */
  post(
    url: string,
    body: string,
    headers: Record<string, string>,
    options: { keepalive: boolean; signal: AbortSignal },
  ): Promise<{ status: number; retryAfterSeconds?: number | null }>;
  /** Queues a body for delivery as the page goes away; false when refused (too big, none). */
  beacon?(url: string, body: string): boolean;
  /** Persisted storage (localStorage, wx storage); undefined keeps the queue in memory only. */
  storage?: { get(key: string): string | null; set(key: string, value: string): void };
}

export interface TransportOptions {
  endpoint: string;
  writeKey: string;
  platform: TransportPlatform;
  /** Events per request. Default 20. */
  batchSize?: number;
  /** Ms between sends of a partial batch. Default 5000. */
  flushInterval?: number;
  /** Events kept while they cannot be sent; the oldest go first. Default 500. */
  maxQueue?: number;
  /** Storage key of the persisted queue. Default `sightline_queue`. */
  storageKey?: string;
  /** Delivery queue (one is made when omitted: 2 at once, retries with backoff). */
  queue?: TaskQueue;
}

export interface Transport {
  /** Adds an event; sends when a batch is full, else within flushInterval. */
  enqueue(event: WireEvent): void;
  /**
   * Sends everything queued now (batches waiting for a retry go too); resolves when each batch
   * was answered or given up after its retries.
   */
  flush(): Promise<void>;
  /** The page is going away: hands what is queued to the beacon (kept until acknowledged). */
  flushOnHide(): void;
  /** Events waiting, including those being sent. */
  size(): number;
  /** Events per request from now on (the remote config's batch size). */
  setBatchSize(size: number): void;
  /** Stops timers and the delivery queue (the persisted events stay for the next page). */
  close(): void;
}

/**
 * A failed answer: `permanent` when retrying the same body cannot help (bad request, unknown
 * key), else the queue retries it, after `retryAfterMs` when the server said so (429/503).
 */
interface DeliveryFailure extends Error {
  status: number;
  permanent: boolean;
  retryAfterMs: number | null;
}

function failure(
  status: number,
  permanent: boolean,
  retryAfterMs: number | null = null,
): DeliveryFailure {
  return Object.assign(new Error(`delivery failed with ${status}`), {
    status,
    permanent,
    retryAfterMs,
  });
}

const isFailure = (error: unknown): error is DeliveryFailure =>
  error instanceof Error && typeof (error as Partial<DeliveryFailure>).permanent === 'boolean';

/** Reports how many events the bounded queue dropped (props.count). */
export const DROPPED_EVENT = 'sdk_events_dropped';

/** Beacons above this are refused by browsers (64 KB for all pending beacons of a page). */
const BEACON_LIMIT = 60_000;

/**
 * Batches events and delivers them: by count, by interval, when the page hides (beacon) and on
 * demand. Events are persisted until the server acknowledged them, so a reload or a crash
 * re-sends them; the server's dedupe by event_id makes a repeat harmless. No retry on a 4xx
 * other than 429; 413 halves the batch; 429/503 wait for Retry-After.
 */
export function createTransport(o: TransportOptions): Transport {
  let batchSize = Math.max(1, o.batchSize ?? 20);
  const flushInterval = o.flushInterval ?? 5_000;
  const maxQueue = Math.max(1, o.maxQueue ?? 500);
  const storageKey = o.storageKey ?? 'sightline_queue';
  const url = `${o.endpoint.replace(/\/+$/, '')}/api/v1/batch`;
  const queue =
    o.queue ??
    createTaskQueue({
      maxConcurrent: 2,
      requestInterval: 200,
      maxRetries: 5,
      retryDelay: 1_500,
      timeout: 10_000,
      retryAfter: (error) =>
        isFailure(error)
          ? error.permanent
            ? false
            : (error.retryAfterMs ?? undefined)
          : undefined,
    });
  let events: WireEvent[] = load();
  /** Ids handed to a request that has not been answered yet. */
  const inFlight = new Set<string>();
  let dropped = 0;
  /** Requests under way (with their retries). */
  const sending = new Set<Promise<void>>();
  let timer: ReturnType<typeof setTimeout> | null = null;

  function load(): WireEvent[] {
    try {
      const saved = o.platform.storage?.get(storageKey);
      const parsed: unknown = saved ? JSON.parse(saved) : [];
      return Array.isArray(parsed) ? (parsed as WireEvent[]).slice(-maxQueue) : [];
    } catch {
      return [];
    }
  }

  function save(): void {
    try {
      o.platform.storage?.set(storageKey, JSON.stringify(events));
    } catch {
      // Storage full or blocked: the events are still held in memory for this page.
    }
  }

  function schedule(): void {
    if (timer !== null || events.length === 0) return;
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, flushInterval);
  }

  /** Events not yet handed to a request, oldest first, marked as in flight. */
  function takeBatch(size: number): WireEvent[] {
    const batch = events.filter((event) => !inFlight.has(event.event_id)).slice(0, size);
    for (const event of batch) inFlight.add(event.event_id);
    return batch;
  }

  function acknowledge(batch: readonly WireEvent[]): void {
    const done = new Set(batch.map((event) => event.event_id));
    for (const event of batch)
      if (event.name === DROPPED_EVENT)
        dropped -= Number((event.props as { count?: number }).count);
    events = events.filter((event) => !done.has(event.event_id));
    for (const id of done) inFlight.delete(id);
    save();
  }

  function release(batch: readonly WireEvent[]): void {
    for (const event of batch) inFlight.delete(event.event_id);
  }

  function body(batch: readonly WireEvent[], withKey: boolean): string {
    const payload: Record<string, unknown> = { sent_at: Date.now(), batch };
    if (withKey) payload.write_key = o.writeKey;
    return JSON.stringify(payload);
  }

  async function send(batch: WireEvent[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      await queue.add(async (signal) => {
        const answer = await o.platform.post(
          url,
          body(batch, false),
          { 'content-type': 'application/json', 'x-sightline-key': o.writeKey },
          { keepalive: false, signal },
        );
        if (answer.status === 413 && batch.length > 1) throw failure(413, true);
        if (answer.status === 429 || answer.status === 503 || answer.status >= 500)
          throw failure(
            answer.status,
            false,
            answer.retryAfterSeconds == null ? null : answer.retryAfterSeconds * 1000,
          );
        if (answer.status >= 400) throw failure(answer.status, true);
      });
      acknowledge(batch);
    } catch (error) {
      if (isFailure(error) && error.permanent && error.status === 413 && batch.length > 1) {
        // Too large for the server: the same events in two halves (still in flight).
        const half = Math.ceil(batch.length / 2);
        await Promise.all([send(batch.slice(0, half)), send(batch.slice(half))]);
      } else if (isFailure(error) && error.permanent) {
        // Refused for good (bad key, malformed): retrying the same body cannot help.
        acknowledge(batch);
      } else {
        // Out of retries or stopped: keep the events for a later flush or the next page.
        release(batch);
        schedule();
      }
    }
  }

  async function flush(): Promise<void> {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    // Asked to send now (or the network is back): retries stop waiting for their backoff.
    queue.retryNow();
    for (let batch = takeBatch(batchSize); batch.length > 0; batch = takeBatch(batchSize)) {
      const sent = send(batch).finally(() => sending.delete(sent));
      sending.add(sent);
    }
    // Including batches an earlier flush started: the caller waits for everything queued.
    await Promise.all([...sending]);
  }

  return {
    enqueue(event) {
      events.push(event);
      if (events.length > maxQueue) {
        // The oldest go, leaving room for one notice of how many went.
        events = events.filter((e) => e.name !== DROPPED_EVENT || inFlight.has(e.event_id));
        const removed = events.splice(0, Math.max(0, events.length + 1 - maxQueue));
        for (const r of removed) inFlight.delete(r.event_id);
        dropped += removed.filter((e) => e.name !== DROPPED_EVENT).length;
        events.push(droppedNotice());
      }
      save();
      if (events.length - inFlight.size >= batchSize) void flush();
      else schedule();
    },
    flush,
    flushOnHide() {
      if (!o.platform.beacon) {
        void flush();
        return;
      }
      if (timer !== null) clearTimeout(timer);
      timer = null;
      let pending = events.filter((event) => !inFlight.has(event.event_id));
      while (pending.length > 0) {
        let n = Math.min(batchSize, pending.length);
        let text = body(pending.slice(0, n), true);
        while (text.length > BEACON_LIMIT && n > 1) {
          n = Math.ceil(n / 2);
          text = body(pending.slice(0, n), true);
        }
        // Refused (the page's beacon quota is used up): the rest stays for the next page.
        if (!o.platform.beacon(url, text)) break;
        acknowledge(pending.slice(0, n));
        pending = pending.slice(n);
      }
    },
    size: () => events.length,
    setBatchSize(size) {
      batchSize = Math.max(1, size);
    },
    close() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      queue.stop();
    },
  };

  /** One event with how many were dropped and not yet reported by a notice being sent. */
  function droppedNotice(): WireEvent {
    const reporting = events
      .filter((e) => e.name === DROPPED_EVENT)
      .reduce((sum, e) => sum + Number((e.props as { count?: number }).count), 0);
    return {
      event_id: randomId(),
      type: 'event',
      name: DROPPED_EVENT,
      ts: Date.now(),
      props: { count: dropped - reporting },
    };
  }
}

/** A v4 UUID from the platform's crypto when it has one (secure pages), else Math.random. */
export function randomId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return c?.randomUUID
    ? c.randomUUID()
    : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (digit) =>
        (Number(digit) ^ ((Math.random() * 16) >> (Number(digit) / 4))).toString(16),
      );
}
