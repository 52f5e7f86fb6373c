import type { ClientPlatform } from '../client.ts';
import { fetchGet, fetchPost } from '../fetch-post.ts';

const UTM = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'];

/**
 * localStorage, read at each call: private modes and sandboxed frames throw on it, and every
 * caller (ids, queue, remote config) catches that and goes on in memory.
 */
const localStore: NonNullable<ClientPlatform['storage']> = {
  get: (key) => localStorage.getItem(key),
  set: (key, value) => localStorage.setItem(key, value),
};

/** The landing page's campaign parameters, once per page load. */
function campaignOf(url: string): Record<string, string> {
  const out: Record<string, string> = {};
  try {
    const params = new URL(url).searchParams;
    for (const key of UTM) {
      const value = params.get(key);
      if (value) out[key] = value;
    }
  } catch {
    // Not a URL we can read: no campaign.
  }
  return out;
}

/**
 * The browser as the SDK's platform: fetch (keepalive while the page hides), sendBeacon,
 * localStorage, Do-Not-Track / Global Privacy Control, and the page's URL, path and title on
 * every event (referrer and utm_* with the first event of the page).
 */
export function createBrowserPlatform(): ClientPlatform {
  const landing = { referrer: document.referrer, ...campaignOf(location.href) };
  let landingSent = false;
  return {
    post: fetchPost,
    get: fetchGet,
    beacon(url, body) {
      try {
        return navigator.sendBeacon(url, new Blob([body], { type: 'text/plain' }));
      } catch {
        return false;
      }
    },
    storage: localStore,
    doNotTrack() {
      const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
      const win = window as Window & { doNotTrack?: string };
      return nav.doNotTrack === '1' || win.doNotTrack === '1' || nav.globalPrivacyControl === true;
    },
    context() {
      const fields: Record<string, unknown> = {
        url: location.href,
        page: location.pathname + (location.hash.startsWith('#/') ? location.hash : ''),
        title: document.title,
      };
      if (!landingSent) {
        landingSent = true;
        Object.assign(fields, landing.referrer ? landing : { ...landing, referrer: undefined });
      }
      return fields;
    },
  };
}
