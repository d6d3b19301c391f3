// After the summary: search over encrypted meetings, the agenda of the next meeting, the
// outbox adapters read, "export my data", and deletion with its certificate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERASE_DELETED_ACCOUNTS } from '../../../core/identity/account-erasure.ts';
import { User } from '../../../core/identity/models.ts';
import { verifyDeletionCertificate } from '../../../core/privacy/deletion-certificate.ts';
import {
  Browser,
  json,
  startTestQuorum,
  summaryPublished,
  type TestQuorum,
} from '../../support/quorum-app.ts';
import { TEAMS_VTT, organization, rawMeetingDocuments, waitForStatus, type Org } from './people.ts';

let app: TestQuorum;
let acme: Org;
let ana: Browser;
let raj: Browser;
let lee: Browser;
let planning: string;

const RAJ = { name: 'Raj Patel', email: 'raj@acme.example' };
const LEE = { name: 'Lee Wong', email: 'lee@acme.example' };

async function meeting(
  who: Browser,
  title: string,
  day: string,
  participants = [RAJ],
  description?: string,
): Promise<string> {
  const res = await who.request('/api/meetings', {
    method: 'POST',
    json: {
      title,
      startsAt: `${day}T10:00:00+01:00`,
      endsAt: `${day}T11:00:00+01:00`,
      timeZone: 'Europe/Berlin',
      participants,
      ...(description ? { description } : {}),
    },
  });
  expect(res.status).toBe(201);
  return (await json(res)).id;
}

async function transcribed(who: Browser, id: string, vtt = TEAMS_VTT) {
  const sent = await who.request(`/api/meetings/${id}/captions`, {
    method: 'POST',
    headers: { 'content-type': 'text/vtt' },
    body: vtt,
  });
  expect(sent.status).toBe(202);
  const done = await waitForStatus(who, id, ['ready', 'failed']);
  expect(done.status, JSON.stringify(done.failure)).toBe('ready');
  return done;
}

beforeAll(async () => {
  app = await startTestQuorum();
  acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' }, [
    RAJ,
    LEE,
  ]);
  ana = acme.admin;
  raj = acme.members[RAJ.email]!;
  lee = acme.members[LEE.email]!;
  planning = await meeting(ana, 'Quarterly planning', '2027-03-22');
  await transcribed(ana, planning);
});
afterAll(async () => {
  await app?.stop();
});

describe('search', () => {
  it("finds a person's meetings by the words said in them, with where they were said", async () => {
    const other = await meeting(ana, 'Office move', '2027-03-23', [LEE]);
    await transcribed(
      ana,
      other,
      'WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Lee Wong>The spreadsheet of desks is ready.</v>\n',
    );

    const found = await json(raj.request('/api/search?q=Revised%20SPREADSHEET'));
    expect(found.terms).toEqual(['revised', 'spreadsheet']);
    expect(found.results).toEqual([
      {
        meetingId: planning,
        title: 'Quarterly planning',
        startsAt: '2027-03-22T09:00:00.000Z',
        snippets: [
          {
            speaker: 'Raj Patel',
            startMs: 6000,
            text: "I'll send the revised spreadsheet to finance by Friday.",
          },
        ],
      },
    ]);
    // Every word must be there: "spreadsheet" alone finds both of Ana's meetings, for Ana.
    const both = await json(ana.request('/api/search?q=spreadsheet'));
    expect(both.results.map((r: { meetingId: string }) => r.meetingId).sort()).toEqual(
      [planning, other].sort(),
    );
    // Lee was not in the planning meeting: only the office move.
    const lees = await json(lee.request('/api/search?q=spreadsheet'));
    expect(lees.results.map((r: { meetingId: string }) => r.meetingId)).toEqual([other]);
    // Titles are searchable too; words nobody said find nothing.
    expect((await json(raj.request('/api/search?q=quarterly'))).results).toHaveLength(1);
    expect((await json(raj.request('/api/search?q=giraffe'))).results).toEqual([]);
    const stop = await raj.request('/api/search?q=the');
    expect(stop.status).toBe(400);
    expect((await json(stop)).message).toMatch(/^q: give at least one word/);
  });
});

