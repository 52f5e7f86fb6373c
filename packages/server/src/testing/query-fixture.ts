import { join } from 'node:path';
import { createQueryContext, duckDbDialect, type QueryContext } from '../queries/index.ts';
import {
  createDuckDbEventStore,
  createWriteBatch,
  type EventStore,
  type WriteBatch,
} from '../store/index.ts';
import { createTempDir } from './temp-dir.ts';

export interface QueryFixture {
  store: EventStore;
  /** Commits rows (events, orders, …) into the real DuckDB file. */
  load(rows: Partial<WriteBatch>): Promise<void>;
  /** A query context on project `p_test`; override what the test needs. */
  ctx(overrides: Partial<QueryContext> & Pick<QueryContext, 'from' | 'to'>): QueryContext;
  close(): Promise<void>;
}

/** A real DuckDB event store in a temp directory, for report tests. */
export async function createQueryFixture(): Promise<QueryFixture> {
  const dir = createTempDir('sightline-query-');
  const store = await createDuckDbEventStore({ path: join(dir.path, 'events.duckdb'), threads: 1 });
  await store.migrate();
  return {
    store,
    async load(rows) {
      await store.commit(createWriteBatch(rows));
    },
    ctx: (overrides) =>
      createQueryContext({
        store,
        dialect: duckDbDialect,
        projectId: 'p_test',
        timeZone: 'Asia/Shanghai',
        now: overrides.to,
        ...overrides,
      }),
    async close() {
      await store.close();
      dir.remove();
    },
  };
}
