// Scheduling data written by the version before exact-`_id` access (raw documents shaped as it
// stored them), moved by the start-up migrations, then used through the real services.
import { randomUUID } from 'node:crypto';
import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logger.ts';
import { User, type UserDoc } from '../../../core/identity/models.ts';
import { localEventId } from '../../../core/calendars/local/local-event-model.ts';
import { findByJoinUrl } from '../../../core/scheduling/booking/booking-index.ts';
import { findTimes } from '../../../core/scheduling/find-times.ts';
import { runMigrations } from '../../../core/store/migrations.ts';
import { verifiedTenantContext, type TenantContext } from '../../../core/store/tenant-context.ts';
import { slackProposalsStep } from '../../../core/assistant/proposals/migration.ts';
import { migrationSteps } from '../../../infra/server/migrations.ts';
import { asCreatedByEarlierVersion } from '../../support/earlier-tenant.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

let app: TestQuorum;
let ctx: TenantContext;
let db: Db;
const people: Record<'ana' | 'raj' | 'lee', UserDoc> = {} as never;
const password = 'copper-meadow-signal-58';
const logger = createLogger({ level: 'silent' });

// Monday 2027-03-22 and the Tuesday after; every time below is UTC.
const at = (time: string, day = '2027-03-22') => new Date(`${day}T${time}:00Z`);
const created = new Date('2026-01-05T08:00:00Z');

beforeAll(async () => {
  app = await startTestQuorum();
  const ana = new Browser(app.url);
  expect(
    (
      await ana.request('/auth/signup', {
        method: 'POST',
        json: { organization: 'Acme', name: 'Ana', email: 'ana@acme.example', password },
      })
    ).status,
  ).toBe(201);
  for (const name of ['Raj', 'Lee']) {
    const email = `${name.toLowerCase()}@acme.example`;
    const res = await ana.request('/api/admin/people', {
      method: 'POST',
      json: { name, email, password },
    });
    expect(res.status).toBe(201);
  }
  const tenantId = (await json(ana.request('/api/me'))).tenantId;
  ctx = verifiedTenantContext(tenantId, 'system');
  await asCreatedByEarlierVersion(app.quorum.store, tenantId);
  db = app.quorum.store.connection.useDb(`quorum_t_${tenantId}`, { useCache: true }).db!;
  for (const key of ['ana', 'raj', 'lee'] as const) {
    people[key] = (await app.quorum.store
      .controlModel(User)
      .findOne({ email: `${key}@acme.example` })
      .lean())!;
  }
});
afterAll(async () => {
  await app?.stop();
});

const oldBookingId = randomUUID();
const anaEventId = new ObjectId();
const pageSlug = `old-intro-${randomUUID().slice(0, 8)}`;

function oldEvent(calendarId: string, requestId: string, title: string, start: Date, end: Date) {
  return {
    _id: new ObjectId(),
    calendarId,
    requestId,
    title,
    start,
    end,
    timeZone: 'UTC',
    attendees: [] as Array<{ email: string; name?: string }>,
    createdAt: created,
    updatedAt: created,
  };
}

