import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { claimDataDir } from '../bootstrap/index.ts';
import { createWriteBatch } from '../store/index.ts';
import { makeOrderRow } from '../testing/order-row-fixture.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { runSightline } from '../testing/server-process.ts';
import { createTempDir } from '../testing/temp-dir.ts';
import { runCli } from './run-cli.ts';

describe('sightline query without a server', () => {
  it('opens the data directory itself', () => {
    const dir = createTempDir();
    try {
      expect(
        runSightline(['--data-dir', dir.path, 'project', 'create', 'S', '--id', 's']).code,
      ).toBe(0);
      const run = runSightline([
        '--data-dir',
        dir.path,
        'query',
        'kpis',
        '--project',
        's',
        '--range',
        'today',
        '--metric',
        'gmv',
      ]);
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toMatchObject({
        report: 'kpis',
        projectId: 's',
        result: { kpis: [{ metric: 'gmv', value: 0 }] },
      });
    } finally {
      dir.remove();
    }
  });
});

describe('sightline query', () => {
  let t: TestApp;
  let out: string[];

  beforeEach(async () => {
    t = await createTestApp();
    // Local (Shanghai) 2026-11-20: 1,000 + 2,500 on wechat; the 21st: 4,000 on douyin.
    await t.app.services.eventStore.commit(
      createWriteBatch({
        orders: [
          makeOrderRow({
            projectId: 'shop',
            orderId: 'a',
            payAmount: 1_000,
            channel: 'wechat',
            paidAt: Date.parse('2026-11-19T16:00:00Z'),
          }),
          makeOrderRow({
            projectId: 'shop',
            orderId: 'b',
            payAmount: 2_500,
            channel: 'wechat',
            paidAt: Date.parse('2026-11-20T15:59:59Z'),
          }),
          makeOrderRow({
            projectId: 'shop',
            orderId: 'c',
            payAmount: 4_000,
            channel: 'douyin',
            paidAt: Date.parse('2026-11-20T16:00:00Z'),
          }),
        ],
      }),
    );
    out = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.close();
  });

  const cli = (...args: string[]) =>
    runCli(['node', 'sightline', '--data-dir', t.config.dataDir, 'query', ...args]);
  const gmvByDay = [
    'trends',
    '--project',
    'shop',
    '--from',
    '2026-11-20',
    '--to',
    '2026-11-21',
    '--metric',
    'gmv',
  ];

  it('runs a report through the running server and prints CSV', async () => {
    await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.fastify.server.address();
    const release = claimDataDir(
      t.config.dataDir,
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    );
    try {
      expect(await cli(...gmvByDay, '--format', 'csv')).toBe(0);
    } finally {
      release();
    }
    expect(out.join('')).toBe(
      'series,group,2026-11-20,2026-11-21,total\r\nGMV (paid),,3500,4000,7500\r\n',
    );
    // The command's token was revoked after use.
    const [revoked] = await t.app.services.audit.list({ action: 'token.revoke', limit: 1 });
    expect(revoked).toMatchObject({ actor: 'cli' });
  });

  it('breaks down and filters, and reports bad parameters with their code', async () => {
    await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.fastify.server.address();
    const release = claimDataDir(
      t.config.dataDir,
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    );
    try {
      expect(
        await cli(
          ...gmvByDay,
          '--breakdown',
          'channel',
          '--filter',
          'channel=douyin',
          '--format',
          'json',
        ),
      ).toBe(0);
      const run = JSON.parse(out.join('')) as { result: { series: Array<{ groups: unknown[] }> } };
      expect(run.result.series[0]?.groups).toEqual([
        { key: 'douyin', values: [0, 4_000], total: 4_000 },
      ]);
      const errors: string[] = [];
      vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
      expect(await cli('trends', '--project', 'shop', '--range', 'today', '--metric', 'nope')).toBe(
        1,
      );
      expect(errors.join('\n')).toContain('ERR_QUERY_INVALID');
    } finally {
      release();
    }
  });
});
