import { setOwnProperty } from './set-own-property.ts';

export interface ApplyDenylistResult {
  /** The input itself when nothing was removed, else a copy without the denied keys. */
  props: Record<string, unknown>;
  /** Dotted paths of the removed keys, in the input's spelling; array indices included. */
  removed: readonly string[];
}

interface Denylist {
  /** Lower-case entries. */
  entries: ReadonlySet<string>;
  /** Whether any entry is a dotted path; when none is, paths are never built. */
  hasPaths: boolean;
  /** Size of the caller's set when this was built, to notice a set that has since changed. */
  sourceSize: number;
}

const NOTHING_REMOVED: readonly string[] = Object.freeze([]);

/**
 * Lower-cased copies of the callers' sets. Denylists come from frozen config and are reused for
 * every event, so building the lower-case set once per set keeps the per-event path free of
 * allocations; a WeakMap lets a replaced config's set be collected.
 */
const normalizedDenylists = new WeakMap<ReadonlySet<string>, Denylist>();

/**
 * Removes keys from `props` whose name or dotted path (`buyer.address.street`) is in `denylist`,
 * case-insensitively, at any depth. Objects inside arrays are matched without the index, so
 * `items.email` removes `email` from every element of `items`; `removed` reports each concrete
 * path (`items.0.email`). The input is never mutated and is returned as is when nothing matches.
 * The denylist is normalised once per set: build a new set rather than editing one in place.
 */
export function applyDenylist(
  props: Record<string, unknown>,
  denylist: ReadonlySet<string>,
): ApplyDenylistResult {
  if (denylist.size === 0) return { props, removed: NOTHING_REMOVED };
  const state: WalkState = { denylist: getDenylist(denylist), segments: [], removed: [] };
  const filtered = filterObject(props, '', state);
  return {
    props: filtered,
    removed: state.removed.length === 0 ? NOTHING_REMOVED : state.removed,
  };
}

interface WalkState {
  denylist: Denylist;
  /** Keys and indices from the top to the current object; joined only when reporting. */
  segments: Array<string | number>;
  removed: string[];
}

function getDenylist(source: ReadonlySet<string>): Denylist {
  const cached = normalizedDenylists.get(source);
  if (cached !== undefined && cached.sourceSize === source.size) return cached;
  const entries = new Set<string>();
  let hasPaths = false;
  for (const entry of source) {
    const lower = entry.trim().toLowerCase();
    entries.add(lower);
    if (lower.includes('.')) hasPaths = true;
  }
  const denylist: Denylist = { entries, hasPaths, sourceSize: source.size };
  normalizedDenylists.set(source, denylist);
  return denylist;
}

/** `matchPath` is the lower-case dotted path of `object` without array indices; '' at the top. */
function filterObject(
  object: Record<string, unknown>,
  matchPath: string,
  state: WalkState,
): Record<string, unknown> {
  const { entries, hasPaths } = state.denylist;
  let copy: Record<string, unknown> | undefined;
  // for…in rather than Object.keys: no key array per object on the common, clean path.
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    const lowerKey = key.toLowerCase();
    // Paths are only built when some entry is a path; a name-only denylist allocates nothing.
    const keyPath = hasPaths && matchPath !== '' ? `${matchPath}.${lowerKey}` : lowerKey;
    if (entries.has(lowerKey) || (keyPath !== lowerKey && entries.has(keyPath))) {
      copy ??= { ...object };
      delete copy[key];
      state.removed.push(formatPath(state.segments, key));
      continue;
    }
    const value = object[key];
    state.segments.push(key);
    const filtered = filterValue(value, keyPath, state);
    state.segments.pop();
    if (filtered === value) continue;
    copy ??= { ...object };
    setOwnProperty(copy, key, filtered);
  }
  return copy ?? object;
}

function filterValue(value: unknown, matchPath: string, state: WalkState): unknown {
  if (Array.isArray(value)) return filterArray(value, matchPath, state);
  if (value !== null && typeof value === 'object') {
    return filterObject(value as Record<string, unknown>, matchPath, state);
  }
  return value;
}

function filterArray(array: readonly unknown[], matchPath: string, state: WalkState): unknown {
  let copy: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    const value = array[i];
    state.segments.push(i);
    const filtered = filterValue(value, matchPath, state);
    state.segments.pop();
    if (filtered === value) continue;
    copy ??= array.slice();
    copy[i] = filtered;
  }
  return copy ?? array;
}

function formatPath(segments: ReadonlyArray<string | number>, key: string): string {
  return segments.length === 0 ? key : `${segments.join('.')}.${key}`;
}
