// Email through an SMTP relay (nodemailer), implementing core's MailTransport.
//
// TLS is required: `smtps://` speaks TLS from the first byte (port 465), and `smtp://` must
// upgrade with STARTTLS (port 587) or nothing is sent — except to a relay on a loopback address
// (a local MTA such as Postfix on the same machine), where the message never crosses a network.
// Certificates are verified. Nodemailer may read no files and fetch no URLs for a message.
import nodemailer from 'nodemailer';
import type { MailTransport, OutgoingMail } from '../../../core/email/message.ts';
import type { MailConfig } from '../config.ts';

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

/** Nodemailer's options for SMTP_URL: TLS required unless the relay is on loopback. */
export function smtpOptions(smtpUrl: string) {
  const url = new URL(smtpUrl);
  const implicitTls = url.protocol === 'smtps:';
  const loopback = isLoopbackHost(url.hostname);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : implicitTls ? 465 : 587,
    secure: implicitTls,
    requireTLS: !implicitTls && !loopback,
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 15_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

export function createSmtpTransport(config: MailConfig): MailTransport {
  const transporter = nodemailer.createTransport(smtpOptions(config.smtpUrl));
  return {
    async send(mail: OutgoingMail) {
      await transporter.sendMail({
        from: { name: 'Quorum', address: config.from },
        to: mail.to.name ? { name: mail.to.name, address: mail.to.email } : mail.to.email,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        ...(mail.calendar
          ? {
              icalEvent: {
                method: mail.calendar.method,
                filename: 'invite.ics',
                content: mail.calendar.ics,
              },
            }
          : {}),
      });
    },
    close() {
      transporter.close();
    },
  };
}
