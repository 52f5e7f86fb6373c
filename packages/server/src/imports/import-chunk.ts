import { createWriteBatch, type WriteBatch } from '../store/index.ts';
import type { ImportFacts } from './create-row-mapper.ts';

/** Rows gathered for one commit; a key seen twice keeps its last row, as the file reads. */
export interface ImportChunk {
  add(facts: ImportFacts): void;
  /** Rows added, repeats included: what sizes the chunk. */
  readonly size: number;
  toWriteBatch(): WriteBatch;
}

/**
 * One commit's worth of rows, deduplicated by primary key: the store upserts with INSERT OR
 * REPLACE, which refuses the same key twice within one statement.
 */
export function createImportChunk(): ImportChunk {
  const orders = new Map<string, Extract<ImportFacts, { kind: 'order' }>>();
  const products = new Map<string, Extract<ImportFacts, { kind: 'product' }>>();
  const inventory = new Map<string, Extract<ImportFacts, { kind: 'inventory' }>>();
  let size = 0;
  return {
    add(facts) {
      size += 1;
      if (facts.kind === 'order') orders.set(facts.order.orderId, facts);
      else if (facts.kind === 'product') products.set(facts.product.productId, facts);
      else {
        const row = facts.inventory;
        inventory.set(`${row.productId}\u0000${row.warehouse}\u0000${row.snapshotTime}`, facts);
      }
    },
    get size() {
      return size;
    },
    toWriteBatch() {
      const batch = createWriteBatch();
      for (const facts of orders.values()) {
        batch.orders.push(facts.order);
        for (const item of facts.items) batch.orderItems.push(item);
        if (facts.refund) batch.refunds.push(facts.refund);
      }
      for (const facts of products.values()) batch.products.push(facts.product);
      for (const facts of inventory.values()) batch.inventory.push(facts.inventory);
      return batch;
    },
  };
}
