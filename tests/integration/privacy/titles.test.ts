// Titles at rest (issue 16, item 12): what people call their meetings ("Board prep", "1:1 with
// manager") is stored sealed — in meeting records, bookings, polls, proposals and the local
// calendar — on the embedded database as `npm start` runs it. Each title still shows wherever it
// is read, titles of the old layout are sealed by the start-up migration, and a title that
// cannot be opened is refused with a clear error, never shown as its ciphertext.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BSON, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCalendarProvider } from '../../../core/calendars/local/local-calendar.ts';
import { isSealedValue } from '../../../core/privacy/sealed-titles.ts';
import { tenantDatabaseName, verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { contentMigrationSteps } from '../../../infra/server/migrations.ts';
import { json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { TEAMS_VTT, organization, waitForStatus, type Org } from '../meetings/people.ts';

const RAJ = { name: 'Raj Patel', email: 'raj@acme.example' };
const START = '2027-03-22T10:00:00.000Z';
const END = '2027-03-22T10:30:00.000Z';

/** Where a needle's bytes are in a database: `<collection>/<_id>` of every raw document. */
async function documentsWith(db: Db, needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const { name } of await db.listCollections().toArray()) {
    for (const doc of await db.collection(name).find({}).toArray()) {
      const bytes = Buffer.from(BSON.serialize(doc));
      for (const needle of needles) {
        if (bytes.includes(Buffer.from(needle)))
          found.push(`${name}/${String(doc._id)}: ${needle}`);
      }
    }
  }
  return found;
}

/** The files under `dir` holding one of the needles' bytes. */
function filesWith(dir: string, needles: string[]): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .flatMap((file) => {
      const bytes = readFileSync(file);
      return needles.filter((n) => bytes.includes(Buffer.from(n))).map((n) => `${file}: ${n}`);
    });
}

let app: TestQuorum;
let acme: Org;

const tenantDb = () => app.quorum.store.connection.useDb(tenantDatabaseName(system())).db!;
const system = () => verifiedTenantContext(acme.tenantId, 'system');
const raj = () => acme.members[RAJ.email]!;
const localCalendar = (ownerEmail: string) =>
  localCalendarProvider({
    store: app.quorum.store,
    envelope: app.quorum.services.envelope,
    tenant: system(),
    ownerEmail,
  });

async function created(res: Promise<Response>) {
  const answer = await res;
  expect(answer.status, await answer.clone().text()).toBeLessThan(300);
  return json(answer);
}

async function newMeeting(title: string, startsAt = '2027-03-01T10:00:00Z') {
  return created(
    acme.admin.request('/api/meetings', {
      method: 'POST',
      json: { title, startsAt, endsAt: '2027-03-01T11:00:00Z', timeZone: 'UTC', participants: [] },
    }),
  );
}

async function newBooking(title: string, extra: Record<string, unknown> = {}) {
  const body = { title, start: START, end: END, attendees: [RAJ], linkType: 'none', ...extra };
  return (await created(acme.admin.request('/api/bookings', { method: 'POST', json: body })))
    .booking;
}

async function newPoll(title: string) {
  return created(
    acme.admin.request('/api/polls', {
      method: 'POST',
      json: {
        title,
        options: [
          { start: '2027-03-23T10:00:00Z', end: '2027-03-23T10:30:00Z' },
          { start: '2027-03-24T10:00:00Z', end: '2027-03-24T10:30:00Z' },
        ],
        participants: [{ email: 'guest@partner.example' }],
      },
    }),
  );
}

async function newProposal(title: string) {
  const me = await json(acme.admin.request('/api/me'));
  return app.quorum.services.assistant.proposals.save(system(), {
    organizerId: me.id,
    origin: { platform: 'web', reference: '', thread: null },
    title,
    durationMinutes: 30,
    attendees: [{ email: RAJ.email, optional: false }],
    followUpOf: null,
    rescheduleOf: null,
    slots: [{ start: new Date(START), end: new Date(END) }],
  });
}

async function upcomingTitles(ownerEmail: string) {
  const range = { start: new Date('2027-03-21T00:00:00Z'), end: new Date('2027-03-29T00:00:00Z') };
  return (await localCalendar(ownerEmail).upcoming(range)).map((e) => e.title);
}

beforeAll(async () => {
  // Quorum as `npm start` runs it: its own embedded database in its own data folder.
  app = await startTestQuorum({}, { ownDatabase: true });
  acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' }, [RAJ]);
});
afterAll(async () => {
  await app?.stop();
});

