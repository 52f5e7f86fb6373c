import { isbot } from 'isbot';
import { UAParser } from 'ua-parser-js';
import { createLruCache } from './lru-cache.ts';

/** What one User-Agent string says about the client; null where it does not say. */
export interface UserAgentInfo {
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  osVersion: string | null;
  /** ua-parser's type (mobile, tablet, smarttv, console, wearable, embedded), else 'desktop' for non-bots. */
  deviceType: string | null;
  deviceVendor: string | null;
  deviceModel: string | null;
  isBot: boolean;
}

export interface UserAgentParserOptions {
  /** Distinct UA strings whose results are kept. Default 10,000; 0 disables the cache. */
  cacheSize?: number;
}

export interface UserAgentParser {
  /** Parses a UA header; missing or blank input gives all nulls and isBot false. */
  parse(ua: string | undefined): UserAgentInfo;
}

/** Longer headers are abuse or padding; everything identifying sits at the front. */
const MAX_UA_CHARS = 1_000;
const DEFAULT_CACHE_ENTRIES = 10_000;

const WECHAT_VERSION_PATTERN = /MicroMessenger\/([\d.]+)/i;
/** Web-views inside mini-programs say `miniProgram`, native requests `MiniProgramEnv/…`. */
const MINI_PROGRAM_PATTERN = /miniprogram/i;
/**
 * WeChat's Android web-views name their process (`Process/tools`, `Process/toolsmp`), and isbot 5
 * lists "tools" as a bot token, so every such real user would count as a bot.
 */
const WECHAT_PROCESS_TOKEN_PATTERN = /\bProcess\/\w+/gi;

/**
 * A native app's request: `AppName/version (… Android … | … iOS …)`. Android apps send through
 * okhttp and name it at the end, which isbot lists as a bot token (a bare `okhttp/4.12.0` from a
 * script is one); in an app's UA it is only the HTTP library.
 */
const NATIVE_APP_PATTERN = /^[\w.-]+\/[\w.-]+ \([^)]*\b(?:Android|iOS|iPhone|iPad)\b[^)]*\)/i;
const HTTP_LIBRARY_TOKEN_PATTERN = /\bokhttp\/[\w.-]+/gi;

const EMPTY_INFO: UserAgentInfo = Object.freeze({
  browser: null,
  browserVersion: null,
  os: null,
  osVersion: null,
  deviceType: null,
  deviceVendor: null,
  deviceModel: null,
  isBot: false,
});

/**
 * Creates a caching User-Agent parser (ua-parser-js for the client, isbot for crawlers). Results
 * are frozen because the same object is handed to every event with that UA.
 */
export function createUserAgentParser(options: UserAgentParserOptions = {}): UserAgentParser {
  const cache = createLruCache<string, UserAgentInfo>(options.cacheSize ?? DEFAULT_CACHE_ENTRIES);
  // One instance re-used through setUA: constructing a parser per miss costs more than parsing.
  const parser = new UAParser();
  return {
    parse(ua) {
      if (ua === undefined) return EMPTY_INFO;
      const input = (ua.length > MAX_UA_CHARS ? ua.slice(0, MAX_UA_CHARS) : ua).trim();
      if (input === '') return EMPTY_INFO;
      const cached = cache.get(input);
      if (cached !== undefined) return cached;
      const info = Object.freeze(describeUserAgent(parser, input));
      cache.set(input, info);
      return info;
    },
  };
}

function describeUserAgent(parser: UAParser, ua: string): UserAgentInfo {
  const { browser, os, device } = parser.setUA(ua).getResult();
  const wechatVersion = WECHAT_VERSION_PATTERN.exec(ua);
  const isWeChat = wechatVersion !== null || MINI_PROGRAM_PATTERN.test(ua);
  const withoutKnownTokens =
    wechatVersion !== null
      ? ua.replace(WECHAT_PROCESS_TOKEN_PATTERN, '')
      : NATIVE_APP_PATTERN.test(ua)
        ? ua.replace(HTTP_LIBRARY_TOKEN_PATTERN, '')
        : ua;
  const isBot = isbot(withoutKnownTokens);
  return {
    // ua-parser reports the embedded QBCore version for WeChat on Windows, and says 'WebKit'
    // for mini-program web-views whose UA lacks the MicroMessenger token.
    browser: isWeChat ? 'WeChat' : (browser.name ?? null),
    browserVersion: isWeChat ? (wechatVersion?.[1] ?? null) : (browser.version ?? null),
    os: os.name ?? null,
    osVersion: os.version ?? null,
    deviceType: device.type ?? (isBot ? null : 'desktop'),
    deviceVendor: device.vendor ?? null,
    deviceModel: device.model ?? null,
    isBot,
  };
}