describe('search over a busy month', () => {
  it("keeps only the person's own meetings when a word is in many meetings of one month", async () => {
    // Ten meetings of April say the word: more than a person's timelines of the month hold
    // documents, so the search picks Raj's by his timelines before reading any record.
    const days = Array.from({ length: 10 }, (_, i) => `2027-04-${String(i + 5).padStart(2, '0')}`);
    const ids = await Promise.all(
      days.map((day, i) => meeting(ana, `Standup ${i}`, day, i % 3 === 0 ? [LEE] : [RAJ])),
    );
    const vtt = (i: number) =>
      `WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ana Lopez>Roadmap check number ${i}.</v>\n`;
    await Promise.all(ids.map((id, i) => transcribed(ana, id, vtt(i))));
    const found = async (who: Browser) =>
      (await json(who.request('/api/search?q=roadmap'))).results.map(
        (r: { meetingId: string }) => r.meetingId,
      );
    const newestFirst = (keep: (i: number) => boolean) => ids.filter((_, i) => keep(i)).reverse();
    expect(await found(raj)).toEqual(newestFirst((i) => i % 3 !== 0));
    expect(await found(lee)).toEqual(newestFirst((i) => i % 3 === 0));
    expect(await found(ana)).toEqual(newestFirst(() => true));
  });
});

describe('agenda', () => {
  it('builds the next agenda from the invite and the open action items of the same people', async () => {
    const next = await meeting(
      ana,
      'Quarterly planning (follow-up)',
      '2027-03-29',
      [RAJ],
      'Agenda:\n- Headcount\n- Launch dates',
    );
    // Someone else's meeting with other people brings nothing in.
    const res = await raj.request(`/api/meetings/${next}/agenda`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      agenda: [
        { topic: 'Headcount', owner: null, source: 'invite' },
        { topic: 'Launch dates', owner: null, source: 'invite' },
        {
          topic: 'Follow up: Send the revised spreadsheet to finance (due 2027-03-26)',
          owner: 'Raj Patel',
          source: 'open-action-item',
        },
      ],
      fromMeetings: [planning],
    });

    const done = await raj.request(`/api/meetings/${planning}/action-items/0`, {
      method: 'PATCH',
      json: { done: true },
    });
    expect(done.status).toBe(200);
    expect((await json(raj.request(`/api/meetings/${planning}`))).actionItems[0].done).toBe(true);
    expect((await json(raj.request(`/api/meetings/${next}/agenda`))).agenda).toHaveLength(2);
    await raj.request(`/api/meetings/${planning}/action-items/0`, {
      method: 'PATCH',
      json: { done: false },
    });
    expect(
      (
        await raj.request(`/api/meetings/${planning}/action-items/9`, {
          method: 'PATCH',
          json: { done: true },
        })
      ).status,
    ).toBe(404);
  });
});

describe('outbox', () => {
  it('keeps "meeting summarized" until each consumer acks it, redelivering after a lease', async () => {
    const { outbox } = app.quorum.services.meetings;
    const mine = <T extends { meetingId: string }>(events: T[]) =>
      events.filter((e) => e.meetingId === planning);

    await summaryPublished(app, planning);
    const slack = mine(await outbox.claim('slack', { limit: 100, leaseMs: 60_000 }));
    expect(slack).toEqual([
      {
        id: `${acme.tenantId}:${planning}:meeting.summarized`,
        type: 'meeting.summarized',
        tenantId: acme.tenantId,
        meetingId: planning,
        createdAt: expect.any(Date),
      },
    ]);
    // Held by one Slack worker: another does not get it; Teams reads independently.
    expect(mine(await outbox.claim('slack', { limit: 100 }))).toEqual([]);
    expect(mine(await outbox.claim('teams', { limit: 100 }))).toHaveLength(1);
    // Not acked within the lease: offered again (the lease made to run out now, not waited for).
    await outbox.defer('slack', slack[0]!.id, new Date(Date.now() - 1));
    const again = mine(await outbox.claim('slack', { limit: 100, leaseMs: 60_000 }));
    expect(again).toHaveLength(1);
    await outbox.ack('slack', again[0]!.id);
    await outbox.ack('slack', again[0]!.id);
    expect(mine(await outbox.claim('slack', { limit: 100 }))).toEqual([]);
    // Publishing again (a resumed pipeline) does not make a second event.
    await outbox.publish({
      type: 'meeting.summarized',
      tenantId: acme.tenantId,
      meetingId: planning,
    });
    expect(mine(await outbox.claim('slack', { limit: 100 }))).toEqual([]);
    await expect(outbox.claim('Slack Bot')).rejects.toThrow('is not a valid name');
  });
});

