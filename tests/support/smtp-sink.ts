// A real SMTP server on loopback (smtp-server) that keeps every message it accepted, raw and
// parsed (mailparser), so tests read back exactly what a relay received. `hold()` makes it keep
// the next messages at the end of DATA without answering, as a relay that stalls mid-send.
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface SinkMessage {
  raw: string;
  parsed: ParsedMail;
  /** RCPT TO of the envelope. */
  rcpt: string[];
}

export interface SmtpSink {
  url: string;
  messages: SinkMessage[];
  /** Messages whose DATA has arrived but which are held unanswered. */
  held: number;
  /** Holds every message from the `after`-th accepted one on (0: from now). */
  hold(after?: number): void;
  /** Refuses the next `count` messages with a temporary failure (451), as a busy relay. */
  refuse(count: number): void;
  /** Stops holding; held messages are refused (as when the connection died before the reply). */
  release(): void;
  /** Waits until `predicate` holds for the messages, polling; fails after `timeoutMs`. */
  waitFor(
    predicate: (messages: SinkMessage[]) => boolean,
    timeoutMs?: number,
  ): Promise<SinkMessage[]>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  let holding = false;
  let holdAfter = 0;
  let refusing = 0;
  const waiting: Array<(error?: Error) => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        if (refusing > 0) {
          refusing -= 1;
          const busy = Object.assign(new Error('busy, try again later'), { responseCode: 451 });
          return callback(busy);
        }
        if (holding && messages.length >= holdAfter) {
          waiting.push((error) => callback(error ?? null));
          return;
        }
        simpleParser(raw)
          .then((parsed) => {
            messages.push({ raw, parsed, rcpt: session.envelope.rcptTo.map((r) => r.address) });
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    get held() {
      return waiting.length;
    },
    hold(after = 0) {
      holding = true;
      holdAfter = after;
    },
    refuse(count) {
      refusing = count;
    },
    release() {
      holding = false;
      for (const answer of waiting.splice(0)) answer(new Error('connection went away'));
    },
    async waitFor(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(messages)) {
        if (Date.now() > deadline) {
          throw new Error(
            `condition not met; ${messages.length} messages: ${messages.map((m) => `${m.rcpt.join(',')} ${m.parsed.subject}`).join(' | ')}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      return messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
