import type { Project, Role, ScopeFilter, User } from './settings-api.ts';

/** Row-scope operators the editor offers (the filter bar's; docs/operations.md prefers eq, in). */
export const SCOPE_OPS = ['eq', 'in', 'neq', 'not_in', 'contains', 'is_set', 'not_set'] as const;
export type ScopeOp = (typeof SCOPE_OPS)[number];

export interface ScopeDraft {
  dimension: string;
  op: ScopeOp;
  /** As typed; a list is comma-separated. */
  value: string;
}

/** One project of a user's access as the form holds it. */
export interface AccessDraft {
  projectId: string;
  granted: boolean;
  scope: ScopeDraft[];
}

export const newCondition = (): ScopeDraft => ({ dimension: 'channel', op: 'eq', value: '' });

const valueText = (value: ScopeFilter['value']) =>
  Array.isArray(value) ? value.join(', ') : value === undefined ? '' : String(value);

/** A user's access (or none, for a new user) as drafts over every project. */
export function accessDrafts(projects: readonly Project[], user?: User): AccessDraft[] {
  return projects.map((project) => ({
    projectId: project.id,
    granted: user ? user.projectIds.includes(project.id) : false,
    scope: (user?.rowScopes[project.id] ?? []).map((filter) => ({
      dimension: filter.dimension,
      op: (SCOPE_OPS as readonly string[]).includes(filter.op) ? (filter.op as ScopeOp) : 'eq',
      value: valueText(filter.value),
    })),
  }));
}

export function toFilter(draft: ScopeDraft): ScopeFilter {
  if (draft.op === 'is_set' || draft.op === 'not_set')
    return { dimension: draft.dimension, op: draft.op };
  if (draft.op === 'in' || draft.op === 'not_in')
    return {
      dimension: draft.dimension,
      op: draft.op,
      value: draft.value
        .split(/[,，]/)
        .map((part) => part.trim())
        .filter(Boolean),
    };
  return { dimension: draft.dimension, op: draft.op, value: draft.value.trim() };
}

/** The body of PUT /api/v1/users/:id/projects (and of a new user): granted projects only. */
export function toAccess(
  drafts: readonly AccessDraft[],
  role: Role,
): Array<{ projectId: string; rowScope: ScopeFilter[] | null }> {
  return drafts
    .filter((draft) => draft.granted)
    .map((draft) => ({
      projectId: draft.projectId,
      rowScope: role === 'admin' || draft.scope.length === 0 ? null : draft.scope.map(toFilter),
    }));
}

/** A condition that needs a value but has none (checked before sending). */
export const missingValue = (draft: ScopeDraft) =>
  draft.op !== 'is_set' && draft.op !== 'not_set' && toFilterValueEmpty(draft);

function toFilterValueEmpty(draft: ScopeDraft): boolean {
  const filter = toFilter(draft);
  return Array.isArray(filter.value) ? filter.value.length === 0 : filter.value === '';
}
