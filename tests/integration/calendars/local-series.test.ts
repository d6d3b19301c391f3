import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCalendarProvider } from '../../../core/calendars/local/local-calendar.ts';
import { ProviderError, type EventInput } from '../../../core/calendars/provider.ts';
import { createEnvelope, type Envelope } from '../../../core/privacy/envelope.ts';
import { openLocalKeyring } from '../../../core/privacy/local-keyring.ts';
import { openStore, type Store } from '../../../core/store/store.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';

let store: Store;
let envelope: Envelope;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'quorum-local-series-'));
beforeAll(async () => {
  store = await openStore({ uri: mongoUri() });
  envelope = createEnvelope({ store, keys: await openLocalKeyring({ dataDir: scratch }) });
});
afterAll(async () => {
  await store.close();
  rmSync(scratch, { recursive: true, force: true });
});

// Tuesdays 09:00-09:30 in Berlin from 13 October 2026; Berlin leaves summer time on 25 October.
const series: EventInput = {
  title: 'Weekly sync',
  start: new Date('2026-10-13T07:00:00Z'),
  end: new Date('2026-10-13T07:30:00Z'),
  timeZone: 'Europe/Berlin',
  attendees: [{ email: 'raj@example.com' }],
  onlineMeeting: 'none',
  requestId: 'series-1',
  recurrence: { frequency: 'weekly', interval: 1, count: 6 },
};
const span = { start: new Date('2026-10-12T00:00:00Z'), end: new Date('2026-11-30T00:00:00Z') };
const starts = [
  '2026-10-13T07:00:00.000Z',
  '2026-10-20T07:00:00.000Z',
  '2026-10-27T08:00:00.000Z',
  '2026-11-03T08:00:00.000Z',
  '2026-11-10T08:00:00.000Z',
  '2026-11-17T08:00:00.000Z',
];

describe('a series on the local calendar (real database)', () => {
  it('is busy at 09:00 Berlin every week, and one occurrence moves, one is cancelled, the rest ends', async () => {
    const tenant = verifiedTenantContext(testTenantId(), 'system');
    const ana = localCalendarProvider({ store, envelope, tenant, ownerEmail: 'ana@example.com' });
    const { providerEventId } = await ana.createEvent(series);
    const busyStarts = async (who: string) => {
      const result = await ana.freeBusy({ calendars: [who], ...span });
      const lookup = result[who]!;
      if (!lookup.ok) throw new Error(lookup.message);
      return lookup.busy.map((b) => new Date(b.start).toISOString()).sort();
    };
    expect(await busyStarts('raj@example.com')).toEqual(starts);

    const on = {
      rule: series.recurrence!,
      timeZone: series.timeZone,
      start: series.start,
      end: series.end,
    };
    await ana.changeSeries(providerEventId, on, {
      kind: 'move-occurrence',
      original: new Date(starts[2]!),
      start: new Date('2026-10-28T13:00:00Z'),
      end: new Date('2026-10-28T13:30:00Z'),
    });
    await ana.changeSeries(providerEventId, on, {
      kind: 'cancel-occurrence',
      original: new Date(starts[1]!),
    });
    await ana.changeSeries(providerEventId, on, {
      kind: 'end-series',
      original: new Date(starts[4]!),
    });
    const left = [starts[0], '2026-10-28T13:00:00.000Z', starts[3]];
    expect(await busyStarts('ana@example.com')).toEqual(left);
    expect(await busyStarts('raj@example.com')).toEqual(left);
    const upcoming = await ana.upcoming({ ...span, limit: 10 });
    expect(upcoming.map((e) => [e.title, e.start.toISOString()])).toEqual(
      left.map((s) => ['Weekly sync', s]),
    );

    await expect(
      ana.changeSeries(providerEventId, on, {
        kind: 'cancel-occurrence',
        original: new Date('2026-10-14T07:00:00Z'),
      }),
    ).rejects.toThrow(ProviderError);
    await ana.deleteEvent(providerEventId);
    expect(await busyStarts('raj@example.com')).toEqual([]);
  });
});
