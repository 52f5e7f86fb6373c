import {
  createTransport,
  randomId,
  type Transport,
  type TransportPlatform,
  type WireEvent,
} from './transport.ts';
import {
  fetchRemoteConfig,
  REMOTE_CONFIG_DEFAULTS,
  REQUIRED_FIELDS,
  savedRemoteConfig,
  type GetJson,
  type RemoteConfig,
} from './remote-config.ts';

export type Consent = 'granted' | 'pending' | 'denied';

export interface ClientOptions {
  /** Sightline server, e.g. `https://analytics.example.com`. Required. */
  endpoint: string;
  /** The project's write key. Required. */
  writeKey: string;
  /** Application name (`shop-web`). */
  app?: string;
  /** Release (`shop-web@2.15.0`): ties errors to a deploy. */
  release?: string;
  /** Environment (`production`). */
  env?: string;
  /** `web`, `h5`, `miniprogram`, …. Default `web`. */
  platform?: string;
  /** Share of devices that send (0–1), decided once per device by a hash of its id. Default 1. */
  sampleRate?: number;
  /**
   * Who uses this app: `consumer` (C-end shoppers) or `business` (B-end merchants, staff).
   * Picks the project's telemetry sampling rate from the remote config. Default `consumer`.
   */
  audience?: 'consumer' | 'business';
  /**
   * Fetch and apply the project's remote config (kill switch, telemetry sampling, disabled
   * fields, event allowlist, batch size). Default true.
   */
  remoteConfig?: boolean;
  /** Known logged-in user at start. */
  user?: string | null;
  /** Consent at start. Default `granted`. */
  consent?: Consent;
  /** While consent is pending: `hold` events until it is given, or `drop` them. Default `hold`. */
  whilePending?: 'hold' | 'drop';
  /** Honour the browser's Do-Not-Track setting by sending nothing. Default true. */
  respectDoNotTrack?: boolean;
  /** Last look at each event: return it (changed or not), or null to drop it. */
  beforeSend?: (event: WireEvent) => WireEvent | null;
  /** Minutes of inactivity that end a session. Default 30. */
  sessionTimeoutMinutes?: number;
  /** Events per request (default 20), ms between partial sends (5000), events kept (500). */
  batchSize?: number;
  flushInterval?: number;
  maxQueue?: number;
}

/** What the client needs from where it runs (the browser and the mini-program differ). */
export interface ClientPlatform extends TransportPlatform {
  /** The user asked not to be tracked (navigator.doNotTrack, …). */
  doNotTrack?(): boolean;
  /** Fields every event of this platform carries (url, title, network, …), read at send time. */
  context?(): Record<string, unknown>;
  /** GETs JSON (the remote config); without it the remote config is not applied. */
  get?: GetJson;
}

export interface Client {
  track(name: string, props?: Record<string, unknown>): void;
  page(props?: Record<string, unknown>): void;
  identify(userId: string, traits?: Record<string, unknown>): void;
  setUser(userId: string | null): void;
  /** Logs out: forgets the user, starts a new anonymous id and session. */
  reset(): void;
  trackError(error: unknown, props?: Record<string, unknown>): void;
  trackPerf(name: string, props: Record<string, unknown>): void;
  /** Any event (type and fields as in the event spec). */
  capture(event: Record<string, unknown> & { type: string }): void;
  /** Sends what is queued now, once the remote config request was answered (or given up). */
  flush(): Promise<void>;
  /** The page is going away: hands queued events to the beacon. */
  flushOnHide(): void;
  optIn(): void;
  optOut(): void;
  setConsent(consent: Consent): void;
  /** Stops timers; queued events stay persisted for the next page. */
  close(): void;
  readonly anonymousId: string;
  readonly sessionId: string;
}

const KEYS = {
  anon: 'sightline_anon',
  user: 'sightline_user',
  session: 'sightline_session',
  optOut: 'sightline_opt_out',
};

/** 32-bit FNV-1a: spreads device ids evenly enough for sampling, in a few bytes of code. */
export function hashToUnit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 0x100000000;
}

/**
 * The SDK's core, the same on every platform: ids (anonymous id, user, session with an
 * inactivity timeout), the privacy gates (opt-out, Do-Not-Track, consent, sampling,
 * beforeSend) and the event shape. It never throws into the host: a failure drops one event.
 */
