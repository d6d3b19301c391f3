// Email in a person's data rights: "export my data" lists what Quorum mailed them and their email
// and scheduling settings; once their account is erased, no message to them is left in the
// outbox (its address stayed in each message's record for 60 days before), and the certificate
// counts them. Messages queued before the recipient lists existed are listed at start.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ERASE_DELETED_ACCOUNTS } from '../../../core/identity/account-erasure.ts';
import { User } from '../../../core/identity/models.ts';
import { emailRecipientListsStep } from '../../../core/email/recipient-migration.ts';
import { recipientRef, recipientRefs } from '../../../core/email/recipient-refs.ts';
import { createLogger } from '../../../core/logger.ts';
import { runMigrations } from '../../../core/store/migrations.ts';
import { json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { startSmtpSink, type SinkMessage, type SmtpSink } from '../../support/smtp-sink.ts';
import { organization, type Org } from '../meetings/people.ts';

let sink: SmtpSink;
let app: TestQuorum;
let acme: Org;
const LEE = { name: 'Lee Wong', email: 'lee@acme.example' };
const to = (address: string) => (m: SinkMessage) => m.rcpt.includes(address);

beforeAll(async () => {
  sink = await startSmtpSink();
  app = await startTestQuorum({ SMTP_URL: sink.url, QUORUM_MAIL_FROM: 'quorum@acme.example' });
  acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' }, [LEE]);
});
afterAll(async () => {
  await app?.stop();
  await sink?.close();
});

/** Messages to `address` the outbox still holds (a scan, as a test may). */
function messagesTo(address: string) {
  return app.quorum.store.control.collection('email_messages').countDocuments({ to: address });
}

it('lists a message in the export, and erases it with the account', async () => {
  const lee = acme.members[LEE.email]!;
  const saved = await lee.request('/api/me/email-settings', {
    method: 'PUT',
    json: { reminderMinutes: 15, summaries: true, summariesToGuests: false },
  });
  expect(saved.status).toBe(200);
  const booked = await acme.admin.request('/api/bookings', {
    method: 'POST',
    json: {
      title: 'Roadmap',
      start: '2027-04-06T09:00:00.000Z',
      end: '2027-04-06T09:30:00.000Z',
      attendees: [{ email: LEE.email, name: LEE.name }],
      linkType: 'none',
    },
  });
  expect(booked.status).toBe(201);
  await sink.waitFor((ms) => ms.some(to(LEE.email)));

  const exported = await json(lee.request('/api/me/export'));
  expect(exported.email.settings).toMatchObject({ reminderMinutes: 15, summaries: true });
  expect(exported.email.messages).toEqual([
    expect.objectContaining({ to: LEE.email, kind: 'invitation' }),
  ]);
  expect(exported.settings).toMatchObject({ timeZone: expect.any(String) });
  expect(await messagesTo(LEE.email)).toBe(1);

  const deleted = await lee.request('/api/me', { method: 'DELETE', json: { confirm: LEE.email } });
  expect(deleted.status).toBe(200);
  const Users = app.quorum.store.controlModel(User);
  const leeId = (await Users.findOne({ email: LEE.email }).lean())!._id;
  await Users.updateOne({ _id: leeId }, { deletedAt: new Date(Date.now() - 31 * 86_400_000) });
  await app.quorum.jobs!.now(ERASE_DELETED_ACCOUNTS);
  await expect.poll(() => Users.countDocuments({ _id: leeId }), { timeout: 20_000 }).toBe(0);

  expect(await messagesTo(LEE.email)).toBe(0);
  const tenantDb = app.quorum.store.connection.useDb(`quorum_t_${acme.tenantId}`);
  expect(
    await tenantDb.collection('email_preferences').countDocuments({ _id: leeId } as never),
  ).toBe(0);
  expect(await tenantDb.collection('user_settings').countDocuments({ _id: leeId } as never)).toBe(
    0,
  );
  const certificates = (await tenantDb.collection('deletion_certificates').find().toArray()).map(
    (stored) => JSON.parse(String(stored.document)).certificate,
  );
  const certificate = certificates.find((c) => c.subject.kind === 'account');
  expect(certificate.deleted, JSON.stringify(certificate.deleted)).toMatchObject({
    emailMessages: 1,
  });
});

it('lists messages queued before the recipient lists existed, at start', async () => {
  const booked = await acme.admin.request('/api/bookings', {
    method: 'POST',
    json: {
      title: 'Old layout',
      start: '2027-04-07T09:00:00.000Z',
      end: '2027-04-07T09:30:00.000Z',
      attendees: [{ email: 'gina@guest.example' }],
      linkType: 'none',
    },
  });
  expect(booked.status).toBe(201);
  const refs = app.quorum.store.control.collection('email_refs');
  const listId = `${acme.tenantId}|${recipientRef('gina@guest.example', new Date())}`;
  await expect.poll(() => refs.countDocuments({ _id: listId } as never)).toBe(1);
  // As an earlier version left it: the message, and no list under its recipient.
  await refs.deleteOne({ _id: listId } as never);
  const step = `${emailRecipientListsStep.name}:${acme.tenantId}`;
  await app.quorum.store.control.collection('migrations').deleteOne({ _id: step } as never);
  await runMigrations(
    app.quorum.store,
    [emailRecipientListsStep],
    createLogger({ level: 'silent' }),
  );
  const list = await refs.findOne({ _id: listId } as never);
  expect(list?.keys).toEqual([expect.stringMatching(/gina@guest\.example/)]);
});

it('reads the recipient lists of every month a kept message may be on', () => {
  const refs = recipientRefs('Lee@Acme.example', new Date('2027-03-01T00:00:00Z'), 60 * 86_400_000);
  expect(refs).toEqual([
    'to:lee@acme.example:2026-12',
    'to:lee@acme.example:2027-01',
    'to:lee@acme.example:2027-02',
    'to:lee@acme.example:2027-03',
  ]);
});
