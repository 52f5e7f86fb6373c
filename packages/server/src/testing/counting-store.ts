import type { EventStore } from '../store/index.ts';

/**
 * The store with the statements it is sent counted: those `counts` accepts, every one by
 * default. For tests that check how many statements a computation needs.
 */
export function countingStore(
  store: EventStore,
  counts: (sql: string) => boolean = () => true,
): { store: EventStore; count: () => number } {
  let n = 0;
  const counted: EventStore = {
    ...store,
    query: (sql, params) => {
      if (counts(sql)) n += 1;
      return store.query(sql, params);
    },
  };
  return { store: counted, count: () => n };
}
