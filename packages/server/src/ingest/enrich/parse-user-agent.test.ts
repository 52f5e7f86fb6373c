import { describe, expect, it } from 'vitest';
import { createUserAgentParser } from './parse-user-agent.ts';
import type { UserAgentInfo } from './parse-user-agent.ts';

const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const WECHAT_ANDROID_TOOLSMP =
  'Mozilla/5.0 (Linux; Android 10; V1914A Build/QP1A.190711.020; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.62 XWEB/2691 MMWEBSDK/200901 Mobile Safari/537.36 MMWEBID/2575 MicroMessenger/7.0.19.1760(0x27001335) Process/toolsmp WeChat/arm64 NetType/WIFI Language/zh_CN ABI/arm64';

const EMPTY: UserAgentInfo = {
  browser: null,
  browserVersion: null,
  os: null,
  osVersion: null,
  deviceType: null,
  deviceVendor: null,
  deviceModel: null,
  isBot: false,
};

/** [label, ua, browser, browserVersion, os, osVersion, deviceType, deviceVendor, deviceModel, isBot] */
type Row = [
  string,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  boolean,
];

// prettier-ignore
const cases: Row[] = [
  [
    'Chrome on Windows',
    CHROME_WINDOWS,
    'Chrome', '120.0.0.0', 'Windows', '10', 'desktop', null, null, false,
  ],
  [
    'Firefox on macOS',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0',
    'Firefox', '121.0', 'Mac OS', '10.15', 'desktop', 'Apple', 'Macintosh', false,
  ],
  [
    'Safari on iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
    'Mobile Safari', '17.1', 'iOS', '17.1', 'mobile', 'Apple', 'iPhone', false,
  ],
  [
    'Safari on iPad',
    'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
    'Mobile Safari', '16.6', 'iOS', '16.6', 'tablet', 'Apple', 'iPad', false,
  ],
  [
    'Chrome on a Samsung phone',
    'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36',
    'Chrome', '119.0.0.0', 'Android', '13', 'mobile', 'Samsung', 'SM-S918B', false,
  ],
  [
    'Huawei Browser on HarmonyOS',
    'Mozilla/5.0 (Linux; Android 10; HarmonyOS; ELS-AN00; HMSCore 6.12.0.302) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/14.0.2.311 Mobile Safari/537.36',
    'Huawei Browser', '14.0.2.311', 'HarmonyOS', '10', 'mobile', 'Huawei', 'ELS-AN00', false,
  ],
  [
    'Samsung smart TV',
    'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36',
    'Samsung Internet', '4.0', 'Tizen', '6.0', 'smarttv', 'Samsung', null, false,
  ],
  [
    'WeChat on Android (Process/toolsmp is not a bot)',
    WECHAT_ANDROID_TOOLSMP,
    'WeChat', '7.0.19.1760', 'Android', '10', 'mobile', 'Vivo', 'V1914A', false,
  ],
  [
    'WeChat on Android with the X5 core',
    'Mozilla/5.0 (Linux; Android 7.1.1; OPPO R11 Build/NMF26X; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/57.0.2987.132 MQQBrowser/6.2 TBS/044304 Mobile Safari/537.36 MicroMessenger/6.7.3.1360(0x26070333) NetType/WIFI Language/zh_CN Process/tools',
    'WeChat', '6.7.3.1360', 'Android', '7.1.1', 'mobile', 'OPPO', 'R11', false,
  ],
  [
    'WeChat on iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40(0x1800282a) NetType/WIFI Language/zh_CN',
    'WeChat', '8.0.40', 'iOS', '16.5', 'mobile', 'Apple', 'iPhone', false,
  ],
  [
    'WeChat mini-program web-view on iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40(0x1800282a) NetType/WIFI Language/zh_CN miniProgram/wx1234567890abcdef',
    'WeChat', '8.0.40', 'iOS', '16.5', 'mobile', 'Apple', 'iPhone', false,
  ],
  [
    'WeChat mini-program on Android',
    'Mozilla/5.0 (Linux; Android 12; 22081212C Build/SKQ1.220303.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230303 MMWEBID/1234 MicroMessenger/8.0.42.2460(0x28002A35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64 MiniProgramEnv/android',
    'WeChat', '8.0.42.2460', 'Android', '12', 'mobile', 'Xiaomi', '22081212C', false,
  ],
  [
    'mini-program web-view without a MicroMessenger token',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 miniProgram',
    'WeChat', null, 'iOS', '16.5', 'mobile', 'Apple', 'iPhone', false,
  ],
  [
    'WeChat on Windows (QBCore version is not the WeChat version)',
    'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/53.0.2785.116 Safari/537.36 QBCore/4.0.1301.400 QQBrowser/9.0.2524.400 Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/53.0.2875.116 Safari/537.36 NetType/WIFI MicroMessenger/7.0.20.1781(0x6700143B) WindowsWechat(0x6307001e)',
    'WeChat', '7.0.20.1781', 'Windows', '10', 'desktop', null, null, false,
  ],
  [
    'an Android app sending through okhttp (the library token is not a bot)',
    'YouxuanShop/2.15.0 (Linux; U; Android 13; Pixel 7) okhttp/4.12.0',
    null, null, 'Android', '13', 'mobile', 'Google', 'Pixel 7', false,
  ],
  [
    'an iOS app sending through Alamofire',
    'YouxuanShop/2.15.0 (iPhone14,2; iOS 17.1; Scale/3.00) Alamofire/5.9.1',
    null, null, 'iOS', '17.1', 'mobile', 'Apple', 'iPhone14,2', false,
  ],
  [
    'a bare okhttp request is a script',
    'okhttp/4.12.0',
    null, null, null, null, null, null, null, true,
  ],
  [
    'Googlebot',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    null, null, null, null, null, null, null, true,
  ],
  [
    'Baiduspider',
    'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
    null, null, null, null, null, null, null, true,
  ],
  [
    'curl',
    'curl/8.4.0',
    null, null, null, null, null, null, null, true,
  ],
  [
    'Headless Chrome',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
    'Chrome Headless', '120.0.0.0', 'Linux', null, null, null, null, true,
  ],
  [
    'mobile Googlebot keeps its device type',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 15_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'WebKit', '605.1.15', 'iOS', '15.0', 'mobile', 'Apple', 'iPhone', true,
  ],
];

