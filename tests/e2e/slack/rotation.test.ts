// "/meet weekly …" for a team in four zones (the demo organization's Berlin, Kolkata, New York
// and Sydney) that share no working hour, sent as Slack sends it: the reply offers a fair
// rotation (times taking turns, each person's clock and meetings outside hours), its button
// books the interleaved series and replaces the message, and the team's next rotation starts
// with whoever carried least.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROTATION_INTRO } from '../../../core/assistant/index.ts';
import { rotationBlocks } from '../../../bots/slack/render/rotation.ts';
import { blockKitProblems } from '../../support/fake-slack.ts';
import {
  ANA,
  buttonsOf,
  meet,
  slackOrg,
  fourZoneWorkspace,
  textOf,
  titled,
  type SlackOrg,
} from './slack-org.ts';

let org: SlackOrg;
type Blocks = Array<Record<string, unknown>>;
const TEAM_MENTIONS = '<@U0RAJ|raj> <@U0MAYA|maya> <@U0LEE|lee>';
const NAMES = ['Ana Lopez', 'Raj Patel', 'Maya Chen', 'Lee Wong'];
const WEEK_MS = 7 * 86_400_000;
/** Each person's meetings outside hours in the first rotation booked. */
let firstCounts: Array<[string, number]> = [];

beforeAll(async () => {
  org = await slackOrg();
  await fourZoneWorkspace(org, 221);
});
afterAll(async () => {
  await org?.stop();
});

interface Shown {
  blocks: Blocks;
  /** Per person: meetings outside hours in this rotation, and carried before. */
  counts: Map<string, { outside: number; carried: number }>;
  /** The text of each time's section, A first. */
  times: string[];
  book: { action_id: string; value?: string };
}

/** The rotation a message shows, read back from its blocks. */
function rotationOf(blocks: Blocks): Shown {
  const texts = blocks.map((b) => (b.text as { text?: string } | undefined)?.text ?? '');
  const counts = new Map<string, { outside: number; carried: number }>();
  const line = /• ([\w ]+) \([\w ]+\): \*(\d+)\* outside hours in this rotation, (\d+) carried/g;
  for (const m of texts.join('\n').matchAll(line)) {
    counts.set(m[1]!, { outside: Number(m[2]), carried: Number(m[3]) });
  }
  const book = buttonsOf(blocks).find((b) => b.action_id === 'quorum.rotation.book');
  expect(book, textOf(blocks)).toBeDefined();
  return { blocks, counts, times: texts.filter((t) => t.startsWith('*Time ')), book: book! };
}

/** Clicks "Book this rotation" and returns the message that replaced the plan. */
async function bookShown(shown: Shown) {
  const click = await org.slack.click(ANA, shown.book, {
    channelId: 'C0GENERAL',
    ts: '1.0',
    ephemeral: true,
  });
  expect(click.res.status).toBe(200);
  const replaced = await org.fake.waitFor(() =>
    org.fake.responsesTo(click.responseUrl).find((r) => r.body.replace_original === true),
  );
  return replaced.body.blocks as Blocks;
}

