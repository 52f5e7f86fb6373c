import type { DemoOptions } from './demo-types.ts';

/** Days and scale caps keep a mistyped flag from generating billions of events. */
const MAX_DEMO_DAYS = 3_650;
const MAX_DEMO_SCALE = 1_000;

/** Throws a RangeError naming every bad option; the CLI validates user input before this. */
export function assertDemoOptions(options: DemoOptions): void {
  const problems: string[] = [];
  if (!Number.isSafeInteger(options.seed)) problems.push('seed must be a safe integer');
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > MAX_DEMO_DAYS) {
    problems.push(`days must be an integer from 1 to ${MAX_DEMO_DAYS}`);
  }
  if (!Number.isFinite(options.scale) || options.scale <= 0 || options.scale > MAX_DEMO_SCALE) {
    problems.push(`scale must be above 0 and at most ${MAX_DEMO_SCALE}`);
  }
  if (!Number.isFinite(options.endTime) || options.endTime < 0) {
    problems.push('endTime must be epoch milliseconds');
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: options.timeZone });
  } catch {
    problems.push(`timeZone ${JSON.stringify(options.timeZone)} is not a known IANA zone`);
  }
  if (options.projectId.length === 0) problems.push('projectId must not be empty');
  if (problems.length > 0) throw new RangeError(`invalid demo options: ${problems.join('; ')}`);
}
