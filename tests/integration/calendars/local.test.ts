import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCalendarProvider } from '../../../core/calendars/local/local-calendar.ts';
import { LocalEvent, localEventId } from '../../../core/calendars/local/local-event-model.ts';
import { ProviderError, type EventInput } from '../../../core/calendars/provider.ts';
import { createEnvelope, type Envelope } from '../../../core/privacy/envelope.ts';
import { openLocalKeyring } from '../../../core/privacy/local-keyring.ts';
import { openStore, type Store } from '../../../core/store/store.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';

let store: Store;
let envelope: Envelope;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'quorum-local-'));
beforeAll(async () => {
  store = await openStore({ uri: mongoUri() });
  envelope = createEnvelope({ store, keys: await openLocalKeyring({ dataDir: scratch }) });
});
afterAll(async () => {
  await store.close();
  rmSync(scratch, { recursive: true, force: true });
});

const at = (iso: string) => new Date(iso);
const day = { start: at('2025-06-02T00:00:00Z'), end: at('2025-06-03T00:00:00Z') };

function input(overrides: Partial<EventInput> = {}): EventInput {
  return {
    title: 'Roadmap review',
    start: at('2025-06-02T09:00:00Z'),
    end: at('2025-06-02T10:00:00Z'),
    timeZone: 'Europe/Paris',
    attendees: [
      { email: 'Raj@Example.com', name: 'Raj' },
      { email: 'lee@example.com', optional: true },
    ],
    onlineMeeting: 'none',
    requestId: 'req-1',
    ...overrides,
  };
}

function setUp() {
  const tenant = verifiedTenantContext(testTenantId(), 'system');
  const ana = localCalendarProvider({ store, envelope, tenant, ownerEmail: 'Ana@Example.com' });
  return { tenant, ana };
}

