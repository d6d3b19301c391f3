// The scheduling hot paths read and write their collections by exact `_id` only (the embedded
// FerretDB serves nothing else from an index): every command the server sends to them while
// finding times for five people, booking, listing, voting, following up and serving a booking
// page is recorded from the driver and checked.
import type { CommandStartedEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCalendarProvider } from '../../../core/calendars/local/local-calendar.ts';
import { User } from '../../../core/identity/models.ts';
import { isExactIdFilter, SWEEP_COMMENT } from '../../../core/store/query-rule.ts';
import { verifiedTenantContext, type TenantContext } from '../../../core/store/tenant-context.ts';
import { mongoUri } from '../../support/db.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

/** The collections of scheduling and calendars. */
const MINE = new Set([
  'bookings',
  'booking_index',
  'polls',
  'poll_votes',
  'poll_outcomes',
  'local_calendar_events',
  'local_calendar_weeks',
  'calendar_connections',
  'calendar_connection_keys',
  'booking_pages',
  'booking_page_owners',
  'booking_page_attempts',
  'user_settings',
  'proposals',
  'slack_proposals',
  'teams_proposals',
]);

let app: TestQuorum;
let ana: Browser;
let ctx: TenantContext;
const password = 'copper-meadow-signal-58';
const colleagues = ['raj', 'lee', 'mia', 'zed'];
const at = (time: string, day = '2027-03-22') => new Date(`${day}T${time}:00Z`);
const recorded: CommandStartedEvent[] = [];

/** Each filter a command carries, with where it went. */
function filtersOf(event: CommandStartedEvent): Array<{ where: string; filter: unknown }> {
  const c = event.command as Record<string, unknown>;
  const collection = String(c[event.commandName] ?? '');
  const where = `${event.commandName} ${collection}`;
  const list = (items: unknown, key: string) =>
    ((items as Array<Record<string, unknown>>) ?? []).map((i) => ({ where, filter: i[key] }));
  switch (event.commandName) {
    case 'find':
      return [{ where, filter: c.filter ?? {} }];
    case 'update':
      return list(c.updates, 'q');
    case 'delete':
      return list(c.deletes, 'q');
    case 'findAndModify':
      return [{ where, filter: c.query ?? {} }];
    case 'count':
    case 'distinct':
      return [{ where, filter: c.query ?? {} }];
    case 'aggregate':
      return [{ where, filter: (c.pipeline as Array<Record<string, unknown>>)[0]?.$match ?? {} }];
    default:
      return [];
  }
}

/** The expiry job's sweep (core/store/expiry.ts), which may run while the test does. */
function isExpirySweep(event: CommandStartedEvent): boolean {
  const deletes = (event.command.deletes ?? []) as Array<{ q: Record<string, unknown> }>;
  return (
    event.commandName === 'delete' &&
    deletes.every(
      (d) => Object.keys(d.q).join() === 'expiresAt' && '$lt' in (d.q.expiresAt as object),
    )
  );
}

function offenders() {
  return recorded
    .filter((e) => MINE.has(String((e.command as Record<string, unknown>)[e.commandName])))
    .filter((e) => !String(e.command.comment ?? '').startsWith(SWEEP_COMMENT))
    .filter((e) => !isExpirySweep(e))
    .flatMap(filtersOf)
    .filter(({ filter }) => !isExactIdFilter(filter))
    .map(({ where, filter }) => `${where} ${JSON.stringify(filter)}`);
}

beforeAll(async () => {
  const uri = new URL(mongoUri());
  uri.searchParams.set('monitorCommands', 'true');
  app = await startTestQuorum({ MONGODB_URI: uri.toString() });
  ana = new Browser(app.url);
  const signup = await ana.request('/auth/signup', {
    method: 'POST',
    json: { organization: 'Acme', name: 'Ana', email: 'ana@acme.example', password },
  });
  expect(signup.status).toBe(201);
  for (const name of colleagues) {
    const res = await ana.request('/api/admin/people', {
      method: 'POST',
      json: { name, email: `${name}@acme.example`, password },
    });
    expect(res.status).toBe(201);
  }
  ctx = verifiedTenantContext((await json(ana.request('/api/me'))).tenantId, 'system');
  // Everyone has a meeting on Monday morning, on their local calendar.
  for (const name of ['ana', ...colleagues]) {
    await localCalendarProvider({
      store: app.quorum.store,
      envelope: app.quorum.services.envelope,
      tenant: ctx,
      ownerEmail: `${name}@acme.example`,
    }).createEvent({
      title: `${name}'s standup`,
      start: at('09:00'),
      end: at('09:30'),
      timeZone: 'UTC',
      attendees: [],
      onlineMeeting: 'none',
      requestId: `standup-${name}`,
    });
  }
  app.quorum.store.connection.getClient().on('commandStarted', (e) => recorded.push(e));
});
afterAll(async () => {
  await app?.stop();
});

