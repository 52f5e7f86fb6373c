// npm run bench:ingest — ingest throughput, acknowledgement latency and memory under overload,
// each beside a same-run baseline (parsing plus raw appends without HTTP). Writes
// bench/results/ingest.json. BENCH_SECONDS scales the phases (default 10).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { createTempDir } from '../../packages/server/src/testing/temp-dir.ts';
import {
  runSightline,
  startServerProcess,
} from '../../packages/server/src/testing/server-process.ts';
import { residentSetMb } from '../support/resident-set.ts';
import { percentile, runClosedLoop, runOpenLoop, type LoadResult } from './load-client.ts';
import { measureBaseline } from './measure-baseline.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/**
 * 256 × 500 events in flight against a 50,000-event writer queue: some requests must be refused
 * with 503. (The other phases keep at most 3,200 events in flight, so the queue size does not
 * affect them.)
 */
const OVERLOAD_CONNECTIONS = 256;
const WRITER_QUEUE_MAX_EVENTS = 50_000;
/** Enough requests in flight that the server, not the round trip, limits throughput. */
const SUSTAINED_CONNECTIONS = 32;
const dir = createTempDir('sightline-bench-');

/** User + system CPU time of a process so far, in ms (Linux clock ticks are 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const rssMb = (pid: number): number => residentSetMb(pid)?.rss ?? Number.NaN;

function summarise(result: LoadResult) {
  return {
    eventsPerSec: Math.round((result.events * 1000) / result.elapsedMs),
    requests: result.requests,
    statuses: result.statuses,
    p50Ms: +percentile(result.latenciesMs, 50).toFixed(1),
    p95Ms: +percentile(result.latenciesMs, 95).toFixed(1),
    p99Ms: +percentile(result.latenciesMs, 99).toFixed(1),
  };
}

async function main() {
  console.log(`Sightline ingest benchmark — ${cpus().length} cores, ${SECONDS}s phases\n`);
  const baselineEvents = 200_000;
  const raw = await measureBaseline('raw', dir.path, baselineEvents);
  const pipeline = await measureBaseline('pipeline', dir.path, baselineEvents);

  const dataDir = `${dir.path}/server`;
  const created = runSightline([
    '--data-dir',
    dataDir,
    'project',
    'create',
    'Bench',
    '--id',
    'bench',
    '--json',
  ]);
  if (created.code !== 0) throw new Error(created.stderr);
  const writeKey = (JSON.parse(created.stdout) as { writeKey: string }).writeKey;
  const server = await startServerProcess(dataDir, {
    SIGHTLINE_RATE_LIMIT_KEY_PER_SEC: '10000000',
    SIGHTLINE_RATE_LIMIT_KEY_BURST: '10000000',
    SIGHTLINE_RATE_LIMIT_IP_PER_SEC: '10000000',
    SIGHTLINE_RATE_LIMIT_IP_BURST: '10000000',
    SIGHTLINE_WRITER_QUEUE_MAX_EVENTS: String(WRITER_QUEUE_MAX_EVENTS),
  });
  const base = { url: server.url, writeKey, batchSize: 100 };
  const idleRss = rssMb(server.pid);

  await runClosedLoop({ ...base, connections: 8, durationMs: 2_000, runTag: 10 }); // warm-up
  const serverCpu0 = cpuMs(server.pid);
  const clientCpu0 = process.cpuUsage();
  const sustained = await runClosedLoop({
    ...base,
    connections: SUSTAINED_CONNECTIONS,
    durationMs: SECONDS * 1_000,
    runTag: 11,
  });
  const clientCpu = process.cpuUsage(clientCpu0);
  const cpuPerEvent = {
    serverUs: +(((cpuMs(server.pid) - serverCpu0) * 1000) / sustained.events).toFixed(1),
    loadGeneratorUs: +((clientCpu.user + clientCpu.system) / sustained.events).toFixed(1),
  };
  // Let the backlog of the saturating phase drain (and the checkpoint it triggers) so the paced
  // phase measures steady 10,000 events/s rather than recovery from the previous phase.
  await settle(server.url);
  const paced = await runOpenLoop({
    ...base,
    requestsPerSec: 100,
    durationMs: SECONDS * 1_000,
    runTag: 12,
  });

  let peakRss = rssMb(server.pid);
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(server.pid))), 100);
  const overload = await runClosedLoop({
    ...base,
    batchSize: 500,
    connections: OVERLOAD_CONNECTIONS,
    durationMs: Math.max(3, SECONDS / 2) * 1_000,
    runTag: 13,
  });
  clearInterval(sampler);
  const readyAfter = (await fetch(`${server.url}/readyz`)).status;
  await server.stop();

  const results = {
    machine: { cores: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
    baseline: {
      rawParseAppend: { events: raw.events, eventsPerSec: Math.round(raw.eventsPerSec) },
      pipelineNoHttp: { events: pipeline.events, eventsPerSec: Math.round(pipeline.eventsPerSec) },
    },
    httpSustained: {
      connections: SUSTAINED_CONNECTIONS,
      batchSize: 100,
      ...summarise(sustained),
      cpuPerEvent,
    },
    httpAt10kEventsPerSec: { requestsPerSec: 100, batchSize: 100, ...summarise(paced) },
    overload: {
      connections: OVERLOAD_CONNECTIONS,
      batchSize: 500,
      ...summarise(overload),
      idleRssMb: Math.round(idleRss),
      peakRssMb: Math.round(peakRss),
      readyAfter,
      writerQueueMaxEvents: WRITER_QUEUE_MAX_EVENTS,
    },
  };
  const rows: Array<[string, string, string]> = [
    [
      'baseline: parse + raw appends (no HTTP)',
      `${results.baseline.rawParseAppend.eventsPerSec} ev/s`,
      '1.00x',
    ],
    [
      'baseline: parse + full pipeline (no HTTP)',
      `${results.baseline.pipelineNoHttp.eventsPerSec} ev/s`,
      ratio(results.baseline.pipelineNoHttp.eventsPerSec, raw.eventsPerSec),
    ],
    [
      `HTTP sustained, ${SUSTAINED_CONNECTIONS} conns × 100-event batches`,
      `${results.httpSustained.eventsPerSec} ev/s`,
      ratio(results.httpSustained.eventsPerSec, raw.eventsPerSec),
    ],
    [
      '  ack latency p50 / p99',
      `${results.httpSustained.p50Ms} / ${results.httpSustained.p99Ms} ms`,
      '',
    ],
    [
      '  CPU per event: server / load generator',
      `${cpuPerEvent.serverUs} / ${cpuPerEvent.loadGeneratorUs} µs`,
      `${cpus().length} cores → ≤ ${Math.round((cpus().length * 1e6) / (cpuPerEvent.serverUs + cpuPerEvent.loadGeneratorUs))} ev/s if every core were busy`,
    ],
    [
      'HTTP paced at 10,000 ev/s: ack p50 / p95 / p99',
      `${results.httpAt10kEventsPerSec.p50Ms} / ${results.httpAt10kEventsPerSec.p95Ms} / ${results.httpAt10kEventsPerSec.p99Ms} ms`,
      `target p99 < 100 ms`,
    ],
    [
      '  achieved',
      `${results.httpAt10kEventsPerSec.eventsPerSec} ev/s`,
      JSON.stringify(results.httpAt10kEventsPerSec.statuses),
    ],
    [
      `overload, ${OVERLOAD_CONNECTIONS} conns × 500-event batches`,
      `${results.overload.eventsPerSec} ev/s stored`,
      JSON.stringify(results.overload.statuses),
    ],
    [
      '  server RSS idle → peak',
      `${results.overload.idleRssMb} → ${results.overload.peakRssMb} MB`,
      `readyz after: ${readyAfter}; writer queue ${WRITER_QUEUE_MAX_EVENTS} events`,
    ],
  ];
  const width = Math.max(...rows.map(([a]) => a.length));
  for (const [label, value, note] of rows)
    console.log(`${label.padEnd(width)}  ${value.padStart(24)}  ${note}`);
  console.log(
    `\ntarget: ≥ 50,000 ev/s sustained over HTTP; p99 < 100 ms at 10,000 ev/s; bounded memory under overload`,
  );
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/ingest.json', JSON.stringify(results, null, 2) + '\n');
  console.log('wrote bench/results/ingest.json');
}

/**
 * Waits until the server has nothing waiting: no request in the writer queue and no
 * acknowledged event still to apply to DuckDB (which includes the checkpoint an apply may run),
 * then a moment more.
 */
async function settle(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ready = (await (await fetch(`${url}/readyz`)).json()) as {
      writer: { queueDepth: number };
      store: { applyBacklogEvents?: number };
    };
    if (ready.writer.queueDepth === 0 && (ready.store.applyBacklogEvents ?? 0) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
}

function ratio(value: number, baseline: number): string {
  return `${(value / baseline).toFixed(2)}x`;
}

try {
  await main();
} finally {
  dir.remove();
}
