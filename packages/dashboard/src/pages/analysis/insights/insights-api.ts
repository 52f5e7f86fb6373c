import { api } from '../../../lib/api.ts';
import type { InsightDraft } from './save-insight.ts';

/** The reports an insight can be (the analysis page's builders). */
export type InsightKind = InsightDraft['kind'];
export const INSIGHT_KINDS: readonly InsightKind[] = ['trends', 'funnel', 'retention', 'paths'];

/** A saved insight as the API returns it (docs/api.md, saved insights and dashboards). */
export interface Insight {
  id: string;
  projectId: string;
  name: string;
  kind: InsightKind;
  params: Record<string, unknown>;
  filters: Record<string, string>;
  owner: string;
  createdAt: number;
  updatedAt: number;
  /** The caller may rename or delete it. */
  editable: boolean;
}

export interface Tile {
  insightId: string;
  width: 1 | 2;
}

export interface Dashboard {
  id: string;
  projectId: string;
  name: string;
  owner: string;
  layout: Tile[];
  shared: boolean;
  createdAt: number;
  updatedAt: number;
  editable: boolean;
}

const base = (projectId: string) => `/api/v1/projects/${encodeURIComponent(projectId)}`;
const insightPath = (projectId: string, id: string) =>
  `${base(projectId)}/insights/${encodeURIComponent(id)}`;
const dashboardPath = (projectId: string, id: string) =>
  `${base(projectId)}/dashboards/${encodeURIComponent(id)}`;

export async function listInsights(projectId: string): Promise<Insight[]> {
  return (await api<{ insights: Insight[] }>(`${base(projectId)}/insights`)).insights;
}

export function createInsight(projectId: string, draft: InsightDraft): Promise<Insight> {
  return api<Insight>(`${base(projectId)}/insights`, { body: draft });
}

export function renameInsight(projectId: string, id: string, name: string): Promise<Insight> {
  return api<Insight>(insightPath(projectId, id), { method: 'PATCH', body: { name } });
}

export function deleteInsight(projectId: string, id: string): Promise<void> {
  return api<void>(insightPath(projectId, id), { method: 'DELETE' });
}

export async function listDashboards(projectId: string): Promise<Dashboard[]> {
  return (await api<{ dashboards: Dashboard[] }>(`${base(projectId)}/dashboards`)).dashboards;
}

export function getDashboard(
  projectId: string,
  id: string,
): Promise<Dashboard & { insights: Insight[] }> {
  return api<Dashboard & { insights: Insight[] }>(dashboardPath(projectId, id));
}

export function createDashboard(projectId: string, name: string): Promise<Dashboard> {
  return api<Dashboard>(`${base(projectId)}/dashboards`, { body: { name } });
}

export function updateDashboard(
  projectId: string,
  id: string,
  patch: Partial<Pick<Dashboard, 'name' | 'layout' | 'shared'>>,
): Promise<Dashboard> {
  return api<Dashboard>(dashboardPath(projectId, id), { method: 'PATCH', body: patch });
}

export function deleteDashboard(projectId: string, id: string): Promise<void> {
  return api<void>(dashboardPath(projectId, id), { method: 'DELETE' });
}

/** Moves a tile one place up (-1) or down (+1); the layout is unchanged at the ends. */
export function moveTile(layout: readonly Tile[], index: number, step: -1 | 1): Tile[] {
  const target = index + step;
  const next = [...layout];
  const moving = next[index];
  const other = next[target];
  if (!moving || !other) return next;
  next[index] = other;
  next[target] = moving;
  return next;
}
