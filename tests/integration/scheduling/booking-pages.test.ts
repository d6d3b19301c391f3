// Booking pages through the real server on the real database: publishing event types (alone
// and with a teammate), what a guest sees, booking once (idempotent), refusing taken or
// unoffered times, the signed .ics link, the per-address limit; plus the week grid's free/busy
// overview and the public certificate check.
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealedTitles } from '../../../core/privacy/sealed-titles.ts';
import { BOOKING_TITLES, Booking } from '../../../core/scheduling/booking/booking-model.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import {
  addSignedInColleague,
  saveSettings,
  seedBusy as seedBusyIn,
  signUpOrganization,
} from './booking-org.ts';

let app: TestQuorum;
let ana: Browser;
let raj: Browser;
let other: Browser; // an admin of another organization
let tenantId: string;
const HOUR = 3_600_000;
// Everyone works around the clock here, so the real "now" always has slots ahead.
const allDay = {
  timeZone: 'UTC',
  workingHours: [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' },
  ],
  defaultLinkType: 'none',
};

/** A whole hour at least `hoursAhead` from now, on the hour (UTC). */
function hourAhead(hoursAhead: number): Date {
  return new Date(Math.ceil((Date.now() + hoursAhead * HOUR) / HOUR) * HOUR);
}

/** Puts a meeting into someone's calendar the way any calendar client would. */
function seedBusy(email: string, title: string, start: Date, end: Date) {
  return seedBusyIn(app, tenantId, email, title, start, end);
}

const guestBody = (start: Date, email = 'gus@guest.example') => ({
  name: 'Gus Guest',
  email,
  notes: 'About the pilot.',
  start: start.toISOString(),
});

beforeAll(async () => {
  app = await startTestQuorum({ QUORUM_OPEN_SIGNUP: 'true' });
  ana = new Browser(app.url);
  other = new Browser(app.url);
  await signUpOrganization(ana, 'Acme', 'Ana Lopez', 'ana@acme.example');
  raj = await addSignedInColleague(app, ana, {
    name: 'Raj Patel',
    email: 'raj@acme.example',
    ip: '192.0.2.90',
  });
  for (const who of [ana, raj]) await saveSettings(who, allDay);
  await signUpOrganization(other, 'Globex', 'Olga', 'olga@globex.example');
  tenantId = (await json(ana.request('/api/me'))).tenantId;
});
afterAll(async () => {
  await app?.stop();
});

describe('publishing a booking page', () => {
  it('refuses a bad link name, a host from outside, and a name another organization took', async () => {
    const bad = await ana.request('/api/booking-pages', {
      method: 'POST',
      json: { slug: 'No Spaces!', title: 'Intro', durationMinutes: 30 },
    });
    expect(bad.status).toBe(400);
    expect((await json(bad)).message).toMatch(/^slug: use 3–60 lowercase letters/);

    const outsider = await ana.request('/api/booking-pages', {
      method: 'POST',
      json: {
        slug: 'acme-team',
        title: 'Team call',
        durationMinutes: 30,
        hostEmails: ['olga@globex.example'],
      },
    });
    expect(outsider.status).toBe(400);
    expect(await json(outsider)).toMatchObject({
      error: 'not-a-colleague',
      message: expect.stringContaining('olga@globex.example is not in your organization'),
    });

    const first = await other.request('/api/booking-pages', {
      method: 'POST',
      json: { slug: 'intro', title: 'Globex intro', durationMinutes: 30 },
    });
    expect(first.status).toBe(201);
    const taken = await ana.request('/api/booking-pages', {
      method: 'POST',
      json: { slug: 'intro', title: 'Acme intro', durationMinutes: 30 },
    });
    expect(taken.status).toBe(409);
    expect((await json(taken)).message).toContain('"intro" is taken');
    // Only one's own pages are listed.
    expect((await json(ana.request('/api/booking-pages'))).pages).toEqual([]);
  });

  it('publishes a team page at a public link', async () => {
    const res = await ana.request('/api/booking-pages', {
      method: 'POST',
      json: {
        slug: 'Acme-Team',
        title: 'Team call',
        description: 'Meet Ana and Raj.',
        durationMinutes: 60,
        windowDays: 3,
        minNoticeMinutes: 60,
        hostEmails: ['raj@acme.example'],
      },
    });
    expect(res.status).toBe(201);
    expect((await json(res)).page).toMatchObject({
      slug: 'acme-team',
      url: `${app.url}/book/acme-team`,
      hostEmails: ['raj@acme.example'],
    });
    expect((await json(ana.request('/api/booking-pages'))).pages).toHaveLength(1);
  });
});

