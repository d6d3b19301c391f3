// Finding times in a Teams chat for a team in four zones (the demo organization's Berlin,
// Kolkata, New York and Sydney) whose working hours never overlap: the card offers the
// least-burden times, each with every person's own clock and the time it asks of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAST_BURDEN_INTRO } from '../../../core/assistant/index.ts';
import {
  ANA,
  RAJ,
  executeActions,
  message,
  teamsOrg,
  fourZoneChat,
  LEE,
  MAYA,
  type TeamsOrg,
} from './teams-org.ts';

let org: TeamsOrg;

beforeAll(async () => {
  org = await teamsOrg();
  await fourZoneChat(org, 211);
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
