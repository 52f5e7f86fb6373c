import { describe, expect, it } from 'vitest';
import { classifyChannel } from './classify-channel.ts';
import type { ClassifyChannelParams } from './classify-channel.ts';

const SHOP = 'https://shop.example.com/p/1';

describe('classifyChannel', () => {
  it.each<[string, ClassifyChannelParams, string, string | null]>([
    // explicit channel wins
    ['explicit channel', { channel: '  Agent_Share ', utmMedium: 'cpc' }, 'agent_share', null],
    [
      'explicit channel keeps the referrer host',
      { channel: 'push', referrer: 'https://www.baidu.com/s?wd=x' },
      'push',
      'www.baidu.com',
    ],
    ['blank channel is ignored', { channel: '  ', utmMedium: 'email' }, 'email', null],
    // UTM tags
    ['cpc', { utmMedium: 'cpc', utmSource: 'baidu' }, 'paid_search', null],
    ['PPC upper-case', { utmMedium: ' PPC ', utmSource: 'google' }, 'paid_search', null],
    ['paid', { utmMedium: 'paid' }, 'paid_search', null],
    ['sem', { utmMedium: 'sem', utmSource: 'sogou' }, 'paid_search', null],
    ['paidsearch', { utmMedium: 'paidsearch' }, 'paid_search', null],
    ['cpc on a social network', { utmMedium: 'cpc', utmSource: 'douyin' }, 'paid_social', null],
    [
      'paid on a social domain',
      { utmMedium: 'paid', utmSource: 'm.facebook.com' },
      'paid_social',
      null,
    ],
    ['paid_social medium', { utmMedium: 'paid_social', utmSource: 'partner' }, 'paid_social', null],
    ['email', { utmMedium: 'email' }, 'email', null],
    ['edm', { utmMedium: 'EDM', utmSource: 'newsletter-2024-11' }, 'email', null],
    ['affiliate', { utmMedium: 'affiliate', utmSource: 'agent-17' }, 'affiliate', null],
    ['cps', { utmMedium: 'cps' }, 'affiliate', null],
    ['social', { utmMedium: 'social', utmSource: 'weibo' }, 'social', null],
    ['display', { utmMedium: 'display' }, 'display', null],
    ['banner', { utmMedium: 'banner' }, 'display', null],
    ['cpm', { utmMedium: 'cpm', utmSource: 'toutiao' }, 'display', null],
    ['social source without a medium', { utmSource: 'xiaohongshu' }, 'social', null],
    ['other medium', { utmMedium: 'qrcode', utmSource: 'store' }, 'campaign', null],
    ['source only', { utmSource: 'offline-event' }, 'campaign', null],
    ['campaign only', { utmCampaign: 'double11' }, 'campaign', null],
    [
      'UTM beats the referrer',
      { utmMedium: 'email', referrer: 'https://mail.qq.com/' },
      'email',
      'mail.qq.com',
    ],
    // search engines
    ['google.com', { referrer: 'https://www.google.com/' }, 'organic_search', 'www.google.com'],
    [
      'google.com.hk',
      { referrer: 'https://www.google.com.hk/' },
      'organic_search',
      'www.google.com.hk',
    ],
    ['google.co.jp', { referrer: 'https://google.co.jp/search' }, 'organic_search', 'google.co.jp'],
    ['google.de', { referrer: 'https://www.google.de/' }, 'organic_search', 'www.google.de'],
    [
      'baidu',
      { referrer: 'https://www.baidu.com/link?url=abc' },
      'organic_search',
      'www.baidu.com',
    ],
    ['baidu mobile', { referrer: 'https://m.baidu.com/' }, 'organic_search', 'm.baidu.com'],
    [
      'bing.com subdomain',
      { referrer: 'https://cn.bing.com/search?q=x' },
      'organic_search',
      'cn.bing.com',
    ],
    ['sogou', { referrer: 'https://wap.sogou.com/' }, 'organic_search', 'wap.sogou.com'],
    ['so.com', { referrer: 'https://www.so.com/s?q=x' }, 'organic_search', 'www.so.com'],
    ['sm.cn', { referrer: 'https://yz.m.sm.cn/s?q=x' }, 'organic_search', 'yz.m.sm.cn'],
    ['yandex.ru', { referrer: 'https://yandex.ru/search/' }, 'organic_search', 'yandex.ru'],
    ['duckduckgo', { referrer: 'https://duckduckgo.com/' }, 'organic_search', 'duckduckgo.com'],
    ['yahoo', { referrer: 'https://search.yahoo.com/' }, 'organic_search', 'search.yahoo.com'],
    [
      'Google app on Android',
      { referrer: 'android-app://com.google.android.googlequicksearchbox/' },
      'organic_search',
      'com.google.android.googlequicksearchbox',
    ],
    // social networks
    ['weixin', { referrer: 'https://weixin.qq.com/' }, 'social', 'weixin.qq.com'],
    ['wechat.com', { referrer: 'https://open.wechat.com/' }, 'social', 'open.wechat.com'],
    ['weibo', { referrer: 'https://m.weibo.cn/status/1' }, 'social', 'm.weibo.cn'],
    ['weibo short link', { referrer: 'http://t.cn/A6abc' }, 'social', 't.cn'],
    ['douyin', { referrer: 'https://www.douyin.com/' }, 'social', 'www.douyin.com'],
    [
      'xiaohongshu',
      { referrer: 'https://www.xiaohongshu.com/explore' },
      'social',
      'www.xiaohongshu.com',
    ],
    ['xhslink', { referrer: 'https://xhslink.com/a/b' }, 'social', 'xhslink.com'],
    ['zhihu', { referrer: 'https://zhuanlan.zhihu.com/p/1' }, 'social', 'zhuanlan.zhihu.com'],
    ['bilibili', { referrer: 'https://www.bilibili.com/video/x' }, 'social', 'www.bilibili.com'],
    ['qq.com', { referrer: 'https://user.qzone.qq.com/' }, 'social', 'user.qzone.qq.com'],
    ['facebook', { referrer: 'https://l.facebook.com/l.php' }, 'social', 'l.facebook.com'],
    ['instagram', { referrer: 'https://www.instagram.com/' }, 'social', 'www.instagram.com'],
    ['t.co', { referrer: 'https://t.co/abc' }, 'social', 't.co'],
    ['x.com', { referrer: 'https://x.com/someone' }, 'social', 'x.com'],
    ['twitter', { referrer: 'https://mobile.twitter.com/' }, 'social', 'mobile.twitter.com'],
    ['linkedin', { referrer: 'https://www.linkedin.com/feed' }, 'social', 'www.linkedin.com'],
    ['reddit', { referrer: 'https://old.reddit.com/r/x' }, 'social', 'old.reddit.com'],
    ['youtube', { referrer: 'https://m.youtube.com/watch' }, 'social', 'm.youtube.com'],
    ['tiktok', { referrer: 'https://www.tiktok.com/@x' }, 'social', 'www.tiktok.com'],
    // look-alikes are referrals
    ['notgoogle.com', { referrer: 'https://notgoogle.com/' }, 'referral', 'notgoogle.com'],
    [
      'google.com.evil.io',
      { referrer: 'https://google.com.evil.io/' },
      'referral',
      'google.com.evil.io',
    ],
    [
      'baidu.com.cn.example',
      { referrer: 'https://baidu.com.example.org/' },
      'referral',
      'baidu.com.example.org',
    ],
    ['xqq.com', { referrer: 'https://xqq.com/' }, 'referral', 'xqq.com'],
    // internal navigation and referrals
    [
      'same host',
      { referrer: 'https://shop.example.com/cart', url: SHOP },
      'internal',
      'shop.example.com',
    ],
    [
      'www. vs bare',
      { referrer: 'https://www.example.com/', url: 'https://example.com/' },
      'internal',
      'www.example.com',
    ],
    [
      'm. vs www.',
      { referrer: 'https://m.example.com/', url: 'https://www.example.com/' },
      'internal',
      'm.example.com',
    ],
    [
      'host case',
      { referrer: 'https://SHOP.Example.com/', url: SHOP },
      'internal',
      'shop.example.com',
    ],
    [
      'search engine own pages',
      { referrer: 'https://www.zhihu.com/q', url: 'https://zhihu.com/' },
      'internal',
      'www.zhihu.com',
    ],
    [
      'other subdomain',
      { referrer: 'https://blog.example.com/', url: SHOP },
      'referral',
      'blog.example.com',
    ],
    [
      'other site',
      { referrer: 'https://news.ycombinator.com/', url: SHOP },
      'referral',
      'news.ycombinator.com',
    ],
    ['referral without url', { referrer: 'https://partner.cn/' }, 'referral', 'partner.cn'],
    [
      'unparseable url',
      { referrer: 'https://shop.example.com/', url: 'not a url' },
      'referral',
      'shop.example.com',
    ],
    // no usable referrer
    ['nothing', {}, 'direct', null],
    ['nulls', { channel: null, utmSource: null, referrer: null, url: null }, 'direct', null],
    ['empty referrer', { referrer: '', url: SHOP }, 'direct', null],
    ['unparseable referrer', { referrer: 'www.baidu.com/s?wd=x', url: SHOP }, 'direct', null],
    ['about:blank', { referrer: 'about:blank' }, 'direct', null],
    ['bad port', { referrer: 'http://example.com:99999/' }, 'direct', null],
  ])('%s', (_label, params, channel, referrerHost) => {
    expect(classifyChannel(params)).toEqual({ channel, referrerHost });
  });
});
