import { isIP } from 'node:net';

const COLON = 0x3a;
const DOT = 0x2e;
const PERCENT = '%';
const IPV6_HEXTETS = 8;

/**
 * Scratch space for one parsed IPv6 address. Parsing is synchronous and never re-entered, so one
 * buffer per process is safe and saves an allocation per address.
 */
const hextets = new Uint16Array(IPV6_HEXTETS);

/**
 * Returns the network a public address belongs to, coarse enough not to single out a household:
 * IPv4 → its /24 (`a.b.c.0`), IPv6 → its /48 (`x:y:z::`, lower-case hex). IPv6 forms that carry
 * an IPv4 address (mapped `::ffff:0:0/96`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`, Teredo
 * `2001::/32`) give that IPv4's /24: a 6to4 /48 still holds the whole IPv4 address, and a
 * Teredo /48 names only the relay.
 *
 * Returns null for anything that is not a valid address or is not publicly routed: private,
 * shared (CGNAT), loopback, link-local, unique-local, multicast, reserved and documentation ranges.
 */
export function getPublicIpPrefix(ip: string): string | null {
  const version = isIP(ip);
  if (version === 4) return getIpv4Prefix(ip);
  if (version !== 6) return null;
  const zone = ip.indexOf(PERCENT);
  parseIpv6(ip, zone === -1 ? ip.length : zone);
  return getIpv6Prefix();
}

function getIpv4Prefix(ip: string): string | null {
  // isIP has already checked the form: four decimal octets without leading zeros.
  let a = 0;
  let b = 0;
  let c = 0;
  let octet = 0;
  let index = 0;
  for (let i = 0; i < ip.length; i++) {
    const code = ip.charCodeAt(i);
    if (code !== DOT) {
      octet = octet * 10 + (code - 0x30);
      continue;
    }
    if (index === 0) a = octet;
    else if (index === 1) b = octet;
    else c = octet;
    index++;
    octet = 0;
  }
  return formatIpv4Prefix(a, b, c);
}

function getIpv6Prefix(): string | null {
  const [h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0, h7 = 0] = hextets;
  if (h0 === 0 && h1 === 0 && h2 === 0 && h3 === 0 && h4 === 0) {
    // ::ffff:a.b.c.d is an IPv4 client on a dual-stack socket; ::, ::1 and ::a.b.c.d are not public.
    return h5 === 0xffff ? formatIpv4Prefix(h6 >> 8, h6 & 0xff, h7 >> 8) : null;
  }
  if (h0 === 0x64 && h1 === 0xff9b && h2 === 0 && h3 === 0 && h4 === 0 && h5 === 0) {
    return formatIpv4Prefix(h6 >> 8, h6 & 0xff, h7 >> 8);
  }
  // Only 2000::/3 is global unicast; this drops ULA fc00::/7, link-local fe80::/10, multicast.
  if ((h0 & 0xe000) !== 0x2000) return null;
  if (h0 === 0x2001 && h1 === 0x0db8) return null;
  if (h0 === 0x2002) return formatIpv4Prefix(h1 >> 8, h1 & 0xff, h2 >> 8);
  // Teredo stores the client's IPv4 address inverted in the last 32 bits (RFC 4380 §4).
  if (h0 === 0x2001 && h1 === 0) {
    return formatIpv4Prefix((~h6 >> 8) & 0xff, ~h6 & 0xff, (~h7 >> 8) & 0xff);
  }
  return `${h0.toString(16)}:${h1.toString(16)}:${h2.toString(16)}::`;
}

function formatIpv4Prefix(a: number, b: number, c: number): string | null {
  return isPublicIpv4(a, b, c) ? `${a}.${b}.${c}.0` : null;
}

/** IANA special-purpose ranges (RFC 6890) that never reach us from a real client. */
function isPublicIpv4(a: number, b: number, c: number): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 100 && b >= 64 && b <= 127) return false;
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && (b === 168 || (b === 0 && (c === 0 || c === 2)))) return false;
  if (a === 198 && (b === 18 || b === 19 || (b === 51 && c === 100))) return false;
  if (a === 203 && b === 0 && c === 113) return false;
  return true;
}

/** Fills `hextets` from a textual IPv6 address that isIP has accepted, up to `end`. */
function parseIpv6(ip: string, end: number): void {
  hextets.fill(0);
  // A dotted IPv4 tail fills the last two hextets and is parsed as decimal.
  const lastColon = ip.lastIndexOf(':', end - 1);
  const dot = ip.indexOf('.', lastColon);
  const hasIpv4Tail = dot !== -1 && dot < end;
  const hexEnd = hasIpv4Tail ? lastColon + 1 : end;
  let count = 0;
  let gapAt = -1;
  let value = 0;
  let digits = 0;
  for (let i = 0; i < hexEnd; i++) {
    const code = ip.charCodeAt(i);
    if (code !== COLON) {
      value = value * 16 + parseHexDigit(code);
      digits++;
      continue;
    }
    if (digits > 0) {
      hextets[count++] = value;
      value = 0;
      digits = 0;
    }
    if (ip.charCodeAt(i + 1) === COLON) {
      gapAt = count;
      i++;
    }
  }
  if (digits > 0) hextets[count++] = value;
  if (hasIpv4Tail) {
    let octets = 0;
    let octet = 0;
    for (let i = hexEnd; i <= end; i++) {
      const code = i < end ? ip.charCodeAt(i) : DOT;
      if (code !== DOT) {
        octet = octet * 10 + (code - 0x30);
        continue;
      }
      octets = (octets << 8) | octet;
      octet = 0;
    }
    hextets[count++] = (octets >>> 16) & 0xffff;
    hextets[count++] = octets & 0xffff;
  }
  if (gapAt !== -1) {
    // Move the groups after "::" to the end; the gap between becomes zeros.
    const tail = count - gapAt;
    hextets.copyWithin(IPV6_HEXTETS - tail, gapAt, count);
    hextets.fill(0, gapAt, IPV6_HEXTETS - tail);
  }
}

function parseHexDigit(code: number): number {
  if (code <= 0x39) return code - 0x30;
  return (code | 0x20) - 0x57;
}
