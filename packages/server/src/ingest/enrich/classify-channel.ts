/** What an event says about how the visitor arrived. */
export interface ClassifyChannelParams {
  /** Set by the client or the server SDK; wins over everything else. */
  channel?: string | null;
  utmSource?: string | null;
  utmMedium?: string | null;
  utmCampaign?: string | null;
  referrer?: string | null;
  /** The page's own URL, to tell navigation inside the site from a referral. */
  url?: string | null;
}

export interface ClassifyChannelResult {
  /**
   * The explicit channel (trimmed, lower-case) or one of: paid_search, paid_social, email,
   * affiliate, social, display, campaign, organic_search, internal, referral, direct.
   */
  channel: string;
  /** The referrer's host name, lower-case; null when there is no parseable referrer. */
  referrerHost: string | null;
}

const DOT = 0x2e;

const PAID_MEDIUMS = toSet('cpc ppc paid sem');
const EMAIL_MEDIUMS = toSet('email e-mail edm newsletter');
const AFFILIATE_MEDIUMS = toSet('affiliate affiliates cps');
const SOCIAL_MEDIUMS = toSet('social social-media social_media sns');
const DISPLAY_MEDIUMS = toSet('display banner cpm');

/** How campaigns name social networks in utm_source when they do not use the domain. */
const SOCIAL_SOURCES = toSet(
  'wechat weixin wx weibo douyin xiaohongshu xhs zhihu bilibili qq ' +
    'facebook fb instagram ig twitter x linkedin reddit youtube tiktok',
);

/** Google, Yandex and Yahoo search live on many country domains (google.com.hk, yahoo.co.jp). */
const COUNTRY_SEARCH_HOST_PATTERN = /(?:^|\.)(?:google|yandex|yahoo)\.(?:com?\.)?[a-z]{2,3}$/;
/** The last one is the Google app on Android, which sends an android-app:// referrer. */
const SEARCH_DOMAINS = toList(
  'bing.com baidu.com sogou.com so.com sm.cn duckduckgo.com ' +
    'com.google.android.googlequicksearchbox',
);
/** Each network with its link shorteners (t.cn is Weibo's, b23.tv Bilibili's). */
const SOCIAL_DOMAINS = toList(
  'qq.com wechat.com weibo.com weibo.cn t.cn douyin.com iesdouyin.com xiaohongshu.com ' +
    'xhslink.com zhihu.com bilibili.com b23.tv facebook.com fb.com instagram.com t.co ' +
    'twitter.com x.com linkedin.com lnkd.in reddit.com youtube.com youtu.be tiktok.com',
);

/**
 * Names the acquisition channel of an event: an explicit channel, else its UTM tags, else its
 * referrer. Referrers from the page's own site count as internal even when the site is itself a
 * search engine or social network. Never throws on malformed URLs.
 */
export function classifyChannel(params: ClassifyChannelParams): ClassifyChannelResult {
  const referrerHost = getHostName(params.referrer);
  const explicit = normalizeTag(params.channel);
  if (explicit !== '') return { channel: explicit, referrerHost };
  const medium = normalizeTag(params.utmMedium);
  const source = normalizeTag(params.utmSource);
  if (medium !== '' || source !== '' || normalizeTag(params.utmCampaign) !== '') {
    return { channel: classifyCampaign(medium, source), referrerHost };
  }
  return { channel: classifyReferrer(referrerHost, params.url), referrerHost };
}

function classifyCampaign(medium: string, source: string): string {
  const isSocialSource = SOCIAL_SOURCES.has(source) || isSocialHost(stripSitePrefix(source));
  if (PAID_MEDIUMS.has(medium) || medium.startsWith('paid')) {
    return isSocialSource || medium.includes('social') ? 'paid_social' : 'paid_search';
  }
  if (EMAIL_MEDIUMS.has(medium)) return 'email';
  if (AFFILIATE_MEDIUMS.has(medium)) return 'affiliate';
  if (SOCIAL_MEDIUMS.has(medium)) return 'social';
  if (DISPLAY_MEDIUMS.has(medium)) return 'display';
  if (medium === '' && isSocialSource) return 'social';
  return 'campaign';
}

function classifyReferrer(referrerHost: string | null, url: string | null | undefined): string {
  if (referrerHost === null) return 'direct';
  const site = stripSitePrefix(referrerHost);
  const pageHost = getHostName(url);
  if (pageHost !== null && stripSitePrefix(pageHost) === site) return 'internal';
  if (COUNTRY_SEARCH_HOST_PATTERN.test(site) || matchesAnyDomain(site, SEARCH_DOMAINS)) {
    return 'organic_search';
  }
  if (isSocialHost(site)) return 'social';
  return 'referral';
}

function isSocialHost(host: string): boolean {
  return matchesAnyDomain(host, SOCIAL_DOMAINS);
}

/** True when host is one of the domains or a subdomain of one. */
function matchesAnyDomain(host: string, domains: readonly string[]): boolean {
  for (const domain of domains) {
    if (!host.endsWith(domain)) continue;
    const before = host.length - domain.length - 1;
    if (before === -1 || host.charCodeAt(before) === DOT) return true;
  }
  return false;
}

/** www.shop.com, m.shop.com and shop.com are one site. */
function stripSitePrefix(host: string): string {
  if (host.startsWith('www.')) return host.slice(4);
  if (host.startsWith('m.')) return host.slice(2);
  return host;
}

/** Plain http(s) URLs: ASCII dotted host, no port, credentials, IPv6 literal or escapes. */
const SIMPLE_HTTP_HOST = /^https?:\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?:[/?#]|$)/i;

function getHostName(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  // Every event carries a page URL and most a referrer: the common shape is read with one regex,
  // the rest goes through the WHATWG parser (about 1–2 µs each), which defines the answer.
  const simple = SIMPLE_HTTP_HOST.exec(value);
  if (simple?.[1]) return simple[1].toLowerCase();
  let hostName: string;
  try {
    hostName = new URL(value).hostname;
  } catch {
    return null;
  }
  // about:blank, javascript: and similar parse but have no host.
  return hostName === '' ? null : hostName.toLowerCase();
}

function normalizeTag(value: string | null | undefined): string {
  return value === null || value === undefined ? '' : value.trim().toLowerCase();
}

function toList(words: string): readonly string[] {
  return Object.freeze(words.split(' '));
}

function toSet(words: string): ReadonlySet<string> {
  return new Set(words.split(' '));
}
