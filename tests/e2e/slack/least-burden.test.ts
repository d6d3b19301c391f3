// `/meet find` for a team in four zones (the demo organization's Berlin, Kolkata, New York and
// Sydney), whose working hours never overlap: instead of "no time works", Slack shows the
// least-burden times, each with every person's own clock and the time it asks of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAST_BURDEN_INTRO } from '../../../core/assistant/index.ts';
import { DEMO_PEOPLE } from '../../../infra/cli/demo-data.ts';
import { blockKitProblems } from '../../support/fake-slack.ts';
import { Browser } from '../../support/quorum-app.ts';
import {
  ANA,
  PASSWORD,
  TEAM,
  buttonsOf,
  meet,
  slackOrg,
  textOf,
  type SlackOrg,
} from './slack-org.ts';

let org: SlackOrg;
const demo = (first: string) => DEMO_PEOPLE.find((p) => p.name.startsWith(first))!;

/** Someone added by Ana, signed in once to save the demo person's settings, and in Slack. */
async function addPerson(first: string, userId: string, ip: number) {
  const person = demo(first);
  const email = `${first.toLowerCase()}@acme.example`;
  const added = await org.ana.request('/api/admin/people', {
    method: 'POST',
    json: { name: person.name, email, password: PASSWORD },
  });
  expect(added.status).toBe(201);
  const browser = new Browser(org.app.url);
  const signin = await browser.request('/auth/signin', {
    method: 'POST',
    headers: { 'x-forwarded-for': `192.0.2.${ip}` },
    json: { email, password: PASSWORD },
  });
  expect(signin.status).toBe(200);
  return { browser, person, email, userId };
}

beforeAll(async () => {
  org = await slackOrg();
  const lee = await addPerson('Lee', 'U0LEE', 201);
  const maya = await addPerson('Maya', 'U0MAYA', 202);
  const settings: Array<[Browser, string]> = [
    [org.ana, 'Ana'],
    [org.raj, 'Raj'],
    [lee.browser, 'Lee'],
    [maya.browser, 'Maya'],
  ];
  for (const [browser, first] of settings) {
    const res = await browser.request('/api/me/settings', {
      method: 'PUT',
      json: demo(first).settings,
    });
    expect(res.status).toBe(200);
  }
  for (const p of [lee, maya]) {
    org.fake.addUser({ id: p.userId, teamId: TEAM, name: p.person.name, email: p.email });
  }
});
afterAll(async () => {
  await org?.stop();
});

describe('four zones that share no working hour', () => {
  it('offers the least-burden times, with each person’s clock and time outside hours', async () => {
    const { blocks } = await meet(
      org,
      ANA,
      'find 30m with <@U0RAJ|raj> <@U0MAYA|maya> <@U0LEE|lee> next week',
    );
    const shown = textOf(blocks);
    expect(shown).toContain(LEAST_BURDEN_INTRO);
    expect(shown).not.toContain('No time in that window works');
    const picks = buttonsOf(blocks).filter((b) => b.action_id === 'quorum.slot.pick');
    expect(picks.length).toBeGreaterThan(0);
    // Every slot names all four on their own clocks, and someone's minutes outside hours.
    const sections = blocks.filter(
      (b) => (b.accessory as { action_id?: string } | undefined)?.action_id === 'quorum.slot.pick',
    );
    expect(sections).toHaveLength(picks.length);
    for (const section of sections) {
      const text = (section.text as { text: string }).text;
      for (const [name, city] of [
        ['Ana Lopez', 'Berlin'],
        ['Raj Patel', 'Kolkata'],
        ['Maya Chen', 'New York'],
        ['Lee Wong', 'Sydney'],
      ]) {
        expect(text).toMatch(new RegExp(`• ${name}: \\w{3} \\d\\d:\\d\\d–\\d\\d:\\d\\d ${city}, `));
      }
      expect(text).toMatch(/\d+ min (before|after) hours|on a day off/);
    }
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
  });
});
