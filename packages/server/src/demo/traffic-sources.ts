import { createWeightedPicker, type Prng } from './prng.ts';

export type Channel =
  'direct' | 'organic_search' | 'social' | 'paid_search' | 'email' | 'affiliate';
export type Platform = 'web' | 'h5' | 'miniprogram' | 'ios' | 'android';
export type LandingKind = 'home' | 'category' | 'product' | 'promo';

/** Where a session came from, as the SDK would see it on the landing page. */
export interface TrafficSource {
  channel: Channel;
  platform: Platform;
  landing: LandingKind;
  referrer?: string;
  campaign?: string;
  utmSource?: string;
  utmMedium?: string;
  utmCampaign?: string;
  utmTerm?: string;
  utmContent?: string;
  /** Set when the visitor followed an S2B2C agent's shared link. */
  agentId?: string;
}

type SourceKind = Channel | 'agent_share';

const SOURCE_KINDS: readonly SourceKind[] = [
  'direct',
  'organic_search',
  'social',
  'agent_share',
  'paid_search',
  'email',
  'affiliate',
];
const pickSourceKind = createWeightedPicker(SOURCE_KINDS, [24, 18, 18, 10, 14, 6, 5]);

const PLATFORMS: readonly Platform[] = ['web', 'h5', 'miniprogram', 'ios', 'android'];
/** Platform mix per source: search and ads land on browsers, WeChat traffic on the mini program. */
const PLATFORM_WEIGHTS: Readonly<Record<SourceKind, readonly number[]>> = {
  direct: [20, 10, 25, 20, 25],
  organic_search: [55, 45, 0, 0, 0],
  social: [0, 45, 55, 0, 0],
  agent_share: [0, 20, 80, 0, 0],
  paid_search: [45, 55, 0, 0, 0],
  email: [60, 40, 0, 0, 0],
  affiliate: [50, 50, 0, 0, 0],
};
const createPlatformPicker = (kind: SourceKind): ((next: () => number) => Platform) =>
  createWeightedPicker(PLATFORMS, PLATFORM_WEIGHTS[kind]);
const platformPickers: Readonly<Record<SourceKind, (next: () => number) => Platform>> = {
  direct: createPlatformPicker('direct'),
  organic_search: createPlatformPicker('organic_search'),
  social: createPlatformPicker('social'),
  agent_share: createPlatformPicker('agent_share'),
  paid_search: createPlatformPicker('paid_search'),
  email: createPlatformPicker('email'),
  affiliate: createPlatformPicker('affiliate'),
};

const SEARCH_TERMS = [
  '绿茶',
  '龙井 明前',
  '面膜 推荐',
  '65w 充电器',
  '坚果 礼盒',
  '纸尿裤 L',
  '防晒乳',
  '保温杯',
  '普洱茶饼',
  '蓝牙耳机 降噪',
];
const PAID_CAMPAIGNS = [
  'spring_tea_festival',
  'brand_keywords',
  'beauty_new_arrivals',
  'digital_618_warmup',
];
const SOCIAL_NETWORKS = ['weixin', 'douyin', 'xiaohongshu', 'weibo'] as const;
const SOCIAL_REFERRERS: Readonly<Record<(typeof SOCIAL_NETWORKS)[number], string>> = {
  weixin: 'https://mp.weixin.qq.com/',
  douyin: 'https://www.douyin.com/',
  xiaohongshu: 'https://www.xiaohongshu.com/explore',
  weibo: 'https://weibo.com/',
};

