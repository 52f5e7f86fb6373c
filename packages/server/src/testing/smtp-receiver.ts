import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface CapturedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpReceiver {
  port: number;
  mails: CapturedMail[];
  close(): Promise<void>;
}

const receivers: SmtpReceiver[] = [];

/**
 * A real SMTP server on an ephemeral port that keeps every message it accepts; `closeSmtpReceivers`
 * stops all of them. Test support only.
 */
export async function startSmtpReceiver(
  options: Partial<SMTPServerOptions> = {},
): Promise<SmtpReceiver> {
  const mails: CapturedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    // Without TLS material of our own, STARTTLS would offer a certificate nobody trusts.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        mails.push({
          from: from ? from.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  const receiver = {
    port,
    mails,
    close: () => (closing ??= new Promise<void>((resolve) => server.close(() => resolve()))),
  };
  receivers.push(receiver);
  return receiver;
}

/** Stops every receiver started so far. */
export async function closeSmtpReceivers(): Promise<void> {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
}
