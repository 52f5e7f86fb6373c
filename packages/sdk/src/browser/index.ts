import { createClient, type Client, type ClientOptions, type Consent } from '../client.ts';
import { startAutocapture, type AutocaptureOptions } from './autocapture.ts';
import { createBrowserPlatform } from './browser-platform.ts';

export type { Client, ClientOptions, Consent } from '../client.ts';
export type { AutocaptureOptions } from './autocapture.ts';

export interface BrowserOptions extends ClientOptions {
  /** What to capture automatically; false for nothing. Default: everything. */
  autocapture?: AutocaptureOptions | false;
}

export interface Sightline extends Client {
  /** Turns automatic capture off (it restores patched browser APIs). */
  stopAutocapture(): void;
}

/** Starts the SDK in a browser page. Calling it again returns the running instance. */
export function init(options: BrowserOptions): Sightline {
  if (running) return running;
  const client = createClient(options, createBrowserPlatform());
  const stop =
    options.autocapture === false
      ? () => undefined
      : startAutocapture(
          client,
          {
            endpoint: options.endpoint.replace(/\/+$/, ''),
            flush: () => void client.flush(),
            flushOnHide: () => client.flushOnHide(),
          },
          options.autocapture ?? {},
        );
  // The client's methods and live getters (anonymousId, sessionId) through the prototype.
  running = Object.assign(Object.create(client) as Client, { stopAutocapture: stop });
  for (const [method, args] of early.splice(0))
    (running[method] as (...a: unknown[]) => unknown)(...args);
  return running;
}

let running: Sightline | null = null;
type Method =
  | 'track'
  | 'page'
  | 'identify'
  | 'setUser'
  | 'reset'
  | 'trackError'
  | 'trackPerf'
  | 'optIn'
  | 'optOut'
  | 'setConsent';
/** Calls made before init(), replayed by it (at most 100). */
const early: Array<[Method, unknown[]]> = [];

const call =
  (method: Method) =>
  (...args: unknown[]): void => {
    if (running) (running[method] as (...a: unknown[]) => unknown)(...args);
    else if (early.length < 100) early.push([method, args]);
  };

export const track = call('track') as Client['track'];
export const page = call('page') as Client['page'];
export const identify = call('identify') as Client['identify'];
export const setUser = call('setUser') as Client['setUser'];
export const reset = call('reset');
export const trackError = call('trackError') as Client['trackError'];
export const trackPerf = call('trackPerf') as Client['trackPerf'];
export const optIn = call('optIn');
export const optOut = call('optOut');
export const setConsent = call('setConsent') as (consent: Consent) => void;
/** The running SDK (null before init), for add-ons such as the Web Vitals entry point. */
export const instance = (): Sightline | null => running;
/** Sends what is queued now. */
export const flush = (): Promise<void> => running?.flush() ?? Promise.resolve();
