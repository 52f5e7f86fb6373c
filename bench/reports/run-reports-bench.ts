// npm run bench:reports — the daily report on a default demo project (30 days of generated
// traffic) from queued to files on disk, beside the same headline numbers asked of the query
// layer alone in the same run; and a one-million-row CSV export with its peak memory, beside
// DuckDB writing the same rows itself, first in a process that holds the export service and the
// event store (the server's bundle), then through the API of a running server. Writes
// bench/results/reports.json.
// BENCH_EXPORT_ROWS and BENCH_DEMO_DAYS scale it down (or up).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../packages/server/src/app.ts';
import { seedDemo } from '../../packages/server/src/bootstrap/seed-demo.ts';
import { ensureSecrets, loadConfig } from '../../packages/server/src/config/index.ts';
import { createFakeClock } from '../../packages/server/src/platform/index.ts';
import {
  createQueryCache,
  findReport,
  runReport,
} from '../../packages/server/src/queries/index.ts';
import { createTempDir } from '../../packages/server/src/testing/temp-dir.ts';
import { measureExport, measureExportInServer } from './measure-export.ts';

const EXPORT_ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
const DEMO_DAYS = Number(process.env.BENCH_DEMO_DAYS ?? 30);
const REPORT_RUNS = Number(process.env.BENCH_RUNS ?? 3);
// 07:55 in Shanghai on 2026-11-21: the daily report covers 2026-11-20.
const NOW = Date.parse('2026-11-20T23:55:00Z');
const REPORT_TARGET_S = 10;
const EXPORT_TARGET_S = 60;
const EXPORT_TARGET_MB = 300;

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

async function measureDailyReport(dir: string) {
  const config = ensureSecrets(
    loadConfig({
      env: {
        SIGHTLINE_DATA_DIR: dir,
        SIGHTLINE_DEMO: '0',
        SIGHTLINE_LOG_LEVEL: 'silent',
        SIGHTLINE_ALERT_TICK_MS: '0',
        SIGHTLINE_ANOMALY_SCAN_MS: '0',
        SIGHTLINE_REPORT_TICK_MS: '0',
      },
    }),
  );
  const app = await buildApp({ config, clock: createFakeClock(NOW) });
  try {
    const started = performance.now();
    const seeded = await seedDemo(app.services, { days: DEMO_DAYS, seed: 42, scale: 1 });
    console.log(
      `demo: ${seeded.accepted.toLocaleString()} events in ${round((performance.now() - started) / 1000, 1)} s`,
    );
    const { reports, eventStore, projects } = app.services;
    const project = await projects.get(seeded.projectId);
    const reportSeconds: number[] = [];
    const baselineSeconds: number[] = [];
    for (let i = 0; i < REPORT_RUNS; i += 1) {
      // A fresh cache each time: a scheduled report meets a cold cache at 08:00.
      const kpis = findReport('kpis');
      if (!kpis) throw new Error('no kpis report');
      const baseline = performance.now();
      await runReport(
        { eventStore, cache: createQueryCache({ store: eventStore }), now: NOW },
        kpis,
        project,
        {
          from: '2026-11-20',
          to: '2026-11-20',
          metrics: ['gmv', 'orders', 'aov', 'paying_users', 'refund_amount', 'dau', 'new_users'],
          compare: 'year',
        },
        [],
      );
      baselineSeconds.push((performance.now() - baseline) / 1000);
      const t0 = performance.now();
      const run = await reports.waitFor(
        await reports.generate(
          seeded.projectId,
          { kind: 'daily', date: '2026-11-20', deliver: false },
          { actor: 'bench', trigger: 'cli' },
        ),
      );
      if (run.status !== 'done') throw new Error(`report failed: ${run.error ?? 'unknown'}`);
      reportSeconds.push((performance.now() - t0) / 1000);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;
    return {
      events: seeded.accepted,
      reportSeconds: round(median(reportSeconds)),
      reportMaxSeconds: round(Math.max(...reportSeconds)),
      kpisOnlySeconds: round(median(baselineSeconds), 3),
    };
  } finally {
    await app.close();
  }
}

const tmp = createTempDir('sightline-bench-reports-');
try {
  // The export first: its memory is the figure, and a demo seeded before would inflate it.
  const exportOptions = { rows: EXPORT_ROWS, dir: join(tmp.path, 'export') };
  const exported = await measureExport(exportOptions);
  const inServer = await measureExportInServer(exportOptions);
  const report = await measureDailyReport(join(tmp.path, 'demo'));
  const rows = [
    {
      figure: 'daily report, demo project (s)',
      value: report.reportSeconds,
      baseline: report.kpisOnlySeconds,
      baselineIs: 'headline KPIs alone through the query layer',
      target: `< ${REPORT_TARGET_S}`,
      meetsTarget: report.reportMaxSeconds < REPORT_TARGET_S,
    },
    {
      figure: `CSV export, ${EXPORT_ROWS.toLocaleString()} rows (s)`,
      value: round(exported.seconds),
      baseline: round(exported.baselineSeconds),
      baselineIs: 'DuckDB COPY of the same rows',
      target: `< ${EXPORT_TARGET_S}`,
      meetsTarget: exported.seconds < EXPORT_TARGET_S,
    },
    {
      figure: 'CSV export: process peak RSS (MB)',
      value: round(exported.peakRssMb, 0),
      baseline: round(exported.startRssMb, 0),
      baselineIs: 'the export process before the export (server bundle, DuckDB)',
      target: `< ${EXPORT_TARGET_MB}`,
      meetsTarget: exported.peakRssMb < EXPORT_TARGET_MB,
    },
    {
      figure: 'CSV export: memory the export added (MB)',
      value: round(exported.peakRssMb - exported.startRssMb, 0),
      baseline: null,
      baselineIs: '',
      target: `< ${EXPORT_TARGET_MB}`,
      meetsTarget: exported.peakRssMb - exported.startRssMb < EXPORT_TARGET_MB,
    },
    {
      figure: 'CSV export via the API of a running server (s)',
      value: round(inServer.seconds),
      baseline: round(exported.seconds),
      baselineIs: 'the export process above',
      target: `< ${EXPORT_TARGET_S}`,
      meetsTarget: inServer.seconds < EXPORT_TARGET_S,
    },
    {
      // Everything else a server holds is in this figure too; the export's own memory is the
      // difference from the idle figure.
      figure: 'running server: peak RSS with the export (MB)',
      value: round(inServer.peakRssMb, 0),
      baseline: round(inServer.idleRssMb, 0),
      baselineIs: 'the same server idle before the export',
      target: null,
      meetsTarget: null,
    },
  ];
  console.table(rows);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/reports.json',
    `${JSON.stringify(
      {
        machine: { cores: cpus().length },
        demoDays: DEMO_DAYS,
        demoEvents: report.events,
        reportRuns: REPORT_RUNS,
        exportRows: EXPORT_ROWS,
        exportBytes: exported.bytes,
        results: rows,
      },
      null,
      2,
    )}\n`,
  );
  console.log('wrote bench/results/reports.json');
} finally {
  tmp.remove();
}
