import { SightlineError } from '@sightline/shared';
import { describe, expect, it } from 'vitest';
import {
  SECRET_MASK,
  channelConfigSchema,
  mergeChannelSecrets,
  redactChannelConfig,
  type ChannelConfig,
} from './channel-config.ts';

const DINGTALK_URL = 'https://oapi.dingtalk.com/robot/send?access_token=abc123def456';
const WECOM_URL = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4';
const SLACK_URL = 'https://hooks.slack.com/services/T0001/B0002/XXXXXXXXXXXXXXXXXXXXXXXX';
const FEISHU_URL = 'https://open.feishu.cn/open-apis/bot/v2/hook/5e3d587e-d78e-4a07-bd07';

function parse(value: unknown) {
  return channelConfigSchema.safeParse(value);
}

describe('channelConfigSchema', () => {
  it('accepts each kind with its fields', () => {
    const configs: ChannelConfig[] = [
      {
        kind: 'webhook',
        url: 'https://hooks.example.com/a',
        secret: 's',
        headers: { 'X-Env': 'prod' },
      },
      { kind: 'dingtalk', url: DINGTALK_URL, secret: 'SECabc' },
      { kind: 'dingtalk', url: DINGTALK_URL },
      { kind: 'feishu', url: FEISHU_URL, secret: 'fs' },
      { kind: 'wecom', url: WECOM_URL },
      { kind: 'slack', url: SLACK_URL },
      { kind: 'email', to: ['ops@example.com', 'oncall@example.com'] },
    ];
    for (const config of configs)
      expect(parse(config)).toMatchObject({ success: true, data: config });
  });

  it.each([
    ['a non-http URL', { kind: 'slack', url: 'ftp://hooks.example.com/x' }],
    ['a javascript: URL', { kind: 'webhook', url: 'javascript:alert(1)' }],
    [
      'a URL over 2048 characters',
      { kind: 'wecom', url: `https://a.example.com/${'x'.repeat(2048)}` },
    ],
    ['an empty secret', { kind: 'dingtalk', url: DINGTALK_URL, secret: '  ' }],
    ['a secret over 256 characters', { kind: 'feishu', url: FEISHU_URL, secret: 's'.repeat(257) }],
    ['no recipients', { kind: 'email', to: [] }],
    [
      '51 recipients',
      { kind: 'email', to: Array.from({ length: 51 }, (_, i) => `u${i}@example.com`) },
    ],
    ['a bad address', { kind: 'email', to: ['not-an-address'] }],
    ['a duplicate recipient', { kind: 'email', to: ['a@example.com', 'A@example.com'] }],
    ['an unknown kind', { kind: 'pager', url: 'https://example.com' }],
    [
      '11 headers',
      {
        kind: 'webhook',
        url: 'https://example.com',
        headers: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`X-H${i}`, 'v'])),
      },
    ],
    [
      'a header with a line break',
      { kind: 'webhook', url: 'https://e.com', headers: { 'X-A': 'a\r\nB: c' } },
    ],
    [
      'a reserved header',
      { kind: 'webhook', url: 'https://e.com', headers: { 'Content-Type': 'x' } },
    ],
    [
      'a signature header',
      { kind: 'webhook', url: 'https://e.com', headers: { 'x-sightline-signature': 'x' } },
    ],
    ['a bad header name', { kind: 'webhook', url: 'https://e.com', headers: { 'X A': 'v' } }],
  ])('refuses %s', (_name, value) => {
    expect(parse(value).success).toBe(false);
  });
});

