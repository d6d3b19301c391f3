// The Graph client, unchanged, against a local HTTPS server speaking Graph's calendar format.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gatherFreeBusy } from '../../../core/calendars/free-busy.ts';
import {
  GRAPH_SCHEDULE_BATCH,
  microsoftCalendarProvider,
} from '../../../infra/providers/microsoft/graph-calendar.ts';
import {
  GrantRevokedError,
  ProviderError,
  type AccessTokenSource,
  type EventInput,
} from '../../../core/calendars/provider.ts';
import { startFakeGraph, teamsJoinUrl, type FakeGraph } from '../../support/fake-graph.ts';

let graph: FakeGraph;
beforeAll(async () => {
  graph = await startFakeGraph();
});
afterAll(async () => {
  await graph.close();
});
beforeEach(() => {
  graph.requests.length = 0;
  graph.acceptedTokens = new Set(['good-token']);
  graph.schedules.clear();
  graph.events.clear();
  graph.delayMs = 0;
  graph.abandoned = 0;
});

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
  return microsoftCalendarProvider({ tokens: source, baseUrl: graph.baseUrl });
}

const range = { start: new Date('2025-05-05T00:00:00Z'), end: new Date('2025-05-10T00:00:00Z') };
const ms = (iso: string) => Date.parse(iso);

function input(overrides: Partial<EventInput> = {}): EventInput {
  return {
    title: 'Vendor sync',
    start: new Date('2025-05-06T16:00:00Z'),
    end: new Date('2025-05-06T16:30:00Z'),
    timeZone: 'America/Chicago',
    attendees: [
      { email: 'raj@contoso.com', name: 'Raj' },
      { email: 'lee@contoso.com', optional: true },
    ],
    description: 'Renewal terms.',
    onlineMeeting: 'teams',
    requestId: 'booking-91c2',
    ...overrides,
  };
}

describe('Graph getSchedule', () => {
  it('asks in batches of at most 20 schedules, in UTC, and answers for every one', async () => {
    const calendars = Array.from({ length: 45 }, (_, i) => `person${i}@contoso.com`);
    for (const id of calendars) graph.schedules.set(id, []);
    const result = await provider().freeBusy({ calendars, ...range });

    const sent = graph.requests.filter((r) => r.path === '/v1.0/me/calendar/getSchedule');
    expect(GRAPH_SCHEDULE_BATCH).toBe(20);
    expect(sent.map((r) => (r.body as { schedules: string[] }).schedules.length)).toEqual([
      20, 20, 5,
    ]);
    for (const r of sent) {
      expect(r.authorization).toBe('Bearer good-token');
      expect(r.prefer).toBe('outlook.timezone="UTC"');
      expect(r.body).toMatchObject({
        startTime: { dateTime: '2025-05-05T00:00:00', timeZone: 'UTC' },
        endTime: { dateTime: '2025-05-10T00:00:00', timeZone: 'UTC' },
      });
    }
    expect(Object.values(result).every((r) => r.ok)).toBe(true);
    expect(Object.keys(result)).toHaveLength(45);
  });

  it('maps schedule item statuses and reports unknown mailboxes', async () => {
    graph.schedules.set('ana@contoso.com', [
      { status: 'busy', start: '2025-05-06T09:00:00Z', end: '2025-05-06T10:00:00Z' },
      { status: 'Tentative', start: '2025-05-06T11:00:00Z', end: '2025-05-06T11:30:00Z' },
      { status: 'oof', start: '2025-05-07T00:00:00Z', end: '2025-05-08T00:00:00Z' },
      { status: 'workingElsewhere', start: '2025-05-08T09:00:00Z', end: '2025-05-08T17:00:00Z' },
      { status: 'free', start: '2025-05-09T09:00:00Z', end: '2025-05-09T10:00:00Z' },
      { status: 'unknown', start: '2025-05-09T12:00:00Z', end: '2025-05-09T13:00:00Z' },
    ]);
    const result = await provider().freeBusy({
      calendars: ['ana@contoso.com', 'ghost@contoso.com'],
      ...range,
    });
    expect(result['ana@contoso.com']).toEqual({
      ok: true,
      busy: [
        { start: ms('2025-05-06T09:00:00Z'), end: ms('2025-05-06T10:00:00Z'), status: 'busy' },
        { start: ms('2025-05-06T11:00:00Z'), end: ms('2025-05-06T11:30:00Z'), status: 'tentative' },
        { start: ms('2025-05-07T00:00:00Z'), end: ms('2025-05-08T00:00:00Z'), status: 'oof' },
        { start: ms('2025-05-09T12:00:00Z'), end: ms('2025-05-09T13:00:00Z'), status: 'tentative' },
      ],
    });
    expect(result['ghost@contoso.com']).toMatchObject({ ok: false, reason: 'not-found' });
  });
});

