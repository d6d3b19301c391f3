// "/meet weekly 30m with @raj" through the real server, sent as Slack sends it: times whose every
// meeting is free, and the booking from the modal made as one series on the organizer's calendar.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANA,
  buttonsOf,
  formValues,
  meet as meetIn,
  openModal as openModalIn,
  slackOrg,
  textOf,
  titled,
  type SlackOrg,
} from './slack-org.ts';

let org: SlackOrg;
type Blocks = Array<Record<string, unknown>>;

beforeAll(async () => {
  org = await slackOrg();
});
afterAll(async () => {
  await org?.stop();
});

describe('a weekly meeting from Slack', () => {
  it('says it repeats, and books the chosen time as a series of 12', async () => {
    const { blocks } = await meetIn(org, ANA, 'weekly 30m with <@U0RAJ|raj> next week');
    expect(textOf(blocks)).toContain('repeats: weekly, 12 times (default)');
    expect(buttonsOf(blocks).some((b) => b.action_id === 'quorum.slot.pick')).toBe(true);

    const { view } = await openModalIn(org, 'weekly 30m with <@U0RAJ|raj> next week');
    const res = await org.slack.submit(ANA, view, formValues('Weekly sync', 'raj@acme.example'));
    expect(res.status).toBe(200);
    const posted = await org.fake.waitFor(() =>
      org.fake.messages.find((m) => textOf(m.blocks as Blocks).includes('Weekly sync')),
    );
    const bookingId = buttonsOf(posted.blocks).find(
      (b) => b.action_id === 'quorum.booking.cancel',
    )!.value!;
    const booking = await (await titled(org)).booking(bookingId);
    expect(booking?.series).toMatchObject({
      rule: { frequency: 'weekly', interval: 1, count: 12 },
      timeZone: 'Europe/Berlin',
      cancelled: [],
      moved: [],
    });
    // The series' last meeting ends 11 weeks after the first one (same Berlin wall-clock time).
    const weeks =
      (new Date(booking!.series!.lastEnd).getTime() - booking!.end.getTime()) / (7 * 86_400_000);
    expect(Math.round(weeks)).toBe(11);
  });

  it('offers a monthly series only on its day: the next first Monday, whatever the window', async () => {
    const { blocks } = await meetIn(org, ANA, 'monthly on the first Monday 1h with <@U0RAJ|raj>');
    expect(textOf(blocks)).toContain('repeats: monthly on the first Monday, 6 times (default)');
    const picks = buttonsOf(blocks).filter((b) => b.action_id === 'quorum.slot.pick');
    expect(picks.length, textOf(blocks)).toBeGreaterThan(0);
    for (const pick of picks) {
      const start = DateTime.fromMillis(Number(pick.value!.split('|')[1]), {
        zone: 'Europe/Berlin',
      });
      expect(start.weekday).toBe(1);
      expect(start.day).toBeLessThanOrEqual(7);
    }
  });
});
