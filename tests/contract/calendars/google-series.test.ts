// googleapis, unchanged, booking and changing a series against the local Calendar API v3 server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleCalendarProvider } from '../../../infra/providers/google/google-calendar.ts';
import { startFakeGoogle, type FakeGoogle } from '../../support/fake-google.ts';
import {
  changeSeriesAsScenario,
  expectUnknownOccurrenceRefused,
  SERIES_INPUT,
  SERIES_STARTS,
  STARTS_LEFT,
} from '../../support/series-scenario.ts';

let google: FakeGoogle;
beforeAll(async () => {
  google = await startFakeGoogle();
  google.acceptedTokens.add('good-token');
});
afterAll(async () => {
  await google.close();
});

const provider = () =>
  googleCalendarProvider({
    tokens: { accessToken: async () => 'good-token', refresh: async () => 'good-token' },
    rootUrl: google.rootUrl,
  });

describe('a series on Google Calendar (contract server)', () => {
  it('is one event with an RRULE in its zone; instances are cancelled and moved, the rest ended with UNTIL', async () => {
    const ana = provider();
    const { providerEventId } = await ana.createEvent(SERIES_INPUT);
    const insert = google.requests.find((r) => r.method === 'POST' && r.path.endsWith('/events'))!;
    expect(insert.body).toMatchObject({
      recurrence: ['RRULE:FREQ=WEEKLY;COUNT=6'],
      start: { dateTime: '2026-10-13T09:00:00+02:00', timeZone: 'Europe/Berlin' },
    });
    expect(google.occurrencesOf(providerEventId).map((o) => o.start)).toEqual(SERIES_STARTS);

    await changeSeriesAsScenario(ana, providerEventId);
    const paths = google.requests.slice(1).map((r) => `${r.method} ${r.path.split('/events/')[1]}`);
    expect(paths).toEqual([
      `PATCH ${providerEventId}_20261027T080000Z`,
      `DELETE ${providerEventId}_20261020T070000Z`,
      `PATCH ${providerEventId}`,
    ]);
    expect(google.requests.at(-1)!.body).toEqual({
      recurrence: ['RRULE:FREQ=WEEKLY;UNTIL=20261103T080000Z'],
    });
    expect(google.occurrencesOf(providerEventId).map((o) => o.start)).toEqual(STARTS_LEFT);

    await expectUnknownOccurrenceRefused(ana, providerEventId);
  });
});
