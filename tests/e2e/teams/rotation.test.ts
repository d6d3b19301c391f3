// A weekly meeting asked for in a Teams chat by a team in four zones (the demo organization's
// Berlin, Kolkata, New York and Sydney) that share no working hour, with activities sent as the
// Bot Connector sends them: the card offers a fair rotation (times taking turns, each person's
// clock and meetings outside hours), its button books the interleaved series and replaces the
// card, and the team's next rotation starts with whoever carried least.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROTATION_INTRO } from '../../../core/assistant/index.ts';
import { Booking } from '../../../core/scheduling/booking/booking-model.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { Browser, json } from '../../support/quorum-app.ts';
import {
  ANA,
  RAJ,
  executeActions,
  invoke,
  message,
  teamsOrg,
  fourZoneChat,
  LEE,
  MAYA,
  textOf,
  type TeamsOrg,
} from './teams-org.ts';

let org: TeamsOrg;
let raj: Browser;
const NAMES = ['Ana Lopez', 'Raj Patel', 'Maya Chen', 'Lee Wong'];
const TEAM_MENTIONS = '<at>Raj Patel</at> <at>Maya Chen</at> <at>Lee Wong</at>';
const WEEK_MS = 7 * 86_400_000;
/** Each person's meetings outside hours in the first rotation booked. */
let firstCounts: Array<[string, number]> = [];

beforeAll(async () => {
  org = await teamsOrg();
  raj = await fourZoneChat(org, 231);
});
afterAll(async () => {
  await org?.stop();
});

interface Shown {
  sentId: string;
  card: Record<string, unknown>;
  /** Per person: meetings outside hours in this rotation, and carried before. */
  counts: Map<string, { outside: number; carried: number }>;
  /** The elements of each time, A first, as text. */
  times: string[];
  book: { verb: string; data: Record<string, unknown> };
}

/** Asks in the chat and reads the rotation back from the card. */
async function ask(text: string): Promise<Shown> {
  const before = org.connector.sent.length;
  const res = await org.send(message(org, ANA, text, [RAJ, MAYA, LEE]));
  expect(res.status, await res.clone().text()).toBe(200);
  const sent = org.connector.sent.slice(before).find((s) => s.method === 'POST')!;
  const card = (sent.body.attachments as Array<{ content: Record<string, unknown> }>)[0]!.content;
  const body = card.body as Array<Record<string, unknown>>;
  const counts = new Map<string, { outside: number; carried: number }>();
  for (const set of body.filter((e) => e.type === 'FactSet')) {
    for (const fact of set.facts as Array<{ title: string; value: string }>) {
      const m = /^(\d+) in this rotation, (\d+) carried before$/.exec(fact.value);
      if (m) {
        counts.set(fact.title.replace(/ \(.*\)$/, ''), {
          outside: Number(m[1]),
          carried: Number(m[2]),
        });
      }
    }
  }
  const times = body.filter((e) => textOf(e).includes('**Time ')).map(textOf);
  const book = executeActions(card).find((b) => b.title === 'Book this rotation');
  expect(book, textOf(card)).toBeDefined();
  return { sentId: sent.id as string, card, counts, times, book: book! };
}

async function confirmedBookings() {
  const ctx = verifiedTenantContext(org.tenantId, 'system');
  const Bookings = await org.app.quorum.store.tenantModel(ctx, Booking);
  return (await Bookings.find({ status: 'confirmed' }).lean()).sort(
    (a, b) => a.start.getTime() - b.start.getTime(),
  );
}