describe('titles at rest', () => {
  it('keeps every title out of the database and its files, and shows each where it is read', async () => {
    const titles = {
      meeting: 'Quillfeather board prep',
      booking: '1:1 with manager Vexbrook',
      poll: 'Marrowgate offsite',
      proposal: 'Brackenlode sync',
      event: 'Tullowmere dentist',
    };
    const words = ['Quillfeather', 'Vexbrook', 'Marrowgate', 'Brackenlode', 'Tullowmere'];

    // A meeting with a transcript (so its title goes into the search index too).
    const meeting = await newMeeting(titles.meeting);
    await acme.admin.request(`/api/meetings/${meeting.id}/captions`, {
      method: 'POST',
      headers: { 'content-type': 'text/vtt' },
      body: TEAMS_VTT,
    });
    expect((await waitForStatus(acme.admin, meeting.id, ['ready', 'failed'])).status).toBe('ready');
    // A booking asked for without a key (keyed by its content), with an agenda: it makes a
    // local calendar event and a meeting record of the same title.
    const booking = await newBooking(titles.booking, { description: 'Vexbrook agenda' });
    const poll = await newPoll(titles.poll);
    const proposal = await newProposal(titles.proposal);
    await localCalendar(RAJ.email).createEvent({
      title: titles.event,
      description: 'Bring the Tullowmere forms',
      start: new Date('2027-03-23T08:00:00Z'),
      end: new Date('2027-03-23T09:00:00Z'),
      timeZone: 'UTC',
      attendees: [],
      onlineMeeting: 'none',
      requestId: 'dentist-1',
    });

    // Nowhere at rest: no raw document of the tenant, no file of the data folder (whose scan
    // does find what is stored in the clear, such as the poll's guest).
    expect(await documentsWith(tenantDb(), words)).toEqual([]);
    expect(filesWith(app.dataDir, ['guest@partner.example'])).not.toEqual([]);
    expect(filesWith(app.dataDir, words)).toEqual([]);

    // Everywhere it is read.
    const mine = (await json(acme.admin.request('/api/meetings'))).meetings;
    expect(mine.map((m: { title: string }) => m.title)).toEqual(
      expect.arrayContaining([titles.meeting, titles.booking]),
    );
    expect((await json(acme.admin.request(`/api/meetings/${meeting.id}`))).title).toBe(
      titles.meeting,
    );
    const search = await json(acme.admin.request('/api/search?q=Quillfeather'));
    expect(search.results.map((r: { title: string }) => r.title)).toEqual([titles.meeting]);
    const upcoming = (await json(acme.admin.request('/api/bookings'))).bookings;
    expect(upcoming.map((b: { title: string }) => b.title)).toContain(titles.booking);
    expect((await json(raj().request(`/api/bookings/${booking._id}`))).booking.title).toBe(
      titles.booking,
    );
    expect((await json(acme.admin.request('/api/assistant/next'))).meeting.title).toBe(
      titles.booking,
    );
    expect((await json(acme.admin.request(`/api/polls/${poll.poll._id}`))).poll.title).toBe(
      titles.poll,
    );
    const guestLink = new URL(poll.links[0].url);
    const guestView = await fetch(
      `${app.url}/api/public/polls/${poll.poll._id}${guestLink.search}`,
    );
    expect((await json(guestView)).title).toBe(titles.poll);
    expect((await app.quorum.services.assistant.proposals.get(system(), proposal._id))?.title).toBe(
      titles.proposal,
    );
    expect(await upcomingTitles('ana@acme.example')).toContain(titles.booking);
    expect(await upcomingTitles(RAJ.email)).toContain(titles.event);
  });

  it('seals the titles of the old layout at start, and shows them before and after', async () => {
    const titles = {
      meeting: 'Oldfield budget',
      booking: 'Oldfield 1:1',
      poll: 'Oldfield offsite',
      proposal: 'Oldfield sync',
    };
    const me = await json(acme.admin.request('/api/me'));
    const anaId: string = me.id;
    const meeting = await newMeeting(titles.meeting);
    // Booked on the web without a key before titles were sealed: its key was its content.
    const oldKey = `${anaId}:${START.replace('10:00', '14:00')}:${titles.booking}`;
    const booking = await newBooking(titles.booking, {
      start: START.replace('10:00', '14:00'),
      end: END.replace('10:30', '14:30'),
      idempotencyKey: oldKey,
    });
    const poll = await newPoll(titles.poll);
    const proposal = await newProposal(titles.proposal);
    // The old layout: every title in plaintext, as the version before stored it.
    const db = tenantDb();
    const plain = async (collection: string, id: unknown, title: string) =>
      db.collection(collection).updateOne({ _id: id as never }, { $set: { title } });
    await plain('meetings', meeting.id, titles.meeting);
    await plain(
      'meetings',
      (await json(acme.admin.request('/api/meetings'))).meetings.find(
        (m: { bookingId: string | null }) => m.bookingId === booking._id,
      ).id,
      titles.booking,
    );
    await plain('bookings', booking._id, titles.booking);
    await plain('polls', poll.poll._id, titles.poll);
    await plain('proposals', proposal._id, titles.proposal);
    const event = await db.collection('local_calendar_events').findOne({ requestId: oldKey });
    await plain('local_calendar_events', event!._id, titles.booking);
    expect(await documentsWith(db, ['Oldfield'])).not.toEqual([]);

    // Readers take both while the move is under way.
    const shown = async () => ({
      meeting: (await json(acme.admin.request(`/api/meetings/${meeting.id}`))).title,
      booking: (await json(acme.admin.request(`/api/bookings/${booking._id}`))).booking.title,
      poll: (await json(acme.admin.request(`/api/polls/${poll.poll._id}`))).poll.title,
      proposal: (await app.quorum.services.assistant.proposals.get(system(), proposal._id))?.title,
      event: (await upcomingTitles('ana@acme.example')).includes(titles.booking),
    });
    const expected = { ...titles, event: true };
    expect(await shown()).toEqual(expected);

    const step = contentMigrationSteps(app.quorum.services, app.quorum.database).find(
      (s) => s.name === 'sealed-titles',
    )!;
    expect(await step.runForTenant(app.quorum.store, system())).toBe(6);
    // Nothing of them left in the clear, the old content key included: in no document, and
    // (scrubbed after sealing) in no file.
    expect(await documentsWith(db, ['Oldfield'])).toEqual([]);
    expect(filesWith(app.dataDir, ['Oldfield'])).toEqual([]);
    const stored = await db.collection('bookings').findOne({ _id: booking._id });
    expect(isSealedValue(stored!.title)).toBe(true);
    expect(await shown()).toEqual(expected);
    // The same request again still finds its booking, under the key it is made as now.
    const again = await acme.admin.request('/api/bookings', {
      method: 'POST',
      json: {
        title: titles.booking,
        start: START.replace('10:00', '14:00'),
        end: END.replace('10:30', '14:30'),
        attendees: [RAJ],
        linkType: 'none',
      },
    });
    expect(again.status).toBe(200);
    expect((await json(again)).booking._id).toBe(booking._id);
    // Run again (a start after one that stopped half-way): nothing more to seal.
    expect(await step.runForTenant(app.quorum.store, system())).toBe(0);
  });

  it('refuses a title that fails its integrity check, without showing its ciphertext', async () => {
    const meeting = await newMeeting('Tamperproof review');
    const booking = await newBooking('Tamperproof booking', {
      start: START.replace('10:00', '16:00'),
      end: END.replace('10:30', '16:30'),
    });
    const db = tenantDb();
    const tamper = async (collection: string, id: string) => {
      const { title } = (await db.collection(collection).findOne({ _id: id as never }))!;
      // One character of the ciphertext changed: it no longer authenticates.
      const altered = title.slice(0, -2) + (title.at(-2) === 'A' ? 'B' : 'A') + title.at(-1);
      await db.collection(collection).updateOne({ _id: id as never }, { $set: { title: altered } });
      return altered as string;
    };
    const sealedMeeting = await tamper('meetings', meeting.id);
    const sealedBooking = await tamper('bookings', booking._id);

    for (const [url, what, sealed] of [
      [`/api/meetings/${meeting.id}`, 'meeting', sealedMeeting],
      ['/api/meetings', 'meeting', sealedMeeting],
      [`/api/bookings/${booking._id}`, 'booking', sealedBooking],
    ] as const) {
      const res = await acme.admin.request(url);
      const text = await res.text();
      expect(res.status, url).toBe(500);
      expect(JSON.parse(text)).toMatchObject({
        error: 'content_unreadable',
        message: expect.stringMatching(
          new RegExp(`title of this ${what} cannot be shown: it failed its integrity check`),
        ),
      });
      expect(text).not.toContain(sealed.split('.')[3]!.slice(0, 16));
    }
  });
});
