// `/meet find` for a team in four zones (the demo organization's Berlin, Kolkata, New York and
// Sydney), whose working hours never overlap: instead of "no time works", Slack shows the
// least-burden times, each with every person's own clock and the time it asks of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAST_BURDEN_INTRO } from '../../../core/assistant/index.ts';
import { blockKitProblems } from '../../support/fake-slack.ts';
import {
  ANA,
  buttonsOf,
  meet,
  slackOrg,
  fourZoneWorkspace,
  textOf,
  type SlackOrg,
} from './slack-org.ts';

let org: SlackOrg;

beforeAll(async () => {
  org = await slackOrg();
  await fourZoneWorkspace(org, 201);
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
