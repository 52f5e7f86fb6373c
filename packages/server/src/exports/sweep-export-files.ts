import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportJobStore } from './export-job-store.ts';

export interface SweepExportFilesParams {
  jobs: ExportJobStore;
  /** The exports directory. */
  dir: string;
  /** Epoch ms. */
  now: number;
  /** The job being written now: its partial file is not an orphan. */
  runningId: string | null;
}

/**
 * Retention: deletes the files of finished exports past their time and marks them expired
 * (their records and links stay, so a late download says "expired"), then deletes files no
 * job owns: left by a crash mid-write, or by a job deleted while it was written.
 */
export async function sweepExportFiles(
  params: SweepExportFilesParams,
): Promise<{ expired: number; orphans: number }> {
  const { jobs, dir, runningId } = params;
  const due = await jobs.listDue(params.now);
  for (const row of due) {
    if (row.file_path) await rm(join(dir, row.file_path), { force: true });
    await jobs.expire(row.id);
  }
  const owned = await jobs.listFiles();
  let orphans = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (owned.has(name) || (runningId !== null && name.startsWith(runningId))) continue;
    await rm(join(dir, name), { force: true, recursive: true });
    orphans += 1;
  }
  return { expired: due.length, orphans };
}