describe('createUserAgentParser', () => {
  const parser = createUserAgentParser({ cacheSize: 100 });

  it.each(cases)(
    '%s',
    (
      _label,
      ua,
      browser,
      browserVersion,
      os,
      osVersion,
      deviceType,
      deviceVendor,
      deviceModel,
      isBot,
    ) => {
      expect(parser.parse(ua)).toEqual({
        browser,
        browserVersion,
        os,
        osVersion,
        deviceType,
        deviceVendor,
        deviceModel,
        isBot,
      });
    },
  );

  it.each([
    ['an undefined UA', undefined],
    ['an empty UA', ''],
    ['a blank UA', '   '],
  ])('gives all nulls for %s', (_label, ua) => {
    expect(parser.parse(ua)).toEqual(EMPTY);
  });

  it('returns the cached, frozen result for a repeated UA', () => {
    const first = parser.parse(CHROME_WINDOWS);
    expect(parser.parse(CHROME_WINDOWS)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('parses only the first 1,000 characters', () => {
    const head = CHROME_WINDOWS.padEnd(1_000, ' x');
    const long = head + ' Googlebot/2.1'.repeat(100);
    expect(parser.parse(long)).toBe(parser.parse(head));
    expect(parser.parse(long).isBot).toBe(false);
  });

  it('gives equal results without a cache', () => {
    const uncached = createUserAgentParser({ cacheSize: 0 });
    const first = uncached.parse(WECHAT_ANDROID_TOOLSMP);
    const second = uncached.parse(WECHAT_ANDROID_TOOLSMP);
    expect(second).not.toBe(first);
    expect(second).toEqual(parser.parse(WECHAT_ANDROID_TOOLSMP));
  });

  it('uses a default cache when no options are given', () => {
    const defaulted = createUserAgentParser();
    expect(defaulted.parse(CHROME_WINDOWS)).toBe(defaulted.parse(CHROME_WINDOWS));
  });
});
