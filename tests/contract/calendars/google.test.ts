// googleapis, unchanged, against a local server speaking the Calendar API v3 wire format.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gatherFreeBusy } from '../../../core/calendars/free-busy.ts';
import {
  GOOGLE_FREEBUSY_BATCH,
  googleCalendarProvider,
} from '../../../infra/providers/google/google-calendar.ts';
import {
  GrantRevokedError,
  ProviderError,
  type AccessTokenSource,
  type EventInput,
} from '../../../core/calendars/provider.ts';
import { meetCodeFor, startFakeGoogle, type FakeGoogle } from '../../support/fake-google.ts';

let google: FakeGoogle;
beforeAll(async () => {
  google = await startFakeGoogle();
});
afterAll(async () => {
  await google.close();
});
beforeEach(() => {
  google.requests.length = 0;
  google.acceptedTokens = new Set(['good-token']);
  google.busy.clear();
  google.events.clear();
  google.delayMs = 0;
  google.conferencePendingReads = 0;
  google.abandoned = 0;
});

/** A token source that counts its calls; `refreshed` is what refresh() gives (or throws). */
function tokens(first: string, refreshed: string | (() => never) = 'good-token') {
  const calls = { accessToken: 0, refresh: 0 };
  const source: AccessTokenSource = {
    async accessToken() {
      calls.accessToken++;
      return first;
    },
    async refresh() {
      calls.refresh++;
      return typeof refreshed === 'string' ? refreshed : refreshed();
    },
  };
  return { source, calls };
}

function provider(source: AccessTokenSource = tokens('good-token').source) {
  return googleCalendarProvider({
    tokens: source,
    rootUrl: google.rootUrl,
    conferencePoll: { attempts: 3, intervalMs: 10 },
  });
}

const range = { start: new Date('2025-05-05T00:00:00Z'), end: new Date('2025-05-10T00:00:00Z') };

function input(overrides: Partial<EventInput> = {}): EventInput {
  return {
    title: 'Quarterly planning',
    start: new Date('2025-05-06T13:00:00Z'),
    end: new Date('2025-05-06T14:00:00Z'),
    timeZone: 'Europe/Madrid',
    attendees: [
      { email: 'raj@example.com', name: 'Raj' },
      { email: 'lee@example.com', optional: true },
    ],
    description: 'Numbers first.',
    onlineMeeting: 'meet',
    requestId: 'booking-7f3a',
    ...overrides,
  };
}

describe('Google free/busy', () => {
  it('asks in batches of at most 50 calendars and answers for every one', async () => {
    const calendars = Array.from({ length: 120 }, (_, i) => `person${i}@example.com`);
    for (const id of calendars) {
      google.busy.set(id, [{ start: '2025-05-06T09:00:00Z', end: '2025-05-06T10:00:00Z' }]);
    }
    const result = await provider().freeBusy({ calendars, ...range });

    const sent = google.requests.filter((r) => r.path === '/calendar/v3/freeBusy');
    expect(GOOGLE_FREEBUSY_BATCH).toBe(50);
    expect(sent.map((r) => (r.body as { items: unknown[] }).items.length)).toEqual([50, 50, 20]);
    const askedIds = sent.flatMap((r) =>
      (r.body as { items: { id: string }[] }).items.map((i) => i.id),
    );
    expect(askedIds.sort()).toEqual([...calendars].sort());
    for (const r of sent) {
      expect(r.authorization).toBe('Bearer good-token');
      expect(r.body).toMatchObject({
        timeMin: '2025-05-05T00:00:00.000Z',
        timeMax: '2025-05-10T00:00:00.000Z',
      });
    }
    expect(Object.keys(result)).toHaveLength(120);
    expect(result['person119@example.com']).toEqual({
      ok: true,
      busy: [
        {
          start: Date.parse('2025-05-06T09:00:00Z'),
          end: Date.parse('2025-05-06T10:00:00Z'),
          status: 'busy',
        },
      ],
    });
  });

  it('reports calendars Google cannot find and clips busy time to the range', async () => {
    google.busy.set('ana@example.com', [
      { start: '2025-05-04T22:00:00Z', end: '2025-05-05T01:00:00Z' },
      { start: '2025-05-07T12:00:00Z', end: '2025-05-07T12:30:00Z' },
    ]);
    const result = await provider().freeBusy({
      calendars: ['ana@example.com', 'ghost@example.com', 'ana@example.com'],
      ...range,
    });
    expect(google.requests).toHaveLength(1);
    expect(result['ana@example.com']).toEqual({
      ok: true,
      busy: [
        { start: range.start.getTime(), end: Date.parse('2025-05-05T01:00:00Z'), status: 'busy' },
        {
          start: Date.parse('2025-05-07T12:00:00Z'),
          end: Date.parse('2025-05-07T12:30:00Z'),
          status: 'busy',
        },
      ],
    });
    expect(result['ghost@example.com']).toMatchObject({ ok: false, reason: 'not-found' });
  });
});