/** Draws the source of a new visitor's session; agents are picked by their weight. */
export function pickTrafficSource(
  rng: Prng,
  pickAgent: (next: () => number) => string,
): TrafficSource {
  const kind = pickSourceKind(rng.next);
  const platform = platformPickers[kind](rng.next);
  switch (kind) {
    case 'direct':
      return { channel: 'direct', platform, landing: 'home' };
    case 'organic_search':
      return createSearchSource(rng, platform);
    case 'social': {
      const network = rng.weightedPick(SOCIAL_NETWORKS, [50, 25, 18, 7]);
      const hasCampaign = network !== 'weixin' && rng.chance(0.4);
      return {
        channel: 'social',
        platform,
        landing: rng.chance(0.6) ? 'product' : 'home',
        // WeChat's in-app browser and the mini program usually send no referrer.
        ...(network === 'weixin' && rng.chance(0.7) ? {} : { referrer: SOCIAL_REFERRERS[network] }),
        utmSource: network,
        utmMedium: 'social',
        ...(hasCampaign ? { campaign: 'kol_spring_review', utmCampaign: 'kol_spring_review' } : {}),
      };
    }
    case 'agent_share': {
      const agentId = pickAgent(rng.next);
      return {
        channel: 'social',
        platform,
        landing: 'product',
        utmSource: 'weixin',
        utmMedium: 'agent_share',
        utmContent: agentId,
        agentId,
      };
    }
    case 'paid_search': {
      const campaign = rng.pick(PAID_CAMPAIGNS);
      const engine = rng.weightedPick(['baidu', 'sogou', 'bing'], [70, 15, 15]);
      const term = rng.pick(SEARCH_TERMS);
      return {
        channel: 'paid_search',
        platform,
        landing: rng.chance(0.5) ? 'product' : 'category',
        referrer: getSearchReferrer(engine, term),
        campaign,
        utmSource: engine,
        utmMedium: 'cpc',
        utmCampaign: campaign,
        utmTerm: term,
      };
    }
    case 'email':
      return {
        channel: 'email',
        platform,
        landing: 'promo',
        ...(rng.chance(0.3) ? { referrer: 'https://mail.qq.com/' } : {}),
        campaign: 'weekly_digest',
        utmSource: 'newsletter',
        utmMedium: 'email',
        utmCampaign: 'weekly_digest',
      };
    case 'affiliate':
      return {
        channel: 'affiliate',
        platform,
        landing: 'product',
        referrer: `https://www.smzdm.com/p/${rng.int(100_000_000, 139_999_999)}/`,
        campaign: 'smzdm_deals',
        utmSource: 'smzdm',
        utmMedium: 'affiliate',
        utmCampaign: 'smzdm_deals',
      };
  }
}

/** A returning user's source: mostly direct, sometimes a search or an email. */
export function pickReturningSource(rng: Prng, platform: Platform): TrafficSource {
  const isBrowser = platform === 'web' || platform === 'h5';
  if (isBrowser && rng.chance(0.15)) return createSearchSource(rng, platform);
  if (isBrowser && rng.chance(0.08)) {
    return {
      channel: 'email',
      platform,
      landing: 'promo',
      campaign: 'weekly_digest',
      utmSource: 'newsletter',
      utmMedium: 'email',
      utmCampaign: 'weekly_digest',
    };
  }
  return { channel: 'direct', platform, landing: 'home' };
}

function createSearchSource(rng: Prng, platform: Platform): TrafficSource {
  const engine = rng.weightedPick(['baidu', 'google', 'bing', 'sogou'], [60, 15, 15, 10]);
  return {
    channel: 'organic_search',
    platform,
    landing: rng.weightedPick<LandingKind>(['home', 'category', 'product'], [30, 30, 40]),
    referrer: getSearchReferrer(engine, rng.pick(SEARCH_TERMS)),
  };
}

function getSearchReferrer(engine: string, term: string): string {
  const q = encodeURIComponent(term);
  switch (engine) {
    case 'baidu':
      return `https://www.baidu.com/s?wd=${q}`;
    case 'sogou':
      return `https://www.sogou.com/web?query=${q}`;
    case 'bing':
      return `https://cn.bing.com/search?q=${q}`;
    default:
      // Google sends only its origin (strict-origin-when-cross-origin).
      return 'https://www.google.com/';
  }
}
