// npm run bench:query — report latency on generated data (default 10 million events over 30
// days), each beside the same question as hand-written SQL run directly on DuckDB in the same
// run. Writes bench/results/query.json. BENCH_EVENTS and BENCH_RUNS scale it down or up.
// Each question runs at least BENCH_RUNS times, and fast ones more (up to MAX_RUNS while the
// runs take under RUN_BUDGET_MS), so that their p95 is not simply the slowest of 15 runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import {
  compactParams,
  createQueryContext,
  duckDbDialect,
  findReport,
  type QueryContext,
} from '../../packages/server/src/queries/index.ts';
import { createDuckDbEventStore, type EventStore } from '../../packages/server/src/store/index.ts';
import { createTempDir } from '../../packages/server/src/testing/temp-dir.ts';
import { generateQueryData } from './generate-query-data.ts';
import { QUESTIONS, type HandSql, type Question } from './questions.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const MAX_RUNS = Math.max(RUNS, 60);
const RUN_BUDGET_MS = 10_000;
const DAYS = 30;
const PROJECT = 'bench';
const ZONE = 'Asia/Shanghai';
// Local midnight after the last day of data: 2026-11-21 00:00 in Shanghai.
const END = Date.parse('2026-11-20T16:00:00Z');
const DAY_MS = 86_400_000;

interface BenchRow {
  question: string;
  report: string;
  engineP50Ms: number;
  engineP95Ms: number;
  engineRuns: number;
  sqlP50Ms: number;
  sqlP95Ms: number;
  ratioP95: number;
  targetMs: number;
  meetsTarget: boolean;
  /** A step every exact answer has to take (Question.floor), timed alone. */
  floor?: { label: string; p50Ms: number; p95Ms: number };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

/** Run times of `work`: at least `runs`, then more while they fit the budget (MAX_RUNS). */
async function time(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  await work(); // warm-up: first reads load columns into DuckDB's cache
  const times: number[] = [];
  let spent = 0;
  while (times.length < runs || (times.length < MAX_RUNS && spent < RUN_BUDGET_MS)) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
    spent += times.at(-1) as number;
  }
  return times;
}

async function main() {
  console.log(
    `Sightline query benchmark — ${cpus().length} cores, ${EVENTS.toLocaleString('en')} events over ${DAYS} days, ${RUNS}–${MAX_RUNS} runs each (more for fast questions, within ${RUN_BUDGET_MS / 1000} s)\n`,
  );
  const dir = createTempDir('sightline-query-bench-');
  let store: EventStore | null = null;
  try {
    store = await createDuckDbEventStore({ path: join(dir.path, 'events.duckdb') });
    await store.migrate();
    const generating = performance.now();
    await generateQueryData(store, {
      projectId: PROJECT,
      events: EVENTS,
      days: DAYS,
      end: END,
      people: Math.max(1_000, Math.round(EVENTS / 50)),
    });
    console.log(`generated in ${((performance.now() - generating) / 1000).toFixed(1)} s\n`);
    const base = {
      store,
      dialect: duckDbDialect,
      projectId: PROJECT,
      timeZone: ZONE,
      now: END - 3_600_000,
    };
    const ctxFor = (q: Question): QueryContext =>
      createQueryContext({
        ...base,
        from: q.range === 'today' ? END - DAY_MS : END - DAYS * DAY_MS,
        to: END,
        granularity: q.granularity,
      });
    const rows: BenchRow[] = [];
    for (const question of QUESTIONS) {
      const report = findReport(question.report);
      if (!report) {
        console.log(`(skipped ${question.label}: no report ${question.report})`);
        continue;
      }
      const ctx = ctxFor(question);
      const params = report.params.parse(question.params);
      const engine = await time(RUNS, () => report.run(ctx, params));
      const runSqls = (sqls: HandSql[]) => async () => {
        for (const sql of sqls) {
          const compact = compactParams(sql.sql, sql.params);
          await store?.query(compact.sql, compact.params);
        }
      };
      const baseline = await time(RUNS, runSqls(question.baseline(ctx)));
      const floor = question.floor && {
        label: question.floor.label,
        times: await time(RUNS, runSqls([question.floor.sql(ctx)])),
      };
      const p95 = percentile(engine, 95);
      const baseP95 = percentile(baseline, 95);
      rows.push({
        question: question.label,
        report: question.report,
        engineP50Ms: +percentile(engine, 50).toFixed(1),
        engineP95Ms: +p95.toFixed(1),
        engineRuns: engine.length,
        sqlP50Ms: +percentile(baseline, 50).toFixed(1),
        sqlP95Ms: +baseP95.toFixed(1),
        ratioP95: +(p95 / baseP95).toFixed(2),
        targetMs: question.targetMs,
        meetsTarget: p95 < question.targetMs,
        ...(floor
          ? {
              floor: {
                label: floor.label,
                p50Ms: +percentile(floor.times, 50).toFixed(1),
                p95Ms: +percentile(floor.times, 95).toFixed(1),
              },
            }
          : {}),
      });
    }
    const width = Math.max(...rows.map((r) => r.question.length));
    console.log(
      `${'question'.padEnd(width)}  engine p50/p95 ms   runs   hand SQL p50/p95 ms   ratio   target`,
    );
    for (const r of rows)
      console.log(
        `${r.question.padEnd(width)}  ${`${r.engineP50Ms} / ${r.engineP95Ms}`.padStart(17)}   ${String(r.engineRuns).padStart(4)}   ${`${r.sqlP50Ms} / ${r.sqlP95Ms}`.padStart(19)}   ${`${r.ratioP95}x`.padStart(5)}   < ${r.targetMs} ms ${r.meetsTarget ? 'ok' : 'MISSED'}`,
      );
    console.log('\nratio = engine p95 / hand-written SQL p95 (aim: within 1.5x)');
    const floors = rows.filter((r) => r.floor);
    if (floors.length > 0) {
      console.log('\nfloor: one step every exact answer has to take, timed alone (p50 / p95 ms)');
      for (const r of floors)
        console.log(
          `${r.question.padEnd(width)}  ${`${r.floor?.p50Ms} / ${r.floor?.p95Ms}`.padStart(17)}   ${r.floor?.label}`,
        );
    }
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(
      'bench/results/query.json',
      JSON.stringify(
        {
          machine: { cores: cpus().length },
          events: EVENTS,
          days: DAYS,
          runs: { min: RUNS, max: MAX_RUNS, budgetMs: RUN_BUDGET_MS },
          results: rows,
        },
        null,
        2,
      ) + '\n',
    );
    console.log('wrote bench/results/query.json');
  } finally {
    await store?.close();
    dir.remove();
  }
}

await main();
