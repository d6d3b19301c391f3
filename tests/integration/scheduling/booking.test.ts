// Finding times, booking, rescheduling, cancelling, follow-ups and polls through the real server,
// on colleagues' local calendars in the real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_EVENT_TITLES, LocalEvent } from '../../../core/calendars/local/local-event-model.ts';
import { sealedTitles } from '../../../core/privacy/sealed-titles.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { password, seedBusy as seedBusyIn, setUpAnaAndRaj } from './booking-org.ts';

let app: TestQuorum;
let ana: Browser; // organizer, Berlin
let raj: Browser; // colleague, Kolkata
let tenantId: string;

// Monday 2027-03-22 (Berlin still on UTC+1); every test looks at that week.
const MON = '2027-03-22';
const at = (time: string, day = MON) => new Date(`${day}T${time}:00Z`);

/** Puts a meeting into someone's calendar the way any calendar client would. */
function seedBusy(email: string, title: string, start: Date, end: Date) {
  return seedBusyIn(app, tenantId, email, title, start, end);
}

/** The tenant's local calendar events with this title (stored sealed: opened to compare). */
async function eventsTitled(title: string) {
  const ctx = verifiedTenantContext(tenantId, 'system');
  const stored = await (await app.quorum.store.tenantModel(ctx, LocalEvent)).find({}).lean();
  const titles = sealedTitles(app.quorum.services.envelope, LOCAL_EVENT_TITLES);
  return (await titles.openAll(ctx, stored)).filter((e) => e.title === title);
}

beforeAll(async () => {
  app = await startTestQuorum();
  // Ana works 09:00–17:00 in Berlin (UTC+1 that week), Raj 10:00–18:00 in Kolkata (UTC+5:30).
  ({ ana, raj, tenantId } = await setUpAnaAndRaj(app));
});
afterAll(async () => {
  await app?.stop();
});

describe('settings', () => {
  it('refuses an unknown time zone and bad hours, naming the field', async () => {
    const res = await ana.request('/api/me/settings', {
      method: 'PUT',
      json: { timeZone: 'Mars/Olympus', workingHours: [], defaultLinkType: 'none' },
    });
    expect(res.status).toBe(400);
    expect((await json(res)).message).toMatch(/^timeZone: is not a known IANA time zone/);
    const hours = await ana.request('/api/me/settings', {
      method: 'PUT',
      json: {
        timeZone: 'UTC',
        workingHours: [{ days: ['mon'], start: '9am', end: '17:00' }],
        defaultLinkType: 'none',
      },
    });
    expect((await json(hours)).message).toMatch(/^workingHours\.0\.start: use HH:MM/);
  });
});