describe('Graph events', () => {
  it('creates an online Teams meeting and returns its join URL', async () => {
    const made = await provider().createEvent(input());
    const sent = graph.requests.find((r) => r.method === 'POST' && r.path === '/v1.0/me/events');
    expect(sent?.authorization).toBe('Bearer good-token');
    expect(sent?.body).toMatchObject({
      subject: 'Vendor sync',
      body: { contentType: 'text', content: 'Renewal terms.' },
      start: { dateTime: '2025-05-06T16:00:00', timeZone: 'UTC' },
      end: { dateTime: '2025-05-06T16:30:00', timeZone: 'UTC' },
      attendees: [
        { emailAddress: { address: 'raj@contoso.com', name: 'Raj' }, type: 'required' },
        { emailAddress: { address: 'lee@contoso.com' }, type: 'optional' },
      ],
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      transactionId: 'booking-91c2',
    });
    expect(made.joinUrl).toBe(teamsJoinUrl(made.providerEventId));
    expect(made.webLink).toMatch(/^https:\/\/outlook\.office365\.com\/owa\//);
    expect(made.iCalUid).toMatch(/^040000008200E00074C5B7101A82E008/);
  });

  it('makes one event when the same request is retried', async () => {
    const first = await provider().createEvent(input());
    const again = await provider().createEvent(input());
    expect(again).toEqual(first);
    expect(graph.events.size).toBe(1);
  });

  it('puts a Zoom link made elsewhere into a plain event', async () => {
    const zoom = 'https://zoom.us/j/5551234';
    const made = await provider().createEvent(input({ onlineMeeting: 'zoom', joinUrl: zoom }));
    const body = graph.requests[0]?.body as Record<string, unknown>;
    expect(body.isOnlineMeeting).toBeUndefined();
    expect(body.location).toEqual({ displayName: zoom });
    expect(made.joinUrl).toBe(zoom);
    await expect(provider().createEvent(input({ onlineMeeting: 'meet' }))).rejects.toThrow(
      /joinUrl/,
    );
  });

  it('updates and deletes an event, and a second delete is fine', async () => {
    const made = await provider().createEvent(input());
    const moved = input({
      title: 'Vendor sync (moved)',
      start: new Date('2025-05-07T15:00:00Z'),
      end: new Date('2025-05-07T15:30:00Z'),
    });
    const updated = await provider().updateEvent(made.providerEventId, moved);
    const patch = graph.requests.find((r) => r.method === 'PATCH');
    expect(patch?.path).toBe(`/v1.0/me/events/${encodeURIComponent(made.providerEventId)}`);
    expect((patch?.body as Record<string, unknown>).transactionId).toBeUndefined();
    expect(updated).toEqual({ ...made });
    expect(graph.events.get(made.providerEventId)).toMatchObject({
      subject: 'Vendor sync (moved)',
      start: '2025-05-07T15:00:00.000Z',
    });

    await provider().deleteEvent(made.providerEventId);
    expect(graph.events.has(made.providerEventId)).toBe(false);
    await expect(provider().deleteEvent(made.providerEventId)).resolves.toBeUndefined();
    await expect(provider().updateEvent(made.providerEventId, moved)).rejects.toMatchObject({
      status: 404,
    });
  });

  it('lists upcoming events from calendarView across pages, up to the limit', async () => {
    for (let i = 0; i < 5; i++) {
      await provider().createEvent(
        input({
          requestId: `r${i}`,
          title: `Event ${i}`,
          start: new Date(`2025-05-0${9 - i}T10:00:00Z`),
          end: new Date(`2025-05-0${9 - i}T11:00:00Z`),
        }),
      );
    }
    graph.requests.length = 0;
    const upcoming = await provider().upcoming({ ...range, limit: 4 });
    expect(upcoming.map((e) => [e.title, e.start.toISOString(), e.end.toISOString()])).toEqual([
      ['Event 4', '2025-05-05T10:00:00.000Z', '2025-05-05T11:00:00.000Z'],
      ['Event 3', '2025-05-06T10:00:00.000Z', '2025-05-06T11:00:00.000Z'],
      ['Event 2', '2025-05-07T10:00:00.000Z', '2025-05-07T11:00:00.000Z'],
      ['Event 1', '2025-05-08T10:00:00.000Z', '2025-05-08T11:00:00.000Z'],
    ]);
    expect(upcoming[0]?.attendees).toEqual(['raj@contoso.com', 'lee@contoso.com']);
    expect(upcoming[0]?.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    const first = graph.requests[0];
    expect(first?.query).toMatchObject({
      startDateTime: '2025-05-05T00:00:00.000Z',
      endDateTime: '2025-05-10T00:00:00.000Z',
      $orderby: 'start/dateTime',
      $top: '4',
    });
    expect(first?.prefer).toBe('outlook.timezone="UTC"');

    graph.requests.length = 0;
    const paged = await provider().upcoming({ ...range, limit: 1000 });
    expect(paged.map((e) => e.title)).toEqual([
      'Event 4',
      'Event 3',
      'Event 2',
      'Event 1',
      'Event 0',
    ]);
  });
});

describe('Graph tokens', () => {
  it('refreshes once after a 401 and retries with the new token', async () => {
    const { source, calls } = tokens('expired-token');
    const made = await provider(source).createEvent(input());
    expect(made.joinUrl).toBeDefined();
    expect(calls).toEqual({ accessToken: 1, refresh: 1 });
    expect(graph.requests.map((r) => r.authorization)).toEqual([
      'Bearer expired-token',
      'Bearer good-token',
    ]);
    expect(graph.events.size).toBe(1);
  });

  it('gives up with a 401 ProviderError when the refreshed token is refused too', async () => {
    const { source, calls } = tokens('expired-token', 'also-refused');
    const failure = provider(source).freeBusy({ calendars: ['ana@contoso.com'], ...range });
    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({ status: 401 });
    expect(calls.refresh).toBe(1);
    expect(graph.requests).toHaveLength(2);
  });

  it('turns a revoked grant into GrantRevokedError', async () => {
    const revoked = tokens('expired-token', () => {
      throw new GrantRevokedError('consent withdrawn');
    });
    await expect(provider(revoked.source).createEvent(input())).rejects.toBeInstanceOf(
      GrantRevokedError,
    );

    // openid-client reports the token endpoint's {"error":"invalid_grant"} as `error.error`.
    const invalidGrant = tokens('expired-token', () => {
      throw Object.assign(new Error('AADSTS70000: refresh token revoked'), {
        error: 'invalid_grant',
      });
    });
    await expect(provider(invalidGrant.source).deleteEvent('x')).rejects.toBeInstanceOf(
      GrantRevokedError,
    );
    expect(graph.events.size).toBe(0);
  });

  it('refuses a non-https Graph root, since the client would send no token to it', () => {
    expect(() =>
      microsoftCalendarProvider({ tokens: tokens('t').source, baseUrl: 'http://localhost:1/' }),
    ).toThrow(/https/);
  });
});

describe('Graph behind gatherFreeBusy', () => {
  it('degrades a slow Graph to "availability unknown" and cancels its request', async () => {
    graph.delayMs = 5_000;
    graph.schedules.set('ana@contoso.com', []);
    const result = await gatherFreeBusy(
      [{ provider: provider(), calendars: ['ana@contoso.com', 'raj@contoso.com'] }],
      range,
      { deadlineMs: 300 },
    );
    for (const id of ['ana@contoso.com', 'raj@contoso.com']) {
      expect(result[id]).toEqual({
        ok: false,
        reason: 'timeout',
        message: `availability unknown for ${id}: the microsoft calendar did not answer within 300 ms`,
      });
    }
    await expect.poll(() => graph.abandoned).toBe(1);
  });

  it('passes a caller cancellation through instead of degrading', async () => {
    graph.delayMs = 5_000;
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user closed the dialog')), 100);
    await expect(
      gatherFreeBusy([{ provider: provider(), calendars: ['ana@contoso.com'] }], range, {
        deadlineMs: 10_000,
        signal: controller.signal,
      }),
    ).rejects.toThrow('user closed the dialog');
  });
});
