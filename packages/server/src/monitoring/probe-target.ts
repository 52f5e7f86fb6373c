import type { Clock } from '../platform/index.ts';
import { probeHttp } from './probe-http.ts';
import { probeMysql } from './probe-mysql.ts';
import { probePostgres } from './probe-postgres.ts';
import type { ProbeOutcome, ProbeResult, ProbeSpec } from './probe-schemas.ts';
import { exchangeOverTcp } from './tcp-exchange.ts';

export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

export interface ProbeTargetOptions {
  clock: Clock;
  /** A check without an answer by then is down; default 10 s. */
  timeoutMs?: number;
}

async function runProbe(target: ProbeSpec, timeoutMs: number): Promise<ProbeOutcome> {
  switch (target.kind) {
    case 'http':
      return probeHttp(target.config, { timeoutMs });
    case 'tcp':
      await exchangeOverTcp({ host: target.config.host, port: target.config.port, timeoutMs });
      return { status: 'up', error: null, detail: {} };
    case 'postgres':
      return probePostgres(target.config, { timeoutMs });
    case 'mysql':
      return probeMysql(target.config, { timeoutMs });
  }
}

/** Node's connection errors may be an AggregateError (one per address tried) with no message. */
function describeFailure(error: unknown): string {
  if (error instanceof AggregateError && error.errors[0] !== undefined) {
    return describeFailure(error.errors[0]);
  }
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return error.message || (typeof code === 'string' ? code : error.name);
}

/**
 * Checks one target once. Never throws: a refusal, a timeout or a wrong answer is a `down`
 * result with the reason in `error`. Up but slower than the target's maxLatencyMs is `degraded`.
 */
export async function probeTarget(
  target: ProbeSpec,
  options: ProbeTargetOptions,
): Promise<ProbeResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const startedAt = options.clock.now();
  let outcome: ProbeOutcome;
  try {
    outcome = await runProbe(target, timeoutMs);
  } catch (error) {
    outcome = { status: 'down', error: describeFailure(error), detail: {} };
  }
  const latencyMs = Math.max(0, options.clock.now() - startedAt);
  const { maxLatencyMs } = target.config;
  if (outcome.status === 'up' && maxLatencyMs !== undefined && latencyMs > maxLatencyMs) {
    return {
      ...outcome,
      status: 'degraded',
      latencyMs,
      error: `answered in ${latencyMs} ms, slower than ${maxLatencyMs} ms`,
    };
  }
  return { ...outcome, latencyMs };
}
