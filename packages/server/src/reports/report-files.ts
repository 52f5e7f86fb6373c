import { createReadStream, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';

/** Files of generated reports under one directory: <project>/<run>.<ext>. */
export function createReportFiles(root: string) {
  const base = resolve(root);
  const pathOf = (file: string) => {
    const full = resolve(base, file);
    // Stored names are ours, but a path must never leave the directory whatever the row says.
    if (!full.startsWith(base + sep)) throw new Error(`report file outside ${base}: ${file}`);
    return full;
  };
  return {
    /** Writes a file and returns its relative name and size. */
    write(projectId: string, name: string, content: Buffer | string) {
      const file = join(projectId, name);
      const full = pathOf(file);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      return { file, bytes: statSync(full).size };
    },
    read: (file: string): Promise<Buffer> => readFile(pathOf(file)),
    open: (file: string): Readable => createReadStream(pathOf(file)),
    remove(file: string): void {
      rmSync(pathOf(file), { force: true });
    },
  };
}

export type ReportFiles = ReturnType<typeof createReportFiles>;
