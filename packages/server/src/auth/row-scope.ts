import {
  ERR_REQUEST_INVALID,
  filterSchema,
  getDimension,
  MAX_FILTERS,
  SightlineError,
  type Filter,
} from '@sightline/shared';
import { z } from 'zod';
import type { Role } from './permissions.ts';

/**
 * A row-level scope (seed 001 §4.3, 行级权限): dimension filters ANDed into every query the
 * caller makes on one project, so no filter of theirs can widen it. At most 20 conditions.
 */
export const rowScopeSchema = z
  .array(filterSchema)
  .max(MAX_FILTERS)
  .describe(
    'Row-level scope: dimension filters (as in the filter bar) always applied to this ' +
      'project; null or [] for unrestricted',
  );

/** One project a user may open, optionally restricted to some of its rows. */
export interface ProjectAccess {
  projectId: string;
  /** null: every row of the project. */
  rowScope: Filter[] | null;
}

export interface ProjectAccessInput {
  projectId: string;
  rowScope?: readonly unknown[] | null | undefined;
}

function invalid(reason: string): SightlineError {
  return new SightlineError(ERR_REQUEST_INVALID, { reason });
}

/**
 * A row scope as given by an admin (HTTP body, CLI option): filters on known dimensions only.
 * Event properties are refused because not every source carries them, and a scope must mean
 * the same everywhere. Returns null for "unrestricted" (null, undefined or []).
 */
export function checkRowScope(value: unknown, subject = 'rowScope'): Filter[] | null {
  if (value === null || value === undefined) return null;
  const parsed = z.array(filterSchema).max(MAX_FILTERS).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.length ? `[${issue.path.join('.')}]` : '';
    throw invalid(`${subject}${at}: ${issue?.message ?? 'invalid'}`);
  }
  parsed.data.forEach((filter, index) => {
    if (filter.dimension === undefined)
      throw invalid(`${subject}[${index}]: a row scope filters on dimensions only, not properties`);
    if (!getDimension(filter.dimension))
      throw invalid(
        `${subject}[${index}]: unknown dimension ${filter.dimension} ` +
          '(GET /api/v1/metrics lists the dimensions)',
      );
  });
  return parsed.data.length > 0 ? parsed.data : null;
}

/** A user's project list with scopes, checked: no project twice, no scope on an admin. */
export function checkProjectAccess(
  entries: readonly ProjectAccessInput[],
  role: Role,
): ProjectAccess[] {
  const seen = new Set<string>();
  return entries.map((entry) => {
    if (seen.has(entry.projectId)) throw invalid(`project ${entry.projectId} is listed twice`);
    seen.add(entry.projectId);
    const rowScope = checkRowScope(entry.rowScope, `rowScope of project ${entry.projectId}`);
    if (rowScope && role === 'admin')
      throw invalid('admins see every row; a row scope applies to analyst, operator and viewer');
    return { projectId: entry.projectId, rowScope };
  });
}

/** A token's scope, checked: only on a token limited to one project, never on an admin token. */
export function checkTokenRowScope(
  value: unknown,
  token: { role: Role; projectId?: string | null | undefined },
): Filter[] | null {
  const rowScope = checkRowScope(value);
  if (!rowScope) return null;
  if (!token.projectId)
    throw invalid('a token with a row scope must be limited to one project (projectId)');
  if (token.role === 'admin')
    throw invalid('admin tokens see every row; give a scoped token another role');
  return rowScope;
}

/** Project id → scope of the restricted projects (for listings and audit entries). */
export function describeRowScopes(access: readonly ProjectAccess[]): Record<string, Filter[]> {
  return Object.fromEntries(
    access.flatMap(({ projectId, rowScope }) => (rowScope ? [[projectId, rowScope]] : [])),
  );
}

export function serializeRowScope(rowScope: readonly Filter[] | null): string | null {
  return rowScope && rowScope.length > 0 ? JSON.stringify(rowScope) : null;
}

/**
 * A stored scope. Fails closed: a scope that no longer parses throws (the caller's request
 * fails) rather than leaving the caller unrestricted.
 */
export function parseStoredRowScope(text: string | null): Filter[] | null {
  if (text === null) return null;
  const filters = z.array(filterSchema).min(1).parse(JSON.parse(text));
  return filters;
}
