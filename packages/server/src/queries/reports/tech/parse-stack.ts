/** One frame of a JavaScript stack trace. */
export interface StackFrame {
  /** Function name without `async ` / `new ` and Firefox's `/<` suffixes; null when anonymous. */
  fn: string | null;
  /** The file as written in the stack (URL or path); null for native and anonymous frames. */
  file: string | null;
  /** The file reduced to what is stable across builds: see `normalizeFramePath`. */
  path: string | null;
  line: number | null;
  column: number | null;
  /** Code of the application itself, not a library, the browser or an extension. */
  inApp: boolean;
}

const V8_FRAME = /^\s*at\s+(.*?)\s*$/;
// Firefox and Safari: `fn@url:line:col`, `@url:line:col`, `fn@[native code]`.
const GECKO_FRAME = /^\s*([^@]*)@(.*?):(\d+)(?::(\d+))?\s*$/;
const GECKO_NATIVE = /^\s*([^@]*)@\[native code\]\s*$/;
const LOCATION = /^(.*?)(?::(\d+))?(?::(\d+))?$/;

/**
 * Frames of a stack in Chrome / V8 (`    at fn (url:line:col)`) or Firefox / Safari
 * (`fn@url:line:col`) format, top first. Lines that are neither (the message line V8 puts
 * first, blank lines) are skipped.
 */
export function parseStack(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split('\n')) {
    const frame = parseV8Line(line) ?? parseGeckoLine(line);
    if (frame) frames.push(frame);
  }
  return frames;
}

function parseV8Line(line: string): StackFrame | null {
  const match = V8_FRAME.exec(line);
  if (!match) return null;
  let content = match[1] as string;
  let fn: string | null = null;
  const call = /^(.*?) \((.*)\)$/.exec(content);
  if (call) {
    fn = call[1] as string;
    content = call[2] as string;
  } else if (!/:\d+$/.test(content) && content !== '<anonymous>' && content !== 'native') {
    return null; // prose that happens to start with "at", not a frame
  }
  // `eval at fn (url:1:2), <anonymous>:3:4`: the eval'd code is placed at the caller's file.
  const evalAt = /^eval at [^(]*\((.*?)\)/.exec(content);
  if (evalAt) content = evalAt[1] as string;
  // `at async Promise.all (index 0)`: a built-in, no file.
  if (['<anonymous>', 'native', ''].includes(content) || /^index \d+$/.test(content)) {
    return makeFrame(fn, null, null, null);
  }
  const location = LOCATION.exec(content);
  const file = location?.[1] ?? content;
  return makeFrame(fn, file, toNumber(location?.[2]), toNumber(location?.[3]));
}

function parseGeckoLine(line: string): StackFrame | null {
  const native = GECKO_NATIVE.exec(line);
  if (native) return makeFrame(native[1] ?? null, null, null, null);
  const match = GECKO_FRAME.exec(line);
  if (!match) return null;
  return makeFrame(match[1] ?? null, match[2] ?? null, toNumber(match[3]), toNumber(match[4]));
}

function makeFrame(
  rawFn: string | null,
  file: string | null,
  line: number | null,
  column: number | null,
): StackFrame {
  const fn = cleanFunction(rawFn);
  const path = file === null ? null : normalizeFramePath(file);
  return { fn, file, path, line, column, inApp: file !== null && isInAppFile(file) };
}

function cleanFunction(raw: string | null): string | null {
  if (raw === null) return null;
  const name = raw
    .replace(/^async\*/, '') // Firefox async boundary
    .replace(/^(?:async|new)\s+/, '')
    .replace(/\s+\[as [^\]]*\]$/, '') // V8 `fn [as alias]`
    .replace(/[/<*]+$/, '') // Firefox `outer/<`, generators `fn*`
    .trim();
  return name === '' || name === '<anonymous>' ? null : name;
}

function toNumber(text: string | undefined): number | null {
  return text === undefined ? null : Number(text);
}

const EXTENSION = /^(?:chrome|moz|safari|safari-web|ms-browser)-extension:\/\//i;
const VENDOR_DIR = /(?:^|\/)(?:node_modules|bower_components|vendors?)\//i;
// Bundles of third-party code: vendor.4b9e7a20.js, vendors~main.js, chunk-vendors.js, and the
// WeChat mini-program base library (WAService.js, WAWebview.js).
const VENDOR_FILE =
  /(?:^|\/)(?:vendors?[.~-][^/]*|chunk-vendors[^/]*|WAService\.js|WAWebview\.js)$/i;

/** Not a library (node_modules, vendor bundles), a browser extension or the engine itself. */
export function isInAppFile(file: string): boolean {
  const path = file.replace(/[?#].*$/, '');
  if (EXTENSION.test(path) || path === '<anonymous>' || path === 'native') return false;
  if (path.startsWith('[native code]')) return false;
  return !VENDOR_DIR.test(path) && !VENDOR_FILE.test(path);
}

/**
 * What identifies a file across builds and hosts: the path without scheme, host, query and
 * fragment, with build hashes (`cart.8f3a2c1d.js` → `cart.<hash>.js`) and numeric chunk ids
 * (`123.js` → `<n>.js`) masked.
 */
export function normalizeFramePath(file: string): string {
  const path = file.replace(/[?#].*$/, '').replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  return path
    .split('/')
    .map((segment) =>
      segment.replace(/[^.\-_~]+/g, (token) =>
        /^\d+$/.test(token)
          ? '<n>'
          : /^(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{6,}$/.test(token)
            ? '<hash>'
            : token,
      ),
    )
    .join('/');
}