describe('a weekly meeting for four zones that share no working hour', () => {
  it('offers a fair rotation with everyone’s counts, and its button books the interleaved series', async () => {
    const { blocks } = await meet(
      org,
      ANA,
      `"Team sync" weekly for 7 weeks 30m with ${TEAM_MENTIONS} next week`,
    );
    const shown = rotationOf(blocks);
    expect(textOf(blocks)).toContain(ROTATION_INTRO);
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
    const k = shown.times.length;
    expect(k).toBeGreaterThanOrEqual(2);
    // Each time names all four on their own clocks.
    for (const time of shown.times) {
      for (const name of NAMES) expect(time).toMatch(new RegExp(`• ${name}: \\w{3} \\d\\d:\\d\\d`));
    }
    expect([...shown.counts.keys()].sort()).toEqual([...NAMES].sort());
    const outside = [...shown.counts.values()].map((c) => c.outside);
    // Shared: nobody carries every meeting (one time every week would ask 7 of someone).
    expect(Math.max(...outside)).toBeLessThan(7);
    expect([...shown.counts.values()].every((c) => c.carried === 0)).toBe(true);
    firstCounts = [...shown.counts.entries()].map(([name, c]) => [name, c.outside]);

    const booked = await bookShown(shown);
    expect(textOf(booked)).toContain(`Booked 7 meetings as ${k} times taking turns`);
    expect(buttonsOf(booked).some((b) => b.action_id === 'quorum.rotation.book')).toBe(false);

    const series = (await (await titled(org)).bookingsTitled('Team sync')).sort(
      (a, b) => a.start.getTime() - b.start.getTime(),
    );
    expect(series).toHaveLength(k);
    const first = series[0]!.start.getTime();
    let meetings = 0;
    for (const [j, booking] of series.entries()) {
      expect(booking.status).toBe('confirmed');
      expect(booking.series?.rule).toMatchObject({ frequency: 'weekly', interval: k });
      meetings += booking.series?.rule.count ?? 1;
      // Interleaving: the j-th time's first meeting is in week j.
      const week = Math.floor((booking.start.getTime() - first) / WEEK_MS);
      expect(week).toBe(j);
      expect(booking.origin?.platform).toBe('slack');
    }
    expect(meetings).toBe(7);
  });

  it('starts the team’s next rotation with whoever carried least', async () => {
    const earlier = await titled(org).then((t) => t.bookingsTitled('Team sync'));
    expect(earlier.length, 'the first rotation is booked').toBeGreaterThan(1);
    const { blocks } = await meet(
      org,
      ANA,
      `"Team sync 2" weekly for 5 weeks 30m with ${TEAM_MENTIONS} in 9 weeks`,
    );
    const shown = rotationOf(blocks);
    const carried = [...shown.counts.entries()].map(([name, c]) => [name, c.carried] as const);
    // What each carried in the first rotation is remembered…
    expect(carried.some(([, c]) => c > 0)).toBe(true);
    expect([...carried].sort()).toEqual([...firstCounts].sort());
    const most = Math.max(...carried.map(([, c]) => c));
    const heaviest = carried.filter(([, c]) => c === most).map(([name]) => name);
    // …and whoever carried most meets inside their hours at the next rotation's first time.
    for (const name of heaviest) {
      expect(shown.times[0]).toMatch(new RegExp(`• ${name}: [^\\n]*in working hours`));
    }
    const booked = await bookShown(shown);
    expect(textOf(booked)).toContain('Booked 5 meetings');
  });

  it('books all times or none: a time taken meanwhile leaves nothing booked, and the message says so', async () => {
    const { blocks } = await meet(
      org,
      ANA,
      `"Taken sync" weekly for 4 weeks 30m with ${TEAM_MENTIONS} in 15 weeks`,
    );
    const shown = rotationOf(blocks);
    // Raj books the second time's first meeting for himself before Ana clicks.
    const second = Number(shown.book.value!.split('|')[1]!.split(',')[1]);
    const taken = await org.raj.request('/api/bookings', {
      method: 'POST',
      json: {
        title: 'Dentist',
        start: new Date(second).toISOString(),
        end: new Date(second + 30 * 60_000).toISOString(),
        attendees: [],
      },
    });
    expect(taken.status).toBe(201);
    const answer = textOf(await bookShown(shown));
    expect(answer).toContain('Time B could not be booked');
    expect(answer).toContain('nothing stays booked');
    const left = await (await titled(org)).bookingsTitled('Taken sync');
    expect(left.filter((b) => b.status === 'confirmed')).toEqual([]);
  });
});

describe('a rotation for a large team, within Block Kit limits', () => {
  it('names everyone’s count as far as fits, and keeps the message valid', () => {
    const people = Array.from({ length: 40 }, (_, i) => ({
      email: `person${i}@acme.example`,
      name: `Person ${i} ${'with a very long name '.repeat(4)}`,
      timeZone: 'America/Argentina/Buenos_Aires',
      outside: i % 3,
      carriedBefore: i % 5,
      text: `Person ${i}: ${i % 3} of 12 meetings outside working hours`,
    }));
    const clocks = people.map((p, i) => ({
      email: p.email,
      name: p.name,
      timeZone: p.timeZone,
      weekday: 'Mon',
      start: '09:00',
      end: '09:30',
      minutesOutside: i % 2 === 0 ? 30 : 0,
      hours: i % 2 === 0 ? ('after' as const) : ('inside' as const),
      text: `${p.name}: Mon 09:00–09:30 Buenos Aires, ${i % 2 === 0 ? '30 min after hours' : 'in working hours'}`,
    }));
    const start = Date.UTC(2027, 0, 11, 14);
    const time = (label: string, j: number) => ({
      label,
      start: start + j * WEEK_MS,
      end: start + j * WEEK_MS + 1_800_000,
      firstWeek: j,
      everyWeeks: 3,
      meetings: 4,
      outside: [],
      people: clocks,
      text: `Time ${label}`,
    });
    const blocks = rotationBlocks(
      {
        kind: 'rotation',
        intro: ROTATION_INTRO,
        summary: 'Taking turns, nobody is outside their hours at more than 4 of 12 meetings.',
        oneTimeSuits: false,
        timeZone: 'Europe/Berlin',
        title: null,
        durationMinutes: 30,
        count: 12,
        attendees: people.map((p) => ({ email: p.email, name: p.name, optional: false })),
        times: [time('A', 0), time('B', 1), time('C', 2)],
        meetings: [],
        people,
        largest: 4,
        total: 80,
        singleTimeLargest: 12,
        unknown: [],
        booking: {
          attendees: [],
          durationMinutes: 30,
          count: 12,
          starts: [start, start + WEEK_MS, start + 2 * WEEK_MS],
        },
      },
      'a2b1c0de-0000-4000-8000-000000000001',
    ) as unknown as Blocks;
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
    expect(textOf(blocks)).toMatch(/\+\d+ more/);
    expect(buttonsOf(blocks).map((b) => b.action_id)).toEqual(['quorum.rotation.book']);
  });
});
