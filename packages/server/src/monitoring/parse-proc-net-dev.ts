export interface NetworkInterfaceCounters {
  name: string;
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDropped: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDropped: number;
}

export interface NetworkCounters {
  /** Every interface, loopback included, in the file's order. */
  interfaces: NetworkInterfaceCounters[];
  /** Sums over the interfaces other than loopback (`lo`): traffic that left or reached the host. */
  total: Omit<NetworkInterfaceCounters, 'name'>;
}

/** Columns after `name:`: 8 receive counters, then 8 transmit counters (see proc(5)). */
const RX_BYTES = 0;
const RX_PACKETS = 1;
const RX_ERRORS = 2;
const RX_DROPPED = 3;
const TX_BYTES = 8;
const TX_PACKETS = 9;
const TX_ERRORS = 10;
const TX_DROPPED = 11;
const COLUMNS = 16;

/**
 * Reads Linux's /proc/net/dev (cumulative counters since boot). Header lines and lines that do
 * not have the 16 numeric columns are skipped rather than failing the whole reading.
 */
export function parseProcNetDev(text: string): NetworkCounters {
  const interfaces: NetworkInterfaceCounters[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    // Header lines have a '|' before any colon; interface names never contain one.
    if (colon < 0 || line.lastIndexOf('|', colon) >= 0) continue;
    const name = line.slice(0, colon).trim();
    const fields = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    if (name === '' || fields.length < COLUMNS || fields.some((n) => !Number.isFinite(n))) continue;
    const at = (index: number) => fields[index] ?? 0;
    interfaces.push({
      name,
      rxBytes: at(RX_BYTES),
      rxPackets: at(RX_PACKETS),
      rxErrors: at(RX_ERRORS),
      rxDropped: at(RX_DROPPED),
      txBytes: at(TX_BYTES),
      txPackets: at(TX_PACKETS),
      txErrors: at(TX_ERRORS),
      txDropped: at(TX_DROPPED),
    });
  }
  const total = {
    rxBytes: 0,
    rxPackets: 0,
    rxErrors: 0,
    rxDropped: 0,
    txBytes: 0,
    txPackets: 0,
    txErrors: 0,
    txDropped: 0,
  };
  for (const counters of interfaces) {
    if (counters.name === 'lo') continue;
    for (const key of Object.keys(total) as Array<keyof typeof total>) total[key] += counters[key];
  }
  return { interfaces, total };
}