describe('a weekly meeting in a Teams chat for four zones that share no working hour', () => {
  it('offers a fair rotation with everyone’s counts, and its button books the interleaved series', async () => {
    const shown = await ask(`weekly for 7 weeks 30m with ${TEAM_MENTIONS} next week`);
    expect(textOf(shown.card)).toContain(ROTATION_INTRO);
    const k = shown.times.length;
    expect(k).toBeGreaterThanOrEqual(2);
    for (const time of shown.times) {
      for (const name of NAMES) expect(time).toMatch(new RegExp(`${name}: \\w{3} \\d\\d:\\d\\d`));
    }
    expect([...shown.counts.keys()].sort()).toEqual([...NAMES].sort());
    const outside = [...shown.counts.values()].map((c) => c.outside);
    // Shared: nobody carries every meeting (one time every week would ask 7 of someone).
    expect(Math.max(...outside)).toBeLessThan(7);
    expect([...shown.counts.values()].every((c) => c.carried === 0)).toBe(true);
    firstCounts = [...shown.counts.entries()].map(([name, c]) => [name, c.outside]);

    const booked = await json(await org.send(invoke(org, ANA, shown.book, shown.sentId)));
    expect(textOf(booked.value)).toContain(`Booked 7 meetings as ${k} times taking turns`);
    expect(executeActions(booked.value).some((b) => b.title === 'Book this rotation')).toBe(false);
    // The card is replaced for everyone in the chat too.
    const updated = org.connector.sent.filter(
      (s) => s.method === 'PUT' && textOf(s.body).includes('Booked 7 meetings'),
    );
    expect(updated.length).toBeGreaterThan(0);

    const series = await confirmedBookings();
    expect(series).toHaveLength(k);
    const first = series[0]!.start.getTime();
    let meetings = 0;
    for (const [j, booking] of series.entries()) {
      expect(booking.series?.rule).toMatchObject({ frequency: 'weekly', interval: k });
      meetings += booking.series?.rule.count ?? 1;
      // Interleaving: the j-th time's first meeting is in week j.
      expect(Math.floor((booking.start.getTime() - first) / WEEK_MS)).toBe(j);
      expect(booking.origin?.platform).toBe('teams');
    }
    expect(meetings).toBe(7);
  });

  it('starts the team’s next rotation with whoever carried least', async () => {
    const earlier = (await confirmedBookings()).length;
    expect(earlier, 'the first rotation is booked').toBeGreaterThan(1);
    const shown = await ask(`weekly for 5 weeks 30m with ${TEAM_MENTIONS} in 9 weeks`);
    const carried = [...shown.counts.entries()].map(([name, c]) => [name, c.carried] as const);
    // What each carried in the first rotation is remembered…
    expect(carried.some(([, c]) => c > 0)).toBe(true);
    expect([...carried].sort()).toEqual([...firstCounts].sort());
    const most = Math.max(...carried.map(([, c]) => c));
    const heaviest = carried.filter(([, c]) => c === most).map(([name]) => name);
    // …and whoever carried most meets inside their hours at the next rotation's first time.
    for (const name of heaviest) {
      expect(shown.times[0]).toMatch(new RegExp(`${name}: [^\\\\]*in working hours`));
    }
    const booked = await json(await org.send(invoke(org, ANA, shown.book, shown.sentId)));
    expect(textOf(booked.value)).toContain('Booked 5 meetings');
    expect((await confirmedBookings()).length).toBeGreaterThan(earlier);
  });

  it('books all times or none: a time taken meanwhile leaves nothing booked, and the card says so', async () => {
    const shown = await ask(
      `"Taken sync" weekly for 4 weeks 30m with ${TEAM_MENTIONS} in 15 weeks`,
    );
    const before = (await confirmedBookings()).length;
    // Raj books the second time's first meeting for himself before Ana clicks.
    const second = (shown.book.data.r as number[])[1]!;
    const taken = await raj.request('/api/bookings', {
      method: 'POST',
      json: {
        title: 'Dentist',
        start: new Date(second).toISOString(),
        end: new Date(second + 30 * 60_000).toISOString(),
        attendees: [],
      },
    });
    expect(taken.status).toBe(201);
    const answer = await json(await org.send(invoke(org, ANA, shown.book, shown.sentId)));
    expect(textOf(answer.value)).toContain('Time B could not be booked');
    expect(textOf(answer.value)).toContain('nothing stays booked');
    // Only Raj's own booking is new.
    expect((await confirmedBookings()).length).toBe(before + 1);
  });
});