describe('personal data', () => {
  it("exports a participant's meetings decrypted for them", async () => {
    const data = await json(raj.request('/api/me/export'));
    const exported = data.meetings.find((m: { id: string }) => m.id === planning);
    expect(exported.transcript).toHaveLength(4);
    expect(exported.actionItems[0]).toMatchObject({ owner: 'Raj Patel', due: '2027-03-26' });
    expect(
      (await json(lee.request('/api/me/export'))).meetings.map((m: { id: string }) => m.id),
    ).not.toContain(planning);
  });
});

describe('bookings', () => {
  it('makes one meeting per booking, for its organizer and attendees, from its details', async () => {
    const booked = await ana.request('/api/bookings', {
      method: 'POST',
      json: {
        title: 'Pricing review',
        start: '2027-03-30T10:00:00Z',
        end: '2027-03-30T10:30:00Z',
        attendees: [{ email: RAJ.email, name: RAJ.name }],
        linkType: 'none',
      },
    });
    expect(booked.status, await booked.clone().text()).toBe(201);
    const bookingId = (await json(booked)).booking._id;

    // The booking made its meeting record already (every surface books through
    // core/assistant/book.ts): asking for the booking's meeting finds that one.
    const created = await raj.request('/api/meetings', { method: 'POST', json: { bookingId } });
    expect(created.status).toBe(200);
    const made = await json(created);
    expect(made).toMatchObject({
      title: 'Pricing review',
      startsAt: '2027-03-30T10:00:00.000Z',
      endsAt: '2027-03-30T10:30:00.000Z',
      bookingId,
      organizerEmail: 'ana@acme.example',
      status: 'scheduled',
    });
    const again = await ana.request('/api/meetings', { method: 'POST', json: { bookingId } });
    expect(again.status).toBe(200);
    expect((await json(again)).id).toBe(made.id);
    expect(
      (await lee.request('/api/meetings', { method: 'POST', json: { bookingId } })).status,
    ).toBe(404);
    const meeting = await json(ana.request(`/api/meetings/${made.id}`));
    expect(meeting.participants).toEqual([
      { email: 'ana@acme.example', name: 'Ana Lopez' },
      { email: RAJ.email, name: RAJ.name },
    ]);

    // Deleted, the booking stays (and says so in the certificate); a new meeting can be made.
    const deleted = await json(ana.request(`/api/meetings/${made.id}`, { method: 'DELETE' }));
    const text = await (await ana.request(`/api/certificates/${deleted.certificateId}`)).text();
    expect(JSON.parse(text).certificate.kept[0].what).toBe(
      `booking ${bookingId} (title, times, attendees)`,
    );
    expect((await ana.request(`/api/bookings/${bookingId}`)).status).toBe(200);
    const remade = await ana.request('/api/meetings', { method: 'POST', json: { bookingId } });
    expect(remade.status).toBe(201);
    expect((await json(remade)).id).not.toBe(made.id);

    expect((await ana.request(`/api/bookings/${bookingId}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    const cancelled = await ana.request('/api/meetings', {
      method: 'POST',
      json: { bookingId, idempotencyKey: 'after-cancel-1' },
    });
    expect(cancelled.status).toBe(409);
  });
});

describe('deletion', () => {
  it('lets only the organizer delete; then everything is gone at once, with a certificate', async () => {
    const id = await meeting(ana, 'Vendor review', '2027-03-24');
    await transcribed(ana, id);
    const refused = await raj.request(`/api/meetings/${id}`, { method: 'DELETE' });
    expect(refused.status).toBe(403);

    const res = await ana.request(`/api/meetings/${id}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    const { certificateId } = await json(res);
    expect((await ana.request(`/api/meetings/${id}`)).status).toBe(404);
    expect((await ana.request(`/api/meetings/${id}`, { method: 'DELETE' })).status).toBe(404);

    const raw = await rawMeetingDocuments(app, acme.tenantId);
    const remaining = JSON.stringify([
      raw.meetings,
      raw.meeting_chunks,
      raw.meeting_summaries,
      raw.meeting_actions,
      raw.meeting_lists,
      raw.meeting_search,
      raw.meeting_search_postings,
      raw.meeting_sources,
      raw.meeting_claims,
    ]);
    expect(remaining).not.toContain(id);
    const key = (raw.data_keys as Array<Record<string, unknown>>).find(
      (k) => k._id === `meeting:${id}`,
    );
    expect(key).toMatchObject({ destroyedAt: expect.any(Date) });
    expect(key).not.toHaveProperty('wrapped');

    const text = await (await ana.request(`/api/certificates/${certificateId}`)).text();
    const keys = await json(fetch(`${app.url}/.well-known/quorum-certificate-keys.json`));
    const verdict = verifyDeletionCertificate(text, keys);
    expect(verdict).toMatchObject({ valid: true });
    if (!verdict.valid) return;
    expect(verdict.certificate.subject).toEqual({ kind: 'meeting', id });
    expect(verdict.certificate.deleted).toMatchObject({
      'meeting records': 1,
      'meeting data keys (destroyed)': 1,
      'transcript segments': 4,
      'action items': 1,
      'search index entries': 1,
      'summaries (with decisions and open questions)': 1,
    });

    const audit = await json(ana.request('/api/audit?limit=500'));
    expect(audit.entries).toContainEqual(
      expect.objectContaining({
        action: 'data.deleted',
        target: `meeting:${id}`,
        details: expect.objectContaining({ certificateId }),
      }),
    );
    expect(audit.verification.intact).toBe(true);
  });
});

describe('account erasure', () => {
  it("deletes the meetings a person organized and takes their name out of others'", async () => {
    // Lee organizes one meeting, and speaks and takes a task in one of Ana's.
    const lees = await meeting(lee, 'Desk planning', '2027-03-25', [RAJ]);
    await transcribed(lee, lees);
    const anas = await meeting(ana, 'Facilities', '2027-03-26', [LEE]);
    await transcribed(
      ana,
      anas,
      'WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Lee Wong>I will book the movers by Thursday.</v>\n\n' +
        '00:00:05.000 --> 00:00:08.000\n<v Ana Lopez>Thanks, that works.</v>\n',
    );
    const before = await json(ana.request(`/api/meetings/${anas}`));
    expect(before.actionItems[0].owner).toBe('Lee Wong');

    const deleted = await lee.request('/api/me', {
      method: 'DELETE',
      json: { confirm: LEE.email },
    });
    expect(deleted.status).toBe(200);
    const Users = app.quorum.store.controlModel(User);
    const person = (await Users.findOne({ email: LEE.email }).lean())!;
    await Users.updateOne(
      { _id: person._id },
      { deletedAt: new Date(Date.now() - 31 * 86_400_000) },
    );
    await app.quorum.jobs!.now(ERASE_DELETED_ACCOUNTS);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await Users.countDocuments({ _id: person._id })) > 0) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await Users.countDocuments({ _id: person._id })).toBe(0);

    expect((await ana.request(`/api/meetings/${lees}`)).status).toBe(404);
    const after = await json(ana.request(`/api/meetings/${anas}`));
    expect(after.participants.map((p: { email: string }) => p.email)).toEqual(['ana@acme.example']);
    expect(after.transcript.map((s: { speaker: string }) => s.speaker)).toEqual([
      'Former participant',
      'Ana Lopez',
    ]);
    expect(after.actionItems[0]).toMatchObject({
      task: 'Book the movers',
      owner: 'Former participant',
    });

    const certificates = app.quorum.store.connection
      .useDb(`quorum_t_${acme.tenantId}`)
      .collection('deletion_certificates');
    const account = await certificates.findOne({ subjectKind: 'account', subjectId: person._id });
    expect(JSON.parse(String(account!.document)).certificate.deleted).toMatchObject({
      'meetings organized (deleted, each with its own certificate)': 1,
      'transcript segments re-labelled "Former participant"': 2,
      'action items re-labelled "Former participant"': 1,
    });
    expect(await certificates.countDocuments({ subjectKind: 'meeting', subjectId: lees })).toBe(1);
  });
});
