import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HttpProbeConfig, ProbeOutcome } from './probe-schemas.ts';

function isExpected(status: number, expected: HttpProbeConfig['expectedStatus']): boolean {
  return typeof expected === 'number'
    ? status === expected
    : status >= expected.min && status <= expected.max;
}

function describeExpected(expected: HttpProbeConfig['expectedStatus']): string {
  return typeof expected === 'number' ? String(expected) : `${expected.min}–${expected.max}`;
}

/** Resolves with the status code once the response headers are in; the body is not read. */
function requestStatus(config: HttpProbeConfig, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(config.url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    // A fresh connection per check (agent: false): connecting is part of what is measured.
    const request = send(url, {
      method: config.method,
      agent: false,
      headers: { 'user-agent': 'sightline-monitor/1', ...config.headers },
    });
    const timer = setTimeout(
      () => request.destroy(new Error(`timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    request.on('response', (response) => {
      clearTimeout(timer);
      resolve(response.statusCode ?? 0);
      // Headers are the answer; a large or endless body must not keep the check running.
      response.destroy();
      request.destroy();
    });
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end();
  });
}

export async function probeHttp(
  config: HttpProbeConfig,
  options: { timeoutMs: number },
): Promise<ProbeOutcome> {
  const statusCode = await requestStatus(config, options.timeoutMs);
  if (!isExpected(statusCode, config.expectedStatus)) {
    return {
      status: 'down',
      error: `HTTP ${statusCode}, expected ${describeExpected(config.expectedStatus)}`,
      detail: { statusCode },
    };
  }
  return { status: 'up', error: null, detail: { statusCode } };
}
