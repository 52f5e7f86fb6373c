import {
  ERR_IMPORT_FORMAT_INVALID,
  ERR_IMPORT_KIND_UNKNOWN,
  SightlineError,
} from '@sightline/shared';

/** What a file can hold: one kind of commerce fact per file. */
export const IMPORT_KINDS = ['orders', 'products', 'inventory'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const IMPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Caps of the import edges (HTTP body, CLI file, parser). */
export const IMPORT_LIMITS = Object.freeze({
  /** One file, after decompression. */
  maxFileBytes: 200 * 1024 * 1024,
  /** One NDJSON line or one CSV record. */
  maxLineBytes: 65_536,
  /** Line items of one order. */
  maxItemsPerOrder: 500,
  /** Rows per WriteBatch: large enough to amortise a commit, small enough to bound memory. */
  chunkRows: 2_000,
  /** Row errors listed in a report; the rest are only counted. */
  maxReportedErrors: 1_000,
});

export function isImportKind(value: string): value is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(value);
}

/** The kind named by a path segment or CLI argument; ERR_IMPORT_KIND_UNKNOWN otherwise. */
export function resolveImportKind(value: string): ImportKind {
  if (isImportKind(value)) return value;
  throw new SightlineError(ERR_IMPORT_KIND_UNKNOWN, { kind: value.slice(0, 50) });
}

/** The format named by a query parameter or CLI flag; ERR_IMPORT_FORMAT_INVALID otherwise. */
export function resolveImportFormat(value: string | undefined): ImportFormat {
  if (value === 'csv' || value === 'ndjson') return value;
  throw new SightlineError(ERR_IMPORT_FORMAT_INVALID, {
    reason:
      value === undefined
        ? 'format unknown: name it (csv or ndjson)'
        : `unknown format ${value.slice(0, 50)} (csv or ndjson)`,
  });
}