describe('finding times and booking', () => {
  it("offers only times inside both people's working hours, avoiding Raj's busy time", async () => {
    // Raj is busy 08:30–09:30 UTC on Monday.
    await seedBusy('raj@acme.example', 'Standup', at('08:30'), at('09:30'));
    const res = await ana.request('/api/scheduling/find', {
      method: 'POST',
      json: {
        attendees: [{ email: 'raj@acme.example' }, { email: 'guest@outside.example' }],
        durationMinutes: 30,
        window: { start: `${MON}T00:00:00Z`, end: `2027-03-23T00:00:00Z` },
        limit: 50,
      },
    });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.timeZone).toBe('Europe/Berlin');
    expect(body.unknown).toEqual([
      expect.objectContaining({ email: 'guest@outside.example', reason: 'guest' }),
    ]);
    expect(body.slots.length).toBeGreaterThan(0);
    expect(app.logs()).not.toContain('"level":50');
    for (const slot of body.slots) {
      const start = Date.parse(slot.start);
      const end = Date.parse(slot.end);
      // Overlap of Berlin 09–17 (08–16 UTC) and Kolkata 10–18 (04:30–12:30 UTC): 08:00–12:30 UTC.
      expect(start).toBeGreaterThanOrEqual(at('08:00').getTime());
      expect(end).toBeLessThanOrEqual(at('12:30').getTime());
      expect(end <= at('08:30').getTime() || start >= at('09:30').getTime()).toBe(true);
    }
  });

  it('books a slot once even when the same request arrives twice at the same moment', async () => {
    const request = {
      title: 'Design review',
      start: `${MON}T10:00:00Z`,
      end: `${MON}T10:30:00Z`,
      attendees: [{ email: 'raj@acme.example' }],
      idempotencyKey: 'design-review-click-1',
    };
    const [first, second] = await Promise.all([
      ana.request('/api/bookings', { method: 'POST', json: request }),
      ana.request('/api/bookings', { method: 'POST', json: request }),
    ]);
    const statuses = [first.status, second.status].sort();
    expect(statuses[0]).toBeLessThan(300);
    const created = await eventsTitled('Design review');
    expect(created).toHaveLength(1);
    expect(created[0]!.attendees.map((a) => a.email)).toContain('raj@acme.example');
    // Asked again later, it answers with the same booking.
    const again = await ana.request('/api/bookings', { method: 'POST', json: request });
    expect(again.status).toBe(200);
    expect((await json(again)).alreadyBooked).toBe(true);
  });

  it('says when a slot was taken meanwhile, and offers the next best', async () => {
    // Someone else just put a meeting into Raj's calendar at 11:00.
    await seedBusy('raj@acme.example', 'Taken', at('11:00'), at('12:00'));
    const res = await ana.request('/api/bookings', {
      method: 'POST',
      json: {
        title: 'Planning',
        start: `${MON}T11:00:00Z`,
        end: `${MON}T11:30:00Z`,
        attendees: [{ email: 'raj@acme.example' }],
      },
    });
    expect(res.status).toBe(409);
    const body = await json(res);
    expect(body.error).toBe('slot-taken');
    expect(body.alternatives.length).toBeGreaterThan(0);
    for (const alt of body.alternatives) expect(alt.start).not.toBe(`${MON}T11:00:00.000Z`);
    expect((await eventsTitled('Planning')).length).toBe(0);
  });

  it('refuses a Teams link on a calendar that cannot make one, saying what to do', async () => {
    const res = await ana.request('/api/bookings', {
      method: 'POST',
      json: {
        title: 'Sync',
        start: `2027-03-23T09:00:00Z`,
        end: `2027-03-23T09:30:00Z`,
        attendees: [],
        linkType: 'teams',
      },
    });
    expect(res.status).toBe(400);
    expect((await json(res)).message).toMatch(/Connect it, or choose another meeting link/);
  });

  it('reschedules and cancels (organizer only), and hides bookings from other tenants and outsiders', async () => {
    const booked = await json(
      ana.request('/api/bookings', {
        method: 'POST',
        json: {
          title: 'One-on-one',
          start: '2027-03-23T09:00:00Z',
          end: '2027-03-23T09:30:00Z',
          attendees: [{ email: 'raj@acme.example' }],
        },
      }),
    );
    const id = booked.booking._id;
    expect((await raj.request(`/api/bookings/${id}`)).status).toBe(200); // attendee sees it
    expect((await raj.request(`/api/bookings/${id}`, { method: 'DELETE' })).status).toBe(403); // not the organizer

    const moved = await ana.request(`/api/bookings/${id}/reschedule`, {
      method: 'POST',
      json: { start: '2027-03-23T10:00:00Z', end: '2027-03-23T10:30:00Z' },
    });
    expect(moved.status).toBe(200);
    const event = (await eventsTitled('One-on-one'))[0];
    expect(event!.start.toISOString()).toBe('2027-03-23T10:00:00.000Z');

    const other = new Browser(app.url);
    await other.request('/auth/signin', {
      method: 'POST',
      headers: { 'x-forwarded-for': '192.0.2.78' },
      json: { email: 'nobody@else.example', password },
    });
    expect((await other.request(`/api/bookings/${id}`)).status).toBe(401);

    const cancelled = await ana.request(`/api/bookings/${id}`, { method: 'DELETE' });
    expect((await json(cancelled)).booking.status).toBe('cancelled');
    expect((await eventsTitled('One-on-one')).length).toBe(0);
    const audit = (await json(ana.request('/api/audit?limit=500'))).entries.map(
      (e: { action: string }) => e.action,
    );
    expect(audit).toEqual(
      expect.arrayContaining(['booking.created', 'booking.rescheduled', 'booking.cancelled']),
    );
  });

  it('proposes a follow-up with the same people after the meeting', async () => {
    const booked = await json(
      ana.request('/api/bookings', {
        method: 'POST',
        json: {
          title: 'Kickoff',
          start: '2027-03-24T09:00:00Z',
          end: '2027-03-24T10:00:00Z',
          attendees: [{ email: 'raj@acme.example' }],
        },
      }),
    );
    const res = await ana.request(`/api/bookings/${booked.booking._id}/followup`);
    const body = await json(res);
    expect(body.slots.length).toBeGreaterThan(0);
    expect(app.logs()).not.toContain('"level":50');
    expect(body.required).toEqual(['ana@acme.example', 'raj@acme.example']);
    for (const slot of body.slots)
      expect(Date.parse(slot.start)).toBeGreaterThanOrEqual(Date.parse('2027-03-24T10:00:00Z'));
    expect(Date.parse(body.slots[0].end) - Date.parse(body.slots[0].start)).toBe(3_600_000);
  });

  it('records the meeting of a web booking (the same book use case as Slack and Teams)', async () => {
    const res = await ana.request('/api/bookings', {
      method: 'POST',
      json: {
        title: 'Web-booked review',
        start: '2027-03-25T10:00:00Z',
        end: '2027-03-25T10:30:00Z',
        attendees: [{ email: 'raj@acme.example' }],
        description: 'Quarterly numbers',
      },
    });
    expect(res.status).toBe(201);
    const { booking } = await json(res);
    // Organizer and attendee alike see the meeting, without ever asking for its agenda.
    for (const who of [ana, raj]) {
      const { meetings } = await json(who.request('/api/meetings'));
      expect(
        meetings.filter(
          (m: { bookingId?: string; title: string }) => m.title === 'Web-booked review',
        ),
      ).toHaveLength(1);
    }
    expect(booking.title).toBe('Web-booked review');
  });
});