describe('Google events', () => {
  it('inserts with a Meet request, sends invitations and returns the Meet link', async () => {
    const made = await provider().createEvent(input());

    const sent = google.requests.find((r) => r.method === 'POST' && r.path.endsWith('/events'));
    expect(sent?.path).toBe('/calendar/v3/calendars/primary/events');
    expect(sent?.query).toMatchObject({ conferenceDataVersion: '1', sendUpdates: 'all' });
    expect(sent?.authorization).toBe('Bearer good-token');
    expect(sent?.body).toMatchObject({
      summary: 'Quarterly planning',
      start: { dateTime: '2025-05-06T15:00:00+02:00', timeZone: 'Europe/Madrid' },
      end: { dateTime: '2025-05-06T16:00:00+02:00', timeZone: 'Europe/Madrid' },
      attendees: [
        { email: 'raj@example.com', displayName: 'Raj' },
        { email: 'lee@example.com', optional: true },
      ],
      conferenceData: {
        createRequest: {
          requestId: 'booking-7f3a',
          conferenceSolutionKey: { type: 'hangoutsMeet' },
        },
      },
    });
    const code = meetCodeFor('booking-7f3a');
    expect(made.joinUrl).toBe(`https://meet.google.com/${code}`);
    expect(made.providerEventId).toMatch(/^[a-v0-9]{5,}$/);
    expect(made.iCalUid).toBe(`${made.providerEventId}@google.com`);
    expect(made.webLink).toMatch(/^https:\/\/www\.google\.com\/calendar\/event\?eid=/);
  });

  it('makes one event when the same request is retried', async () => {
    const first = await provider().createEvent(input());
    const again = await provider().createEvent(input());
    expect(again).toEqual(first);
    expect(google.events.size).toBe(1);
    expect(google.requests.map((r) => `${r.method} ${r.path.split('/').slice(-1)[0]}`)).toEqual([
      'POST events',
      'POST events', // 409: the id is taken by the first attempt
      `GET ${first.providerEventId}`,
    ]);
  });

  it('waits for a pending Meet conference to get its link', async () => {
    google.conferencePendingReads = 2;
    const made = await provider().createEvent(input());
    expect(made.joinUrl).toBe(`https://meet.google.com/${meetCodeFor('booking-7f3a')}`);
    expect(google.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
  });

  it('puts a Zoom link made elsewhere into the event instead of creating a Meet', async () => {
    const zoom = 'https://zoom.us/j/5551234';
    const made = await provider().createEvent(input({ onlineMeeting: 'zoom', joinUrl: zoom }));
    const body = google.requests[0]?.body as Record<string, unknown>;
    expect(body.conferenceData).toBeUndefined();
    expect(body.location).toBe(zoom);
    expect(body.description).toBe(`Numbers first.\n\nJoin: ${zoom}`);
    expect(made.joinUrl).toBe(zoom);
    await expect(provider().createEvent(input({ onlineMeeting: 'teams' }))).rejects.toThrow(
      /joinUrl/,
    );
  });

  it('patches and deletes an event, and a second delete is fine', async () => {
    const made = await provider().createEvent(input());
    const moved = input({
      title: 'Planning (moved)',
      start: new Date('2025-05-07T08:00:00Z'),
      end: new Date('2025-05-07T09:00:00Z'),
    });
    const updated = await provider().updateEvent(made.providerEventId, moved);
    const patchRequest = google.requests.find((r) => r.method === 'PATCH');
    expect(patchRequest?.path).toBe(
      `/calendar/v3/calendars/primary/events/${made.providerEventId}`,
    );
    expect(patchRequest?.query).toMatchObject({ sendUpdates: 'all', conferenceDataVersion: '1' });
    expect(updated.joinUrl).toBe(made.joinUrl);
    expect(google.events.get(made.providerEventId)?.summary).toBe('Planning (moved)');

    await provider().deleteEvent(made.providerEventId);
    const deleteRequest = google.requests.find((r) => r.method === 'DELETE');
    expect(deleteRequest?.query).toMatchObject({ sendUpdates: 'all' });
    expect(google.events.get(made.providerEventId)?.status).toBe('cancelled');
    await expect(provider().deleteEvent(made.providerEventId)).resolves.toBeUndefined(); // 410
    await expect(provider().updateEvent(made.providerEventId, moved)).rejects.toMatchObject({
      status: 404,
    });
  });

  it('lists upcoming single events in start order across pages, up to the limit', async () => {
    google.timeZone = 'Europe/Madrid';
    for (let i = 0; i < 4; i++) {
      await provider().createEvent(
        input({
          requestId: `r${i}`,
          title: `Event ${i}`,
          start: new Date(`2025-05-0${8 - i}T10:00:00Z`),
          end: new Date(`2025-05-0${8 - i}T11:00:00Z`),
        }),
      );
    }
    google.events.set('allday00001', {
      id: 'allday00001',
      status: 'confirmed',
      summary: 'Holiday',
      start: { date: '2025-05-05' },
      end: { date: '2025-05-06' },
      pendingReads: 0,
    });
    google.requests.length = 0;
    const upcoming = await provider().upcoming({ ...range, limit: 4 });
    expect(upcoming.map((e) => [e.title, e.start.toISOString()])).toEqual([
      ['Holiday', '2025-05-04T22:00:00.000Z'], // midnight in the calendar's zone
      ['Event 3', '2025-05-05T10:00:00.000Z'],
      ['Event 2', '2025-05-06T10:00:00.000Z'],
      ['Event 1', '2025-05-07T10:00:00.000Z'],
    ]);
    expect(upcoming[1]).toMatchObject({
      attendees: ['raj@example.com', 'lee@example.com'],
      joinUrl: `https://meet.google.com/${meetCodeFor('r3')}`,
    });
    expect(google.requests[0]?.query).toMatchObject({
      singleEvents: 'true',
      orderBy: 'startTime',
      maxResults: '4',
    });
  });
});

describe('Google tokens', () => {
  it('refreshes once after a 401 and retries with the new token', async () => {
    const { source, calls } = tokens('expired-token');
    google.busy.set('ana@example.com', []);
    const calendars = Array.from({ length: 60 }, (_, i) =>
      i === 0 ? 'ana@example.com' : `p${i}@example.com`,
    );
    const result = await provider(source).freeBusy({ calendars, ...range });
    expect(result['ana@example.com']).toEqual({ ok: true, busy: [] });
    // Two batches, both refused at first: one refresh shared by both, each retried once.
    expect(calls).toEqual({ accessToken: 1, refresh: 1 });
    expect(google.requests.map((r) => r.authorization)).toEqual([
      'Bearer expired-token',
      'Bearer expired-token',
      'Bearer good-token',
      'Bearer good-token',
    ]);
  });

  it('gives up with a 401 ProviderError when the refreshed token is refused too', async () => {
    const { source, calls } = tokens('expired-token', 'also-refused');
    const failure = provider(source).createEvent(input());
    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({ status: 401 });
    expect(calls.refresh).toBe(1);
    expect(google.requests).toHaveLength(2);
    expect(google.events.size).toBe(0);
  });

  it('turns a revoked grant into GrantRevokedError', async () => {
    const revoked = tokens('expired-token', () => {
      throw new GrantRevokedError('user removed access');
    });
    await expect(
      provider(revoked.source).freeBusy({ calendars: ['ana@example.com'], ...range }),
    ).rejects.toBeInstanceOf(GrantRevokedError);

    // The identity provider answered the refresh with invalid_grant (as gaxios reports it).
    const invalidGrant = tokens('expired-token', () => {
      throw Object.assign(new Error('invalid_grant'), {
        response: { status: 400, data: { error: 'invalid_grant' } },
      });
    });
    await expect(provider(invalidGrant.source).upcoming(range)).rejects.toBeInstanceOf(
      GrantRevokedError,
    );
  });
});

describe('Google behind gatherFreeBusy', () => {
  it('degrades a slow Google to "availability unknown" while others answer', async () => {
    const fast = await startFakeGoogle();
    try {
      fast.acceptedTokens.add('good-token');
      fast.busy.set('raj@example.com', [
        { start: '2025-05-06T09:00:00Z', end: '2025-05-06T10:00:00Z' },
      ]);
      google.delayMs = 5_000;
      const slowProvider = provider();
      const fastProvider = googleCalendarProvider({
        tokens: tokens('good-token').source,
        rootUrl: fast.rootUrl,
      });
      const failures: unknown[] = [];
      const result = await gatherFreeBusy(
        [
          // raj is asked of both: the answer that came wins over the timeout.
          { provider: slowProvider, calendars: ['ana@example.com', 'raj@example.com'] },
          { provider: fastProvider, calendars: ['raj@example.com'] },
        ],
        range,
        { deadlineMs: 300, onProviderError: (_lookup, error) => failures.push(error) },
      );
      expect(result['ana@example.com']).toEqual({
        ok: false,
        reason: 'timeout',
        message:
          'availability unknown for ana@example.com: the google calendar did not answer within 300 ms',
      });
      expect(result['raj@example.com']).toMatchObject({ ok: true, busy: [{ status: 'busy' }] });
      expect(failures).toHaveLength(1);
      // The request was really cancelled, not left running.
      await expect.poll(() => google.abandoned).toBe(1);
    } finally {
      await fast.close();
    }
  });

  it('degrades a revoked grant to forbidden and tells the caller', async () => {
    const revoked = tokens('expired-token', () => {
      throw new GrantRevokedError('gone');
    });
    const errors: unknown[] = [];
    const result = await gatherFreeBusy(
      [{ provider: provider(revoked.source), calendars: ['ana@example.com'] }],
      range,
      { deadlineMs: 5_000, onProviderError: (_l, e) => errors.push(e) },
    );
    expect(result['ana@example.com']).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(errors[0]).toBeInstanceOf(GrantRevokedError);
  });
});
