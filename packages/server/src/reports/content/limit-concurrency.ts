/** Runs tasks with at most `maxConcurrent` of them under way; the rest wait their turn in order. */
export function createConcurrencyLimiter(maxConcurrent: number) {
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1)
    throw new RangeError(`maxConcurrent must be a positive integer, got ${maxConcurrent}`);
  let running = 0;
  const waiting: Array<() => void> = [];

  const release = () => {
    running -= 1;
    const next = waiting.shift();
    if (next) {
      running += 1;
      next();
    }
  };

  return async function limit<T>(task: () => Promise<T>): Promise<T> {
    if (running < maxConcurrent) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      release();
    }
  };
}

export type ConcurrencyLimiter = ReturnType<typeof createConcurrencyLimiter>;
