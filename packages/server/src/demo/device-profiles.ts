import { createWeightedPicker, type Prng } from './prng.ts';
import type { Platform } from './traffic-sources.ts';

/** A shopper's device: stable across the user's visits. */
export interface DemoDevice {
  platform: Platform;
  userAgent: string;
  /** Native app and mini-program version; browsers take the web release of the day instead. */
  appVersion?: string;
  network?: string;
}

const ANDROID_MODELS = ['V2227A', 'PGT-AN10', '23049RAD8C', 'PJD110', 'ALN-AL00', 'SM-S9180'];
const IPHONE_MODELS = ['iPhone15,2', 'iPhone14,5', 'iPhone16,1', 'iPhone13,2'];
const IOS_VERSIONS = ['17_5_1', '17_6', '18_1', '18_3_2', '16_7_10'];
const ANDROID_VERSIONS = ['12', '13', '14', '15'];
const pickNetwork = createWeightedPicker(['wifi', '5g', '4g'], [65, 20, 15]);

export function createDemoDevice(rng: Prng, platform: Platform): DemoDevice {
  const network = platform === 'web' ? undefined : pickNetwork(rng.next);
  const withNetwork = network ? { network } : {};
  switch (platform) {
    case 'web':
      return { platform, userAgent: createDesktopAgent(rng) };
    case 'h5':
      return { platform, userAgent: createMobileBrowserAgent(rng), ...withNetwork };
    case 'miniprogram':
      return {
        platform,
        userAgent: createMiniProgramAgent(rng, network ?? 'wifi'),
        appVersion: rng.weightedPick(['1.9.2', '1.9.1', '1.8.7'], [70, 22, 8]),
        ...withNetwork,
      };
    case 'ios': {
      const appVersion = rng.weightedPick(['3.4.0', '3.3.2', '3.2.0'], [65, 25, 10]);
      const os = rng.pick(IOS_VERSIONS).replaceAll('_', '.');
      return {
        platform,
        userAgent: `YouxuanShop/${appVersion} (${rng.pick(IPHONE_MODELS)}; iOS ${os}; Scale/3.00) Alamofire/5.9.1`,
        appVersion,
        ...withNetwork,
      };
    }
    case 'android': {
      const appVersion = rng.weightedPick(['3.4.1', '3.3.2', '3.2.0'], [60, 28, 12]);
      return {
        platform,
        userAgent: `YouxuanShop/${appVersion} (Linux; U; Android ${rng.pick(ANDROID_VERSIONS)}; ${rng.pick(ANDROID_MODELS)}) okhttp/4.12.0`,
        appVersion,
        ...withNetwork,
      };
    }
  }
}

function createDesktopAgent(rng: Prng): string {
  const chrome = rng.int(120, 131);
  switch (
    rng.weightedPick(['win-chrome', 'win-edge', 'mac-chrome', 'mac-safari'], [45, 20, 20, 15])
  ) {
    case 'win-chrome':
      return `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36`;
    case 'win-edge':
      return `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36 Edg/${chrome}.0.${rng.int(2000, 2999)}.${rng.int(10, 99)}`;
    case 'mac-chrome':
      return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36`;
    default:
      return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${rng.int(2, 6)} Safari/605.1.15`;
  }
}

function createMobileBrowserAgent(rng: Prng): string {
  const ios = rng.pick(IOS_VERSIONS);
  const iosMajor = ios.split('_')[0] ?? '17';
  switch (
    rng.weightedPick(['ios-safari', 'android-chrome', 'wechat-ios', 'huawei'], [35, 25, 25, 15])
  ) {
    case 'ios-safari':
      return `Mozilla/5.0 (iPhone; CPU iPhone OS ${ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${iosMajor}.0 Mobile/15E148 Safari/604.1`;
    case 'android-chrome':
      return `Mozilla/5.0 (Linux; Android ${rng.pick(ANDROID_VERSIONS)}; ${rng.pick(ANDROID_MODELS)}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${rng.int(120, 131)}.0.0.0 Mobile Safari/537.36`;
    case 'wechat-ios':
      // WeChat's in-app browser: links shared in chats open here, not in Safari.
      return `Mozilla/5.0 (iPhone; CPU iPhone OS ${ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.${rng.int(44, 50)}(0x18003${rng.int(100, 199)}) NetType/WIFI Language/zh_CN`;
    default:
      return `Mozilla/5.0 (Linux; Android 12; NOH-AN00 Build/HUAWEINOH-AN00; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/99.0.4844.88 HuaweiBrowser/14.0.5.302 Mobile Safari/537.36`;
  }
}

function createMiniProgramAgent(rng: Prng, network: string): string {
  const netType = network.toUpperCase();
  if (rng.chance(0.45)) {
    return `Mozilla/5.0 (iPhone; CPU iPhone OS ${rng.pick(IOS_VERSIONS)} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.${rng.int(44, 50)}(0x18003${rng.int(100, 199)}) NetType/${netType} Language/zh_CN miniProgram/wx8a5c1b2d3e4f6071`;
  }
  return `Mozilla/5.0 (Linux; Android ${rng.pick(ANDROID_VERSIONS)}; ${rng.pick(ANDROID_MODELS)} Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/${rng.int(1000, 9999)} MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/${netType} Language/zh_CN ABI/arm64 MiniProgramEnv/android`;
}

/** Public /16 prefixes (checked against ip2region): mostly Chinese carriers, a few abroad. */
const CHINA_PREFIXES = [
  '114.80', // Shanghai Telecom
  '180.168',
  '58.246', // Shanghai Unicom
  '36.110', // Beijing Telecom
  '61.148', // Beijing Unicom
  '124.64',
  '183.14', // Shenzhen Telecom
  '113.87',
  '27.38', // Shenzhen Unicom
  '112.96', // Guangzhou Unicom
  '116.23', // Guangzhou Telecom
  '120.229', // Guangdong Mobile
  '125.119', // Hangzhou Telecom
  '115.236',
  '222.209', // Chengdu Telecom
  '171.221',
  '59.172', // Wuhan Telecom
  '113.57', // Wuhan Unicom
  '49.77', // Nanjing Telecom
  '117.80', // Suzhou Telecom
  '175.0', // Changsha Telecom
  '61.52', // Zhengzhou Unicom
  '120.36', // Fujian Telecom
  '60.208', // Jinan Unicom
  '222.90', // Xi'an Telecom
];
const ABROAD_PREFIXES = ['3.112', '52.68', '153.246', '92.40', '24.48'];

/** A public IPv4 address: 96% from Chinese carriers, weighted towards the big coastal cities. */
export function pickDemoIp(rng: Prng): string {
  const prefix = rng.chance(0.96) ? rng.pick(CHINA_PREFIXES) : rng.pick(ABROAD_PREFIXES);
  return `${prefix}.${rng.int(1, 254)}.${rng.int(1, 254)}`;
}