describe('scheduling hot paths', () => {
  it('find times for five people, book, list, follow up, reschedule and cancel by exact _id', async () => {
    const attendees = colleagues.map((name) => ({ email: `${name}@acme.example` }));
    const found = await ana.request('/api/scheduling/find', {
      method: 'POST',
      json: {
        attendees,
        durationMinutes: 30,
        window: { start: at('00:00').toISOString(), end: at('00:00', '2027-03-23').toISOString() },
      },
    });
    expect(found.status).toBe(200);
    const { slots } = await json(found);
    expect(slots.length).toBeGreaterThan(0);
    expect(recorded.length).toBeGreaterThan(0);

    const booked = await ana.request('/api/bookings', {
      method: 'POST',
      json: {
        title: 'Five of us',
        start: slots[0].start,
        end: slots[0].end,
        attendees,
        idempotencyKey: 'five-of-us',
      },
    });
    expect(booked.status).toBe(201);
    const { booking } = await json(booked);
    const listed = await json(ana.request('/api/bookings'));
    expect(listed.bookings.map((b: { _id: string }) => b._id)).toEqual([booking._id]);
    const followUp = await ana.request(`/api/bookings/${booking._id}/followup`);
    expect(followUp.status).toBe(200);
    const anaUser = await app.quorum.store
      .controlModel(User)
      .findOne({ email: 'ana@acme.example' })
      .lean();
    const latest = await app.quorum.services.bookings.latestToFollowUp(
      ctx,
      { userId: anaUser!._id, email: 'ana@acme.example' },
      { platform: 'slack', conversationId: 'T1:C1' },
    );
    expect(latest?._id).toBe(booking._id);
    const moved = await ana.request(`/api/bookings/${booking._id}/reschedule`, {
      method: 'POST',
      json: { start: slots[1].start, end: slots[1].end },
    });
    expect(moved.status).toBe(200);
    expect((await ana.request(`/api/bookings/${booking._id}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    expect(offenders()).toEqual([]);
  });

  it('votes in a poll until it books itself, by exact _id', async () => {
    const created = await json(
      ana.request('/api/polls', {
        method: 'POST',
        json: {
          title: 'With guests',
          options: [
            { start: '2027-03-24T13:00:00Z', end: '2027-03-24T13:30:00Z' },
            { start: '2027-03-24T14:00:00Z', end: '2027-03-24T14:30:00Z' },
          ],
          participants: [{ email: 'zoe@partner.example' }, { email: 'max@partner.example' }],
        },
      }),
    );
    let status = '';
    for (const { url } of created.links as Array<{ url: string }>) {
      const t = new URL(url).searchParams.get('t')!;
      const res = await fetch(`${app.url}/api/public/polls/${created.poll._id}/votes?t=${t}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ yes: [0] }),
      });
      expect(res.status).toBe(200);
      status = (await json(res)).status;
    }
    expect(status).toBe('booked');
    expect(offenders()).toEqual([]);
  });

  it('publishes, shows, books and removes a booking page by exact _id', async () => {
    const published = await ana.request('/api/booking-pages', {
      method: 'POST',
      json: {
        slug: 'ana-exact-id',
        title: 'Intro',
        durationMinutes: 30,
        hostEmails: ['raj@acme.example'],
      },
    });
    expect(published.status).toBe(201);
    expect((await json(ana.request('/api/booking-pages'))).pages).toHaveLength(1);
    const view = await json(fetch(`${app.url}/api/public/booking-pages/ana-exact-id`));
    expect(view.hosts).toEqual(['raj']);
    expect(view.slots.length).toBeGreaterThan(0);
    const res = await fetch(`${app.url}/api/public/booking-pages/ana-exact-id/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Gus', email: 'gus@guest.example', start: view.slots[0].start }),
    });
    expect(res.status).toBe(201);
    const removed = await ana.request('/api/booking-pages/ana-exact-id', { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(offenders()).toEqual([]);
  });
});