/** Everything as the previous version wrote it, with a migration stopped half-way for Lee. */
async function writeTheOldWay() {
  const events = db.collection('local_calendar_events');
  // The previous schema's indexes, as every older database has them.
  await events.createIndex({ calendarId: 1, requestId: 1 }, { unique: true });
  await events.createIndex({ calendarId: 1, start: 1 });
  const standup = oldEvent('raj@acme.example', 'old-standup', 'Standup', at('10:00'), at('11:00'));
  const review = {
    ...oldEvent('ana@acme.example', 'old-key', 'Old review', at('13:00'), at('14:00')),
    _id: anaEventId,
    attendees: [{ email: 'raj@acme.example', name: 'Raj' }],
  };
  const focus = oldEvent('lee@acme.example', 'old-focus', 'Focus', at('15:00'), at('16:00'));
  await events.insertMany([standup, review, focus]);
  // A start killed half-way: the old index dropped and Lee's event copied, the old one still there.
  await events.dropIndex('calendarId_1_requestId_1');
  await events.insertOne({ ...focus, _id: localEventId(focus.calendarId, focus.requestId) });

  await db.collection('bookings').insertOne({
    _id: oldBookingId as never,
    idempotencyKey: 'old-key',
    status: 'confirmed',
    organizerId: people.ana._id,
    organizerEmail: 'ana@acme.example',
    title: 'Old review',
    start: at('13:00'),
    end: at('14:00'),
    timeZone: 'UTC',
    attendees: [{ email: 'raj@acme.example', name: 'Raj', optional: false }],
    linkType: 'none',
    joinUrl: 'https://meet.example/old-review',
    provider: 'local',
    providerEventId: anaEventId.toHexString(),
    origin: { platform: 'slack', conversationId: 'T1:C1' },
    followUpOf: null,
    createdAt: created,
    updatedAt: created,
  });
  await db.collection('polls').insertOne({
    _id: 'old-poll' as never,
    organizerId: people.ana._id,
    organizerEmail: 'ana@acme.example',
    title: 'Old poll',
    linkType: 'none',
    options: [
      { start: at('09:00', '2027-03-23'), end: at('09:30', '2027-03-23') },
      { start: at('10:00', '2027-03-23'), end: at('10:30', '2027-03-23') },
    ],
    participants: [
      { email: 'zoe@partner.example', required: true },
      { email: 'max@partner.example', required: true },
    ],
    status: 'open',
    bookingId: null,
    createdAt: created,
  });
  await db.collection('poll_votes').insertOne({
    _id: 'old-poll:zoe@partner.example' as never,
    pollId: 'old-poll',
    email: 'zoe@partner.example',
    yes: [1],
    at: created,
  });
  await db.collection('calendar_connections').insertOne({
    _id: 'oldconnectionoflee01' as never,
    userId: people.lee._id,
    provider: 'caldav',
    accountEmail: 'lee@acme.example',
    status: 'needs-reconnect',
    problem: 'The server refused the app password.',
    scopes: [],
    grantedTo: null,
    accessToken: null,
    refreshToken: null,
    expiresAt: null,
    serverUrl: 'https://dav.example/',
    username: 'lee',
    password: null,
    connectedAt: created,
    refreshedAt: null,
  });
  await app.quorum.store.control.collection('booking_pages').insertOne({
    _id: pageSlug as never,
    tenantId: ctx.tenantId,
    ownerId: people.ana._id,
    hostEmails: [],
    title: 'Old intro',
    description: '',
    durationMinutes: 30,
    windowDays: 14,
    minNoticeMinutes: 120,
    active: true,
    createdAt: created,
  });
}

/** The documents the new layout adds, to compare before and after running the steps again. */
async function newLayout() {
  const all = (name: string) => db.collection(name).find({}).sort({ _id: 1 }).toArray();
  return {
    weeks: await all('local_calendar_weeks'),
    index: await all('booking_index'),
    keys: await all('calendar_connection_keys'),
    events: await all('local_calendar_events'),
    pages: await app.quorum.store.control
      .collection('booking_page_owners')
      .findOne({ _id: `${ctx.tenantId}:${people.ana._id}` as never }),
  };
}

