import { DuckDBTypeId, type DuckDBResultReader, type DuckDBValue } from '@duckdb/node-api';
import { ERR_QUERY_INVALID, SightlineError } from '@sightline/shared';
import type { StoreColumn, StoreColumns } from '../event-store.ts';

const NUMBER_TYPES = new Set([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.DECIMAL,
]);
const TEXT_TYPES = new Set([DuckDBTypeId.VARCHAR, DuckDBTypeId.UUID]);

type Filler = (value: DuckDBValue, row: number) => void;

/** A column being filled: `fill` takes each row's value, `done` hands the column over. */
function columnFor(typeId: DuckDBTypeId, name: string, rows: number) {
  let nulls: Uint8Array | null = null;
  const markNull = (row: number) => {
    nulls ??= new Uint8Array(rows);
    nulls[row] = 1;
  };
  if (NUMBER_TYPES.has(typeId) || typeId === DuckDBTypeId.BOOLEAN) {
    const boolean = typeId === DuckDBTypeId.BOOLEAN;
    const values = boolean ? new Uint8Array(rows) : new Float64Array(rows);
    const fill: Filler = (value, row) => {
      if (value === null) markNull(row);
      else values[row] = typeof value === 'object' ? Number(String(value)) : Number(value);
    };
    const done = (): StoreColumn =>
      boolean
        ? { kind: 'boolean', values: values as Uint8Array, nulls }
        : { kind: 'number', values: values as Float64Array, nulls };
    return { fill, done };
  }
  if (TEXT_TYPES.has(typeId)) {
    const codes = new Int32Array(rows);
    const dictionary: string[] = [];
    const codeOf = new Map<string, number>();
    const fill: Filler = (value, row) => {
      if (value === null) {
        codes[row] = -1;
        return;
      }
      const text = String(value);
      let code = codeOf.get(text);
      if (code === undefined) {
        code = dictionary.push(text) - 1;
        codeOf.set(text, code);
      }
      codes[row] = code;
    };
    return { fill, done: (): StoreColumn => ({ kind: 'text', codes, dictionary }) };
  }
  throw new SightlineError(ERR_QUERY_INVALID, {
    reason: `column ${name} is ${DuckDBTypeId[typeId]}: read by column are numbers, booleans and texts`,
  });
}

/** A result read in full, by column (EventStore.queryColumns). */
export function columnsOf(result: DuckDBResultReader): StoreColumns {
  const rowCount = result.currentRowCount;
  const names = result.columnNames();
  const types = result.columnTypes();
  const values = result.getColumns();
  const columns: Record<string, StoreColumn> = {};
  names.forEach((name, i) => {
    const builder = columnFor((types[i] as { typeId: DuckDBTypeId }).typeId, name, rowCount);
    const column = values[i] as DuckDBValue[];
    for (let row = 0; row < rowCount; row += 1) builder.fill(column[row] ?? null, row);
    columns[name] = builder.done();
  });
  return { rowCount, columns };
}

/** The buffers of a StoreColumns, to move it to another thread without copying. */
export function buffersOf(result: StoreColumns): ArrayBuffer[] {
  return Object.values(result.columns).flatMap((column) => {
    const arrays = column.kind === 'text' ? [column.codes] : [column.values, column.nulls];
    return arrays.flatMap((array) => (array ? [array.buffer as ArrayBuffer] : []));
  });
}
