import { createHash } from 'node:crypto';
import { parseStack, type StackFrame } from './parse-stack.ts';

/** How many in-app frames (from the top of the stack) identify an error. */
export const FINGERPRINT_FRAMES = 3;
/** Longest title kept; longer normalised messages are cut (the fingerprint uses the cut text). */
const MAX_TITLE_CHARS = 500;

export interface ErrorFingerprint {
  /** 16 hex characters (the start of a SHA-256). */
  fingerprint: string;
  /** `TypeError`, `ChunkLoadError` …; null when neither the message nor the stack names one. */
  type: string | null;
  /** The normalised message, prefixed with the type when known. */
  title: string;
  /** The frames that went into the fingerprint, as `path:function`. */
  frames: string[];
}

// `Uncaught TypeError: …`, `Uncaught (in promise) ChunkLoadError: …`, `Error: …`, `Error`.
const TYPE_PREFIX =
  /^(?:Uncaught\s+)?(?:\(in promise\)\s+)?((?:[A-Za-z_$][\w$]*\.)*[A-Z_$][\w$]*(?:Error|Exception)|Error)(?::\s*|\s*$)/;

/**
 * Groups a front-end error: the same type, the same message once variable parts are masked, and
 * the same top in-app frames (file path and function, not line or column, which change with
 * every build) give the same fingerprint.
 */
export function fingerprintError(input: {
  message: string | null;
  stack: string | null;
}): ErrorFingerprint {
  const stack = input.stack ?? '';
  const frames = parseStack(stack);
  const header = firstNonFrameLine(stack);
  let message = (input.message ?? '').trim();
  if (!message && header) message = header;
  const split = splitType(message);
  const body = split.body;
  let type = split.type;
  // window.onerror messages may lack the type that the stack's first line still carries.
  if (type === null && header) type = splitType(header).type;
  const normalised = normalizeMessage(body).slice(0, MAX_TITLE_CHARS);
  const keys = pickFrames(frames).map(formatFrame);
  const title = type
    ? normalised
      ? `${type}: ${normalised}`
      : type
    : normalised || '(no message)';
  const digest = createHash('sha256')
    .update([type ?? '', normalised, ...keys].join('\n'))
    .digest('hex');
  return { fingerprint: digest.slice(0, 16), type, title, frames: keys };
}

/** `TypeError: x is undefined` → type TypeError, body `x is undefined`. */
export function splitType(message: string): { type: string | null; body: string } {
  const match = TYPE_PREFIX.exec(message);
  if (!match) return { type: null, body: message.replace(/^Uncaught\s+/, '') };
  return { type: match[1] as string, body: message.slice(match[0].length) };
}

/** The top in-app frames; when there is none (an error inside a library), the top frames. */
function pickFrames(frames: readonly StackFrame[]): StackFrame[] {
  const inApp = frames.filter((frame) => frame.inApp);
  const chosen = inApp.length > 0 ? inApp : frames.filter((frame) => frame.path !== null);
  return chosen.slice(0, FINGERPRINT_FRAMES);
}

function formatFrame(frame: StackFrame): string {
  return `${frame.path ?? '?'}:${frame.fn ?? '?'}`;
}

function firstNonFrameLine(stack: string): string | null {
  const first = stack.split('\n', 1)[0]?.trim() ?? '';
  if (!first || parseStack(first).length > 0) return null;
  return first;
}

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`()<>]+/gi;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const QUOTED = /(?<![\w])(['"`])(?:(?!\1)[^\\\n]|\\.){0,500}\1/g;
// Hex runs of 6+ with a digit (ids, hashes, addresses); words such as `deadbeef` stay.
const HEX = /(?<![A-Za-z0-9])(?:0x)?[0-9a-f]{6,}(?![A-Za-z0-9])/gi;
const NUMBER = /\d+(?:\.\d+)?/g;

/**
 * Masks the parts of a message that vary between occurrences of one error: URLs keep scheme,
 * host and path (ids in the path masked; query and fragment dropped), then emails, UUIDs, quoted
 * strings, hex ids and numbers become `<email>`, `<uuid>`, `<str>`, `<hex>` and `<n>`.
 * Whitespace runs collapse to one space.
 */
export function normalizeMessage(message: string): string {
  const urls: string[] = [];
  // Placeholders spelled with letters g–p, which no later mask touches.
  const slot = (index: number) =>
    `\uE000${[...String(index)].map((d) => String.fromCharCode(103 + Number(d))).join('')}\uE000`;
  let text = message.replace(URL_PATTERN, (url) => {
    urls.push(normalizeUrl(url));
    return slot(urls.length - 1);
  });
  text = maskIds(text.replace(EMAIL, '<email>').replace(UUID, '<uuid>').replace(QUOTED, '<str>'));
  text = text.replace(/\uE000([g-p]+)\uE000/g, (_, code: string) => {
    const index = Number([...code].map((c) => c.charCodeAt(0) - 103).join(''));
    return urls[index] ?? '';
  });
  return text.replace(/\s+/g, ' ').trim();
}

function maskIds(text: string): string {
  return text
    .replace(UUID, '<uuid>')
    .replace(HEX, (hex) => (/\d/.test(hex) ? '<hex>' : hex))
    .replace(NUMBER, '<n>');
}

/** `https://Shop.example.com/p/123?x=1#y` → `https://shop.example.com/p/<n>`. */
function normalizeUrl(url: string): string {
  const cut = url.replace(/[?#].*$/, '').replace(/[.,;:!]+$/, '');
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/]*)(.*)$/i.exec(cut);
  if (!match) return maskIds(cut);
  const [, scheme = '', host = '', path = ''] = match;
  return `${scheme.toLowerCase()}${host.toLowerCase()}${maskIds(path)}`;
}
