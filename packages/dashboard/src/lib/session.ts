import { ref } from 'vue';
import { api } from './api.ts';

export interface Me {
  /** share: a share link opened in this tab (lib/share.ts). */
  kind: 'user' | 'token' | 'share';
  id: string;
  label: string;
  role: string;
  permissions: string[];
  projects: 'all' | string[];
}

export interface ProjectSummary {
  id: string;
  name: string;
  timeZone: string;
}

/** Who is signed in and which projects they see; null until loaded or after logout. */
export const me = ref<Me | null>(null);
export const projects = ref<ProjectSummary[]>([]);

/** Loads the session; false when there is none (the login page follows). */
export async function loadSession(): Promise<boolean> {
  try {
    me.value = await api<Me>('/api/v1/auth/me');
    projects.value = (await api<{ projects: ProjectSummary[] }>('/api/v1/projects')).projects;
    return true;
  } catch {
    me.value = null;
    return false;
  }
}

export async function login(email: string, password: string): Promise<void> {
  await api('/api/v1/auth/login', { body: { email, password } });
  await loadSession();
}

export async function logout(): Promise<void> {
  await api('/api/v1/auth/logout', { method: 'POST' }).catch(() => undefined);
  me.value = null;
  projects.value = [];
}
