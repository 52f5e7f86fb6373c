import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { EmailChannelConfig } from './channel-config.ts';
import { renderEmail } from './email-content.ts';
import type { NotificationMessage } from './notification-types.ts';
import { toSingleLine } from './notification-view.ts';
import type { ChannelOutcome } from './post-channel-request.ts';

export interface SmtpSettings {
  /** Empty: email is not configured, and every email delivery fails (not retryable). */
  host: string;
  port: number;
  /** TLS from the first byte (port 465); false uses STARTTLS when the server offers it. */
  secure: boolean;
  /** Empty: no authentication. */
  user: string;
  password: string;
  /** The From header, e.g. "Sightline <alerts@example.com>". */
  from: string;
}

export interface EmailSenderOptions {
  smtp: SmtpSettings;
  /** Applies to connecting, the greeting and each socket wait. */
  timeoutMs: number;
}

export interface EmailSender {
  send(config: EmailChannelConfig, message: NotificationMessage): Promise<ChannelOutcome>;
  close(): void;
}

/** nodemailer's codes for failures of the connection itself: worth another try later. */
const RETRYABLE_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'EMAXLIMIT',
  'ECONNREFUSED',
  'ECONNRESET',
]);

/** "250 2.0.0 Ok: queued" → 250. */
function parseReplyCode(response: unknown): number | null {
  const match = typeof response === 'string' ? /^(\d{3})/.exec(response) : null;
  return match ? Number(match[1]) : null;
}

function describeSmtpError(error: unknown): ChannelOutcome {
  const details = (error ?? {}) as { code?: unknown; responseCode?: unknown; message?: unknown };
  const code = typeof details.code === 'string' ? details.code : null;
  const reply = typeof details.responseCode === 'number' ? details.responseCode : null;
  const text = toSingleLine(typeof details.message === 'string' ? details.message : String(error));
  // 4xx replies are the server's "try again later"; 5xx are final (RFC 5321 §4.2.1).
  const retryable = reply !== null ? reply < 500 : code !== null && RETRYABLE_CODES.has(code);
  return {
    ok: false,
    status: reply,
    retryable,
    error: `SMTP ${code ? `${code} ` : ''}error: ${text}`,
  };
}

function listAddresses(addresses: ReadonlyArray<string | { address: string }>): string {
  return addresses.map((a) => (typeof a === 'string' ? a : a.address)).join(', ');
}

/** One message as the SMTP mailer takes it: content in memory only, no paths or URLs. */
export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  attachments?: Array<{
    filename: string;
    content: Buffer;
    contentType: string;
    /** Set for inline images the HTML shows as <img src="cid:…">. */
    cid?: string;
  }>;
}

export interface SmtpMailer {
  /** Sends once; never throws (retries are the caller's). */
  send(mail: OutgoingMail): Promise<ChannelOutcome>;
  close(): void;
}

/**
 * SMTP over one transport for the mailer's life, opened on first use. nodemailer itself is
 * loaded then too: a server that never sends mail does not hold it (a few MB).
 */
export function createSmtpMailer(options: EmailSenderOptions): SmtpMailer {
  const { smtp, timeoutMs } = options;
  let transport: Transporter<SMTPTransport.SentMessageInfo> | null = null;

  async function getTransport(): Promise<Transporter<SMTPTransport.SentMessageInfo>> {
    if (transport) return transport;
    const { createTransport } = await import('nodemailer');
    // Two sends may both have waited for the import: the first transport made is kept.
    transport ??= createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password } } : {}),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      // Attachments are buffers we made; never read a file or fetch a URL named in a message.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    return transport;
  }

  return {
    async send(mail) {
      if (!smtp.host.trim())
        return {
          ok: false,
          status: null,
          retryable: false,
          error:
            'Email is not configured: set the SMTP host (smtpHost, SIGHTLINE_SMTP_HOST) and restart',
        };
      try {
        const info = await (
          await getTransport()
        ).sendMail({
          from: smtp.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          // RFC 3834: tells mail servers and auto-responders this is machine-generated.
          headers: { 'Auto-Submitted': 'auto-generated', ...mail.headers },
          ...(mail.attachments ? { attachments: mail.attachments } : {}),
        });
        const refused = info.rejected.length
          ? `${info.rejected.length} recipient(s) refused: ${listAddresses(info.rejected)}`
          : null;
        return {
          ok: true,
          status: parseReplyCode(info.response),
          retryable: false,
          error: refused,
        };
      } catch (error) {
        return describeSmtpError(error);
      }
    },
    close() {
      transport?.close();
      transport = null;
    },
  };
}

/** Sends alert mail over SMTP. */
export function createEmailSender(options: EmailSenderOptions): EmailSender {
  const mailer = createSmtpMailer(options);
  return {
    send(config, message) {
      const content = renderEmail(message);
      return mailer.send({
        to: [...config.to],
        subject: content.subject,
        text: content.text,
        html: content.html,
        headers: { 'X-Sightline-Project': message.project.id },
      });
    },
    close: () => mailer.close(),
  };
}