describe('a guest on a booking page', () => {
  let view: { slots: Array<{ start: string; end: string }> };
  const busyStart = hourAhead(10);

  it('sees the free times of everyone on the page, in order, after the notice period', async () => {
    // Raj (a host) is busy for two hours: those times are not offered.
    await seedBusy(
      'raj@acme.example',
      'Workshop',
      busyStart,
      new Date(busyStart.getTime() + 2 * HOUR),
    );
    const res = await fetch(`${app.url}/api/public/booking-pages/acme-team`);
    expect(res.status).toBe(200);
    view = await json(res);
    expect(view).toMatchObject({
      title: 'Team call',
      description: 'Meet Ana and Raj.',
      durationMinutes: 60,
      owner: 'Ana Lopez',
      hosts: ['Raj Patel'],
    });
    const starts = view.slots.map((s) => Date.parse(s.start));
    expect(starts.length).toBeGreaterThan(20);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(starts.every((s) => s >= Date.now() + 59 * 60_000)).toBe(true);
    expect(starts.every((s) => s <= Date.now() + 3 * 24 * HOUR)).toBe(true);
    expect(starts.every((s) => s % (30 * 60_000) === 0)).toBe(true);
    for (const s of view.slots) {
      expect(Date.parse(s.end) - Date.parse(s.start)).toBe(HOUR);
      const overlapsWorkshop =
        Date.parse(s.start) < busyStart.getTime() + 2 * HOUR &&
        busyStart.getTime() < Date.parse(s.end);
      expect(overlapsWorkshop, s.start).toBe(false);
    }
  });

  it('books once: the same request again answers with the same booking', async () => {
    const start = new Date(view.slots[3]!.start);
    const book = () =>
      fetch(`${app.url}/api/public/booking-pages/acme-team/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(guestBody(start)),
      });
    const first = await book();
    expect(first.status).toBe(201);
    const made = await json(first);
    expect(made.booking).toMatchObject({
      title: 'Team call with Gus Guest',
      start: start.toISOString(),
      end: new Date(start.getTime() + HOUR).toISOString(),
    });
    const again = await book();
    expect(again.status).toBe(200);
    expect(await json(again)).toMatchObject({
      alreadyBooked: true,
      booking: { id: made.booking.id },
    });

    // Titles are stored sealed: every booking of the tenant, opened, then compared.
    const ctx = verifiedTenantContext(tenantId, 'system');
    const all = await (await app.quorum.store.tenantModel(ctx, Booking)).find({}).lean();
    const opened = await sealedTitles(app.quorum.services.envelope, BOOKING_TITLES).openAll(
      ctx,
      all,
    );
    const stored = opened.filter((b) => b.title === 'Team call with Gus Guest');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      status: 'confirmed',
      organizerEmail: 'ana@acme.example',
      origin: { platform: 'booking-page', conversationId: 'acme-team' },
    });
    expect(stored[0]!.attendees.map((a) => a.email).sort()).toEqual([
      'gus@guest.example',
      'raj@acme.example',
    ]);
    // The owner sees it among their upcoming bookings.
    const upcoming = (await json(ana.request('/api/bookings'))).bookings;
    expect(upcoming.map((b: { _id: string }) => b._id)).toContain(made.booking.id);
    // The booking went through the assistant's book use case: the owner's meeting record is
    // there (once, though the guest booked twice), the guest among its participants.
    const meetings = (await json(ana.request('/api/meetings'))).meetings.filter(
      (m: { title: string }) => m.title === 'Team call with Gus Guest',
    );
    expect(meetings).toHaveLength(1);
    const meeting = await json(ana.request(`/api/meetings/${meetings[0].id}`));
    expect(meeting.participants.map((p: { email: string }) => p.email)).toContain(
      'gus@guest.example',
    );

    // The .ics link: the event in UTC with the guest as attendee; a changed link is refused.
    const ics = await fetch(made.icsUrl);
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    const vevent = new ICAL.Component(ICAL.parse(await ics.text())).getFirstSubcomponent('vevent')!;
    expect(vevent.getFirstPropertyValue('summary')).toBe('Team call with Gus Guest');
    expect(
      (vevent.getFirstPropertyValue('dtstart') as InstanceType<typeof ICAL.Time>)
        .toJSDate()
        .toISOString(),
    ).toBe(start.toISOString());
    expect(String(vevent.getFirstPropertyValue('attendee'))).toBe('mailto:gus@guest.example');
    expect(String(vevent.getFirstPropertyValue('organizer'))).toBe('mailto:ana@acme.example');
    const forged = await fetch(made.icsUrl.replace(/t=.{8}/, 't=AAAAAAAA'));
    expect(forged.status).toBe(403);
    const otherBooking = await fetch(made.icsUrl.replace(made.booking.id, 'someone-else'));
    expect(otherBooking.status).toBe(403);
  });

  it('no longer offers the booked time, and refuses it and times the page never offered', async () => {
    const taken = view.slots[3]!.start;
    const now = await json(fetch(`${app.url}/api/public/booking-pages/acme-team`));
    expect(now.slots.map((s: { start: string }) => s.start)).not.toContain(taken);

    const post = (body: unknown) =>
      fetch(`${app.url}/api/public/booking-pages/acme-team/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const second = await post(guestBody(new Date(taken), 'eve@guest.example'));
    expect(second.status).toBe(409);
    expect(await json(second)).toMatchObject({
      error: 'slot-unavailable',
      message: 'That time is no longer free. Pick another one from the list.',
    });
    const offGrid = new Date(Date.parse(view.slots[6]!.start) + 7 * 60_000);
    expect((await post(guestBody(offGrid))).status).toBe(409);
    const tooSoon = new Date(Math.ceil(Date.now() / HOUR) * HOUR);
    expect((await post(guestBody(tooSoon))).status).toBe(409);
    const missing = await post({ name: 'Gus', email: 'not-an-email', start: taken });
    expect(missing.status).toBe(400);
    expect((await json(missing)).message).toMatch(/^email:/);
    // Gus again: his own booking, not an error.
    expect((await post(guestBody(new Date(taken)))).status).toBe(200);
  });

  it("books without a meeting link when the owner's calendar cannot make their default one", async () => {
    // Ana prefers Teams links, but her calendar is Quorum's local one, which cannot make them.
    expect(
      (
        await ana.request('/api/me/settings', {
          method: 'PUT',
          json: { ...allDay, defaultLinkType: 'teams' },
        })
      ).status,
    ).toBe(200);
    const res = await fetch(`${app.url}/api/public/booking-pages/acme-team/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(guestBody(new Date(view.slots[8]!.start), 'tess@guest.example')),
    });
    expect(res.status).toBe(201);
    const { booking } = await json(res);
    const ctx = verifiedTenantContext(tenantId, 'system');
    const stored = await (
      await app.quorum.store.tenantModel(ctx, Booking)
    )
      .findById(booking.id)
      .lean();
    expect(stored).toMatchObject({ status: 'confirmed', linkType: 'none', joinUrl: null });
  });

  it('limits bookings per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await fetch(`${app.url}/api/public/booking-pages/no-such-page/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7' },
        body: JSON.stringify(guestBody(hourAhead(5))),
      });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        expect((await json(res)).message).toMatch(/^Too many bookings from your address/);
      }
    }
    expect(statuses.filter((s) => s === 404)).toHaveLength(20);
    expect(statuses.at(-1)).toBe(429);
  });

  it('is gone once its owner removes it', async () => {
    expect((await raj.request('/api/booking-pages/acme-team', { method: 'DELETE' })).status).toBe(
      404,
    );
    expect((await ana.request('/api/booking-pages/acme-team', { method: 'DELETE' })).status).toBe(
      200,
    );
    const res = await fetch(`${app.url}/api/public/booking-pages/acme-team`);
    expect(res.status).toBe(404);
    expect((await json(res)).message).toContain('does not exist or is no longer published');
  });
});

