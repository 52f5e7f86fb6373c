import { ref, shallowRef, watch, type Ref } from 'vue';
import { hasMessage, t, type Locale, type MessageKey } from '../../i18n/index.ts';
import { api, ApiError } from '../../lib/api.ts';
import { formatValue } from '../../lib/format.ts';

/** A saved segment's rules as the server stores them (docs/reports/segments-and-attribution.md). */
export type SegmentRule =
  | {
      kind: 'property';
      dimension?: string;
      property?: string;
      op: string;
      value?: string | number | boolean | Array<string | number | boolean>;
      withinDays?: number;
    }
  | {
      kind: 'behavior';
      event: string;
      op?: 'gte' | 'lte' | 'eq';
      count?: number;
      did?: false;
      withinDays: number;
      filters?: unknown[];
    };

export interface Segment {
  id: string;
  name: string;
  description: string | null;
  match: 'all' | 'any';
  rules: SegmentRule[];
  createdAt: number;
  refreshedAt: number | null;
  size: number | null;
}

/** Operators of a property rule offered by the builder (the server takes a few more). */
export const PROPERTY_OPS = ['eq', 'neq', 'in', 'not_in', 'contains', 'is_set', 'not_set'] as const;
export type PropertyOp = (typeof PROPERTY_OPS)[number];
export const COUNT_OPS = ['gte', 'lte', 'eq', 'none'] as const;
export type CountOp = (typeof COUNT_OPS)[number];

/** Dimensions a property rule can read (events carry them), in the builder's order. */
export const RULE_DIMENSIONS = [
  'channel',
  'province',
  'city',
  'country',
  'platform',
  'app',
  'app_version',
  'feature',
  'plan',
] as const;

/** One rule as the form holds it (text fields as typed). */
export interface RuleDraft {
  kind: 'behavior' | 'property';
  event: string;
  countOp: CountOp;
  count: number;
  /** A dimension id, or `$property` for an event property named in `property`. */
  field: string;
  property: string;
  op: PropertyOp;
  value: string;
  withinDays: number;
}

export function newRule(kind: RuleDraft['kind'], withinDays: number): RuleDraft {
  return {
    kind,
    event: kind === 'behavior' ? 'order_completed' : '',
    countOp: 'gte',
    count: 2,
    field: 'channel',
    property: '',
    op: 'eq',
    value: '',
    withinDays: kind === 'behavior' ? withinDays : 90,
  };
}

/** The rule in the definition schema of the segment routes (segment-definition.ts). */
export function toRule(draft: RuleDraft): SegmentRule {
  const withinDays = Math.trunc(draft.withinDays);
  if (draft.kind === 'behavior') {
    const event = draft.event.trim();
    return draft.countOp === 'none'
      ? { kind: 'behavior', event, did: false, withinDays }
      : { kind: 'behavior', event, op: draft.countOp, count: Math.trunc(draft.count), withinDays };
  }
  const target =
    draft.field === '$property' ? { property: draft.property.trim() } : { dimension: draft.field };
  if (draft.op === 'is_set' || draft.op === 'not_set')
    return { kind: 'property', ...target, op: draft.op, withinDays };
  const value =
    draft.op === 'in' || draft.op === 'not_in'
      ? draft.value
          .split(/[,，]/)
          .map((part) => part.trim())
          .filter(Boolean)
      : draft.value.trim();
  return { kind: 'property', ...target, op: draft.op, value, withinDays };
}

/** The label of a dimension: the filter bar's word when it has one, else the page's own. */
export function dimensionLabel(dimension: string): string {
  const core = `dimension.${dimension}`;
  if (hasMessage(core)) return t(core);
  const own = `users.dimension.${dimension}`;
  return hasMessage(own) ? t(own) : dimension;
}

/** A saved rule in words: "did order_completed at least 2 times in the last 30 days". */
export function describeRule(rule: SegmentRule, locale: Locale): string {
  if (rule.kind === 'behavior') {
    const days = rule.withinDays;
    if (rule.did === false) return t('users.rule.text.none', { event: rule.event, days });
    const count = formatValue(rule.count ?? 0, 'count', locale);
    return t(`users.rule.text.${rule.op ?? 'gte'}` as MessageKey, {
      event: rule.event,
      count,
      days,
    });
  }
  const field = rule.dimension
    ? dimensionLabel(rule.dimension)
    : t('users.rule.text.property', { name: rule.property ?? '' });
  const value = Array.isArray(rule.value) ? rule.value.join(', ') : String(rule.value ?? '');
  return t(`users.rule.text.op.${rule.op}` as MessageKey, {
    field,
    value,
    days: rule.withinDays ?? 90,
  });
}

/** An error of a segment action in words, with the server's own message when it helps. */
export function errorText(error: ApiError): string {
  const key = `error.${error.code}`;
  if (error.code === 'ERR_AUTH_FORBIDDEN' || error.status === 403)
    return t('users.segments.forbidden', { detail: error.message });
  if (hasMessage(key)) return t(key);
  if (error.code === 'NETWORK') return t('error.network');
  return error.message;
}

export function asApiError(caught: unknown): ApiError {
  return caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', String(caught));
}

const base = (projectId: string) => `/api/v1/projects/${encodeURIComponent(projectId)}/segments`;

export function listSegments(projectId: string): Promise<{ segments: Segment[] }> {
  return api(base(projectId));
}

export function previewSegment(
  projectId: string,
  definition: { match: 'all' | 'any'; rules: SegmentRule[] },
): Promise<{ size: number; at: number }> {
  return api(`${base(projectId)}/preview`, { body: definition });
}

export function createSegment(
  projectId: string,
  definition: { name: string; match: 'all' | 'any'; rules: SegmentRule[] },
): Promise<Segment> {
  return api(base(projectId), { body: definition });
}

/**
 * Downloads the members of a segment as the server's CSV (its bytes as sent, BOM included).
 * Fetched rather than linked so that a refusal (no data:export) is said in words on the page
 * instead of saved as a file.
 */
export async function downloadMembers(projectId: string, segmentId: string): Promise<void> {
  const path = `${base(projectId)}/${encodeURIComponent(segmentId)}/members.csv`;
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin' });
  } catch (caught) {
    throw new ApiError(0, 'NETWORK', (caught as Error).message);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as {
      error?: { code?: string; message?: string };
    } | null;
    throw new ApiError(
      response.status,
      body?.error?.code ?? `HTTP_${response.status}`,
      body?.error?.message ?? response.statusText,
    );
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `segment-${segmentId}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/** The project's saved segments, loaded on demand and reloaded after a change. */
export function useSegments(projectId: () => string) {
  const data = shallowRef<Segment[] | null>(null);
  const loading = ref(false);
  const error: Ref<ApiError | null> = ref(null);
  async function reload(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      data.value = (await listSegments(projectId())).segments;
    } catch (caught) {
      error.value = asApiError(caught);
    } finally {
      loading.value = false;
    }
  }
  watch(projectId, () => void reload(), { immediate: true });
  return { data, loading, error, reload };
}
