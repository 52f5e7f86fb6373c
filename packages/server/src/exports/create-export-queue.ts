import type { ExportsLogger } from './exports-logger.ts';

export interface QueuedExport {
  id: string;
  projectId: string;
}

export interface ExportQueue {
  push(job: QueuedExport): void;
  /** Jobs waiting (not running): all, or one project's. */
  waiting(projectId?: string): number;
  /** Whether the job is waiting or running here (in this process). */
  has(id: string): boolean;
  /** The job running now, if any. */
  runningId(): string | null;
  /** Takes a waiting job out, or aborts the running one and waits until it has stopped. */
  drop(id: string): Promise<void>;
  /** Starts running jobs, one at a time. */
  start(): void;
  /** Stops taking jobs; returns the waiting ones (taken out); aborts and awaits the running one. */
  stop(): Promise<QueuedExport[]>;
  /** Resolves when nothing is waiting or running. */
  settled(): Promise<void>;
}

/**
 * An in-process queue with one job running at a time: on two cores a second export would only
 * slow the first and take CPU from ingest. Jobs do not survive a restart (their records say so).
 */
export function createExportQueue(options: {
  run(id: string, signal: AbortSignal): Promise<void>;
  logger: ExportsLogger;
}): ExportQueue {
  const waiting: QueuedExport[] = [];
  const waiters: Array<() => void> = [];
  let current: { id: string; controller: AbortController; done: Promise<void> } | null = null;
  let running = false;

  function pump(): void {
    if (current) return;
    const next = running ? waiting.shift() : undefined;
    if (!next) {
      if (waiting.length === 0 || !running) for (const resolve of waiters.splice(0)) resolve();
      return;
    }
    const controller = new AbortController();
    const done = options
      .run(next.id, controller.signal)
      .catch((error: unknown) =>
        options.logger.error({ err: error, exportId: next.id }, 'export runner failed'),
      )
      .finally(() => {
        current = null;
        pump();
      });
    current = { id: next.id, controller, done };
  }

  return {
    push(job) {
      waiting.push(job);
      pump();
    },
    waiting: (projectId) =>
      projectId === undefined
        ? waiting.length
        : waiting.filter((job) => job.projectId === projectId).length,
    has: (id) => current?.id === id || waiting.some((job) => job.id === id),
    runningId: () => current?.id ?? null,
    async drop(id) {
      const index = waiting.findIndex((job) => job.id === id);
      if (index >= 0) waiting.splice(index, 1);
      if (current?.id === id) {
        current.controller.abort();
        await current.done;
      }
    },
    start() {
      running = true;
      pump();
    },
    async stop() {
      running = false;
      const dropped = waiting.splice(0);
      if (current) {
        current.controller.abort();
        await current.done;
      }
      for (const resolve of waiters.splice(0)) resolve();
      return dropped;
    },
    settled() {
      if (!current && (waiting.length === 0 || !running)) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
