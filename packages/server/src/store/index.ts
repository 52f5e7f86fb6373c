export type {
  EventStore,
  EventStoreHealth,
  SqlStatement,
  SqlValue,
  StoreColumn,
  StoreColumns,
  StoreRow,
} from './event-store.ts';
export { rowsOf } from './store-columns.ts';
export type {
  CommitResult,
  EventRow,
  IdentityRow,
  IngestStatRow,
  InventoryRow,
  OrderItemRow,
  OrderRow,
  ProductRow,
  RefundRow,
  WriteBatch,
} from './rows.ts';
export { createWriteBatch } from './rows.ts';
export {
  createDuckDbEventStore,
  type DuckDbEventStoreOptions,
} from './duckdb/duckdb-event-store.ts';
export { createMetaStore, type MetaDb, type MetaStore } from './meta/create-meta-store.ts';
export type * from './meta/meta-schema.ts';
export {
  EVENT_COLUMNS,
  ORDER_COLUMNS,
  ORDER_ITEM_COLUMNS,
  REFUND_COLUMNS,
  type ColumnSpec,
} from './row-columns.ts';
export {
  PEOPLE_ROLLUP_DIMENSIONS,
  PEOPLE_ROLLUP_EVENTS,
  REFILL_FIRST_EVENTS_AFTER_EXPIRY,
  ROLLUP_FIRST_EVENTS_OF_COMMIT,
  rollupPeopleOf,
} from './duckdb/people-rollups.ts';
export { rollupTasksOf } from './duckdb/task-rollup.ts';