describe('storage migrations of scheduling', () => {
  it('move old records so find-times, booking keys, votes, connections and pages see them', async () => {
    await writeTheOldWay();
    await runMigrations(app.quorum.store, migrationSteps, logger);
    const s = app.quorum.services;

    // Find-times reads the old events: Raj's standup at 10 and Ana's review (with Raj) at 13.
    const found = await findTimes({ store: app.quorum.store, calendarFor: s.calendarFor }, ctx, {
      organizerEmail: 'ana@acme.example',
      attendees: [{ email: 'raj@acme.example' }, { email: 'lee@acme.example', optional: true }],
      durationMinutes: 60,
      window: { start: at('09:00'), end: at('17:00') },
      granularityMinutes: 60,
      limit: 10,
      now: at('00:00'),
    });
    const starts = found.slots.map((slot) => new Date(slot.start).toISOString().slice(11, 16));
    expect(starts.sort()).toEqual(['09:00', '11:00', '12:00', '14:00', '15:00', '16:00']);
    // Lee's old connection is found (and needs reconnecting), so Lee is unknown, not free.
    expect(found.unknown.map((u) => [u.email, u.reason])).toEqual([
      ['lee@acme.example', 'needs-reconnect'],
    ]);
    expect((await s.calendarConnections.list(ctx, people.lee._id)).map((c) => c.id)).toEqual([
      'oldconnectionoflee01',
    ]);

    // The old booking's idempotency key still returns it, and it is listed where it was found.
    const again = await s.bookings.book(ctx, {
      organizerEmail: 'ana@acme.example',
      title: 'Old review',
      start: at('13:00'),
      end: at('14:00'),
      attendees: [{ email: 'raj@acme.example', optional: false }],
      linkType: 'none',
      idempotencyKey: 'old-key',
    });
    expect(again).toMatchObject({ ok: true, alreadyBooked: true, booking: { _id: oldBookingId } });
    const upcoming = await s.bookings.listFor(ctx, people.raj._id, { from: at('00:00') });
    expect(upcoming.map((b) => b._id)).toEqual([oldBookingId]);
    expect(
      (await findByJoinUrl(app.quorum.store, ctx, 'https://meet.example/old-review'))?._id,
    ).toBe(oldBookingId);
    const followed = await s.bookings.latestToFollowUp(
      ctx,
      { userId: people.raj._id, email: 'raj@acme.example' },
      { platform: 'slack', conversationId: 'T1:C1' },
    );
    expect(followed?._id).toBe(oldBookingId);

    // The old vote counts: Max's vote completes the poll, which books the time both chose.
    expect((await s.polls.get(ctx, 'old-poll'))?.counts).toEqual([0, 1]);
    const link = new URL(await s.polls.linkFor(ctx, 'old-poll', 'max@partner.example'));
    const voted = await s.polls.vote('old-poll', link.searchParams.get('t')!, [1]);
    expect(voted.poll.status).toBe('booked');
    expect(voted.counts).toEqual([0, 2]);

    expect((await s.bookingPages.listMine(ctx, people.ana._id)).map((p) => p._id)).toEqual([
      pageSlug,
    ]);

    // Lee's event, copied before the stop, is there once.
    expect(
      await db
        .collection('local_calendar_events')
        .countDocuments({ calendarId: 'lee@acme.example' }),
    ).toBe(1);
    // The old booking now points at its event's new id: cancelling it frees Raj at 13:00.
    await s.bookings.cancel(ctx, oldBookingId, people.ana._id);
    const raj = await s.calendarFor(ctx, people.raj);
    const busy = await raj.provider.freeBusy({
      calendars: ['raj@acme.example'],
      start: at('00:00'),
      end: at('23:59'),
    });
    expect(busy['raj@acme.example']).toEqual({
      ok: true,
      busy: [{ start: at('10:00').getTime(), end: at('11:00').getTime(), status: 'busy' }],
    });
  });

  it('moves the Slack proposals in flight into the one proposal store, under their own ids', async () => {
    const now = Date.now();
    const slackProposal = (id: string, expiresAt: Date) => ({
      _id: id,
      organizerId: people.ana._id,
      teamId: 'T1',
      channelId: 'C1',
      threadTs: '1700000000.000100',
      title: null,
      durationMinutes: 30,
      attendees: [{ email: 'raj@acme.example', name: 'Raj', optional: false }],
      followUpOf: 'earlier-booking',
      slots: [{ start: at('09:00'), end: at('09:30') }],
      createdAt: new Date(now - 86_400_000),
      expiresAt,
    });
    const live = randomUUID();
    const gone = randomUUID();
    await db
      .collection('slack_proposals')
      .insertMany([
        slackProposal(live, new Date(now + 86_400_000)) as never,
        slackProposal(gone, new Date(now - 1000)) as never,
      ]);
    expect(await slackProposalsStep.runForTenant(app.quorum.store, ctx)).toBe(1);
    // A button posted before the upgrade names the proposal by its old id: it still books.
    const proposal = await app.quorum.services.assistant.proposals.get(ctx, live);
    expect(proposal).toMatchObject({
      organizerId: people.ana._id,
      origin: { platform: 'slack', reference: 'T1:C1', thread: '1700000000.000100' },
      durationMinutes: 30,
      followUpOf: 'earlier-booking',
      rescheduleOf: null,
      attendees: [{ email: 'raj@acme.example', name: 'Raj', optional: false }],
    });
    expect(await app.quorum.services.assistant.proposals.get(ctx, gone)).toBeUndefined();
    expect(await db.collection('slack_proposals').countDocuments()).toBe(0);
    // Again (a start killed before recording it done): nothing left to move, nothing lost.
    expect(await slackProposalsStep.runForTenant(app.quorum.store, ctx)).toBe(0);
    expect((await app.quorum.services.assistant.proposals.get(ctx, live))?._id).toBe(live);
  });

  it('changes nothing when a step runs again (a start killed before recording it done)', async () => {
    const before = await newLayout();
    for (const step of migrationSteps) await step.runForTenant(app.quorum.store, ctx);
    expect(await newLayout()).toEqual(before);
  });
});
