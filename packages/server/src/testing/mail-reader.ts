/** Just enough MIME reading (RFC 2045 / 2047) to check what arrived. Test support only. */

function splitHead(raw: string): { head: string; body: string } {
  const at = raw.indexOf('\r\n\r\n');
  return { head: raw.slice(0, at).replace(/\r\n[ \t]+/g, ' '), body: raw.slice(at + 4) };
}

function headerOf(head: string, name: string): string {
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : '';
}

function decodeQuotedPrintable(text: string): Buffer {
  const flat = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < flat.length; i++) {
    const hex = flat.slice(i + 1, i + 3);
    if (flat[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(flat.charCodeAt(i));
  }
  return Buffer.from(bytes);
}

function decodeHeaderWords(value: string): string {
  const parts: Buffer[] = [];
  const joined = value.replace(/\?=\s+=\?/g, '?==?');
  let last = 0;
  for (const match of joined.matchAll(/=\?[^?]+\?([BbQq])\?([^?]*)\?=/g)) {
    parts.push(Buffer.from(joined.slice(last, match.index)));
    const [, encoding = '', text = ''] = match;
    parts.push(
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
    last = match.index + match[0].length;
  }
  parts.push(Buffer.from(joined.slice(last)));
  return Buffer.concat(parts).toString('utf8');
}

/** Subject (decoded), headers and the decoded text/plain and text/html parts of a raw mail. */
export function readMail(raw: string) {
  const { head, body } = splitHead(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(headerOf(head, 'Content-Type'))?.[1] ?? '';
  const parts = new Map<string, string>();
  for (const section of body.split(`--${boundary}`).slice(1, -1)) {
    const part = splitHead(section.replace(/^\r\n/, ''));
    const type = headerOf(part.head, 'Content-Type').split(';')[0] ?? '';
    const encoding = headerOf(part.head, 'Content-Transfer-Encoding').toLowerCase();
    const decoded =
      encoding === 'base64'
        ? Buffer.from(part.body, 'base64')
        : encoding === 'quoted-printable'
          ? decodeQuotedPrintable(part.body)
          : Buffer.from(part.body);
    parts.set(type, decoded.toString('utf8'));
  }
  return {
    subject: decodeHeaderWords(headerOf(head, 'Subject')),
    header: (name: string) => headerOf(head, name),
    html: parts.get('text/html') ?? '',
    text: parts.get('text/plain') ?? '',
  };
}