describe('redactChannelConfig', () => {
  it('masks secrets, header values and the credential parts of URLs', () => {
    expect(redactChannelConfig({ kind: 'dingtalk', url: DINGTALK_URL, secret: 'SECabc' })).toEqual({
      kind: 'dingtalk',
      url: `https://oapi.dingtalk.com/robot/send?access_token=${SECRET_MASK}`,
      secret: SECRET_MASK,
    });
    expect(redactChannelConfig({ kind: 'wecom', url: WECOM_URL })).toEqual({
      kind: 'wecom',
      url: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${SECRET_MASK}`,
    });
    expect(redactChannelConfig({ kind: 'slack', url: SLACK_URL })).toEqual({
      kind: 'slack',
      url: `https://hooks.slack.com/services/T0001/B0002/${SECRET_MASK}`,
    });
    expect(redactChannelConfig({ kind: 'feishu', url: FEISHU_URL })).toEqual({
      kind: 'feishu',
      url: `https://open.feishu.cn/open-apis/bot/v2/hook/${SECRET_MASK}`,
    });
    expect(
      redactChannelConfig({
        kind: 'webhook',
        url: 'https://bot:pw@hooks.example.com/in?team=ops&token=t0k',
        secret: 'whsec',
        headers: { Authorization: 'Bearer xyz', 'X-Env': 'prod' },
      }),
    ).toEqual({
      kind: 'webhook',
      url: `https://bot:${SECRET_MASK}@hooks.example.com/in?team=ops&token=${SECRET_MASK}`,
      secret: SECRET_MASK,
      headers: { Authorization: SECRET_MASK, 'X-Env': SECRET_MASK },
    });
    expect(redactChannelConfig({ kind: 'email', to: ['ops@example.com'] })).toEqual({
      kind: 'email',
      to: ['ops@example.com'],
    });
  });

  it('gives nothing of the secrets away', () => {
    const secrets = ['abc123def456', 'SECabc', '693a91f6-7xxx-4bc4', 'XXXXXXXXXXXXXXXXXXXXXXXX'];
    const configs: ChannelConfig[] = [
      { kind: 'dingtalk', url: DINGTALK_URL, secret: 'SECabc' },
      { kind: 'wecom', url: WECOM_URL },
      { kind: 'slack', url: SLACK_URL },
    ];
    for (const config of configs) {
      const shown = JSON.stringify(redactChannelConfig(config));
      for (const secret of secrets) expect(shown).not.toContain(secret);
    }
  });

  it('produces an edit the schema accepts', () => {
    const config: ChannelConfig = { kind: 'dingtalk', url: DINGTALK_URL, secret: 'SECabc' };
    expect(parse(redactChannelConfig(config)).success).toBe(true);
  });
});

describe('mergeChannelSecrets', () => {
  const webhook: ChannelConfig = {
    kind: 'webhook',
    url: 'https://bot:pw@hooks.example.com/in?team=ops&token=t0k',
    secret: 'whsec',
    headers: { Authorization: 'Bearer xyz', 'X-Env': 'prod' },
  };

  it('keeps every stored secret when the redacted config comes back unchanged', () => {
    const configs: ChannelConfig[] = [
      webhook,
      { kind: 'dingtalk', url: DINGTALK_URL, secret: 'SECabc' },
      { kind: 'feishu', url: FEISHU_URL, secret: 'fs' },
      { kind: 'wecom', url: WECOM_URL },
      { kind: 'slack', url: SLACK_URL },
      { kind: 'email', to: ['ops@example.com'] },
    ];
    for (const config of configs) {
      const edited = channelConfigSchema.parse(redactChannelConfig(config));
      expect(mergeChannelSecrets(config, edited)).toEqual(config);
    }
  });

  it('takes new values where the edit gives them, and keeps the rest', () => {
    const edited = channelConfigSchema.parse({
      kind: 'webhook',
      url: `https://bot:${SECRET_MASK}@hooks.example.com/in?team=sre&token=${SECRET_MASK}`,
      secret: 'new-secret',
      headers: { authorization: SECRET_MASK, 'X-Env': 'staging' },
    });
    expect(mergeChannelSecrets(webhook, edited)).toEqual({
      kind: 'webhook',
      url: 'https://bot:pw@hooks.example.com/in?team=sre&token=t0k',
      secret: 'new-secret',
      headers: { authorization: 'Bearer xyz', 'X-Env': 'staging' },
    });
  });

  it('drops a secret the edit leaves out', () => {
    const stored: ChannelConfig = { kind: 'dingtalk', url: DINGTALK_URL, secret: 'SECabc' };
    const edited: ChannelConfig = { kind: 'dingtalk', url: DINGTALK_URL };
    expect(mergeChannelSecrets(stored, edited)).toEqual({ kind: 'dingtalk', url: DINGTALK_URL });
  });

  it('refuses a mask with nothing stored behind it', () => {
    const cases: Array<[ChannelConfig, ChannelConfig, string]> = [
      [
        { kind: 'dingtalk', url: DINGTALK_URL },
        { kind: 'dingtalk', url: DINGTALK_URL, secret: SECRET_MASK },
        'secret',
      ],
      [
        { kind: 'wecom', url: WECOM_URL },
        {
          kind: 'dingtalk',
          url: `https://oapi.dingtalk.com/robot/send?access_token=${SECRET_MASK}`,
        },
        'url',
      ],
      [
        { kind: 'wecom', url: WECOM_URL },
        {
          kind: 'wecom',
          url: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?token=${SECRET_MASK}`,
        },
        'url parameter token',
      ],
      [webhook, { ...webhook, headers: { 'X-New': SECRET_MASK } }, 'header X-New'],
    ];
    for (const [stored, edited, field] of cases) {
      let thrown: unknown;
      try {
        mergeChannelSecrets(stored, edited);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SightlineError);
      expect(thrown).toMatchObject({ code: 'ERR_ALERT_CHANNEL_MASK_UNRESOLVED', status: 400 });
      expect((thrown as Error).message).toContain(field);
    }
  });
});
