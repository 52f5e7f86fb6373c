import { describe, expect, it } from 'vitest';
import { makeEventRow } from '../../testing/event-row-fixture.ts';
import { makeOrderRow } from '../../testing/order-row-fixture.ts';
import { EVENT_COLUMNS } from '../row-columns.ts';
import { createWriteBatch, type EventRow } from '../rows.ts';
import { checkValue } from './check-rows.ts';
import { createBatchEncoder, decodeEvents } from './encode-batch.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const REQUIRED = new Set([
  'events.event_id',
  'events.project_id',
  'events.event_time',
  'events.received_at',
  'events.type',
  'events.name',
  'events.is_bot',
  'events.props',
  'orders.order_id',
]);

/** The row as DuckDB would read it back from the encoded text: null fields left out. */
function withoutNulls(row: EventRow): Partial<EventRow> {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null));
}

describe('createBatchEncoder', () => {
  const encode = createBatchEncoder(REQUIRED);

  it('turns each event into JSON text that parses back to the row, minus its nulls', () => {
    const rich = makeEventRow({
      userId: 'u "1" \\ «二»\n',
      amount: 2 ** 40,
      durationMs: 0.25,
      status: 200,
      isBot: true,
      props: '{"k":"\\u0000"}',
      title: 'lone \ud800 surrogate',
    });
    const sparse = makeEventRow();
    const encoded = encode(createWriteBatch({ events: [rich, sparse] }));
    expect(encoded.eventIds).toEqual([rich.eventId, sparse.eventId]);
    expect(decodeEvents(encoded.events)).toEqual([withoutNulls(rich), withoutNulls(sparse)]);
    // Null fields are absent, not written as null: the text stays short.
    expect(encoded.events[1]).not.toContain('null');
  });

  it('groups events by project and hour of receipt for the ingest counters', () => {
    const events = [
      makeEventRow({ projectId: 'a', receivedAt: T0 + 5 }),
      makeEventRow({ projectId: 'a', receivedAt: T0 + HOUR + 1 }),
      makeEventRow({ projectId: 'b', receivedAt: T0 + 9 }),
      makeEventRow({ projectId: 'a', receivedAt: T0 + 59 * 60_000 }),
    ];
    const encoded = encode(createWriteBatch({ events }));
    expect(encoded.groups).toEqual([
      { projectId: 'a', hour: T0 },
      { projectId: 'a', hour: T0 + HOUR },
      { projectId: 'b', hour: T0 },
    ]);
    expect(encoded.eventGroups).toEqual([0, 1, 2, 0]);
  });

  it('keeps the other rows as they are', () => {
    const order = makeOrderRow({ orderId: 'o1' });
    const encoded = encode(createWriteBatch({ orders: [order] }));
    expect(encoded.events).toEqual([]);
    expect(encoded.facts.orders).toEqual([order]);
  });

  it('refuses what DuckDB would refuse, naming the table, row and column', () => {
    const refuse = (batch: ReturnType<typeof createWriteBatch>) => () => encode(batch);
    expect(
      refuse(createWriteBatch({ events: [makeEventRow(), makeEventRow({ eventId: 'x' })] })),
    ).toThrow('write batch refused: events[1].event_id must be a UUID');
    expect(
      refuse(
        createWriteBatch({ events: [{ ...makeEventRow(), name: null as unknown as string }] }),
      ),
    ).toThrow('write batch refused: events[0].name is required');
    expect(refuse(createWriteBatch({ events: [makeEventRow({ status: 2 ** 31 })] }))).toThrow(
      'write batch refused: events[0].status must be a 32-bit integer',
    );
    expect(
      refuse(createWriteBatch({ events: [makeEventRow({ durationMs: Number.NaN })] })),
    ).toThrow('write batch refused: events[0].duration_ms must be a finite number');
    expect(
      refuse(
        createWriteBatch({
          orders: [{ ...makeOrderRow({ orderId: 'o1' }), orderId: null as unknown as string }],
        }),
      ),
    ).toThrow('write batch refused: orders[0].order_id is required');
  });

  it('checks every column by its kind, as the row checker does', () => {
    const samples: unknown[] = [
      'text',
      '6F9619FF-8B86-D011-B42D-00C04FC964FF',
      '6f9619ff-8b86-d011-b42d-00c04fc964ff',
      0,
      -7,
      1.5,
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 31,
      2 ** 53,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      true,
      {},
    ];
    for (const [column, field, kind] of EVENT_COLUMNS)
      for (const value of samples) {
        const key = field as keyof EventRow;
        const row = { ...makeEventRow(), [key]: value };
        const problem = checkValue(kind, value);
        const run = () => encode(createWriteBatch({ events: [row] }));
        if (problem)
          expect(run, `${column} = ${String(value)}`).toThrow(`events[0].${column} ${problem}`);
        else expect(decodeEvents(run().events)[0]?.[key], column).toEqual(value);
      }
  });
});
