import { describe, expect, it } from 'vitest';
import {
  SummaryInputError,
  buildAgenda,
  createExtractiveSummarizer,
} from '../../../core/ai/index.ts';

const attendees = [{ name: 'Ana Lopez' }, { name: 'Raj Patel' }];

describe('agendaFor', () => {
  it('lists the invite’s topics, then follow-ups on open action items, soonest due first', async () => {
    const agenda = await createExtractiveSummarizer().agendaFor(
      {
        title: 'Launch sync',
        description: 'Agenda:\n- budget review\n* venue contract;\n2) Hiring plan',
        attendees,
      },
      [
        { task: 'Email the pilot customers', owner: 'Raj', due: null },
        { task: 'Update the roadmap', owner: 'Raj Patel', due: '2025-03-18' },
        { task: 'Send the revised budget', owner: 'Ana', due: '2025-03-14' },
        { task: 'Book the venue', owner: 'Priya Das', due: '2025-03-31' },
      ],
    );
    expect(agenda).toEqual([
      { topic: 'Budget review', owner: null, source: 'invite' },
      { topic: 'Venue contract', owner: null, source: 'invite' },
      { topic: 'Hiring plan', owner: null, source: 'invite' },
      {
        topic: 'Follow up: Send the revised budget (due 2025-03-14)',
        owner: 'Ana Lopez',
        source: 'open-action-item',
      },
      {
        topic: 'Follow up: Update the roadmap (due 2025-03-18)',
        owner: 'Raj Patel',
        source: 'open-action-item',
      },
      // Not an attendee: the owner stays as given.
      {
        topic: 'Follow up: Book the venue (due 2025-03-31)',
        owner: 'Priya Das',
        source: 'open-action-item',
      },
      {
        topic: 'Follow up: Email the pilot customers',
        owner: 'Raj Patel',
        source: 'open-action-item',
      },
    ]);
  });

  it('reads a short prose description as one topic per sentence', () => {
    expect(
      buildAgenda(
        {
          title: 'Q3',
          description: 'Review the Q3 numbers. Agree on the hiring freeze.',
          attendees,
        },
        [],
      ),
    ).toEqual([
      { topic: 'Review the Q3 numbers', owner: null, source: 'invite' },
      { topic: 'Agree on the hiring freeze', owner: null, source: 'invite' },
    ]);
  });

  it('falls back to the title when the description lists nothing', () => {
    const longProse = Array.from(
      { length: 5 },
      (_, i) => `Paragraph ${i} explains the background at length.`,
    ).join(' ');
    expect(
      buildAgenda({ title: 'Security review', description: longProse, attendees }, []),
    ).toEqual([{ topic: 'Security review', owner: null, source: 'invite' }]);
    expect(buildAgenda({ title: 'Security review', attendees }, [])).toEqual([
      { topic: 'Security review', owner: null, source: 'invite' },
    ]);
  });

  it('refuses an invite without a title', () => {
    expect(() => buildAgenda({ title: '  ', attendees }, [])).toThrow(SummaryInputError);
  });
});
