import type { WireEvent } from '@sightline/shared';

export interface DemoOptions {
  /** Any integer; the same options give byte-identical output. */
  seed: number;
  /** Number of simulated whole local days before today. */
  days: number;
  /**
   * Also simulate today up to `endTime`, so "today so far" numbers exist. Default false: only
   * whole days, the shape the generator's tests pin down.
   */
  includeToday?: boolean;
  /** Traffic multiplier: 1 ≈ 2,000 visitors and 20k–40k events a day. */
  scale: number;
  /**
   * end of the simulated period, epoch ms (usually now). The last simulated day is the last whole
   * local day that ends at or before it, so nothing lies in the future.
   */
  endTime: number;
  /** IANA zone whose local days and hours shape traffic, e.g. 'Asia/Shanghai'. */
  timeZone: string;
  projectId: string;
}

/** One event as the ingest pipeline receives it. */
export interface DemoIngestInput {
  event: WireEvent;
  /** The sender's IP: the shopper's device, or the shop's server for server-side events. */
  ip: string;
  userAgent: string;
  receivedAt: number;
}

export interface DemoChunk {
  /** 0-based */
  day: number;
  inputs: DemoIngestInput[];
}
