import { readFileSync } from 'node:fs';

/**
 * A process's resident set size now and at its peak (the kernel's VmRSS and VmHWM), in MB, or
 * null where /proc is not there (or the process has gone).
 */
export function residentSetMb(pid: number | 'self'): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const mb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024;
    return { rss: mb('VmRSS'), peak: mb('VmHWM') };
  } catch {
    return null;
  }
}