describe('the week grid: free/busy per person', () => {
  it("returns each person's working hours and busy times in the window, and guests as unknown", async () => {
    const start = hourAhead(30);
    const end = new Date(start.getTime() + 24 * HOUR);
    await seedBusy(
      'raj@acme.example',
      'Review',
      new Date(start.getTime() + 2 * HOUR),
      new Date(start.getTime() + 3 * HOUR),
    );
    const res = await ana.request('/api/scheduling/availability', {
      method: 'POST',
      json: {
        emails: ['raj@acme.example', 'guest@outside.example'],
        window: { start: start.toISOString(), end: end.toISOString() },
      },
    });
    expect(res.status).toBe(200);
    const { people } = await json(res);
    expect(people.map((p: { email: string }) => p.email)).toEqual([
      'ana@acme.example',
      'raj@acme.example',
      'guest@outside.example',
    ]);
    const [me, rajRow, guestRow] = people;
    expect(me).toMatchObject({ kind: 'colleague', known: true, timeZone: 'UTC', busy: [] });
    // Around the clock: the whole window is working time.
    expect(me.working).toEqual([{ start: start.toISOString(), end: end.toISOString() }]);
    expect(rajRow.busy).toEqual([
      {
        start: new Date(start.getTime() + 2 * HOUR).toISOString(),
        end: new Date(start.getTime() + 3 * HOUR).toISOString(),
      },
    ]);
    expect(guestRow).toMatchObject({ kind: 'guest', known: false, working: [], busy: [] });

    const tooLong = await ana.request('/api/scheduling/availability', {
      method: 'POST',
      json: {
        emails: [],
        window: {
          start: start.toISOString(),
          end: new Date(start.getTime() + 20 * 24 * HOUR).toISOString(),
        },
      },
    });
    expect(tooLong.status).toBe(400);
    expect((await json(tooLong)).message).toBe('window: the window may span at most 14 days');
    expect((await fetch(`${app.url}/api/scheduling/availability`, { method: 'POST' })).status).toBe(
      401,
    );
  });
});

