// Finding times in a Teams chat for a team in four zones (the demo organization's Berlin,
// Kolkata, New York and Sydney) whose working hours never overlap: the card offers the
// least-burden times, each with every person's own clock and the time it asks of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAST_BURDEN_INTRO } from '../../../core/assistant/index.ts';
import { DEMO_PEOPLE } from '../../../infra/cli/demo-data.ts';
import type { Member } from '../../support/fake-bot-connector.ts';
import { Browser } from '../../support/quorum-app.ts';
import {
  ANA,
  CHAT,
  PASSWORD,
  RAJ,
  executeActions,
  message,
  teamsOrg,
  type TeamsOrg,
} from './teams-org.ts';

let org: TeamsOrg;
const demo = (first: string) => DEMO_PEOPLE.find((p) => p.name.startsWith(first))!;
const member = (first: string, n: number): Member => ({
  id: `29:1${first.toLowerCase()}`,
  aadObjectId: `d${n}d${n}d${n}d${n}-0000-4000-8000-00000000d0d${n}`,
  name: demo(first).name,
  email: `${first.toLowerCase()}@acme.example`,
});
const LEE = member('Lee', 4);
const MAYA = member('Maya', 5);

async function signIn(email: string, ip: number) {
  const browser = new Browser(org.app.url);
  const res = await browser.request('/auth/signin', {
    method: 'POST',
    headers: { 'x-forwarded-for': `192.0.2.${ip}` },
    json: { email, password: PASSWORD },
  });
  expect(res.status).toBe(200);
  return browser;
}

beforeAll(async () => {
  org = await teamsOrg();
  for (const m of [LEE, MAYA]) {
    const added = await org.ana.request('/api/admin/people', {
      method: 'POST',
      json: { name: m.name, email: m.email, password: PASSWORD },
    });
    expect(added.status).toBe(201);
  }
  const people: Array<[Member, string, number]> = [
    [RAJ, 'Raj', 211],
    [LEE, 'Lee', 212],
    [MAYA, 'Maya', 213],
  ];
  for (const [m, first, ip] of people) {
    const browser = await signIn(m.email, ip);
    const res = await browser.request('/api/me/settings', {
      method: 'PUT',
      json: demo(first).settings,
    });
    expect(res.status).toBe(200);
  }
  const ana = await org.ana.request('/api/me/settings', {
    method: 'PUT',
    json: demo('Ana').settings,
  });
  expect(ana.status).toBe(200);
  org.connector.members.set(CHAT, [ANA, RAJ, LEE, MAYA]);
});
afterAll(async () => {
  await org?.stop();
});

describe('four zones that share no working hour', () => {
  it('offers least-burden times on the card, each with everyone’s clock', async () => {
    const before = org.connector.sent.length;
    const res = await org.send(
      message(
        org,
        ANA,
        'find 30m with <at>Raj Patel</at> <at>Maya Chen</at> <at>Lee Wong</at> next week',
        [RAJ, MAYA, LEE],
      ),
    );
    expect(res.status, await res.clone().text()).toBe(200);
    const sent = org.connector.sent.slice(before).filter((s) => s.method === 'POST');
    const card = (sent[0]!.body.attachments as Array<{ content: Record<string, unknown> }>)[0]!
      .content;
    const shown = JSON.stringify(card);
    expect(shown).toContain(LEAST_BURDEN_INTRO);
    expect(shown).not.toContain('No time in that window works');
    const buttons = executeActions(card);
    expect(buttons.length).toBeGreaterThan(0);
    // One line per person under each time: as many as there are times, for each of the four.
    for (const [name, city] of [
      ['Ana Lopez', 'Berlin'],
      ['Raj Patel', 'Kolkata'],
      ['Maya Chen', 'New York'],
      ['Lee Wong', 'Sydney'],
    ]) {
      const lines = shown.match(
        new RegExp(`${name}: \\w{3} \\d\\d:\\d\\d–\\d\\d:\\d\\d ${city}, `, 'g'),
      );
      expect(lines?.length, name).toBe(buttons.length);
    }
    expect(shown).toMatch(/\d+ min (before|after) hours/);
  });
});
