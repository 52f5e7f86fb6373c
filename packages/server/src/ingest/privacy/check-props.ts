/** Caps on event properties; `INGEST_LIMITS` from @sightline/shared satisfies this. */
export interface PropsLimits {
  /** Keys in props, and in any object inside it. */
  maxProps: number;
  maxPropKeyChars: number;
  maxPropStringChars: number;
  /** Objects and arrays directly in props are at depth 1. */
  maxPropDepth: number;
  maxPropArrayItems: number;
}

interface CheckState {
  limits: PropsLimits;
  /** Keys and indices from props to the current value; joined only when reporting. */
  segments: Array<string | number>;
}

const KEY_PREVIEW_CHARS = 32;

/**
 * Checks that `value` is a plain object of JSON values within `limits`, and returns a reason for
 * the first problem found (for example "props.a.b: string longer than 4096 characters"), or null
 * when all is well. Walks the value once and builds no strings unless it fails.
 */
export function checkProps(value: unknown, limits: PropsLimits): string | null {
  if (!isPlainObject(value)) return `props must be a plain object, got ${describeKind(value)}`;
  return checkObject(value, 0, { limits, segments: [] });
}

function checkObject(
  object: Record<string, unknown>,
  depth: number,
  state: CheckState,
): string | null {
  const { maxProps, maxPropKeyChars } = state.limits;
  let keyCount = 0;
  for (const key in object) if (Object.hasOwn(object, key)) keyCount++;
  if (keyCount > maxProps) {
    return `${formatPath(state.segments)} has ${keyCount} keys (max ${maxProps})`;
  }
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    if (key.length > maxPropKeyChars) {
      state.segments.push(`${key.slice(0, KEY_PREVIEW_CHARS)}…`);
      return `${formatPath(state.segments)}: key longer than ${maxPropKeyChars} characters`;
    }
    state.segments.push(key);
    const problem = checkValue(object[key], depth, state);
    if (problem !== null) return problem;
    state.segments.pop();
  }
  return null;
}

/** `depth` is that of the container holding `value`. */
function checkValue(value: unknown, depth: number, state: CheckState): string | null {
  const { maxPropStringChars, maxPropDepth, maxPropArrayItems } = state.limits;
  switch (typeof value) {
    case 'string':
      return value.length > maxPropStringChars
        ? `${formatPath(state.segments)}: string longer than ${maxPropStringChars} characters`
        : null;
    case 'number':
      return Number.isFinite(value) ? null : `${formatPath(state.segments)}: non-finite number`;
    case 'boolean':
      return null;
    case 'object':
      break;
    default:
      return `${formatPath(state.segments)}: unsupported value (${describeKind(value)})`;
  }
  if (value === null) return null;
  const isArray = Array.isArray(value);
  if (!isArray && !isPlainObject(value)) {
    return `${formatPath(state.segments)}: unsupported value (${describeKind(value)})`;
  }
  if (depth + 1 > maxPropDepth) {
    return `${formatPath(state.segments)}: nesting deeper than ${maxPropDepth}`;
  }
  if (!isArray) return checkObject(value, depth + 1, state);
  if (value.length > maxPropArrayItems) {
    const items = value.length;
    return `${formatPath(state.segments)}: array has ${items} items (max ${maxPropArrayItems})`;
  }
  for (let i = 0; i < value.length; i++) {
    state.segments.push(i);
    const problem = checkValue(value[i], depth + 1, state);
    if (problem !== null) return problem;
    state.segments.pop();
  }
  return null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** props.a[0].b */
function formatPath(segments: ReadonlyArray<string | number>): string {
  let path = 'props';
  for (const segment of segments) {
    path += typeof segment === 'number' ? `[${segment}]` : `.${segment}`;
  }
  return path;
}

/** null, array, string, function, Date, Map, MyClass … */
function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value !== 'object') return typeof value;
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  if (tag !== 'Object') return tag;
  const constructor: unknown = (value as { constructor?: unknown }).constructor;
  return typeof constructor === 'function' && constructor.name !== '' ? constructor.name : tag;
}
