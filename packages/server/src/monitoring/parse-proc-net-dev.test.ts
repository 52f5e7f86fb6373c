import { describe, expect, it } from 'vitest';
import { parseProcNetDev } from './parse-proc-net-dev.ts';

// As Linux 6.x prints it, plus an old-style line without a space after the colon and junk.
const FIXTURE = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 6290878258  813753    0    0    0     0          0         0 6290878258  813753    0    0    0     0       0          0
  eth0: 3544828648  177858    3    7    0     0          0         5 19477507  153927    1    2    0     0       0          0
  wlan0:1000 10 0 0 0 0 0 0 2000 20 0 1 0 0 0 0
  bad0: 1 2 3
`;

describe('parseProcNetDev', () => {
  it('reads each interface and sums everything but loopback', () => {
    const result = parseProcNetDev(FIXTURE);
    expect(result.interfaces.map((i) => i.name)).toEqual(['lo', 'eth0', 'wlan0']);
    expect(result.interfaces[1]).toEqual({
      name: 'eth0',
      rxBytes: 3_544_828_648,
      rxPackets: 177_858,
      rxErrors: 3,
      rxDropped: 7,
      txBytes: 19_477_507,
      txPackets: 153_927,
      txErrors: 1,
      txDropped: 2,
    });
    expect(result.total).toEqual({
      rxBytes: 3_544_829_648,
      rxPackets: 177_868,
      rxErrors: 3,
      rxDropped: 7,
      txBytes: 19_479_507,
      txPackets: 153_947,
      txErrors: 1,
      txDropped: 3,
    });
  });

  it('reads an empty or foreign file as no interfaces', () => {
    expect(parseProcNetDev('')).toEqual({
      interfaces: [],
      total: {
        rxBytes: 0,
        rxPackets: 0,
        rxErrors: 0,
        rxDropped: 0,
        txBytes: 0,
        txPackets: 0,
        txErrors: 0,
        txDropped: 0,
      },
    });
    expect(parseProcNetDev('hello: world\n').interfaces).toEqual([]);
  });
});
