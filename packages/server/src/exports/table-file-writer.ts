import type { RowValue } from '../queries/index.ts';

/** Writes one table into a file as rows arrive, so memory holds one page whatever the total. */
export interface TableFileWriter {
  /** Resolves once the rows are handed to the file (waits when the disk is behind). */
  writeRows(rows: readonly (readonly RowValue[])[]): Promise<void>;
  /** Completes the file; resolves with its size in bytes. */
  finish(): Promise<number>;
  /** Stops writing and closes the file (the caller deletes it). */
  abort(): Promise<void>;
}

export interface TableFileOptions {
  /** Where to write; the file must not exist. */
  path: string;
  columns: readonly string[];
  /** One line: project, who, when, what (describeExport). */
  watermark: string;
  /** Labelled facts for the XLSX About sheet (who, when, project, source, scope, rows). */
  about: ReadonlyArray<readonly [label: string, value: string]>;
  /** Document properties of the XLSX file. */
  author: string;
  createdAt: Date;
  title: string;
}
