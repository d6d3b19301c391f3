// The email outbox on the real database and a real SMTP server: a message refused by the relay
// comes back after its backoff and is sent once; one message per key however often it is
// queued; and no tenant sends more than its limit per minute (the rest wait for the next one).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { backoffMs } from '../../../core/delivery/consumer.ts';
import { EmailOutbox, renderEmail } from '../../../core/email/index.ts';
import { createLogger } from '../../../core/logger.ts';
import { createEnvelope } from '../../../core/privacy/envelope.ts';
import { openLocalKeyring } from '../../../core/privacy/local-keyring.ts';
import { openStore, type Store } from '../../../core/store/store.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { createSmtpTransport } from '../../../infra/providers/smtp/smtp-transport.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.ts';

let sink: SmtpSink;
let store: Store;
let outbox: EmailOutbox;
let scratch: string;
let clock = new Date('2027-01-04T10:00:00Z');
const ctx = verifiedTenantContext(testTenantId(), 'system');

const message = (key: string, address: string) => ({
  key,
  ref: 'test:outbox',
  kind: 'test',
  email: renderEmail({ to: { email: address }, subject: key, heading: key, why: 'a test.' }),
});

beforeAll(async () => {
  sink = await startSmtpSink();
  scratch = mkdtempSync(path.join(os.tmpdir(), 'quorum-email-outbox-'));
  store = await openStore({ uri: mongoUri(), controlDbName: `qc_${testTenantId()}` });
  const envelope = createEnvelope({ store, keys: await openLocalKeyring({ dataDir: scratch }) });
  const transport = createSmtpTransport({
    smtpUrl: sink.url,
    from: 'quorum@acme.example',
    perMinute: 2,
  });
  outbox = new EmailOutbox({
    store,
    envelope,
    logger: createLogger({ level: 'silent' }),
    transport,
    messageDomain: 'acme.example',
    perMinute: 2,
    now: () => clock,
  });
});
afterAll(async () => {
  await store?.close();
  await sink?.close();
  rmSync(scratch, { recursive: true, force: true });
});

it('tries a refused message again after its backoff, and sends it once', async () => {
  sink.refuse(1);
  expect(await outbox.enqueue(ctx, message('first', 'gina@guest.example'))).toBe('queued');
  expect(await outbox.sendDue()).toBe(0);
  expect(sink.messages).toHaveLength(0);
  // Not due again before its backoff.
  clock = new Date(clock.getTime() + backoffMs(1) - 1000);
  expect(await outbox.sendDue()).toBe(0);
  clock = new Date(clock.getTime() + 1000);
  expect(await outbox.sendDue()).toBe(1);
  expect(await outbox.sendDue()).toBe(0);
  expect(sink.messages.map((m) => m.parsed.subject)).toEqual(['first']);
  expect(await outbox.sentFor(ctx, 'test:outbox')).toMatchObject([
    { to: 'gina@guest.example', state: 'sent' },
  ]);
});

it('queues one message per key, and keeps to the limit per minute', async () => {
  clock = new Date('2027-01-04T11:00:00Z');
  for (const key of ['a', 'b', 'c']) {
    expect(await outbox.enqueue(ctx, message(key, `${key}@guest.example`))).toBe('queued');
  }
  expect(await outbox.enqueue(ctx, message('a', 'a@guest.example'))).toBe('already');
  expect(await outbox.sendDue()).toBe(2);
  expect(await outbox.sendDue()).toBe(0);
  clock = new Date('2027-01-04T11:01:00Z');
  expect(await outbox.sendDue()).toBe(1);
  const subjects = sink.messages.map((m) => m.parsed.subject).slice(1);
  expect(subjects.sort()).toEqual(['a', 'b', 'c']);
  // Sent once, a key queues nothing again.
  expect(await outbox.enqueue(ctx, message('b', 'b@guest.example'))).toBe('already');
  expect(await outbox.sendDue()).toBe(0);
});