describe('the next meeting', () => {
  it('is the earliest upcoming booking of the person, with its join link', async () => {
    const booked = await json(
      ana.request('/api/bookings', {
        method: 'POST',
        json: {
          title: 'Earliest sync',
          start: '2027-03-15T10:00:00Z',
          end: '2027-03-15T10:30:00Z',
          attendees: [{ email: 'raj@acme.example' }],
        },
      }),
    );
    for (const who of [ana, raj]) {
      const res = await who.request('/api/assistant/next');
      expect(res.status).toBe(200);
      const { meeting } = await json(res);
      expect(meeting).toMatchObject({
        bookingId: booked.booking._id,
        title: 'Earliest sync',
        start: '2027-03-15T10:00:00.000Z',
        end: '2027-03-15T10:30:00.000Z',
        joinUrl: booked.booking.joinUrl,
      });
    }
    expect((await fetch(`${app.url}/api/assistant/next`)).status).toBe(401);
  });
});

describe('polls for guests', () => {
  it('collects votes through signed links and books itself once every required person answered', async () => {
    const created = await json(
      ana.request('/api/polls', {
        method: 'POST',
        json: {
          title: 'Partner call',
          options: [
            { start: '2027-03-25T09:00:00Z', end: '2027-03-25T09:30:00Z' },
            { start: '2027-03-25T13:00:00Z', end: '2027-03-25T13:30:00Z' },
            { start: '2027-03-26T09:00:00Z', end: '2027-03-26T09:30:00Z' },
          ],
          participants: [
            { email: 'zoe@partner.example' },
            { email: 'max@partner.example' },
            { email: 'fyi@partner.example', required: false },
          ],
        },
      }),
    );
    const link = (email: string) =>
      new URL(created.links.find((l: { email: string }) => l.email === email).url);
    // A changed first character of the signature: every bit of it counts (the last ones of a
    // base64url signature may not, so changing those can leave it valid).
    const tampered = (t: string) => {
      const at = t.lastIndexOf('.') + 1;
      return t.slice(0, at) + (t[at] === 'A' ? 'B' : 'A') + t.slice(at + 1);
    };
    const vote = (email: string, yes: number[], tamper = false) => {
      const url = link(email);
      const t = url.searchParams.get('t')!;
      return fetch(
        `${app.url}/api/public/polls/${created.poll._id}/votes?t=${tamper ? tampered(t) : t}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ yes }),
        },
      );
    };
    expect((await vote('zoe@partner.example', [1], true)).status).toBe(403);
    expect((await json(vote('zoe@partner.example', [0, 1]))).status).toBe('open');
    expect((await vote('max@partner.example', [7])).status).toBe(400);
    const final = await json(vote('max@partner.example', [1, 2]));
    expect(final.status).toBe('booked');
    const event = (await eventsTitled('Partner call'))[0];
    expect(event!.start.toISOString()).toBe('2027-03-25T13:00:00.000Z');
    // Voting after the poll closed says so.
    expect((await vote('fyi@partner.example', [0])).status).toBe(409);
    const view = await json(
      fetch(
        `${app.url}/api/public/polls/${created.poll._id}?t=${link('zoe@partner.example').searchParams.get('t')}`,
      ),
    );
    expect(view).toMatchObject({ status: 'booked', email: 'zoe@partner.example', yes: [0, 1] });
  });
});