export function createClient(options: ClientOptions, platform: ClientPlatform): Client {
  const storage = platform.storage;
  const read = (key: string) => {
    try {
      return storage?.get(key) ?? null;
    } catch {
      return null;
    }
  };
  const write = (key: string, value: string) => {
    try {
      storage?.set(key, value);
    } catch {
      // Blocked storage: ids live for this page only.
    }
  };
  const sessionTimeoutMs = (options.sessionTimeoutMinutes ?? 30) * 60_000;
  let anonymousId = read(KEYS.anon) ?? randomId();
  write(KEYS.anon, anonymousId);
  let userId: string | null = options.user ?? read(KEYS.user);
  if (options.user) write(KEYS.user, options.user);
  let consent: Consent = options.consent ?? 'granted';
  let optedOut = read(KEYS.optOut) === '1';
  const held: WireEvent[] = [];
  const sampled = hashToUnit(anonymousId) < (options.sampleRate ?? 1);
  const dnt = (options.respectDoNotTrack ?? true) && (platform.doNotTrack?.() ?? false);
  const transport: Transport = createTransport({ ...options, platform });

  /** The current session, renewed after the inactivity timeout; each event extends it. */
  function session(now: number): string {
    const [id, last] = (read(KEYS.session) ?? '').split('|');
    const current =
      id && now - Number(last) < sessionTimeoutMs ? id : `s_${randomId().slice(0, 18)}`;
    write(KEYS.session, `${current}|${now}`);
    return current;
  }

  function deliver(event: WireEvent): void {
    const final = options.beforeSend ? options.beforeSend(event) : event;
    if (final) transport.enqueue(final);
  }

  /**
   * The remote config in force; null until known, and events wait for it (a few seconds at
   * most) so a kill switch or sampling holds from a device's first event. `{}` applies nothing.
   */
  let remote: Partial<RemoteConfig> | null = null;
  const early: WireEvent[] = [];
  const audience = options.audience ?? 'consumer';
  function useConfig(config: Partial<RemoteConfig>): void {
    remote = config;
    if (config.batchSize) transport.setBatchSize(config.batchSize);
    for (const event of early.splice(0)) admit(event);
  }
  let configured = Promise.resolve();
  if (options.remoteConfig === false || !platform.get) useConfig({});
  else {
    const saved = savedRemoteConfig(storage);
    if (saved) useConfig(saved.config);
    configured = fetchRemoteConfig(options.endpoint, options.writeKey, platform.get, storage)
      .then(useConfig)
      .catch(() => undefined);
  }

  /** The remote config's gates (kill switch, telemetry sampling, allowlist, fields), then consent. */
  function admit(event: WireEvent): void {
    const c = remote ?? {};
    if (c.enabled === false) return;
    const telemetry = event.type === 'perf' || event.type === 'api';
    if (telemetry && hashToUnit(anonymousId) >= (c.telemetrySampleRate?.[audience] ?? 1)) return;
    if (
      event.type === 'event' &&
      c.eventAllowlist &&
      !c.eventAllowlist.includes(String(event.name))
    )
      return;
    if (c.disabledFields?.length) {
      const props = (event.props = { ...(event.props as object) }) as Record<string, unknown>;
      for (const field of c.disabledFields)
        if (!REQUIRED_FIELDS.includes(field)) {
          delete event[field];
          delete props[field];
        }
    }
    if (consent === 'pending') held.push(event);
    else deliver(event);
  }

  function capture(fields: Record<string, unknown> & { type: string }): void {
    try {
      if (optedOut || dnt || !sampled || consent === 'denied') return;
      if (consent === 'pending' && (options.whilePending ?? 'hold') === 'drop') return;
      const now = Date.now();
      const event: WireEvent = {
        ...platform.context?.(),
        ...fields,
        event_id: randomId(),
        ts: now,
        anonymous_id: anonymousId,
        session_id: session(now),
        platform: options.platform ?? 'web',
      };
      if (userId) event.user_id = userId;
      for (const key of ['app', 'release', 'env'] as const)
        if (options[key]) event[key] = options[key];
      if (remote) admit(event);
      else if (early.length < 500) early.push(event);
    } catch {
      // Never into the host page.
    }
  }

  const client: Client = {
    track: (name, props) => capture({ type: 'event', name, ...(props ? { props } : {}) }),
    page: (props) => capture({ type: 'page', ...(props ? { props } : {}) }),
    identify(id, traits) {
      client.setUser(id);
      capture({ type: 'identify', ...(traits ? { traits } : {}) });
    },
    setUser(id) {
      userId = id;
      write(KEYS.user, id ?? '');
      if (!id) userId = null;
    },
    reset() {
      userId = null;
      write(KEYS.user, '');
      anonymousId = randomId();
      write(KEYS.anon, anonymousId);
      write(KEYS.session, '');
    },
    trackError(error, props) {
      const e = error instanceof Error ? error : new Error(String(error));
      capture({
        type: 'error',
        message: e.message.slice(0, 2_048),
        ...(e.stack ? { stack: e.stack.slice(0, 16_384) } : {}),
        ...(props ? { props } : {}),
      });
    },
    trackPerf: (name, props) => capture({ type: 'perf', name, props }),
    capture,
    // After the config request is answered (or given up), so what it says applies.
    flush: () => configured.then(() => transport.flush()).catch(() => undefined),
    flushOnHide() {
      // Going away before the server answered: the defaults, so nothing waiting is lost.
      if (!remote) useConfig(REMOTE_CONFIG_DEFAULTS);
      transport.flushOnHide();
    },
    optIn() {
      optedOut = false;
      write(KEYS.optOut, '0');
    },
    optOut() {
      optedOut = true;
      write(KEYS.optOut, '1');
      held.length = 0;
      early.length = 0;
    },
    setConsent(next) {
      consent = next;
      if (next === 'pending') return;
      const waiting = held.splice(0);
      if (next === 'granted') for (const event of waiting) deliver(event);
    },
    close: () => transport.close(),
    get anonymousId() {
      return anonymousId;
    },
    get sessionId() {
      return (read(KEYS.session) ?? '').split('|')[0] ?? '';
    },
  };
  return client;
}