describe("the administrators' meeting engines", () => {
  it('names the transcription engines available and the summarizer, to admins only', async () => {
    expect(await json(ana.request('/api/admin/meeting-engines'))).toEqual({
      transcriptionEngines: ['pocketsphinx'],
      summarizer: 'extractive',
    });
    expect((await raj.request('/api/admin/meeting-engines')).status).toBe(403);
  });
});

describe('the public certificate check', () => {
  it('says valid for a real certificate, and why not for a changed one or garbage', async () => {
    const created = await json(
      ana.request('/api/meetings', {
        method: 'POST',
        json: {
          title: 'Retro',
          startsAt: '2027-03-22T10:00:00Z',
          endsAt: '2027-03-22T10:30:00Z',
        },
      }),
    );
    const deleted = await json(ana.request(`/api/meetings/${created.id}`, { method: 'DELETE' }));
    const certificate = await (await ana.request(deleted.certificate)).text();
    const verify = (text: unknown) =>
      fetch(`${app.url}/api/public/certificates/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ certificate: text }),
      });
    const good = await verify(certificate);
    expect(good.status).toBe(200);
    expect(await json(good)).toMatchObject({
      valid: true,
      certificate: { id: deleted.certificateId, tenantId, subject: { kind: 'meeting' } },
    });
    const changed = certificate.replace(
      /"deletedAt":"[^"]+"/,
      '"deletedAt":"2020-01-01T00:00:00.000Z"',
    );
    expect(await json(verify(changed))).toMatchObject({
      valid: false,
      reason: 'content-altered',
    });
    expect(await json(verify('hello'))).toMatchObject({
      valid: false,
      reason: 'malformed',
    });
    const empty = await verify('');
    expect(empty.status).toBe(400);
    expect((await json(empty)).message).toBe('certificate: paste or upload the certificate');
  });
});