describe('local calendar provider (real database)', () => {
  it('makes the owner and every attendee busy, and leaves others free', async () => {
    const { ana } = setUp();
    await ana.createEvent(input());
    const result = await ana.freeBusy({
      calendars: ['ana@example.com', 'raj@example.com', 'LEE@example.com', 'zoe@example.com'],
      ...day,
    });
    const slot = {
      start: Date.parse('2025-06-02T09:00:00Z'),
      end: Date.parse('2025-06-02T10:00:00Z'),
      status: 'busy',
    };
    expect(result['ana@example.com']).toEqual({ ok: true, busy: [slot] });
    expect(result['raj@example.com']).toEqual({ ok: true, busy: [slot] });
    expect(result['LEE@example.com']).toEqual({ ok: true, busy: [slot] });
    expect(result['zoe@example.com']).toEqual({ ok: true, busy: [] });
  });

  it('clips busy time to the asked range and ignores events outside it', async () => {
    const { ana } = setUp();
    await ana.createEvent(
      input({ requestId: 'a', start: at('2025-06-01T23:00:00Z'), end: at('2025-06-02T01:00:00Z') }),
    );
    await ana.createEvent(
      input({ requestId: 'b', start: at('2025-06-03T09:00:00Z'), end: at('2025-06-03T10:00:00Z') }),
    );
    const result = await ana.freeBusy({ calendars: ['ana@example.com'], ...day });
    expect(result['ana@example.com']).toEqual({
      ok: true,
      busy: [
        { start: day.start.getTime(), end: Date.parse('2025-06-02T01:00:00Z'), status: 'busy' },
      ],
    });
  });

  it('keeps an event busy in each week it touches, and frees the old weeks when it moves', async () => {
    const { ana, tenant } = setUp();
    const raj = localCalendarProvider({ store, envelope, tenant, ownerEmail: 'raj@example.com' });
    // Sunday night into Monday morning: two ISO weeks.
    const made = await ana.createEvent(
      input({ start: at('2025-06-01T22:00:00Z'), end: at('2025-06-02T02:00:00Z') }),
    );
    const sunday = { start: at('2025-06-01T00:00:00Z'), end: day.start };
    const busy = (from: string, to: string) => ({
      start: Date.parse(from),
      end: Date.parse(to),
      status: 'busy',
    });
    expect(
      (await raj.freeBusy({ calendars: ['raj@example.com'], ...sunday }))['raj@example.com'],
    ).toEqual({ ok: true, busy: [busy('2025-06-01T22:00:00Z', '2025-06-02T00:00:00Z')] });
    expect(
      (await raj.freeBusy({ calendars: ['raj@example.com'], ...day }))['raj@example.com'],
    ).toEqual({ ok: true, busy: [busy('2025-06-02T00:00:00Z', '2025-06-02T02:00:00Z')] });
    const both = { start: sunday.start, end: day.end };
    expect((await ana.upcoming(both)).map((e) => e.providerEventId)).toEqual([
      made.providerEventId,
    ]);

    // Moved a week on, without Raj: his old weeks are free, and so is his new one.
    const nextWeek = { start: at('2025-06-09T09:00:00Z'), end: at('2025-06-09T10:00:00Z') };
    await ana.updateEvent(made.providerEventId, input({ ...nextWeek, attendees: [] }));
    const rajs = await raj.freeBusy({
      calendars: ['raj@example.com'],
      start: sunday.start,
      end: at('2025-06-10T00:00:00Z'),
    });
    expect(rajs['raj@example.com']).toEqual({ ok: true, busy: [] });
    expect(
      (await ana.freeBusy({ calendars: ['ana@example.com'], ...both }))['ana@example.com'],
    ).toEqual({ ok: true, busy: [] });
    expect(
      (await ana.freeBusy({ calendars: ['ana@example.com'], ...nextWeek }))['ana@example.com'],
    ).toEqual({ ok: true, busy: [busy('2025-06-09T09:00:00Z', '2025-06-09T10:00:00Z')] });
  });

  it('writes the week entries on a retry when the first create stopped before them', async () => {
    const { ana, tenant } = setUp();
    // As a create that stopped right after storing the event: no week lists it yet.
    const { start, end, title, timeZone, requestId } = input({ attendees: [] });
    await (
      await store.tenantModel(tenant, LocalEvent)
    ).create({
      _id: localEventId('ana@example.com', requestId),
      calendarId: 'ana@example.com',
      requestId,
      title,
      start,
      end,
      timeZone,
    });
    const before = await ana.freeBusy({ calendars: ['ana@example.com'], ...day });
    expect(before['ana@example.com']).toEqual({ ok: true, busy: [] });
    await ana.createEvent(input({ attendees: [] }));
    const after = await ana.freeBusy({ calendars: ['ana@example.com'], ...day });
    expect(after['ana@example.com']).toEqual({
      ok: true,
      busy: [{ start: start.getTime(), end: end.getTime(), status: 'busy' }],
    });
  });

  it('makes one event for a retried request', async () => {
    const { ana, tenant } = setUp();
    const first = await ana.createEvent(input());
    const again = await ana.createEvent(input({ title: 'retried' }));
    expect(again.providerEventId).toBe(first.providerEventId);
    const model = await store.tenantModel(tenant, LocalEvent);
    expect(await model.countDocuments({})).toBe(1);
    // The first request's event, title and all (stored sealed: read back through the calendar).
    expect((await ana.upcoming({ ...day })).map((e) => e.title)).toEqual(['Roadmap review']);
  });

  it('updates, lists and deletes events', async () => {
    const { ana } = setUp();
    const made = await ana.createEvent(input({ description: 'agenda', location: 'Room 4' }));
    const zoom = 'https://zoom.us/j/123456';
    const updated = await ana.updateEvent(
      made.providerEventId,
      input({
        title: 'Roadmap review (moved)',
        start: at('2025-06-02T14:00:00Z'),
        end: at('2025-06-02T15:00:00Z'),
        onlineMeeting: 'zoom',
        joinUrl: zoom,
      }),
    );
    expect(updated).toEqual({ providerEventId: made.providerEventId, joinUrl: zoom });

    const upcoming = await ana.upcoming({ ...day });
    expect(upcoming).toEqual([
      {
        providerEventId: made.providerEventId,
        title: 'Roadmap review (moved)',
        start: at('2025-06-02T14:00:00Z'),
        end: at('2025-06-02T15:00:00Z'),
        attendees: ['raj@example.com', 'lee@example.com'],
        joinUrl: zoom,
      },
    ]);

    await ana.deleteEvent(made.providerEventId);
    expect(await ana.upcoming({ ...day })).toEqual([]);
    await expect(ana.deleteEvent(made.providerEventId)).resolves.toBeUndefined();
  });

  it('drops optional fields an update leaves out', async () => {
    const { ana, tenant } = setUp();
    const made = await ana.createEvent(input({ description: 'agenda', location: 'Room 4' }));
    await ana.updateEvent(made.providerEventId, input());
    const stored = await (
      await store.tenantModel(tenant, LocalEvent)
    )
      .findById(made.providerEventId)
      .lean();
    expect(stored?.description).toBeUndefined();
    expect(stored?.location).toBeUndefined();
  });

  it('shows attendees the events they were invited to, sorted and limited', async () => {
    const { ana, tenant } = setUp();
    const raj = localCalendarProvider({ store, envelope, tenant, ownerEmail: 'raj@example.com' });
    await ana.createEvent(
      input({
        requestId: 'late',
        start: at('2025-06-02T16:00:00Z'),
        end: at('2025-06-02T17:00:00Z'),
      }),
    );
    await ana.createEvent(input({ requestId: 'early' }));
    await raj.createEvent(
      input({
        requestId: 'own',
        title: 'Raj 1:1',
        attendees: [],
        start: at('2025-06-02T12:00:00Z'),
        end: at('2025-06-02T12:30:00Z'),
      }),
    );
    const rajs = await raj.upcoming({ ...day, limit: 2 });
    expect(rajs.map((e) => [e.title, e.start.toISOString()])).toEqual([
      ['Roadmap review', '2025-06-02T09:00:00.000Z'],
      ['Raj 1:1', '2025-06-02T12:00:00.000Z'],
    ]);
  });

  it("refuses to update another owner's event or one that does not exist", async () => {
    const { ana, tenant } = setUp();
    const raj = localCalendarProvider({ store, envelope, tenant, ownerEmail: 'raj@example.com' });
    const made = await ana.createEvent(input());
    await expect(raj.updateEvent(made.providerEventId, input())).rejects.toThrow(ProviderError);
    await expect(ana.updateEvent('nope', input())).rejects.toMatchObject({ status: 404 });
  });

  it('needs a join URL for a meeting kind it cannot make, and a valid range', async () => {
    const { ana } = setUp();
    await expect(ana.createEvent(input({ onlineMeeting: 'teams' }))).rejects.toThrow(/joinUrl/);
    await expect(ana.createEvent(input({ timeZone: 'Mars/Olympus' }))).rejects.toThrow(/IANA/);
    await expect(
      ana.freeBusy({ calendars: ['ana@example.com'], start: day.end, end: day.start }),
    ).rejects.toThrow(/must be before end/);
  });

  it('keeps tenants apart', async () => {
    const { ana } = setUp();
    const other = localCalendarProvider({
      store,
      envelope,
      tenant: verifiedTenantContext(testTenantId(), 'system'),
      ownerEmail: 'ana@example.com',
    });
    await ana.createEvent(input());
    const result = await other.freeBusy({ calendars: ['ana@example.com'], ...day });
    expect(result['ana@example.com']).toEqual({ ok: true, busy: [] });
  });

  it('honours an aborted signal', async () => {
    const { ana } = setUp();
    const controller = new AbortController();
    controller.abort(new Error('caller gave up'));
    await expect(
      ana.freeBusy({ calendars: ['ana@example.com'], ...day }, controller.signal),
    ).rejects.toThrow('caller gave up');
  });
});
