// The Graph client, unchanged, booking and changing a series against the local Graph server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { microsoftCalendarProvider } from '../../../infra/providers/microsoft/graph-calendar.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph.ts';
import {
  changeSeriesAsScenario,
  expectUnknownOccurrenceRefused,
  SERIES_INPUT,
  SERIES_STARTS,
  STARTS_LEFT,
} from '../../support/series-scenario.ts';

let graph: FakeGraph;
beforeAll(async () => {
  graph = await startFakeGraph();
  graph.acceptedTokens.add('good-token');
});
afterAll(async () => {
  await graph.close();
});

describe('a series on Microsoft 365 (contract server)', () => {
  it('is one event with a recurrence pattern in the organizer’s zone; occurrences are deleted and moved, the rest ended by an end date', async () => {
    const ana = microsoftCalendarProvider({
      tokens: { accessToken: async () => 'good-token', refresh: async () => 'good-token' },
      baseUrl: graph.baseUrl,
    });
    const { providerEventId } = await ana.createEvent(SERIES_INPUT);
    const create = graph.requests.find((r) => r.method === 'POST' && r.path === '/v1.0/me/events')!;
    expect(create.body).toMatchObject({
      start: { dateTime: '2026-10-13T09:00:00', timeZone: 'Europe/Berlin' },
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'], firstDayOfWeek: 'monday' },
        range: {
          type: 'numbered',
          startDate: '2026-10-13',
          numberOfOccurrences: 6,
          recurrenceTimeZone: 'Europe/Berlin',
        },
      },
    });
    expect(graph.occurrencesOf(providerEventId).map((o) => o.start)).toEqual(SERIES_STARTS);

    await changeSeriesAsScenario(ana, providerEventId);
    const last = graph.requests.at(-1)!;
    expect(last.method).toBe('PATCH');
    expect(last.body).toMatchObject({
      recurrence: { range: { type: 'endDate', endDate: '2026-11-03' } },
    });
    expect(graph.occurrencesOf(providerEventId).map((o) => o.start)).toEqual(STARTS_LEFT);

    await expectUnknownOccurrenceRefused(ana, providerEventId);
  });
});
