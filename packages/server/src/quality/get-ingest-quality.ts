import type { EventStore, StoreRow } from '../store/index.ts';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

// This is a consumer-facing analytics query; its SQL lives here alone until the metrics layer
// takes over every report. Delay = received_at − event_time (event_time is the client time
// corrected for clock skew, so a delay can be slightly negative). Quantiles are quantile_disc:
// the nearest-rank value (rank ⌈q·n⌉ of the sorted delays), always a delay an event really had.
const SQL_STATS =
  `SELECT epoch_ms(hour) AS hour, outcome, code, sum(count)::BIGINT AS n FROM ingest_stats ` +
  `WHERE project_id = $1 AND hour >= $2::TIMESTAMPTZ AND hour < $3::TIMESTAMPTZ GROUP BY ALL`;
const DELAYS =
  `SELECT received_at, epoch_ms(received_at) - epoch_ms(event_time) AS delay FROM events ` +
  `WHERE project_id = $1 AND received_at >= $2::TIMESTAMPTZ AND received_at < $3::TIMESTAMPTZ`;
const SQL_DELAY_TOTALS =
  `WITH d AS (${DELAYS}) SELECT count(*)::BIGINT AS n, quantile_disc(delay, 0.5) AS p50, ` +
  `quantile_disc(delay, 0.95) AS p95, quantile_disc(delay, 0.99) AS p99, max(delay) AS max, ` +
  `count(*) FILTER (WHERE delay < $4)::BIGINT AS w5, count(*) FILTER (WHERE delay < $5)::BIGINT AS w15, ` +
  `count(*) FILTER (WHERE delay < $6)::BIGINT AS w24 FROM d`;
const SQL_DELAY_HOURS =
  `WITH d AS (${DELAYS}) SELECT epoch_ms(date_trunc('hour', received_at)) AS hour, ` +
  `quantile_disc(delay, 0.5) AS p50, quantile_disc(delay, 0.95) AS p95 FROM d GROUP BY 1`;

/** The timeliness thresholds of seed 001 §2.3 (及时性 延迟 <5m / 15m / 24h). */
const TIMELINESS_MS = [5 * MINUTE_MS, 15 * MINUTE_MS, 24 * HOUR_MS] as const;

export interface IngestQualityParams {
  projectId: string;
  /** Epoch ms; widened down to the start of its UTC hour. */
  from: number;
  /** Epoch ms, exclusive; widened up to the end of its UTC hour. */
  to: number;
}

/** Events by outcome as counted at ingest (ingest_stats), by hour of receipt. */
export interface IngestCounts {
  accepted: number;
  duplicates: number;
  dropped: number;
  rejected: number;
  rejectedByCode: Record<string, number>;
  droppedByCode: Record<string, number>;
}

export interface IngestQualityHour extends IngestCounts {
  /** Start of the UTC hour, ISO-8601. */
  hour: string;
  delayP50Ms: number | null;
  delayP95Ms: number | null;
}

export interface IngestQualityResult {
  projectId: string;
  from: string;
  to: string;
  totals: IngestCounts & {
    /** duplicates / (accepted + duplicates): seed 001 §2.3 wants < 0.1 %. */
    duplicateRate: number | null;
    /** rejected / every event received (accepted + duplicates + dropped + rejected). */
    rejectRate: number | null;
  };
  delayMs: { p50: number | null; p95: number | null; p99: number | null; max: number | null };
  /** Shares of the stored events received in the range with a delay under 5 min, 15 min, 24 h. */
  timeliness: { within5m: number | null; within15m: number | null; within24h: number | null };
  hours: IngestQualityHour[];
}

/** Ingest health of one project (seed 001 §2.3): uniqueness, rejects and timeliness. */
export async function getIngestQuality(
  deps: { eventStore: EventStore },
  params: IngestQualityParams,
): Promise<IngestQualityResult> {
  const from = Math.floor(params.from / HOUR_MS) * HOUR_MS;
  const to = Math.ceil(params.to / HOUR_MS) * HOUR_MS;
  const range = [params.projectId, new Date(from), new Date(to)];
  const { eventStore } = deps;
  // One after the other: the store has one read connection.
  const stats = await eventStore.query(SQL_STATS, range);
  const [delays = {}] = await eventStore.query(SQL_DELAY_TOTALS, [...range, ...TIMELINESS_MS]);
  const delayHours = await eventStore.query(SQL_DELAY_HOURS, range);

  const totals = createCounts();
  const hours = new Map<number, IngestQualityHour>();
  for (let hour = from; hour < to; hour += HOUR_MS) {
    hours.set(hour, {
      hour: new Date(hour).toISOString(),
      ...createCounts(),
      delayP50Ms: null,
      delayP95Ms: null,
    });
  }
  for (const row of stats) {
    const hour = hours.get(Number(row.hour));
    for (const counts of hour ? [totals, hour] : [totals]) addStat(counts, row);
  }
  for (const row of delayHours) {
    const hour = hours.get(Number(row.hour));
    if (!hour) continue;
    hour.delayP50Ms = toNumberOrNull(row.p50);
    hour.delayP95Ms = toNumberOrNull(row.p95);
  }

  const received = totals.accepted + totals.duplicates + totals.dropped + totals.rejected;
  const stored = Number(delays.n ?? 0);
  return {
    projectId: params.projectId,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    totals: {
      ...totals,
      duplicateRate: divide(totals.duplicates, totals.accepted + totals.duplicates),
      rejectRate: divide(totals.rejected, received),
    },
    delayMs: {
      p50: toNumberOrNull(delays.p50),
      p95: toNumberOrNull(delays.p95),
      p99: toNumberOrNull(delays.p99),
      max: toNumberOrNull(delays.max),
    },
    timeliness: {
      within5m: divide(Number(delays.w5 ?? 0), stored),
      within15m: divide(Number(delays.w15 ?? 0), stored),
      within24h: divide(Number(delays.w24 ?? 0), stored),
    },
    hours: [...hours.values()],
  };
}

function createCounts(): IngestCounts {
  return {
    accepted: 0,
    duplicates: 0,
    dropped: 0,
    rejected: 0,
    rejectedByCode: {},
    droppedByCode: {},
  };
}

function addStat(counts: IngestCounts, row: StoreRow): void {
  const n = Number(row.n);
  const code = String(row.code);
  switch (row.outcome) {
    case 'accepted':
      counts.accepted += n;
      break;
    case 'duplicate':
      counts.duplicates += n;
      break;
    case 'dropped':
      counts.dropped += n;
      if (code) counts.droppedByCode[code] = (counts.droppedByCode[code] ?? 0) + n;
      break;
    case 'rejected':
      counts.rejected += n;
      if (code) counts.rejectedByCode[code] = (counts.rejectedByCode[code] ?? 0) + n;
      break;
    default:
    // An outcome this version does not know is left out rather than guessed at.
  }
}

function toNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function divide(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
