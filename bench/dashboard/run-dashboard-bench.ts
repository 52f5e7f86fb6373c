// npm run bench:dashboard — how fast the overview and the realtime screen show their first
// screen, and how fast the overview answers a filter change, in real Chromium against a real
// server on generated data (default 10 million events over 30 days, up to now). Measured in the
// page with the Performance API, each beside the same reports called straight over HTTP in the
// same run (the floor the page cannot beat). Every run starts with an empty result cache, so it
// measures computing the numbers, not serving them again. Writes bench/results/dashboard.json.
// BENCH_EVENTS and BENCH_RUNS scale it; the dashboard must be built (npm start builds it).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../e2e/support/chromium.ts';
import { createTestApp } from '../../packages/server/src/testing/test-app.ts';
import { generateQueryData } from '../query/generate-query-data.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const DAYS = 30;
const PROJECT = 'bench';
const EMAIL = 'bench@example.com';
const PASSWORD = 'bench password 123';
/** Issue targets (seed 001 asks first screen < 3 s and query p95 < 500 ms). */
const TARGETS = { firstScreenMs: 1_500, filterChangeMs: 500 };

interface Row {
  what: string;
  pageP50Ms: number;
  pageP95Ms: number;
  apiP50Ms: number;
  apiP95Ms: number;
  targetMs: number;
  meetsTarget: boolean;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

/** Waits until every panel has its numbers: cards shown, no report loading, charts drawn. */
async function settled(page: Page, cards: number, charts: number): Promise<number> {
  await page.waitForFunction(
    ([wantCards, wantCharts]) => {
      const doc = (
        globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
      ).document;
      return (
        doc.querySelectorAll('[data-testid=kpi-value]').length >= wantCards &&
        doc.querySelectorAll('[data-testid=chart] canvas').length >= wantCharts &&
        doc.querySelectorAll('[aria-busy=true], [data-testid=loading]').length === 0
      );
    },
    [cards, charts] as const,
    { polling: 'raf', timeout: 120_000 },
  );
  return page.evaluate(() => performance.now());
}

async function main() {
  console.log(
    `Sightline dashboard benchmark — ${cpus().length} cores, ${EVENTS.toLocaleString('en')} events over ${DAYS} days, ${RUNS} runs each\n`,
  );
  execFileSync(process.execPath, ['scripts/ensure-dashboard.mjs'], { stdio: 'inherit' });
  const t = await createTestApp();
  const browser = await launchChromium();
  try {
    const { services } = t.app;
    await services.projects.create(
      { id: PROJECT, name: 'Bench shop', timeZone: 'Asia/Shanghai', retentionDays: 400 },
      'bench',
    );
    const now = Date.now();
    const generating = performance.now();
    await generateQueryData(services.eventStore, {
      projectId: PROJECT,
      events: EVENTS,
      days: DAYS,
      end: now,
      people: Math.max(1_000, Math.round(EVENTS / 50)),
    });
    console.log(`generated in ${((performance.now() - generating) / 1000).toFixed(1)} s\n`);
    await services.auth.createUser(
      { email: EMAIL, password: PASSWORD, role: 'analyst', projectIds: [PROJECT] },
      'bench',
    );
    await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const login = await context.request.post(`${base}/api/v1/auth/login`, {
      data: { email: EMAIL, password: PASSWORD },
    });
    if (!login.ok()) throw new Error(`login: ${login.status()}`);

    /** The overview's reports, straight over HTTP side by side (as the page asks for them). */
    const overviewRequests = (range: string) =>
      [
        ['kpis', { range, metrics: OVERVIEW_KPIS, compare: 'previous' }],
        [
          'trends',
          {
            range,
            granularity: 'day',
            series: [{ metric: 'dau' }, { metric: 'uv' }],
            compare: [],
            totals: false,
          },
        ],
        [
          'trends',
          {
            range,
            granularity: 'day',
            series: [{ metric: 'gmv' }, { metric: 'orders' }],
            compare: [],
            totals: false,
          },
        ],
        [
          'trends',
          {
            range,
            granularity: 'all',
            series: [{ metric: 'dau' }],
            breakdown: { dimension: 'channel', limit: 8 },
          },
        ],
        [
          'trends',
          {
            range,
            granularity: 'day',
            series: [{ metric: 'api_latency_p95' }, { metric: 'api_error_rate' }],
            totals: false,
          },
        ],
      ] as const;
    async function apiOnly(requests: ReadonlyArray<readonly [string, object]>): Promise<number> {
      services.queryCache.clear();
      const started = performance.now();
      await Promise.all(
        requests.map(async ([report, body]) => {
          const answer = await context.request.post(
            `${base}/api/v1/projects/${PROJECT}/reports/${report}`,
            { data: body },
          );
          if (!answer.ok()) throw new Error(`${report}: ${answer.status()} ${await answer.text()}`);
        }),
      );
      return performance.now() - started;
    }

    const firstScreen: number[] = [];
    const filterChange: number[] = [];
    const realtime: number[] = [];
    const apiFirst: number[] = [];
    const apiFilter: number[] = [];
    const page = await context.newPage();
    for (let run = 0; run <= RUNS; run += 1) {
      // Overview, first screen: from navigation start to every panel drawn.
      services.queryCache.clear();
      await page.goto(`${base}/p/${PROJECT}/overview`);
      const shown = await settled(page, 10, 4);
      // A filter change: last 7 days.
      // Timed from the select's change event: the moment the page learns of the change, not
      // when the driver starts looking for the control (its checks take ~30 ms here).
      services.queryCache.clear();
      await page.evaluate(() => {
        const g = globalThis as unknown as {
          changedAt?: number;
          document: { addEventListener(type: string, fn: () => void, o: object): void };
        };
        delete g.changedAt;
        g.document.addEventListener('change', () => (g.changedAt = performance.now()), {
          capture: true,
          once: true,
        });
      });
      await page.selectOption('[data-testid=range]', 'last_7_days');
      await page.waitForURL(/range=last_7_days/);
      const drawn = await settled(page, 10, 4);
      const changedAt = await page.evaluate(
        () => (globalThis as unknown as { changedAt?: number }).changedAt,
      );
      if (changedAt === undefined) throw new Error('the range select fired no change event');
      const changed = drawn - changedAt;
      // Realtime screen, first screen.
      services.queryCache.clear();
      await page.goto(`${base}/p/${PROJECT}/realtime`);
      const live = await settled(page, 7, 5);
      const api1 = await apiOnly(overviewRequests('last_30_days'));
      const api2 = await apiOnly(overviewRequests('last_7_days'));
      if (run === 0) continue; // warm-up: the first run loads columns into DuckDB's cache
      firstScreen.push(shown);
      filterChange.push(changed);
      realtime.push(live);
      apiFirst.push(api1);
      apiFilter.push(api2);
    }
    const row = (what: string, pageMs: number[], apiMs: number[], targetMs: number): Row => ({
      what,
      pageP50Ms: Math.round(percentile(pageMs, 50)),
      pageP95Ms: Math.round(percentile(pageMs, 95)),
      apiP50Ms: Math.round(percentile(apiMs, 50)),
      apiP95Ms: Math.round(percentile(apiMs, 95)),
      targetMs,
      meetsTarget: percentile(pageMs, 95) < targetMs,
    });
    const rows = [
      row('overview first screen', firstScreen, apiFirst, TARGETS.firstScreenMs),
      row('overview filter change (last 7 days)', filterChange, apiFilter, TARGETS.filterChangeMs),
      row('realtime first screen', realtime, apiFirst, TARGETS.firstScreenMs),
    ];
    const width = Math.max(...rows.map((r) => r.what.length));
    console.log(`${'view'.padEnd(width)}  page p50/p95 ms   reports over HTTP p50/p95 ms   target`);
    for (const r of rows)
      console.log(
        `${r.what.padEnd(width)}  ${`${r.pageP50Ms} / ${r.pageP95Ms}`.padStart(15)}   ${`${r.apiP50Ms} / ${r.apiP95Ms}`.padStart(28)}   < ${r.targetMs} ms ${r.meetsTarget ? 'ok' : 'MISSED'}`,
      );
    console.log(
      "\npage = in Chromium, navigation start (or the range select's change event) to every panel drawn; reports over HTTP = the overview's reports called side by side without the page (realtime row: the overview's, for scale). Result cache emptied before each.",
    );
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(
      'bench/results/dashboard.json',
      JSON.stringify(
        {
          machine: { cores: cpus().length },
          events: EVENTS,
          days: DAYS,
          runs: RUNS,
          results: rows,
        },
        null,
        2,
      ),
    );
  } finally {
    await browser.close();
    await t.close();
  }
}

const OVERVIEW_KPIS = [
  'dau',
  'new_users',
  'gmv',
  'orders',
  'aov',
  'pay_conversion',
  'refund_rate_amount',
  'task_success_rate',
  'api_latency_p95',
  'api_error_rate',
];

await main();
