import { ref } from 'vue';

/**
 * Share mode: this tab opened a share link (/share/<token>). The token then goes with every API
 * call as a bearer token, in place of a login, and the app shows only the shared page. Kept in
 * sessionStorage: per tab, gone when the tab closes.
 */
export interface ShareView {
  token: string;
  id: string;
  projectId: string;
  /** /p/<project>/<page>?<filter bar> as it was shared. */
  path: string;
  label: string;
  expiresAt: number;
  createdBy: string;
}

const KEY = 'sightline_share';

/** sessionStorage where there is one (this module is also loaded by Node tests, through api.ts). */
interface TabStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}
const storage = (globalThis as { sessionStorage?: TabStorage }).sessionStorage;

function saved(): ShareView | null {
  try {
    const raw = storage?.getItem(KEY);
    return raw ? (JSON.parse(raw) as ShareView) : null;
  } catch {
    return null;
  }
}

export const shareView = ref<ShareView | null>(saved());

export function enterShare(view: ShareView): void {
  storage?.setItem(KEY, JSON.stringify(view));
  shareView.value = view;
}

export function leaveShare(): void {
  storage?.removeItem(KEY);
  shareView.value = null;
}

/** The page a share shows: `commerce` of /p/demo/commerce?range=today. */
export function sharedPage(view: ShareView): string {
  return view.path.split('?')[0]?.split('/')[3] ?? 'overview';
}

/** Authorization for API calls in share mode; none otherwise (the session cookie goes). */
export function shareAuthorization(): Record<string, string> {
  return shareView.value ? { authorization: `Bearer ${shareView.value.token}` } : {};
}
