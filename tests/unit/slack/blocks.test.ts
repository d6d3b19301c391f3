// Block Kit builders stay within Slack's limits whatever the data, and the request plumbing
// reads Slack's three body shapes and tells deliveries apart.
import { describe, expect, it } from 'vitest';
import { capBlocks, context, fit, fitList, section } from '../../../bots/slack/render/limits.ts';
import { pollMessage } from '../../../bots/slack/render/poll.ts';
import { slotListMessage } from '../../../bots/slack/render/slots.ts';
import { deliveryIdentity, parseSlackBody } from '../../../bots/slack/delivery.ts';
import { blockKitProblems } from '../../support/fake-slack.ts';

describe('limits', () => {
  it('shortens text to the limit, ending in an ellipsis, never splitting a surrogate pair', () => {
    expect(fit('abcdef', 6)).toBe('abcdef');
    expect(fit('abcdef', 4)).toBe('abc…');
    const cut = fit('ab😀cd', 4);
    expect(cut.length).toBeLessThanOrEqual(4);
    expect(cut).not.toMatch(/[\uD800-\uDBFF]…$/);
  });

  it('lists as many names as fit and says how many more there are', () => {
    const names = Array.from({ length: 30 }, (_, i) => `Person ${i}`);
    const text = fitList(names, 60);
    expect(text.length).toBeLessThanOrEqual(60);
    expect(text).toMatch(/^Person 0, Person 1, .* and \d+ more$/);
    const shown = text.split(', ').length - 1;
    expect(text).toContain(`and ${30 - shown} more`);
    expect(fitList(['a', 'b'], 60)).toBe('a, b');
  });

  it('caps a message at 50 blocks, saying how many were left out', () => {
    const blocks = Array.from({ length: 80 }, (_, i) => section(`line ${i}`));
    const capped = capBlocks(blocks);
    expect(capped).toHaveLength(50);
    expect(JSON.stringify(capped.at(-1))).toContain('31 more items were left out');
    expect(blockKitProblems(capped, 'message')).toEqual([]);
    expect(
      blockKitProblems([context(...Array.from({ length: 14 }, () => 'x'))], 'message'),
    ).toEqual([]);
  });

  it('keeps a slot list with a hundred unreadable calendars within the limits', () => {
    const unknown = Array.from({ length: 100 }, (_, i) => ({
      email: `person.${i}@example.com`,
      name: `A Person With A Very Long Name Number ${i}`,
      reason: (i % 2 ? 'guest' : 'timeout') as 'guest' | 'timeout',
      message: 'x',
    }));
    const message = slotListMessage({
      intro: 'x'.repeat(5000),
      slots: Array.from({ length: 20 }, (_, i) => ({
        start: i * 3_600_000,
        end: i * 3_600_000 + 1_800_000,
        optionalFree: unknown.map((u) => u.name),
        optionalBusy: unknown.map((u) => u.name),
        value: 'p'.repeat(3000),
      })),
      actionId: 'quorum.slot.pick',
      buttonText: 'Book…',
      unknown,
      unresolved: unknown.map((u) => `@${u.email}`),
      notes: ['n'.repeat(4000)],
      emptyHint: 'none',
    });
    expect(blockKitProblems(message.blocks, 'message')).toEqual([]);
  });

  it('keeps a poll with a hundred participants within the limits', () => {
    const participants = Array.from({ length: 100 }, (_, i) => ({
      email: `voter.number.${i}@partner.example`,
      required: true,
    }));
    const options = Array.from({ length: 6 }, (_, i) => ({
      start: new Date(i * 3_600_000),
      end: new Date(i * 3_600_000 + 1_800_000),
    }));
    const message = pollMessage({
      poll: {
        _id: 'poll-1',
        organizerId: 'u1',
        organizerEmail: 'ana@acme.example',
        title: 'T'.repeat(200),
        linkType: 'none',
        options,
        participants,
        status: 'open',
        bookingId: null,
        createdAt: new Date(),
      },
      votes: participants.slice(0, 60).map((p) => ({ email: p.email, yes: [0, 1, 2, 3, 4, 5] })),
      label: (email) => email,
      organizerSlackId: 'U0ANA',
    });
    expect(blockKitProblems(message.blocks, 'message')).toEqual([]);
  });
});

describe('request bodies', () => {
  it('reads JSON events, form commands and payload= interactions', () => {
    expect(
      parseSlackBody(Buffer.from('{"type":"event_callback","event_id":"Ev1"}'), 'application/json'),
    ).toEqual({
      type: 'event_callback',
      event_id: 'Ev1',
    });
    expect(
      parseSlackBody(
        Buffer.from('command=%2Fmeet&text=find+30m'),
        'application/x-www-form-urlencoded',
      ),
    ).toEqual({
      command: '/meet',
      text: 'find 30m',
    });
    const payload = encodeURIComponent(JSON.stringify({ type: 'block_actions', trigger_id: 't1' }));
    expect(
      parseSlackBody(Buffer.from(`payload=${payload}`), 'application/x-www-form-urlencoded'),
    ).toEqual({
      type: 'block_actions',
      trigger_id: 't1',
    });
    expect(() => parseSlackBody(Buffer.from('[1]'), 'application/json')).toThrow(/not an object/);
  });

  it('identifies a delivery by its event id, else its trigger id, else its bytes', () => {
    expect(deliveryIdentity({ event_id: 'Ev1', trigger_id: 't' })).toBe('event:Ev1');
    expect(deliveryIdentity({ trigger_id: 't1' })).toBe('trigger:t1');
    const a = deliveryIdentity({ type: 'view_closed' }, Buffer.from('a'));
    expect(a).toMatch(/^body:/);
    expect(deliveryIdentity({ type: 'view_closed' }, Buffer.from('b'))).not.toBe(a);
  });
});
