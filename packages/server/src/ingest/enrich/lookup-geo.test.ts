import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createGeoLookup } from './lookup-geo.ts';

/** [ip, country, province, city], as the bundled ip2region 2.3.0 database answers. */
type Row = [string, string | null, string | null, string | null];

describe('createGeoLookup', () => {
  const geo = createGeoLookup();

  it.each<Row>([
    ['120.24.78.68', '中国', '广东省', '深圳市'],
    ['114.114.114.114', '中国', '江苏省', '南京市'],
    ['223.5.5.5', '中国', '浙江省', '杭州市'],
    // The IPv4 database names municipalities without 市 at province level.
    ['61.135.169.121', '中国', '北京', '北京市'],
    ['8.8.8.8', '美国', null, null],
    ['1.1.1.1', '澳大利亚', null, null],
    ['81.2.69.142', '英国', null, null],
    ['2400:3200:baba::1', '中国', '浙江省', '杭州市'],
    ['2402:4e00:1::1', '中国', '广东省', '深圳市'],
    ['240e:e9::1', '中国', '江苏省', null],
    ['2a00:1450:4001:80b::200e', '德国', null, null],
    // Google's anycast range has no country in the IPv6 database.
    ['2001:4860:4860::8888', null, null, null],
    ['::ffff:120.24.78.68', '中国', '广东省', '深圳市'],
    ['2002:7818:4e44::1', '中国', '广东省', '深圳市'],
    ['64:ff9b::808:808', '美国', null, null],
  ])('%s → %s %s %s', (ip, country, province, city) => {
    expect(geo.lookup(ip)).toEqual({ country, province, city });
  });

  it.each([
    [undefined],
    [''],
    ['not-an-ip'],
    ['10.0.0.1'],
    ['127.0.0.1'],
    ['169.254.1.1'],
    ['192.168.1.1'],
    ['::1'],
    ['fe80::1'],
    ['fd00::1'],
  ])('%j → all null', (ip) => {
    expect(geo.lookup(ip)).toEqual({ country: null, province: null, city: null });
  });

  it('answers from the cache for every address in the same /24', () => {
    const first = geo.lookup('183.3.226.1');
    expect(first).toEqual({ country: '中国', province: '广东省', city: '深圳市' });
    expect(geo.lookup('183.3.226.254')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('answers from the cache for every address in the same /48', () => {
    const first = geo.lookup('2408:8000:1010:1::1');
    expect(first).toEqual({ country: '中国', province: '北京市', city: null });
    expect(geo.lookup('2408:8000:1010:ffff::2')).toBe(first);
  });

  // vitest unwraps CommonJS default exports and Node does not, so check the real loader too.
  it('loads ip2region under plain Node with tsx, as the server runs', () => {
    const moduleUrl = new URL('./lookup-geo.ts', import.meta.url).href;
    const script = `const { createGeoLookup } = await import(${JSON.stringify(moduleUrl)});
process.stdout.write(JSON.stringify(createGeoLookup().lookup('120.24.78.68')));`;
    const output = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      // --import resolves tsx from the working directory; this folder finds the workspace's.
      { encoding: 'utf8', cwd: fileURLToPath(new URL('.', import.meta.url)) },
    );
    expect(JSON.parse(output)).toEqual({ country: '中国', province: '广东省', city: '深圳市' });
  });
});
