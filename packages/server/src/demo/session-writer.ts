import type { WireEvent } from '@sightline/shared';
import { findDemoAnomaly, isInDemoAnomalyWindow } from './demo-anomalies.ts';
import { getLocalMinute, type DemoDay } from './demo-calendar.ts';
import type { DemoIngestInput } from './demo-types.ts';
import { drawApiOutcome } from './emit-signals.ts';
import type { Prng } from './prng.ts';
import type { VisitPlan } from './shop-plan.ts';

/** The shop's API server, which sends server-side events (api_call, refunds, renewals). */
export const SHOP_SERVER_IP = '47.96.128.17';
export const SHOP_SERVER_AGENT = 'sightline-node/0.1.0 (node v20.19.0; linux x64)';
export const API_RELEASE = 'shop-api@5.2.0';
const API_ORIGIN = 'https://api.youxuan.example.com';

export interface EmitDayContext {
  rng: Prng;
  day: DemoDay;
  days: number;
  /** Web release of the day: a new one ships part-way through the period. */
  webVersion: string;
  isNewWebRelease: boolean;
  /** Emitted events; `receivedAt` holds the event time until delivery sets the real one. */
  out: DemoIngestInput[];
}

type EventFields = Omit<WireEvent, 'event_id' | 'ts'>;
/** Fields of one client event; `type` defaults to 'event'. */
export type TrackFields = Omit<EventFields, 'type'> & Partial<Pick<WireEvent, 'type'>>;

const latencySpike = findDemoAnomaly('latency_spike');

/** Writes one session's events on a moving clock, with the identity fields set once. */
export class SessionWriter {
  now: number;
  userId: string | undefined;
  readonly sessionId: string;
  private readonly base: EventFields;

  constructor(
    private readonly ctx: EmitDayContext,
    private readonly visit: VisitPlan,
  ) {
    const { visitor, source } = visit;
    const { device } = visitor;
    const isBrowser = device.platform === 'web' || device.platform === 'h5';
    this.now = visit.start;
    this.userId = visitor.userId;
    this.sessionId = `s_${ctx.rng.hex(16)}`;
    const version = isBrowser ? ctx.webVersion : (device.appVersion ?? '1.0.0');
    this.base = {
      type: 'event',
      anonymous_id: visitor.anonymousId,
      device_id: visitor.deviceId,
      session_id: this.sessionId,
      app: 'youxuan-shop',
      env: 'production',
      release: `shop-${device.platform}@${version}`,
      platform: device.platform,
      app_version: version,
      ...(device.network ? { network: device.network } : {}),
      channel: source.channel,
      ...(source.campaign ? { campaign: source.campaign } : {}),
    };
  }

  get isBrowser(): boolean {
    const platform = this.visit.visitor.device.platform;
    return platform === 'web' || platform === 'h5';
  }

  /** Moves the clock by a human pause; scripted sessions click through in seconds. */
  pause(medianMs: number): void {
    const ms = this.visit.fast
      ? this.ctx.rng.int(2_000, 5_000)
      : Math.min(600_000, this.ctx.rng.logNormal(medianMs, 0.8));
    this.now += Math.round(ms);
  }

  /** A client event at the current time (plus `offsetMs`, for things measured after it). */
  track(fields: TrackFields, offsetMs = 0): WireEvent {
    return this.trackAt(this.ctx.rng, fields, this.now + offsetMs);
  }

  /**
   * A client event at `ts`, its id drawn from `rng`: signals added to the demo later draw from
   * their own stream, so the events the demo made before stay byte-identical.
   */
  trackAt(rng: Prng, fields: TrackFields, ts: number): WireEvent {
    const event: WireEvent = { event_id: rng.uuid(), ts, ...this.base, ...fields };
    if (this.userId) event.user_id = this.userId;
    const { visitor } = this.visit;
    this.ctx.out.push({
      event,
      ip: visitor.ip,
      userAgent: visitor.device.userAgent,
      receivedAt: ts,
    });
    return event;
  }

  /** An api_call event as the shop's server middleware reports it (and its retries). */
  api(method: string, route: string, path: string, retry = 0): void {
    const { rng, day, days } = this.ctx;
    const slow =
      route === latencySpike.details.route &&
      method === latencySpike.details.method &&
      isInDemoAnomalyWindow(latencySpike, days, day.index, getLocalMinute(day, this.now));
    const outcome = drawApiOutcome(rng, route, slow);
    const ts = this.now + rng.int(5, 40);
    const { visitor } = this.visit;
    const event: WireEvent = {
      event_id: rng.uuid(),
      type: 'api',
      name: 'api_call',
      ts,
      anonymous_id: visitor.anonymousId,
      session_id: this.sessionId,
      app: 'youxuan-api',
      env: 'production',
      release: API_RELEASE,
      platform: 'server',
      url: API_ORIGIN + path,
      request_id: `req_${rng.hex(12)}`,
      trace_id: rng.hex(32),
      status: outcome.status,
      duration_ms: outcome.durationMs,
      ip: visitor.ip,
      user_agent: visitor.device.userAgent,
      props: { method, route, timeout: outcome.timeout, retry },
    };
    if (this.userId) event.user_id = this.userId;
    this.ctx.out.push({ event, ip: SHOP_SERVER_IP, userAgent: SHOP_SERVER_AGENT, receivedAt: ts });
    // Clients retry idempotent reads and the checkout (up to twice) after a 5xx or a timeout.
    if (outcome.status >= 500 && retry < 2 && (method === 'GET' || route === '/api/checkout')) {
      this.now += outcome.durationMs + rng.int(300, 1_500);
      this.api(method, route, path, retry + 1);
    }
  }
}
